// Room on the library's disk for a job's decoded audio: checked before a job starts, so a full disk holds
// the queue with one message instead of failing every file in turn.
import { statfs } from 'node:fs/promises';
import path from 'node:path';
import { formatBytes } from '../../contracts/byte-size';
import { JobError } from '../errors';

/** Decoded audio: 16 kHz mono float32. */
const PCM_BYTES_PER_SEC = 64_000;
/** Left free besides: the library, its backups and logs need room too. */
export const DISK_MARGIN_BYTES = 500e6;

/** The queue holds until this much more is free; not the job's fault, so it costs no attempt. */
export class DiskFullError extends JobError {
  constructor(
    readonly shortBytes: number,
    folder: string,
  ) {
    super(`The disk is full: free ${formatBytes(shortBytes)} on the disk that holds ${folder} and the queue carries on by itself.`, 'disk-full');
  }
}

/** Bytes to free before a job of `audioSec` can run, 0 when there is room. */
export function diskShortfall(freeBytes: number, audioSec: number): number {
  return Math.max(0, audioSec * PCM_BYTES_PER_SEC + DISK_MARGIN_BYTES - freeBytes);
}

/** Free bytes on the disk holding `dir`, or the nearest folder above it that exists (it is the engine's to create). */
export async function freeBytesAt(dir: string): Promise<number> {
  for (let folder = path.resolve(dir); ; folder = path.dirname(folder)) {
    try {
      const stats = await statfs(folder);
      return stats.bavail * stats.bsize;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(folder) === folder) throw error;
    }
  }
}

/** The engine's own words when a write found the disk full. */
export function isDiskFull(error: unknown): boolean {
  return /ENOSPC|No space left on device/i.test(error instanceof Error ? error.message : String(error));
}
