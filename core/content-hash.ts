import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

export type FileIdentity = { ok: true; sha256: string; sizeBytes: number } | { ok: false };

/**
 * sha256 of a file's bytes, streamed so memory stays flat and the event loop keeps serving the UI.
 * Unreadable files are not an error here: their job reports why when it runs.
 */
export async function identifyFile(file: string): Promise<FileIdentity> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return { ok: false };
    return { ok: true, sha256: await fileSha256(file), sizeBytes: info.size };
  } catch {
    return { ok: false };
  }
}

/** The hex sha256 of a file, streamed; throws when it cannot be read. */
export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
