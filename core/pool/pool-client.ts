// The desktop's side of the pool's API: every answer checked against contracts/cloud-api, uploads
// resumable with tus (a dropped connection resumes where it stopped), job events over SSE with
// Last-Event-ID, so a reconnect misses nothing.
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { DefaultHttpStack, Upload } from 'tus-js-client';
import { Agent, request, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { fileSha256 } from '../content-hash';
import {
  API_PREFIX,
  ErrorAnswer,
  JobList,
  JobResult,
  PoolJobView,
  PoolStatus,
  SubmitAnswer,
  UPLOADS_PATH,
  type JobSubmission,
} from '../../contracts/cloud-api';

export interface PoolConnection {
  /** https://host:port of the gateway. */
  url: string;
  token: string;
  /** PEM of a CA to trust besides the system's (a self-hosted pool). */
  ca?: string | null;
}

/** The pool refused or failed a request: its HTTP status, code and sentence, and when to retry (429). */
export class PoolRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSec: number | null = null,
  ) {
    super(message);
    this.name = 'PoolRequestError';
  }
}

const FINAL = new Set(['done', 'failed', 'canceled']);

export class PoolClient {
  private readonly dispatcher: Dispatcher;
  private readonly base: string;

  constructor(private readonly connection: PoolConnection) {
    this.base = connection.url.replace(/\/$/, '');
    // A pool that does not answer fails in seconds, not minutes: the desktop then runs the work itself.
    this.dispatcher = new Agent({ connect: { timeout: 10_000, ...(connection.ca ? { ca: connection.ca } : {}) }, headersTimeout: 20_000, keepAliveTimeout: 10_000 });
  }

  status(): Promise<PoolStatus> {
    return this.call('GET', `${API_PREFIX}/pool`, PoolStatus);
  }

  submit(submission: JobSubmission): Promise<SubmitAnswer> {
    return this.call('POST', `${API_PREFIX}/jobs`, SubmitAnswer, submission);
  }

  job(id: string): Promise<PoolJobView> {
    return this.call('GET', `${API_PREFIX}/jobs/${encodeURIComponent(id)}`, PoolJobView);
  }

  async jobs(): Promise<PoolJobView[]> {
    return (await this.call('GET', `${API_PREFIX}/jobs`, JobList)).jobs;
  }

  cancel(id: string): Promise<PoolJobView> {
    return this.call('DELETE', `${API_PREFIX}/jobs/${encodeURIComponent(id)}`, PoolJobView);
  }

  result(id: string): Promise<JobResult> {
    return this.call('GET', `${API_PREFIX}/jobs/${encodeURIComponent(id)}/result`, JobResult);
  }

  /**
   * Uploads a file with tus. Give `uploadUrl` (kept from `onUploadUrl` of an earlier try) to resume
   * one that stopped. Resolves with the upload's id once the pool has checked it.
   */
  async upload(
    file: string,
    options: {
      uploadUrl?: string | null;
      onUploadUrl?: (url: string) => void;
      onProgress?: (sentBytes: number, totalBytes: number) => void;
      signal?: AbortSignal;
      chunkSize?: number;
      sha256?: string;
      /** A cap on the upload's speed (a metered or shared uplink); none when absent. */
      bytesPerSec?: number | null;
    } = {},
  ): Promise<{ uploadId: string; uploadUrl: string }> {
    const size = (await stat(file)).size;
    const sha256 = options.sha256 ?? (await fileSha256(file));
    return new Promise((resolve, reject) => {
      // The input is the path: fileSlices (below) opens it, which tus' types do not foresee.
      const upload = new Upload(file as unknown as Buffer, {
        endpoint: `${this.base}${UPLOADS_PATH}`,
        fileReader: fileSlices(options.bytesPerSec ?? null),
        // Resuming is ours: the caller keeps the upload's URL (Verbatim in its library), not tus' fingerprint store.
        storeFingerprintForResuming: false,
        fingerprint: async () => `verbatim:${sha256}`,
        uploadUrl: options.uploadUrl ?? null,
        uploadSize: size,
        chunkSize: options.chunkSize ?? 8 * 1024 * 1024,
        metadata: { filename: path.basename(file).slice(0, 255), sha256 },
        headers: { authorization: `Bearer ${this.connection.token}` },
        httpStack: new DefaultHttpStack(this.connection.ca ? { ca: this.connection.ca } : {}),
        retryDelays: [0, 500, 1_000, 3_000, 5_000],
        // Retrying cannot fix a refusal (bad token, too big, not audio); a rate limit can wait.
        onShouldRetry: (error) => {
          const status = error.originalResponse?.getStatus() ?? 0;
          return status === 0 || status === 409 || status === 423 || status === 429 || status >= 500;
        },
        onUploadUrlAvailable: () => upload.url && options.onUploadUrl?.(upload.url),
        onProgress: (sent, total) => options.onProgress?.(sent, total),
        onError: (error) => {
          const response = (error as { originalResponse?: { getStatus(): number; getBody(): string } }).originalResponse;
          const status = response?.getStatus() ?? 0;
          reject(status ? new PoolRequestError(status, 'upload-refused', (response?.getBody() || error.message).trim()) : error);
        },
        onSuccess: () => {
          const uploadUrl = upload.url!;
          resolve({ uploadId: uploadUrl.split('/').pop()!, uploadUrl });
        },
      });
      options.signal?.addEventListener('abort', () => void upload.abort().then(() => reject(options.signal!.reason)), { once: true });
      upload.start();
    });
  }

