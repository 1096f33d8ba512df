// A file dropped into the browser, copied into the library's uploads folder: the browser cannot say
// where the file is, so the core reads this copy. Sizes are checked before a byte is written.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm, statfs } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { formatBytes } from '../contracts/byte-size';

/** Left free on the library's disk after an upload: decoded audio and the library itself need room too. */
export const DISK_MARGIN_BYTES = 1e9;

/** An upload turned away, with the HTTP status and the sentence the user sees. */
export class UploadRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface UploadLimits {
  /** The largest file taken. */
  maxBytes: number;
  /** Bytes free on the disk holding `dir`. */
  freeBytes(dir: string): Promise<number>;
}

export const diskFreeBytes = async (dir: string): Promise<number> => {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
};

/** Why an upload of `bytes` cannot be taken, or null when it can. */
export function uploadRefusal(name: string, bytes: number | null, maxBytes: number, freeBytes: number): UploadRefused | null {
  if (bytes === null) return new UploadRefused(411, `“${name}” was sent without its size; the browser must say how large the file is.`);
  if (bytes > maxBytes) return new UploadRefused(413, `“${name}” is ${formatBytes(bytes)}; this web host takes files up to ${formatBytes(maxBytes)} (VERBATIM_UPLOAD_LIMIT).`);
  if (bytes + DISK_MARGIN_BYTES > freeBytes) {
    const needed = bytes + DISK_MARGIN_BYTES - freeBytes;
    return new UploadRefused(507, `Not enough disk space to import “${name}” (${formatBytes(bytes)}): free ${formatBytes(needed)} more on the library's disk.`);
  }
  return null;
}

/** Keeps the user's file name (spaces, quotes, any script) in a folder of its own. */
export async function saveUpload(request: http.IncomingMessage, name: string, uploadsDir: string, limits: UploadLimits): Promise<string> {
  const printable = [...name].filter((char) => char.charCodeAt(0) >= 0x20).join('');
  const baseName = path.basename(printable.replace(/[\\/]/g, '_'));
  const safeName = baseName && baseName !== '.' && baseName !== '..' ? baseName : 'upload';
  const declared = request.headers['content-length'] === undefined ? null : Number(request.headers['content-length']);
  await mkdir(uploadsDir, { recursive: true });
  const refusal = uploadRefusal(safeName, Number.isSafeInteger(declared) ? declared : null, limits.maxBytes, await limits.freeBytes(uploadsDir));
  if (refusal) throw refusal;
  const folder = path.join(uploadsDir, randomUUID());
  await mkdir(folder, { recursive: true });
  const target = path.join(folder, safeName);
  let received = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      // A body longer than it said: the size that was checked is not the size being written.
      done(received > declared! ? new UploadRefused(400, `“${safeName}” was longer than the size it was sent with.`) : null, chunk);
    },
  });
  try {
    await pipeline(request, counted, createWriteStream(target));
    if (received !== declared) throw new UploadRefused(400, `“${safeName}” arrived incomplete (${formatBytes(received)} of ${formatBytes(declared!)}).`);
  } catch (error) {
    // Nothing half-copied is left behind to be mistaken for the file.
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  return target;
}
