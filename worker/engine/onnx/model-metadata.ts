import { closeSync, openSync, readSync, statSync } from 'node:fs';

/**
 * The `metadata_props` of an ONNX file (ModelProto field 14): key → value strings, as exporters
 * (sherpa-onnx's among them) record a model's conventions — window size, feature scaling, framework.
 * onnxruntime-node does not expose them, so the top level of the protobuf is walked here; the
 * graph (field 7, nearly all of the file) is skipped without being read.
 */
export function onnxMetadata(file: string): Map<string, string> {
  const size = statSync(file).size;
  const fd = openSync(file, 'r');
  const metadata = new Map<string, string>();
  try {
    const read = (at: number, length: number): Buffer => {
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, at);
      return buffer;
    };
    let at = 0;
    while (at < size) {
      const head = read(at, Math.min(20, size - at));
      const [key, keyLength] = varint(head, 0);
      const field = Number(key >> 3n);
      const wire = Number(key & 7n);
      if (field === 0) throw new Error(`${file} is not an ONNX model (no protobuf field at byte ${at})`);
      let offset = keyLength;
      if (wire === 0) {
        offset += varint(head, offset)[1];
      } else if (wire === 1) offset += 8;
      else if (wire === 5) offset += 4;
      else if (wire === 2) {
        const [length, lengthBytes] = varint(head, offset);
        offset += lengthBytes;
        if (field === 14) {
          const entry = parseEntry(read(at + offset, Number(length)));
          if (entry) metadata.set(entry[0], entry[1]);
        }
        offset += Number(length);
      } else throw new Error(`${file} is not an ONNX model (protobuf wire type ${wire} at byte ${at})`);
      at += offset;
    }
  } finally {
    closeSync(fd);
  }
  return metadata;
}

function varint(buffer: Buffer, offset: number): [bigint, number] {
  let value = 0n;
  let shift = 0n;
  for (let i = offset; i < buffer.length; i++) {
    const byte = buffer[i]!;
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [value, i - offset + 1];
    shift += 7n;
  }
  throw new Error('truncated protobuf varint');
}

/** StringStringEntryProto: key = 1, value = 2. */
function parseEntry(buffer: Buffer): [string, string] | null {
  let key = '';
  let value = '';
  let at = 0;
  while (at < buffer.length) {
    const [tag, tagBytes] = varint(buffer, at);
    at += tagBytes;
    if (Number(tag & 7n) !== 2) return null;
    const [length, lengthBytes] = varint(buffer, at);
    at += lengthBytes;
    const text = buffer.toString('utf8', at, at + Number(length));
    at += Number(length);
    if (tag >> 3n === 1n) key = text;
    else if (tag >> 3n === 2n) value = text;
  }
  return key ? [key, value] : null;
}
