// Fair use: request rates per token (a minute's and an hour's), audio per tenant per UTC day, and a
// bound on the queue. Each refusal is a 429 that says when to try again.
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { PoolConfig } from '../config';
import { measuredSpeed, queueLoad, usedTodaySec } from '../db/jobs';
import type { Caller } from '../db/tenants';
import { liveWorkers } from '../job-status';
import { REDIS_PREFIX } from '../queues';
import { tooMany } from './http-error';

export class Limits {
  private readonly perMinute: RateLimiterRedis;
  private readonly perHour: RateLimiterRedis;

  constructor(
    private readonly config: PoolConfig,
    private readonly db: pg.Pool,
    private readonly redis: Redis,
  ) {
    this.perMinute = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${REDIS_PREFIX}:rate-minute`, points: config.ratePerMinute, duration: 60 });
    this.perHour = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${REDIS_PREFIX}:rate-hour`, points: config.ratePerHour, duration: 3600 });
  }

  async request(caller: Caller): Promise<void> {
    for (const [limiter, span] of [
      [this.perMinute, `${this.config.ratePerMinute} requests a minute`],
      [this.perHour, `${this.config.ratePerHour} requests an hour`],
    ] as const) {
      try {
        await limiter.consume(caller.tokenPrefix);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        throw tooMany('rate-limited', `This token may make ${span}; wait before the next request.`, error.msBeforeNext / 1000);
      }
    }
  }

  /** Before a new job: the tenant's daily audio, and room in the queue. */
  async newJob(caller: Caller, durationSec: number, queue: string): Promise<void> {
    const used = await usedTodaySec(this.db, caller.tenant.id);
    if (used + durationSec > caller.tenant.quotaAudioSecPerDay) {
      const now = new Date();
      const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
      const minutes = (sec: number) => `${Math.round(sec / 6) / 10} min`;
      throw tooMany(
        'quota-exceeded',
        `This tenant may submit ${minutes(caller.tenant.quotaAudioSecPerDay)} of audio a day (UTC); ${minutes(used)} are used and this file is ${minutes(durationSec)}.`,
        (midnight - now.getTime()) / 1000,
      );
    }
    const load = await queueLoad(this.db, queue);
    if (load.queued >= this.config.maxQueued) {
      const [speed, workers] = await Promise.all([measuredSpeed(this.db, queue), liveWorkers(this.redis, queue)]);
      // Until about one job's worth of audio has drained.
      const drainSec = speed ? load.audioAheadSec / Math.max(1, load.queued) / (speed * Math.max(1, workers)) : 60;
      throw tooMany('queue-full', `The pool's queue is full (${load.queued} jobs waiting); try again later or run it on your own machine.`, Math.min(drainSec, 3600));
    }
  }
}
