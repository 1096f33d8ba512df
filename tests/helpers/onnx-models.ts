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
    AttributeProto: {
      fields: { name: { type: 'string', id: 1 }, i: { type: 'int64', id: 3 }, s: { type: 'bytes', id: 4 }, ints: { rule: 'repeated', type: 'int64', id: 8 }, type: { type: 'int32', id: 20 } },
    },
    TensorProto: { fields: { dims: { rule: 'repeated', type: 'int64', id: 1 }, dataType: { type: 'int32', id: 2 }, name: { type: 'string', id: 8 }, rawData: { type: 'bytes', id: 9 } } },
    ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
    TypeProto: { fields: { tensorType: { type: 'TensorTypeProto', id: 1 } } },
    TensorTypeProto: { fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } },
    TensorShapeProto: { fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } } },
    Dimension: { fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } } },
  },
});

const FLOAT = 1;
const INT64 = 7;
const ATTRIBUTE = { INT: 2, STRING: 3, INTS: 7 } as const;
type Attribute = number | number[] | string;

interface GraphSpec {
  inputs: Array<{ name: string; dims: Array<number | string> }>;
  outputs: Array<{ name: string; dims: Array<number | string> }>;
  /** Float32 unless `int64` (shapes for Reshape). */
  initializers: Record<string, { dims: number[]; values: ArrayLike<number>; int64?: boolean }>;
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
    initializer: Object.entries(spec.initializers).map(([name, { dims, values, int64 }]) => ({
      name,
      dims,
      dataType: int64 ? INT64 : FLOAT,
      rawData: Buffer.from((int64 ? BigInt64Array.from(Array.from(values), BigInt) : Float32Array.from(values)).buffer),
    })),
    node: spec.nodes.map((node, index) => ({
      name: `n${index}`,
      opType: node.op,
      input: node.inputs,
      output: [node.output],
      attribute: Object.entries(node.attributes ?? {}).map(([name, value]) =>
        typeof value === 'string'
          ? { name, s: Buffer.from(value), type: ATTRIBUTE.STRING }
          : Array.isArray(value)
            ? { name, ints: value, type: ATTRIBUTE.INTS }
            : { name, i: value, type: ATTRIBUTE.INT },
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

/** Deterministic weights of a sensible scale (±1/√fan-in): the values do not matter, only the work they cost. */
function weights(count: number, fanIn: number, seed: number): Float32Array {
  const scale = 1 / Math.sqrt(fanIn);
  return Float32Array.from({ length: count }, (_, i) => Math.sin((i + 1) * 12.9898 + seed * 78.233) * scale);
}

/**
 * pyannote segmentation-3.0's size and shape of work — SincNet-like convolutions on the waveform
 * (80 filters of 251 taps, stride 10), three max-pools, four bidirectional LSTM layers of 128,
 * three linear layers: 1.47 M parameters, as the real one — whose answer is still
 * energySegmentationModel's rule (the network's output is added times zero), so a benchmark on
 * real speech embeds what real speech would make it embed.
 */
export function realSizeSegmentationModel(): Uint8Array {
  const lstm = (index: number, input: number) => ({
    [`W${index}`]: { dims: [2, 512, input], values: weights(2 * 512 * input, input, index * 3 + 1) },
    [`R${index}`]: { dims: [2, 512, 128], values: weights(2 * 512 * 128, 128, index * 3 + 2) },
    [`B${index}`]: { dims: [2, 1024], values: new Float32Array(2 * 1024) },
  });
  const layers = [0, 1, 2, 3];
  return onnxModel({
    inputs: [{ name: 'x', dims: ['N', 1, 'T'] }],
    outputs: [{ name: 'y', dims: ['N', 'frames', 7] }],
    initializers: {
      average: { dims: [1, 1, 991], values: new Float32Array(991).fill(1 / 991) },
      zero: { dims: [1], values: [0] },
      slope: { dims: [7, 1, 1], values: [-1e5, 1e5, 0, 0, 0, 0, 0] },
      bias: { dims: [7], values: [10, -10, -50, -50, -50, -50, -50] },
      sinc: { dims: [80, 1, 251], values: weights(80 * 251, 251, 11) },
      conv2: { dims: [60, 80, 5], values: weights(60 * 80 * 5, 400, 12) },
      conv3: { dims: [60, 60, 5], values: weights(60 * 60 * 5, 300, 13) },
      ...Object.assign({}, ...layers.map((index) => lstm(index, index === 0 ? 60 : 256))),
      stacked: { dims: [3], values: [0, 0, 256], int64: true },
      linear1: { dims: [256, 128], values: weights(256 * 128, 256, 21) },
      linear2: { dims: [128, 128], values: weights(128 * 128, 128, 22) },
      classifier: { dims: [128, 7], values: weights(128 * 7, 128, 23) },
    },
    nodes: [
      // The network: [N, 1, T] → [N, 60, 589] → LSTMs over 589 frames → [N, 589, 7].
      { op: 'Conv', inputs: ['x', 'sinc'], output: 's1', attributes: { strides: [10] } },
      { op: 'Abs', inputs: ['s1'], output: 's1a' },
      { op: 'MaxPool', inputs: ['s1a'], output: 'p1', attributes: { kernel_shape: [3], strides: [3] } },
      { op: 'Conv', inputs: ['p1', 'conv2'], output: 's2' },
      { op: 'MaxPool', inputs: ['s2'], output: 'p2', attributes: { kernel_shape: [3], strides: [3] } },
      { op: 'Conv', inputs: ['p2', 'conv3'], output: 's3' },
      { op: 'MaxPool', inputs: ['s3'], output: 'p3', attributes: { kernel_shape: [3], strides: [3] } },
      { op: 'Transpose', inputs: ['p3'], output: 'seq0', attributes: { perm: [2, 0, 1] } },
      ...layers.flatMap((index): GraphSpec['nodes'] => [
        { op: 'LSTM', inputs: [`seq${index}`, `W${index}`, `R${index}`, `B${index}`], output: `lstm${index}`, attributes: { hidden_size: 128, direction: 'bidirectional' } },
        { op: 'Transpose', inputs: [`lstm${index}`], output: `t${index}`, attributes: { perm: [0, 2, 1, 3] } },
        { op: 'Reshape', inputs: [`t${index}`, 'stacked'], output: `seq${index + 1}` },
      ]),
      { op: 'MatMul', inputs: ['seq4', 'linear1'], output: 'h1' },
      { op: 'Relu', inputs: ['h1'], output: 'h1r' },
      { op: 'MatMul', inputs: ['h1r', 'linear2'], output: 'h2' },
      { op: 'Relu', inputs: ['h2'], output: 'h2r' },
      { op: 'MatMul', inputs: ['h2r', 'classifier'], output: 'h3' },
      { op: 'Transpose', inputs: ['h3'], output: 'network', attributes: { perm: [1, 0, 2] } },
      { op: 'Mul', inputs: ['network', 'zero'], output: 'unused' },
      // The answer: energySegmentationModel's rule.
      { op: 'Mul', inputs: ['x', 'x'], output: 'square' },
      { op: 'Conv', inputs: ['square', 'average', 'zero'], output: 'energy', attributes: { strides: [270] } },
      { op: 'Conv', inputs: ['energy', 'slope', 'bias'], output: 'scores' },
      { op: 'Transpose', inputs: ['scores'], output: 'frames', attributes: { perm: [0, 2, 1] } },
      { op: 'Add', inputs: ['frames', 'unused'], output: 'logits' },
      { op: 'LogSoftmax', inputs: ['logits'], output: 'y', attributes: { axis: 2 } },
    ],
    metadata: SEGMENTATION_METADATA,
  });
}

/**
 * WeSpeaker CAM++'s size and work — 7.4 M parameters, 1.18 GFLOPs per 2 s of features (CAM++:
 * 7.18 M, 1.15 G) — as four 1-D convolutions of 560 channels over time, mean pooling and a wide
 * projection; WeSpeaker's signature and metadata.
 */
export function realSizeEmbeddingModel(): Uint8Array {
  const width = 560;
  return onnxModel({
    inputs: [{ name: 'feats', dims: ['B', 'T', 80] }],
    outputs: [{ name: 'embs', dims: ['B', 512] }],
    initializers: {
      c0: { dims: [width, 80, 3], values: weights(width * 80 * 3, 240, 31) },
      c1: { dims: [width, width, 3], values: weights(width * width * 3, width * 3, 32) },
      c2: { dims: [width, width, 3], values: weights(width * width * 3, width * 3, 33) },
      c3: { dims: [width, width, 3], values: weights(width * width * 3, width * 3, 34) },
      up: { dims: [width, 4000], values: weights(width * 4000, width, 35) },
      down: { dims: [4000, 512], values: weights(4000 * 512, 4000, 36) },
    },
    nodes: [
      { op: 'Transpose', inputs: ['feats'], output: 'x', attributes: { perm: [0, 2, 1] } },
      { op: 'Conv', inputs: ['x', 'c0'], output: 'a0', attributes: { pads: [1, 1] } },
      { op: 'Relu', inputs: ['a0'], output: 'r0' },
      { op: 'Conv', inputs: ['r0', 'c1'], output: 'a1', attributes: { pads: [1, 1] } },
      { op: 'Relu', inputs: ['a1'], output: 'r1' },
      { op: 'Conv', inputs: ['r1', 'c2'], output: 'a2', attributes: { pads: [1, 1] } },
      { op: 'Relu', inputs: ['a2'], output: 'r2' },
      { op: 'Conv', inputs: ['r2', 'c3'], output: 'a3', attributes: { pads: [1, 1] } },
      { op: 'ReduceMean', inputs: ['a3'], output: 'pooled', attributes: { axes: [2], keepdims: 0 } },
      { op: 'MatMul', inputs: ['pooled', 'up'], output: 'wide' },
      { op: 'Relu', inputs: ['wide'], output: 'wider' },
      { op: 'MatMul', inputs: ['wider', 'down'], output: 'embs' },
    ],
    metadata: { ...EMBEDDING_METADATA.wespeaker, output_dim: 512 },
  });
}
