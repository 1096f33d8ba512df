import protobuf from 'protobufjs';

// The slice of onnx.proto (field numbers from onnx/onnx.proto3) needed to write small test models.
const root = protobuf.Root.fromJSON({
  nested: {
    ModelProto: {
      fields: {
        irVersion: { type: 'int64', id: 1 },
        producerName: { type: 'string', id: 2 },
        graph: { type: 'GraphProto', id: 7 },
        opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
        metadataProps: { rule: 'repeated', type: 'StringStringEntryProto', id: 14 },
      },
    },
    StringStringEntryProto: { fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
    OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
    GraphProto: {
      fields: {
        node: { rule: 'repeated', type: 'NodeProto', id: 1 },
        name: { type: 'string', id: 2 },
        initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
        input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
        output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
      },
    },
    NodeProto: {
      fields: {
        input: { rule: 'repeated', type: 'string', id: 1 },
        output: { rule: 'repeated', type: 'string', id: 2 },
        name: { type: 'string', id: 3 },
        opType: { type: 'string', id: 4 },
        attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
      },
    },
    AttributeProto: { fields: { name: { type: 'string', id: 1 }, i: { type: 'int64', id: 3 }, ints: { rule: 'repeated', type: 'int64', id: 8 }, type: { type: 'int32', id: 20 } } },
    TensorProto: { fields: { dims: { rule: 'repeated', type: 'int64', id: 1 }, dataType: { type: 'int32', id: 2 }, floatData: { rule: 'repeated', type: 'float', id: 4 }, name: { type: 'string', id: 8 } } },
    ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
    TypeProto: { fields: { tensorType: { type: 'TensorTypeProto', id: 1 } } },
    TensorTypeProto: { fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } },
    TensorShapeProto: { fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } } },
    Dimension: { fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } } },
  },
});

const FLOAT = 1;
const ATTRIBUTE = { INT: 2, INTS: 7 } as const;
type Attribute = number | number[];

interface GraphSpec {
  inputs: Array<{ name: string; dims: Array<number | string> }>;
  outputs: Array<{ name: string; dims: Array<number | string> }>;
  initializers: Record<string, { dims: number[]; values: ArrayLike<number> }>;
  nodes: Array<{ op: string; inputs: string[]; output: string; attributes?: Record<string, Attribute> }>;
  /** metadata_props, as exporters record a model's conventions for its runtime. */
  metadata?: Record<string, string | number>;
}

function valueInfo({ name, dims }: { name: string; dims: Array<number | string> }): object {
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((dim) => (typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim })) } } } };
}

/** An ONNX model (opset 17) as bytes, for onnxruntime to load. */
export function onnxModel(spec: GraphSpec): Uint8Array {
  const graph = {
    name: 'test',
    input: spec.inputs.map(valueInfo),
    output: spec.outputs.map(valueInfo),
    initializer: Object.entries(spec.initializers).map(([name, { dims, values }]) => ({ name, dims, dataType: FLOAT, floatData: Array.from(values) })),
    node: spec.nodes.map((node, index) => ({
      name: `n${index}`,
      opType: node.op,
      input: node.inputs,
      output: [node.output],
      attribute: Object.entries(node.attributes ?? {}).map(([name, value]) =>
        Array.isArray(value) ? { name, ints: value, type: ATTRIBUTE.INTS } : { name, i: value, type: ATTRIBUTE.INT },
      ),
    })),
  };
  const Model = root.lookupType('ModelProto');
  const metadataProps = Object.entries(spec.metadata ?? {}).map(([key, value]) => ({ key, value: String(value) }));
  return Model.encode(Model.fromObject({ irVersion: 8, producerName: 'verbatim-tests', opsetImport: [{ domain: '', version: 17 }], graph, metadataProps })).finish();
}

/** What sherpa-onnx's exporter records for pyannote segmentation-3.0 (scripts/pyannote/segmentation/export-onnx.py). */
export const SEGMENTATION_METADATA = {
  model_type: 'pyannote-segmentation-3.0',
  sample_rate: 16000,
  window_size: 160000,
  receptive_field_size: 991,
  receptive_field_shift: 270,
  num_speakers: 3,
  powerset_max_classes: 2,
  num_classes: 7,
};

/**
 * pyannote segmentation-3.0's signature — waveform (batch, 1, samples) in, powerset log-probabilities
 * (batch, 589 frames, 7 classes) out for 10 s, with its receptive field (991 samples every 270) and
 * sherpa-onnx's metadata — and a rule a test can predict: frames whose mean square amplitude exceeds
 * 1e-4 (louder than −40 dBFS) are local speaker 0, others nobody.
 */
