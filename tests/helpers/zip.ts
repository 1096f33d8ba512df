import { inflateRawSync } from 'node:zlib';

/** One file of a ZIP archive (a DOCX), read from its local headers. */
export function zipEntry(zip: Buffer, name: string): string {
  for (let offset = 0; zip.readUInt32LE(offset) === 0x04034b50; ) {
    const method = zip.readUInt16LE(offset + 8);
    const size = zip.readUInt32LE(offset + 18);
    const nameLength = zip.readUInt16LE(offset + 26);
    const extra = zip.readUInt16LE(offset + 28);
    const start = offset + 30 + nameLength + extra;
    if (zip.toString('utf8', offset + 30, offset + 30 + nameLength) === name) {
      const data = zip.subarray(start, start + size);
      return (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    }
    offset = start + size;
  }
  throw new Error(`${name} is not in the archive`);
}
