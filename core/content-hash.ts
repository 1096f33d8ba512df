import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { JobError } from './errors';

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

/**
 * Refuses a file whose bytes are no longer those it was added with (edited, re-exported, or still being
 * written then): a transcript must be of the recording the library holds, whose length, waveform and
 * speech it already knows. A file gone or unreadable is left for the decoder to explain, with the reason.
 */
export async function checkUnchanged(file: string, sha256: string | null): Promise<void> {
  if (sha256 === null) return;
  const now = await identifyFile(file);
  if (now.ok && now.sha256 !== sha256) {
    throw new JobError(`“${path.basename(file)}” has changed since it was added. Retry transcribes it as it is now.`, 'file-changed');
  }
}

/** The hex sha256 of a file, streamed; throws when it cannot be read. */
export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