  /** How many bytes of an upload the pool holds (tus HEAD): where a resumed upload goes on from. */
  async uploadOffset(uploadUrl: string): Promise<number> {
    const response = await request(uploadUrl, {
      method: 'HEAD',
      dispatcher: this.dispatcher,
      headers: { authorization: `Bearer ${this.connection.token}`, 'tus-resumable': '1.0.0' },
    });
    await response.body.dump();
    if (response.statusCode >= 400) throw new PoolRequestError(response.statusCode, `http-${response.statusCode}`, `The pool answered ${response.statusCode} for the upload.`);
    return Number(response.headers['upload-offset']);
  }

  /**
   * Follows a job over SSE until it finishes, reconnecting with Last-Event-ID after a dropped
   * connection; `onEvent` hears every change once.
   */
  async follow(id: string, onEvent: (view: PoolJobView) => void = () => undefined, signal?: AbortSignal): Promise<PoolJobView> {
    let lastEventId: string | null = null;
    let last: PoolJobView | null = null;
    for (let attempt = 0; ; attempt += 1) {
      signal?.throwIfAborted();
      try {
        const response = await request(`${this.base}${API_PREFIX}/jobs/${encodeURIComponent(id)}/events`, {
          dispatcher: this.dispatcher,
          headers: { authorization: `Bearer ${this.connection.token}`, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
          signal,
        });
        if (response.statusCode !== 200) throw await errorOf(response);
        let buffer = '';
        for await (const chunk of response.body) {
          buffer += chunk.toString();
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const lines = block.split('\n');
            const eventId = lines.find((line) => line.startsWith('id: '))?.slice(4);
            const data = lines.find((line) => line.startsWith('data: '))?.slice(6);
            if (!data) continue;
            if (eventId) lastEventId = eventId;
            last = PoolJobView.parse(JSON.parse(data));
            onEvent(last);
          }
        }
        if (last && FINAL.has(last.state)) return last;
      } catch (error) {
        if (error instanceof PoolRequestError && error.status < 500 && error.status !== 429) throw error;
        if (signal?.aborted) throw error;
      }
      // The stream ended early (a gateway restarting, a dropped connection): back, from the last event seen.
      await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 200 * 2 ** Math.min(attempt, 5))));
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private async call<T extends z.ZodType>(method: Dispatcher.HttpMethod, route: string, schema: T, body?: unknown): Promise<z.infer<T>> {
    const response = await request(`${this.base}${route}`, {
      method,
      dispatcher: this.dispatcher,
      headers: { authorization: `Bearer ${this.connection.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.statusCode >= 400) throw await errorOf(response);
    return schema.parse(await response.body.json());
  }
}

/**
 * tus' source for a file: each chunk read from its offset (a resumed upload reads nothing it
 * skips), paced when a speed cap is set.
 */
function fileSlices(bytesPerSec: number | null): NonNullable<ConstructorParameters<typeof Upload>[1]['fileReader']> {
  return {
    async openFile(input: string) {
      const handle = await open(input, 'r');
      const { size } = await handle.stat();
      const startedAt = Date.now();
      let read = 0;
      return {
        size,
        async slice(start: number, end: number) {
          const length = Math.max(0, Math.min(end, size) - start);
          if (bytesPerSec) {
            const dueMs = ((read + length) / bytesPerSec) * 1000 - (Date.now() - startedAt);
            if (dueMs > 0) await new Promise((resolve) => setTimeout(resolve, dueMs));
          }
          const buffer = Buffer.alloc(length);
          await handle.read(buffer, 0, length, start);
          read += length;
          // tus' Node HTTP stack reads the body's length from `size`.
          return { value: Object.assign(buffer, { size: length }), done: start + length >= size };
        },
        close: () => void handle.close(),
      };
    },
  };
}

async function errorOf(response: Dispatcher.ResponseData): Promise<PoolRequestError> {
  const text = await response.body.text();
  const retryAfter = Number(response.headers['retry-after']);
  let code = `http-${response.statusCode}`;
  let message = text.trim() || `The pool answered ${response.statusCode}.`;
  try {
    const parsed = ErrorAnswer.safeParse(JSON.parse(text));
    if (parsed.success) ({ code, message } = parsed.data.error);
  } catch {
    // Not JSON: the text is the message.
  }
  return new PoolRequestError(response.statusCode, code, message, Number.isFinite(retryAfter) ? retryAfter : null);
}
