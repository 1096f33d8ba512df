// A transcribe worker's own Prometheus metrics, on VERBATIM_WORKER_METRICS_PORT (plain HTTP: a pod's
// port inside the cluster, scraped where it runs): how long its jobs take and how fast they ran.
import { createServer, type Server } from 'node:http';
import client from 'prom-client';

export class WorkerMetrics {
  readonly registry = new client.Registry();
  private readonly duration: client.Histogram<'queue' | 'outcome'>;
  private readonly speed: client.Histogram<'queue' | 'provider'>;
  private server?: Server;

  constructor() {
    client.collectDefaultMetrics({ register: this.registry, prefix: 'verbatim_worker_' });
    this.duration = new client.Histogram({
      name: 'verbatim_job_duration_seconds',
      help: 'Worker time per job attempt, by how it ended',
      labelNames: ['queue', 'outcome'],
      buckets: [1, 5, 15, 60, 300, 900, 3600, 4 * 3600],
      registers: [this.registry],
    });
    this.speed = new client.Histogram({
      name: 'verbatim_job_realtime_factor',
      help: 'Audio seconds per second of worker time, per finished job',
      labelNames: ['queue', 'provider'],
      buckets: [0.5, 1, 2, 5, 10, 20, 50, 100, 200],
      registers: [this.registry],
    });
  }

  attempt(queue: string, outcome: 'done' | 'failed' | 'retry' | 'canceled' | 'handed-back', workSec: number): void {
    this.duration.observe({ queue, outcome }, workSec);
  }

  finished(queue: string, provider: string, audioSec: number, workSec: number): void {
    if (workSec > 0) this.speed.observe({ queue, provider }, audioSec / workSec);
  }

  async listen(port: number): Promise<void> {
    this.server = createServer(async (request, response) => {
      if (request.url !== '/metrics') return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': this.registry.contentType }).end(await this.registry.metrics());
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '0.0.0.0', resolve));
  }

  close(): void {
    this.server?.close();
  }
}
