import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { rangeResponse, type AudioResponse } from './byte-ranges';

/** The decoded cache's layout: 16 kHz mono float32 (worker/pipeline/decode.ts). */
const SAMPLE_RATE = 16_000;
const CACHE_BYTES_PER_SAMPLE = 4;
/** Served as 16-bit PCM: half the bytes, and every player reads it. */
const WAV_BYTES_PER_SAMPLE = 2;
const HEADER_BYTES = 44;

/**
 * The decoded cache served as a WAV file, with HTTP ranges so the player can seek anywhere in a
 * long recording without reading it all. The bytes are converted as they are read: memory stays
 * flat whatever the length, and the times the player shows are exactly the transcript's.
 */
export async function pcmAsWav(pcmPath: string, rangeHeader: string | undefined): Promise<AudioResponse> {
  const samples = Math.floor((await stat(pcmPath)).size / CACHE_BYTES_PER_SAMPLE);
  const total = HEADER_BYTES + samples * WAV_BYTES_PER_SAMPLE;
  return rangeResponse(total, 'audio/wav', rangeHeader, (start, end) => Readable.from(wavBytes(pcmPath, samples, start, end)));
}

export function wavHeader(samples: number): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  const dataBytes = samples * WAV_BYTES_PER_SAMPLE;
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // integer PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(SAMPLE_RATE, 24);
  header.writeUInt32LE(SAMPLE_RATE * WAV_BYTES_PER_SAMPLE, 28);
  header.writeUInt16LE(WAV_BYTES_PER_SAMPLE, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

/** Bytes [start, end] of the virtual WAV file. */
async function* wavBytes(pcmPath: string, samples: number, start: number, end: number): AsyncGenerator<Buffer> {
  if (start < HEADER_BYTES) yield wavHeader(samples).subarray(start, Math.min(end + 1, HEADER_BYTES));
  if (end < HEADER_BYTES) return;
  const firstSample = Math.floor((Math.max(start, HEADER_BYTES) - HEADER_BYTES) / WAV_BYTES_PER_SAMPLE);
  const lastSample = Math.floor((end - HEADER_BYTES) / WAV_BYTES_PER_SAMPLE);
  // A range may start or end inside a sample: skip that many bytes of the first, stop within the last.
  let skip = Math.max(start, HEADER_BYTES) - HEADER_BYTES - firstSample * WAV_BYTES_PER_SAMPLE;
  let remaining = end + 1 - Math.max(start, HEADER_BYTES);
  let carry: Buffer = Buffer.alloc(0);
  const source = createReadStream(pcmPath, { start: firstSample * CACHE_BYTES_PER_SAMPLE, end: (lastSample + 1) * CACHE_BYTES_PER_SAMPLE - 1 });
  for await (const chunk of source as AsyncIterable<Buffer>) {
    const bytes = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const whole = Math.floor(bytes.length / CACHE_BYTES_PER_SAMPLE);
    carry = bytes.subarray(whole * CACHE_BYTES_PER_SAMPLE);
    let out: Buffer = Buffer.alloc(whole * WAV_BYTES_PER_SAMPLE);
    for (let i = 0; i < whole; i++) {
      const value = Math.max(-1, Math.min(1, bytes.readFloatLE(i * CACHE_BYTES_PER_SAMPLE)));
      out.writeInt16LE(Math.round(value * 32767), i * WAV_BYTES_PER_SAMPLE);
    }
    if (skip) {
      out = out.subarray(skip);
      skip = 0;
    }
    out = out.subarray(0, remaining);
    remaining -= out.length;
    if (out.length) yield out;
    if (remaining <= 0) return;
  }
}
