import { closeSync, fsync, fstatSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { promisify } from 'node:util';

const HEADER_BYTES = 44;
const fsyncAsync = promisify(fsync);

/** A canonical 44-byte header for 16-bit mono PCM holding `dataBytes` of samples. */
export function wavHeader(dataBytes: number, sampleRate: number): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

/**
 * A recording being written: audio is appended as it comes and made durable by sync(), which
 * also rewrites the header's sizes, so the file on disk is a valid WAV up to its last sync.
 */
export class WavRecording {
  private readonly fd: number;
  private dataBytes = 0;
  private syncedBytes = 0;

  constructor(
    readonly path: string,
    private readonly sampleRate: number,
  ) {
    this.fd = openSync(path, 'wx');
    writeSync(this.fd, wavHeader(0, sampleRate), 0, HEADER_BYTES, 0);
  }

  append(pcm: Uint8Array): void {
    writeSync(this.fd, pcm, 0, pcm.byteLength, HEADER_BYTES + this.dataBytes);
    this.dataBytes += pcm.byteLength;
  }

  get durationSec(): number {
    return this.dataBytes / 2 / this.sampleRate;
  }

  /** Flushes to the disk; resolves with the duration that is now durable. */
  async sync(): Promise<number> {
    const bytes = this.dataBytes;
    if (bytes !== this.syncedBytes) {
      writeSync(this.fd, wavHeader(bytes, this.sampleRate), 0, HEADER_BYTES, 0);
      await fsyncAsync(this.fd);
      this.syncedBytes = bytes;
    }
    return bytes / 2 / this.sampleRate;
  }

  async close(): Promise<number> {
    const durationSec = await this.sync();
    closeSync(this.fd);
    return durationSec;
  }
}

/**
 * A recording cut off by a crash: its header is rewritten from the file's length (a half sample at
 * the end is dropped). Returns the audio it holds, in seconds.
 */
export function repairWav(path: string, sampleRate: number): number {
  const fd = openSync(path, 'r+');
  try {
    const size = fstatSync(fd).size;
    const dataBytes = Math.max(0, size - HEADER_BYTES) & ~1;
    ftruncateSync(fd, HEADER_BYTES + dataBytes);
    writeSync(fd, wavHeader(dataBytes, sampleRate), 0, HEADER_BYTES, 0);
    return dataBytes / 2 / sampleRate;
  } finally {
    closeSync(fd);
  }
}
