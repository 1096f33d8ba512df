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
  /** The catalog's pin: what arrives must be exactly this, whatever the server says of it. */
  expected: { size: number; sha256: string };
  dispatcher: Dispatcher;
  signal: AbortSignal;
  /** Called with bytes of this file received so far (including resumed ones) and its size once known. */
  onBytes(received: number, size: number): void;
}

/**
 * Downloads one file, resuming what an earlier attempt left, and proves it is the right file: its size
 * and sha256 are the catalog's. A server's own word on a file (ETag, X-Linked-Etag) is never trusted.
 */
export async function downloadFile(request: DownloadRequest): Promise<{ bytes: number; sha256: string }> {
  await mkdir(path.dirname(request.partialPath), { recursive: true });
  let have = await stat(request.partialPath).then((info) => info.size, () => 0);
  if (have > request.expected.size) {
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

  const { size } = request.expected;
  const sha256 = createHash('sha256');
  if (append) await hashFile(request.partialPath, sha256);

  let received = have;
  request.onBytes(received, size);
  if (response.status !== 416 && response.body) {
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        sha256.update(chunk);
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
  if (received !== size) {
    throw new JobError(`The download of ${name} stopped at ${received} of ${size} bytes; it will resume from there.`, 'download-failed', true);
  }
  if (digest !== request.expected.sha256) {
    await truncate(request.partialPath, 0);
    throw new JobError(`${name} arrived damaged (its checksum does not match); it will be downloaded again.`, 'checksum-mismatch', true);
  }
  return { bytes: received, sha256: digest };
}

async function hashFile(file: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
