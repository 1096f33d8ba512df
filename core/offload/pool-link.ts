// The desktop's connection to the pool: one client for the settings in force, the circuit breaker,
// and what the pool last said about itself (GET /v1/pool, asked every few seconds while offload is
// on and work waits), which is what the placement policy weighs.
import { EventEmitter } from 'node:events';
import type { OffloadStatus } from '../../contracts/api';
import type { PoolStatus } from '../../contracts/cloud-api';
import { JobError, oneLine } from '../errors';
import { PoolClient, PoolRequestError } from '../pool/pool-client';
import { CircuitBreaker } from './circuit-breaker';
import { readCa, type PoolConnectionConfig } from './pool-credentials';

export interface PoolLinkOptions {
  config(): PoolConnectionConfig;
  /** Whether anything may go to the pool at all (offload not Off). */
  enabled(): boolean;
  /** Whether work waits or runs on the pool: then the pool is asked every `pollMs`, otherwise once a minute. */
  busy(): boolean;
  /** How often the pool is asked how it stands while work waits. */
  pollMs?: number;
  breaker?: CircuitBreaker;
  log(message: string): void;
}

type LinkEvents = { changed: [status: OffloadStatus] };

const IDLE_POLL_MS = 60_000;

export class PoolLink extends EventEmitter<LinkEvents> {
  readonly breaker: CircuitBreaker;
  private client: { key: string; client: PoolClient } | null = null;
  private pool: PoolStatus | null = null;
  private lastError: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private lastAsked = 0;
  private closed = false;

  constructor(private readonly options: PoolLinkOptions) {
    super();
    this.breaker = options.breaker ?? new CircuitBreaker();
  }

  /** Starts (or, offload turned off, stops) asking the pool how it stands. */
  sync(): void {
    if (!this.options.enabled()) {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
      return;
    }
    if (this.timer) return;
    this.timer = setInterval(() => {
      // Idle, a desktop asks once a minute (a thousand of them must not poll the gateway for nothing),
      // except to probe a pool that failed, when the breaker's pause is over.
      const now = Date.now();
      if (this.options.busy() || this.breaker.view(now).state !== 'closed' || now - this.lastAsked >= IDLE_POLL_MS) void this.refresh();
    }, this.options.pollMs ?? 5_000);
    this.timer.unref();
    void this.refresh();
  }

  /** A client for the connection in force, or null when it is not set up. */
  current(): PoolClient | null {
    const config = this.options.config();
    if (!config.url || !config.token) return null;
    const key = JSON.stringify([config.url, config.token, config.caPath]);
    if (this.client?.key !== key) {
      void this.client?.client.close();
      // Another pool, or another tenant: what the last one said no longer holds.
      this.pool = null;
      this.client = { key, client: new PoolClient({ url: config.url, token: config.token, ca: readCa(config.caPath) }) };
    }
    return this.client.client;
  }

  /** Whether work may be sent now: set up, and the breaker closed. */
  usable(now = Date.now()): boolean {
    if (!this.options.enabled() || this.breaker.view(now).state !== 'closed') return false;
    const config = this.options.config();
    return config.token !== null && config.url !== null;
  }

  /** What the pool reported last, while it is usable. */
  reported(): PoolStatus | null {
    return this.pool;
  }

  /** Asks the pool how it stands; a failure counts against the breaker. While the breaker is open, only its probe asks. */
  refresh(): Promise<void> {
    // Cleared once settled, never from inside: a check that returns at once would clear it before it is set.
    this.refreshing ??= this.askPool().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async askPool(): Promise<void> {
    this.lastAsked = Date.now();
    try {
      if (!this.options.enabled() || !this.breaker.allow(Date.now())) return;
      const client = this.current();
      if (!client) return;
      const pool = await client.status();
      if (this.closed) return;
      this.pool = pool;
      this.succeeded();
    } catch (error) {
      // An answer after close has nobody to tell (the library is closed too).
      if (!this.closed) this.failed(error);
    }
  }

  succeeded(): void {
    const changed = this.breaker.view(Date.now()).state !== 'closed' || this.lastError !== null;
    this.breaker.success();
    this.lastError = null;
    if (changed) this.options.log('[offload] the pool answers again');
    this.emit('changed', this.status());
  }

  failed(error: unknown): void {
    const before = this.breaker.view(Date.now()).state;
    this.breaker.failure(Date.now());
    this.lastError = describePoolError(error, this.options.config().url);
    const after = this.breaker.view(Date.now());
    if (after.state === 'open' && before !== 'open') this.options.log(`[offload] pool unavailable for ${Math.round(after.retryInMs / 1000)} s: ${this.lastError}`);
    this.emit('changed', this.status());
  }

  status(): OffloadStatus {
    const config = this.options.config();
    const breaker = this.breaker.view(Date.now());
    return {
      url: config.url,
      caPath: config.caPath,
      token: config.tokenFrom,
      breaker: { state: breaker.state, retryInSec: Math.ceil(breaker.retryInMs / 1000) },
      pool: this.pool,
      lastError: this.lastError,
    };
  }

  /** "Test connection": the pool's status with these values, or an error that says what is wrong. Sends no audio. */
  async test(config: { url: string | null; token: string | null; caPath: string | null }): Promise<PoolStatus> {
    if (!config.url) throw new JobError('Enter the pool’s address (https://…) first.', 'offload-not-set-up');
    if (!config.token) throw new JobError('Enter the pool’s token first.', 'offload-not-set-up');
    const client = new PoolClient({ url: config.url, token: config.token, ca: readCa(config.caPath) });
    try {
      return await client.status();
    } catch (error) {
      throw new JobError(describePoolError(error, config.url), error instanceof PoolRequestError && error.status === 401 ? 'pool-token-refused' : 'pool-unreachable');
    } finally {
      await client.close();
    }
  }

  /** Stops asking; a request still out is left to end on its own (nothing is done with its answer). */
  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    void this.client?.client.close();
  }
}

/** A pool failure as one sentence a user can act on. */
export function describePoolError(error: unknown, url: string | null): string {
  if (error instanceof JobError) return error.message;
  if (error instanceof PoolRequestError) {
    if (error.status === 401) return `The pool refused the token: ${error.message}`;
    if (error.status === 403) return `The pool does not allow this: ${error.message}`;
    if (error.status === 429) return `The pool is busy or your quota is used up: ${error.message}`;
    return `The pool answered ${error.status}: ${error.message}`;
  }
  const code = (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
  if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return `The pool’s certificate at ${url} is not trusted (${code}): choose its CA file in Settings ▸ Cloud offload.`;
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ECONNRESET') {
    return `Verbatim could not reach the pool at ${url} (${code}).`;
  }
  return `The pool could not be used: ${oneLine(error)}`;
}
