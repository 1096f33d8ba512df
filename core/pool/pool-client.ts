// The desktop's side of the pool's API: every answer checked against contracts/cloud-api, uploads
// resumable with tus (a dropped connection resumes where it stopped), job events over SSE with
// Last-Event-ID, so a reconnect misses nothing.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
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
    this.dispatcher = new Agent({ connect: connection.ca ? { ca: connection.ca } : {}, keepAliveTimeout: 10_000 });
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
    } = {},
  ): Promise<{ uploadId: string; uploadUrl: string }> {
    const size = (await stat(file)).size;
    const sha256 = options.sha256 ?? (await fileSha256(file));
    return new Promise((resolve, reject) => {
      const upload = new Upload(createReadStream(file), {
        endpoint: `${this.base}${UPLOADS_PATH}`,
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
        removeFingerprintOnSuccess: true,
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
