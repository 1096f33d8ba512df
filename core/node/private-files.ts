// Recordings, transcripts, the library, uploads and logs are their owner's alone: every process that writes
// them starts with this, so each folder it makes is 0700 and each file 0600 whatever the user's umask.
import { chmodSync, existsSync } from 'node:fs';

export function keepFilesPrivate(): void {
  process.umask(0o077);
}

/** A file made before this process tightened its umask (an older library, say) is tightened too. */
export function makePrivate(...files: string[]): void {
  for (const file of files) if (existsSync(file)) chmodSync(file, 0o600);
}
