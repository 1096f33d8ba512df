import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { JobView } from '../../contracts/domain';
import { longTone, probeDuration, scratchDir } from '../helpers/media';
import { startWebHost } from '../helpers/web-host';

/** One request over the host's WebSocket API, as the UI makes it. */
async function call(url: string, method: string, params: unknown): Promise<unknown> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}api/ws`, { origin: url.replace(/\/$/, '') });
  await once(ws, 'open');
  type Reply = { id?: number; ok: boolean; result?: unknown; error?: { message: string } };
  // A listener, not once(): pushed jobs.changed events and the reply can arrive in one chunk,
  // emitted in the same tick, and once() would drop the second.
  const replied = new Promise<Reply>((resolve) =>
    ws.on('message', (data) => {
      const reply = JSON.parse(String(data)) as Reply;
      if (reply.id === 1) resolve(reply);
    }),
  );
  ws.send(JSON.stringify({ id: 1, method, params }));
  const reply = await replied;
  ws.close();
  if (!reply.ok) throw new Error(reply.error?.message);
  return reply.result;
}

async function waitForJob(url: string, predicate: (job: JobView) => boolean): Promise<JobView> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [job] = (await call(url, 'jobs.list', {})) as JobView[];
    if (job && predicate(job)) return job;
    if (Date.now() > deadline) throw new Error(`job never matched: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the whole app crashing mid-job', () => {
  it('loses nothing: after a restart the job runs again and finishes, on its second attempt', async () => {
    const file = longTone(30);
    const dataDir = scratchDir('data');
    let host = await startWebHost(dataDir);
    await call(host.url, 'media.add', { paths: [file] });
    await waitForJob(host.url, (job) => job.state === 'running' && job.stage === 'detect-speech');
    await host.crash();

    host = await startWebHost(dataDir);
    try {
      const job = await waitForJob(host.url, (each) => each.state === 'done');
      expect(job.attempts).toBe(2);
      expect(job.error).toBeNull();
      expect(job.durationSec).toBeCloseTo(probeDuration(file), 1);
    } finally {
      await host.stop();
    }
  });
});
