import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fetch, type Dispatcher } from 'undici';
import { JobError } from '../errors';

export interface DownloadRequest {
  url: string;
  /** Where the bytes accumulate; an existing file is resumed with an HTTP Range request. */
  partialPath: string;
  expected: { size?: number; sha256?: string };
  dispatcher: Dispatcher;
  signal: AbortSignal;
  /** Called with bytes of this file received so far (including resumed ones) and its size once known. */
  onBytes(received: number, size: number | null): void;
}

/**
 * Downloads one file, resuming what an earlier attempt left, and proves it is the right file:
 * against the catalog's sha256 where it has one, else the sha256 Hugging Face states for LFS
 * files (X-Linked-Etag) or the git blob id it states for small ones (ETag).
 */
export async function downloadFile(request: DownloadRequest): Promise<{ bytes: number; sha256: string }> {
  await mkdir(path.dirname(request.partialPath), { recursive: true });
  let have = await stat(request.partialPath).then((info) => info.size, () => 0);
  if (request.expected.size !== undefined && have > request.expected.size) {
    await truncate(request.partialPath, 0);
    have = 0;
  }
  const response = await fetch(request.url, {
    dispatcher: request.dispatcher,
    signal: request.signal,
    headers: have > 0 ? { range: `bytes=${have}-` } : {},
    redirect: 'follow',
  }).catch((error: unknown) => {
    if (request.signal.aborted) throw error;
    throw new JobError(`Could not reach ${new URL(request.url).host} to download the model (${describe(error)}).`, 'download-failed', true);
  });

  let append = false;
  if (response.status === 416 && have > 0) {
    // The server has nothing past what we hold: the file was complete.
    await response.body?.cancel();
    append = true;
  } else if (response.status === 206 && have > 0) {
    append = true;
  } else if (response.status !== 200) {
    await response.body?.cancel();
    throw new JobError(`The model server answered ${response.status} for ${path.basename(new URL(request.url).pathname)}.`, 'download-failed', response.status >= 500);
  }
  if (!append) have = 0;

  const lengthHeader = Number(response.headers.get('content-length'));
  const size = request.expected.size ?? (Number.isFinite(lengthHeader) && response.status !== 416 ? have + lengthHeader : null);
  const stated = statedChecksum(response.headers);
  const sha256 = createHash('sha256');
  const gitBlob = stated?.kind === 'git-blob' && size !== null ? createHash('sha1') : null;
  if (gitBlob) gitBlob.update(`blob ${size ?? 0}\0`);
  if (append) await hashFile(request.partialPath, [sha256, ...(gitBlob ? [gitBlob] : [])]);

  let received = have;
  request.onBytes(received, size);
  if (response.status !== 416 && response.body) {
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        sha256.update(chunk);
        gitBlob?.update(chunk);
        received += chunk.length;
        request.onBytes(received, size);
        callback(null, chunk);
      },
    });
    await pipeline(Readable.fromWeb(response.body as never), counter, createWriteStream(request.partialPath, { flags: append ? 'a' : 'w' }), {
      signal: request.signal,
    }).catch((error: unknown) => {
      if (request.signal.aborted) throw error;
      const name = path.basename(new URL(request.url).pathname);
      throw new JobError(`The download of ${name} was interrupted (${describe(error)}); it will resume from there.`, 'download-failed', true);
    });
  }

  const digest = sha256.digest('hex');
  const name = path.basename(new URL(request.url).pathname);
  if (size !== null && received !== size) {
    throw new JobError(`The download of ${name} stopped at ${received} of ${size} bytes; it will resume from there.`, 'download-failed', true);
  }
  const expectedSha = request.expected.sha256 ?? (stated?.kind === 'sha256' ? stated.value : undefined);
  const mismatch =
    (expectedSha !== undefined && digest !== expectedSha) ||
    (expectedSha === undefined && gitBlob !== null && gitBlob.digest('hex') !== stated?.value);
  if (mismatch) {
    await truncate(request.partialPath, 0);
    throw new JobError(`${name} arrived damaged (its checksum does not match); it will be downloaded again.`, 'checksum-mismatch', true);
  }
  return { bytes: received, sha256: digest };
}

function statedChecksum(headers: Headers): { kind: 'sha256' | 'git-blob'; value: string } | null {
  const etag = (headers.get('x-linked-etag') ?? headers.get('etag') ?? '').replace(/^W\//, '').replaceAll('"', '');
  if (/^[0-9a-f]{64}$/.test(etag)) return { kind: 'sha256', value: etag };
  if (/^[0-9a-f]{40}$/.test(etag)) return { kind: 'git-blob', value: etag };
  return null;
}

async function hashFile(file: string, hashes: Hash[]): Promise<void> {
  for await (const chunk of createReadStream(file)) for (const hash of hashes) hash.update(chunk as Buffer);
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
