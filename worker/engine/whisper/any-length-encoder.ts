import protobuf from 'protobufjs/minimal';

/**
 * Whisper's encoder, as Hugging Face exports it, adds its whole table of 1,500 positions to the
 * audio's frames, so it only takes a padded 30 s window: a 3 s voice memo pays ten times the encoder
 * work it needs. OpenAI's model itself has no such limit (whisper.cpp's audio context and
 * sherpa-onnx's export slice the table to the audio's length: `positional_embedding[:x.shape[1]]`).
 * This makes the same change to the exported graph, working on its protobuf fields as bytes (this
 * code does not carry ONNX's whole schema, and copies what it does not change as it is):
 *  - the one Add that takes the position table gets, in place of the table's name, a new name of the
 *    same byte length, so the node's bytes keep their length;
 *  - three nodes make that name: the table sliced to the frames' count (Shape → Slice → Slice);
 *  - the graph's outputs other than `last_hidden_state` go: the export also returns every layer's
 *    attention maps, which nothing reads and which ONNX Runtime keeps to the end of each run (350 MB
 *    of whisper-base's peak at a full window, and a sixth of its time).
 * Returns null when the graph is not of that shape (another exporter's) or not readable: the caller
 * keeps 30 s windows.
 */
export function anyLengthEncoder(model: Uint8Array, positions = 1500): Uint8Array | null {
  try {
    return withSlicedPositions(model, positions);
  } catch {
    // Not a model this can read (damaged): opening it says what is wrong.
    return null;
  }
}

/** The encoder's output the engine reads. */
const HIDDEN_STATE = 'last_hidden_state';

function withSlicedPositions(model: Uint8Array, positions: number): Uint8Array | null {
  const top = fields(model, 0, model.length);
  const graphs = top.filter((field) => field.number === MODEL_GRAPH && field.wire === LENGTH_DELIMITED);
  if (graphs.length !== 1) return null;
  const graph = graphs[0]!;
  const tables = new Set<string>();
  const names = new Set<string>();
  const adds: Array<{ inputs: Array<{ name: string; start: number; end: number }> }> = [];
  const graphFields = fields(model, graph.start, graph.end);
  const unread = new Set<Field>();
  for (const field of graphFields) {
    if (field.wire !== LENGTH_DELIMITED) continue;
    if (field.number === GRAPH_INITIALIZER) {
      const tensor = readTensor(model, field.start, field.end);
      names.add(tensor.name);
      if (tensor.dims.length === 2 && tensor.dims[0] === positions) tables.add(tensor.name);
    } else if (field.number === GRAPH_NODE) {
      const node = readNode(model, field.start, field.end);
      for (const input of node.inputs) names.add(input.name);
      for (const output of node.outputs) names.add(output);
      if (node.opType === 'Add') adds.push(node);
    } else if (field.number === GRAPH_OUTPUT) {
      const name = fields(model, field.start, field.end).find((inner) => inner.number === 1 && inner.wire === LENGTH_DELIMITED);
      if (name && text(model, name) !== HIDDEN_STATE) unread.add(field);
    }
  }
  const uses = adds.flatMap((node) => {
    const table = node.inputs.find((input) => tables.has(input.name));
    const frames = node.inputs.find((input) => !tables.has(input.name));
    return table && frames && node.inputs.length === 2 ? [{ table, frames: frames.name }] : [];
  });
  const outputs = graphFields.filter((field) => field.number === GRAPH_OUTPUT).length;
  if (uses.length !== 1 || outputs - unread.size !== 1) return null;
  const { table, frames } = uses[0]!;
  const sliced = uniqueName(table.name, names);
  if (sliced === null) return null;

  // A copy: a Buffer's slice would share, and change, the caller's bytes.
  const renamed = Uint8Array.from(model.subarray(graph.start, graph.end));
  renamed.set(Buffer.from(sliced, 'utf8'), table.start - graph.start);
  const kept = graphFields.filter((field) => !unread.has(field)).map((field) => renamed.subarray(field.tagStart - graph.start, field.end - graph.start));
  const graphWriter = protobuf.Writer.create();
  const node = (opType: string, inputs: string[], output: string) => {
    const writer = protobuf.Writer.create();
    for (const input of inputs) writer.uint32((1 << 3) | LENGTH_DELIMITED).string(input);
    writer.uint32((2 << 3) | LENGTH_DELIMITED).string(output);
    writer.uint32((3 << 3) | LENGTH_DELIMITED).string(output);
    writer.uint32((4 << 3) | LENGTH_DELIMITED).string(opType);
    graphWriter.uint32((GRAPH_NODE << 3) | LENGTH_DELIMITED).bytes(writer.finish());
  };
  const constant = (name: string, value: number) => {
    const writer = protobuf.Writer.create();
    writer.uint32((1 << 3) | 0).int64(1); // dims: [1]
    writer.uint32((2 << 3) | 0).int32(INT64);
    writer.uint32((8 << 3) | LENGTH_DELIMITED).string(name);
    writer.uint32((9 << 3) | LENGTH_DELIMITED).bytes(new Uint8Array(new BigInt64Array([BigInt(value)]).buffer));
    graphWriter.uint32((GRAPH_INITIALIZER << 3) | LENGTH_DELIMITED).bytes(writer.finish());
  };
  const shape = `${sliced}/shape`;
  const count = `${sliced}/count`;
  constant(`${sliced}/0`, 0);
  constant(`${sliced}/1`, 1);
  constant(`${sliced}/2`, 2);
  node('Shape', [frames], shape);
  node('Slice', [shape, `${sliced}/1`, `${sliced}/2`], count);
  node('Slice', [table.name, `${sliced}/0`, count, `${sliced}/0`], sliced);

  // The new nodes first: ONNX Runtime wants a node's inputs made before it.
  const graphBytes = Buffer.concat([graphWriter.finish(), ...kept]);
  const graphKey = protobuf.Writer.create().uint32((MODEL_GRAPH << 3) | LENGTH_DELIMITED).uint32(graphBytes.length).finish();
  return Buffer.concat(top.flatMap((field) => (field === graph ? [graphKey, graphBytes] : [model.subarray(field.tagStart, field.end)])));
}

