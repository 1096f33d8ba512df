// What every gateway route shares: the settings, PostgreSQL, Redis, the queues and the event hub.
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import pg from 'pg';
import pino from 'pino';
import type { PoolConfig } from '../config';
import { migrate } from '../db/migrations';
import { JobEventHub } from '../job-events';
import { LIGHT_QUEUE, REDIS_PREFIX, redisConnection, transcribeQueue } from '../queues';

export interface GatewayContext {
  config: PoolConfig;
  db: pg.Pool;
  redis: Redis;
  transcribe: Queue;
  light: Queue;
  lightEvents: QueueEvents;
  hub: JobEventHub;
  log: pino.Logger;
  close(): Promise<void>;
}

export async function openGatewayContext(config: PoolConfig, log: pino.Logger): Promise<GatewayContext> {
  const db = new pg.Pool({ connectionString: config.databaseUrl, max: 20 });
  // A PostgreSQL restart drops idle connections; the pool makes new ones, the error must not end the process.
  db.on('error', (error) => log.warn({ err: error }, 'PostgreSQL connection lost'));
  await migrate(db);
  const redis = redisConnection(config.redisUrl, 'gateway');
  const connection = redisConnection(config.redisUrl, 'gateway-queues');
  const transcribe = new Queue(transcribeQueue(config.gpuClass), { connection, prefix: REDIS_PREFIX });
  const light = new Queue(LIGHT_QUEUE, { connection, prefix: REDIS_PREFIX });
  const lightEvents = new QueueEvents(LIGHT_QUEUE, { connection: redisConnection(config.redisUrl, 'gateway-light-events'), prefix: REDIS_PREFIX });
  const hub = new JobEventHub(redisConnection(config.redisUrl, 'gateway-events'));
  await Promise.all([hub.start(), lightEvents.waitUntilReady()]);
  return {
    config,
    db,
    redis,
    transcribe,
    light,
    lightEvents,
    hub,
    log,
    close: async () => {
      await Promise.allSettled([hub.close(), lightEvents.close(), transcribe.close(), light.close()]);
      await Promise.allSettled([redis.quit(), connection.quit(), db.end()]);
    },
  };
}
