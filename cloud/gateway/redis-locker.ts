// tus's upload lock, held in Redis so every gateway instance honours it: a PATCH that resumes an
// upload on one gateway waits for the one still running on another, which is asked to let go.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ERRORS, type Lock, type Locker, type RequestRelease } from '@tus/utils';
import { REDIS_PREFIX } from '../queues';

const RELEASE_CHANNEL = `${REDIS_PREFIX}:upload-lock-release`;
const LOCK_MS = 30_000;
const RETRY_MS = 50;

const UNLOCK_IF_OURS = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const EXTEND_IF_OURS = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

export class RedisLocker implements Locker {
  /** Locks this process holds, with the callback that asks their request to stop. */
  readonly held = new Map<string, RequestRelease>();

  constructor(
    readonly redis: Redis,
    private readonly subscriber: Redis,
  ) {
    subscriber.on('message', (channel: string, id: string) => {
      if (channel === RELEASE_CHANNEL) void this.held.get(id)?.();
    });
  }

  async start(): Promise<void> {
    await this.subscriber.subscribe(RELEASE_CHANNEL);
  }

  newLock(id: string): Lock {
    return new RedisLock(this, id);
  }

  async close(): Promise<void> {
    await this.subscriber.quit().catch(() => undefined);
  }
}

class RedisLock implements Lock {
  private readonly token = randomUUID();
  private renewal?: NodeJS.Timeout;
  private readonly key: string;

  constructor(
    private readonly locker: RedisLocker,
    private readonly id: string,
  ) {
    this.key = `${REDIS_PREFIX}:upload-lock:${id}`;
  }

  async lock(signal: AbortSignal, cancelReq: RequestRelease): Promise<void> {
    const { redis } = this.locker;
    for (;;) {
      if (signal.aborted) throw ERRORS.ERR_LOCK_TIMEOUT;
      if ((await redis.set(this.key, this.token, 'PX', LOCK_MS, 'NX')) === 'OK') break;
      // Someone holds it (perhaps a request whose client has gone): ask them to finish.
      await redis.publish(RELEASE_CHANNEL, this.id);
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
    this.locker.held.set(this.id, cancelReq);
    // Kept while the request runs; a gateway that dies lets it lapse within LOCK_MS.
    this.renewal = setInterval(() => void redis.eval(EXTEND_IF_OURS, 1, this.key, this.token, LOCK_MS).catch(() => undefined), LOCK_MS / 3);
  }

  async unlock(): Promise<void> {
    clearInterval(this.renewal);
    if (this.locker.held.get(this.id)) this.locker.held.delete(this.id);
    await this.locker.redis.eval(UNLOCK_IF_OURS, 1, this.key, this.token);
  }
}