export function energySegmentationModel(): Uint8Array {
  const kernel = 991;
  const slope = [-1e5, 1e5, 0, 0, 0, 0, 0];
  const bias = [10, -10, -50, -50, -50, -50, -50];
  return onnxModel({
    inputs: [{ name: 'input_values', dims: ['batch', 1, 'samples'] }],
    outputs: [{ name: 'logits', dims: ['batch', 'frames', 7] }],
    initializers: {
      average: { dims: [1, 1, kernel], values: new Float32Array(kernel).fill(1 / kernel) },
      zero: { dims: [1], values: [0] },
      slope: { dims: [7, 1, 1], values: slope },
      bias: { dims: [7], values: bias },
    },
    nodes: [
      { op: 'Mul', inputs: ['input_values', 'input_values'], output: 'square' },
      { op: 'Conv', inputs: ['square', 'average', 'zero'], output: 'energy', attributes: { strides: [270] } },
      { op: 'Conv', inputs: ['energy', 'slope', 'bias'], output: 'scores' },
      { op: 'Transpose', inputs: ['scores'], output: 'frames', attributes: { perm: [0, 2, 1] } },
      { op: 'LogSoftmax', inputs: ['frames'], output: 'logits', attributes: { axis: 2 } },
    ],
    metadata: SEGMENTATION_METADATA,
  });
}

/** WeSpeaker's signature — fbank (batch, frames, 80) in, (batch, 16) out: a fixed projection of each bin's mean square. */
export function projectionEmbeddingModel(metadata?: Record<string, string | number>): Uint8Array {
  const projection = Float32Array.from({ length: 80 * 16 }, (_, i) => Math.sin(i * 12.9898) * 0.5);
  return onnxModel({
    inputs: [{ name: 'feats', dims: ['batch', 'frames', 80] }],
    outputs: [{ name: 'embs', dims: ['batch', 16] }],
    initializers: { projection: { dims: [80, 16], values: projection } },
    nodes: [
      { op: 'Mul', inputs: ['feats', 'feats'], output: 'square' },
      { op: 'ReduceMean', inputs: ['square'], output: 'pooled', attributes: { axes: [1], keepdims: 0 } },
      { op: 'MatMul', inputs: ['pooled', 'projection'], output: 'embs' },
    ],
    metadata,
  });
}

/** What sherpa-onnx reads from a speaker-embedding model's metadata, per exporter convention. */
export const EMBEDDING_METADATA = {
  /** As sherpa-onnx's scripts/wespeaker/add_meta_data.py writes it: 16-bit-range samples, no feature_normalize_type. */
  wespeaker: { framework: 'wespeaker', sample_rate: 16000, normalize_samples: 0, language: 'English', output_dim: 240 },
  /** As scripts/3dspeaker/export-onnx.py writes it: samples in −1…1, features minus their global mean. */
  '3d-speaker': { framework: '3d-speaker', sample_rate: 16000, normalize_samples: 1, feature_normalize_type: 'global-mean', language: 'English', output_dim: 240 },
} as const;

/**
 * A speaker-embedding model of the real signature — fbank (batch, frames, 80) in, (batch, 240) out —
 * whose output reveals the features it was fed: each bin's mean over time, each bin's mean square,
 * and the number of frames (80 times over).
 */
export function featureRevealingEmbeddingModel(metadata: Record<string, string | number>): Uint8Array {
  return onnxModel({
    inputs: [{ name: 'feats', dims: ['B', 'T', 80] }],
    outputs: [{ name: 'embs', dims: ['B', 240] }],
    initializers: { zero: { dims: [1], values: [0] }, one: { dims: [1], values: [1] } },
    nodes: [
      { op: 'ReduceMean', inputs: ['feats'], output: 'mean', attributes: { axes: [1], keepdims: 0 } },
      { op: 'Mul', inputs: ['feats', 'feats'], output: 'square' },
      { op: 'ReduceMean', inputs: ['square'], output: 'meanSquare', attributes: { axes: [1], keepdims: 0 } },
      { op: 'Mul', inputs: ['feats', 'zero'], output: 'zeros' },
      { op: 'Add', inputs: ['zeros', 'one'], output: 'ones' },
      { op: 'ReduceL1', inputs: ['ones'], output: 'frames', attributes: { axes: [1], keepdims: 0 } },
      { op: 'Concat', inputs: ['mean', 'meanSquare', 'frames'], output: 'embs', attributes: { axis: 1 } },
    ],
    metadata,
  });
}
