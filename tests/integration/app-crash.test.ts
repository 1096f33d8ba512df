import { describe, expect, it } from 'vitest';
import type { JobView, LiveSessionView } from '../../contracts/domain';
import { longTone, probeDuration, scratchDir } from '../helpers/media';
import { callHost, hostClient, startWebHost } from '../helpers/web-host';
import { chunks, pcm16, readSpeechTake } from '../helpers/live';

async function waitForJob(url: string, predicate: (job: JobView) => boolean): Promise<JobView> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [job] = (await callHost(url, 'jobs.list', {})) as JobView[];
    if (job && predicate(job)) return job;
    if (Date.now() > deadline) throw new Error(`job never matched: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the whole app crashing mid-job', () => {
  it('loses nothing: after a restart the job runs again and finishes, the crash costing it no attempt', async () => {
    const file = longTone(30);
    const dataDir = scratchDir('data');
    let host = await startWebHost(dataDir);
    await callHost(host.url, 'media.add', { paths: [file] });
    await waitForJob(host.url, (job) => job.state === 'running' && job.stage === 'detect-speech');
    await host.crash();

    host = await startWebHost(dataDir);
    try {
      const job = await waitForJob(host.url, (each) => each.state === 'done');
      expect(job.attempts).toBe(1);
      expect(job.error).toBeNull();
      expect(job.durationSec).toBeCloseTo(probeDuration(file), 1);
    } finally {
      await host.stop();
    }
  });
});

describe('the whole app crashing mid-recording', () => {
  it('keeps the audio up to the last second: the recording is repaired and offered back, and can be finished', async () => {
    const dataDir = scratchDir('data');
    let host = await startWebHost(dataDir);
    const client = await hostClient(host.url);
    const session = (await client.call('live.start', { inputLabel: 'Test microphone' })) as LiveSessionView;
    const parts = chunks(pcm16(readSpeechTake(2).wav));
    const sent = 80;
    for (let seq = 0; seq < sent; seq++) await client.call('live.audio', { sessionId: session.id, seq, pcm: parts[seq]! });
    // Past the next sync (twice a second), then the power goes.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await host.crash();
    client.close();

    host = await startWebHost(dataDir);
    try {
      const [offered, ...others] = (await callHost(host.url, 'live.unfinished', {})) as LiveSessionView[];
      expect(others).toEqual([]);
      expect(offered).toMatchObject({ id: session.id, state: 'interrupted' });
      expect(Math.abs(offered!.durationSec - sent / 10)).toBeLessThanOrEqual(1);
      const media = (await callHost(host.url, 'media.get', { mediaId: offered!.mediaId })) as { path: string };
      expect(Math.abs(probeDuration(media.path) - offered!.durationSec)).toBeLessThan(0.01);
      const { jobId } = (await callHost(host.url, 'live.finish', { sessionId: session.id })) as { jobId: number };
      const job = await waitForJob(host.url, (each) => each.id === jobId && each.state === 'done');
      expect(job.durationSec).toBeCloseTo(offered!.durationSec, 1);
      expect(await callHost(host.url, 'live.unfinished', {})).toEqual([]);
      await expect(callHost(host.url, 'live.discard', { sessionId: session.id })).rejects.toMatchObject({ code: 'not-found' });
    } finally {
      await host.stop();
    }
  }, 120_000);
});
