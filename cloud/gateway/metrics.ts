// Prometheus metrics: the gateway's requests, and the pool as a whole (queue depth by state,
// workers, speed, usage per tenant), read from Redis and PostgreSQL when scraped.
import client from 'prom-client';
import type { GatewayContext } from './context';
import { liveWorkers } from '../job-status';
import { measuredSpeed } from '../db/jobs';

export interface GatewayMetrics {
  registry: client.Registry;
  requests: client.Counter<'method' | 'route' | 'status'>;
  latency: client.Histogram<'method' | 'route'>;
}

export function gatewayMetrics(context: GatewayContext): GatewayMetrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'verbatim_gateway_' });
  const requests = new client.Counter({ name: 'verbatim_http_requests_total', help: 'HTTP requests answered', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const latency = new client.Histogram({
    name: 'verbatim_http_request_duration_seconds',
    help: 'Time to answer an HTTP request',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const queue = context.transcribe.name;
  new client.Gauge({
    name: 'verbatim_queue_jobs',
    help: 'Jobs in the queue by state (what the autoscaler reads: waiting + prioritized + active)',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      for (const q of [context.transcribe, context.light]) {
        const counts = await q.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
        for (const [state, count] of Object.entries(counts)) this.set({ queue: q.name, state }, count);
      }
    },
  });
  new client.Gauge({
    name: 'verbatim_workers',
    help: 'Pool workers that sent a heartbeat in the last 15 s',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      this.set({ queue }, await liveWorkers(context.redis, queue));
    },
  });
  new client.Gauge({
    name: 'verbatim_realtime_factor',
    help: 'Audio seconds per second of one worker, over the last 50 jobs',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      this.set({ queue }, (await measuredSpeed(context.db, queue)) ?? 0);
    },
  });
  for (const [name, column, help] of [
    ['verbatim_gpu_seconds_total', 'gpu_sec', 'Worker seconds spent per tenant'],
    ['verbatim_audio_seconds_total', 'audio_sec', 'Audio seconds transcribed per tenant'],
  ] as const) {
    new client.Gauge({
      name,
      help,
      labelNames: ['tenant'],
      registers: [registry],
      async collect() {
        const { rows } = await context.db.query<{ tenant: string; total: number }>(
          `SELECT t.name AS tenant, sum(u.${column})::float8 AS total FROM usage u JOIN tenants t ON t.id = u.tenant_id GROUP BY t.name`,
        );
        for (const row of rows) this.set({ tenant: row.tenant }, row.total);
      },
    });
  }
  return { registry, requests, latency };
}