// Field numbers from onnx/onnx.proto.
const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const GRAPH_OUTPUT = 12;
const INT64 = 7;
const LENGTH_DELIMITED = 2;

interface Field {
  number: number;
  wire: number;
  /** Where the field's key begins. */
  tagStart: number;
  /** The payload's bytes, for a length-delimited field. */
  start: number;
  end: number;
}

function fields(bytes: Uint8Array, start: number, end: number): Field[] {
  const reader = protobuf.Reader.create(bytes.subarray(0, end));
  reader.pos = start;
  const out: Field[] = [];
  while (reader.pos < end) {
    const tagStart = reader.pos;
    const key = reader.uint32();
    const field = { number: key >>> 3, wire: key & 7, tagStart, start: reader.pos, end: reader.pos };
    if (field.wire === LENGTH_DELIMITED) {
      const length = reader.uint32();
      field.start = reader.pos;
      field.end = reader.pos + length;
      // A length past its message is a damaged file: never read beyond the bytes given.
      if (field.end > end) throw new RangeError('A field runs past its message.');
      reader.pos = field.end;
    } else {
      reader.skipType(field.wire);
      field.end = reader.pos;
    }
    out.push(field);
  }
  return out;
}

function text(bytes: Uint8Array, field: Field): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + field.start, field.end - field.start).toString('utf8');
}

function readNode(bytes: Uint8Array, start: number, end: number) {
  const node = { opType: '', inputs: [] as Array<{ name: string; start: number; end: number }>, outputs: [] as string[] };
  for (const field of fields(bytes, start, end)) {
    if (field.wire !== LENGTH_DELIMITED) continue;
    if (field.number === 1) node.inputs.push({ name: text(bytes, field), start: field.start, end: field.end });
    else if (field.number === 2) node.outputs.push(text(bytes, field));
    else if (field.number === 4) node.opType = text(bytes, field);
  }
  return node;
}

function readTensor(bytes: Uint8Array, start: number, end: number): { name: string; dims: number[] } {
  const tensor = { name: '', dims: [] as number[] };
  for (const field of fields(bytes, start, end)) {
    if (field.number === 8 && field.wire === LENGTH_DELIMITED) tensor.name = text(bytes, field);
    else if (field.number === 1 && field.wire === 0) {
      const reader = protobuf.Reader.create(bytes.subarray(0, end));
      reader.pos = field.start;
      tensor.dims.push(toNumber(reader.int64()));
    } else if (field.number === 1 && field.wire === LENGTH_DELIMITED) {
      // Packed dims.
      const reader = protobuf.Reader.create(bytes.subarray(0, field.end));
      reader.pos = field.start;
      while (reader.pos < field.end) tensor.dims.push(toNumber(reader.int64()));
    }
  }
  return tensor;
}

/** A varint int64 as a number: protobufjs gives a Long where the long package is installed. */
function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(String(value));
}

/** A name of `name`'s byte length that the graph does not use yet. */
function uniqueName(name: string, taken: ReadonlySet<string>): string | null {
  const length = Buffer.byteLength(name, 'utf8');
  for (const fill of ['~', '^', '!', '=']) {
    const candidate = fill.repeat(length);
    if (!taken.has(candidate) && ![...taken].some((used) => used.startsWith(`${candidate}/`))) return candidate;
  }
  return null;
}
