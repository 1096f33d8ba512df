import { afterEach, describe, expect, it } from 'vitest';
import type { LiveCaption } from '../../contracts/live-protocol';
import { createApiDispatcher } from '../../core/api-handler';
import type { VerbatimCore } from '../../core/verbatim-core';
import { readSpeech, wavSeconds, longRealSpeech } from '../../bench/lib/read-speech';
import { wordErrorRate } from '../../bench/lib/word-error-rate';
import { openCore, waitForJobs } from '../helpers/core';
import { chunks, pcm16, readSpeechTake } from '../helpers/live';
import { probeDuration, scratchDir, sharedAudio } from '../helpers/media';

let core: VerbatimCore | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
});

/** Sends chunks a second at a time, each second once the captions have caught up with the last. */
async function stream(live: VerbatimCore['live'], sessionId: number, parts: Uint8Array[], skip = new Set<number>()): Promise<void> {
  let heardSec = 0;
  let wake: (() => void) | null = null;
  const onCaption = (id: number, caption: LiveCaption): void => {
    if (id === sessionId && caption.type === 'status') {
      heardSec = caption.heardSec;
      wake?.();
    }
  };
  live.on('live.caption', onCaption);
  let sentSec = 0;
  for (let seq = 0; seq < parts.length; seq++) {
    if (skip.has(seq)) continue;
    live.audio(sessionId, seq, parts[seq]!);
    sentSec += parts[seq]!.byteLength / 32_000;
    if (seq % 10 === 9 || seq === parts.length - 1) while (heardSec < sentSec - 1e-6) await new Promise<void>((resolve) => (wake = resolve));
  }
  live.off('live.caption', onCaption);
}

const text = (core: VerbatimCore, mediaId: number): string => (core.editing.get(mediaId)?.segments ?? []).map((segment) => segment.text).join(' ');

describe('a live recording through the core', () => {
  it('captions as it records, keeps each chunk once, is searchable at once, and after Stop is transcribed as well as the file dropped in', async () => {
    const { wav, reference } = readSpeechTake(4);
    core = openCore(scratchDir('live'));
    const captions: LiveCaption[] = [];
    core.live.on('live.caption', (_, caption) => captions.push(caption));
    const session = await core.live.start('Test microphone');
    expect(core.library('date', true)[0]).toMatchObject({ mediaId: session.mediaId, live: 'recording' });

    const parts = chunks(pcm16(wav));
    // One chunk is lost on the way, in the pause after the first sentence; one arrives twice.
    const lost = Math.round((wavSeconds(readSpeech(sharedAudio)[0]!.wav) + 0.5) * 10);
    core.live.audio(session.id, 0, parts[0]!);
    await stream(core.live, session.id, parts, new Set([0, lost]));
    core.live.audio(session.id, 3, parts[3]!);

    const dispatch = createApiDispatcher(core);
    await expect(dispatch('live.audio', { sessionId: session.id, seq: 10_000, pcm: Uint8Array.from([1, 2, 3]) })).rejects.toMatchObject({ code: 'invalid-request' });
    await expect(dispatch('live.audio', { sessionId: session.id + 1, seq: 0, pcm: Uint8Array.from([1, 2]) })).rejects.toMatchObject({ code: 'not-found' });

    // Confirmed captions are in the library already, searchable; the provisional tail never is.
    const finalText = () => captions.flatMap((caption) => (caption.type === 'final' ? [caption.text] : [])).join(' ');
    const liveText = finalText();
    expect(core.searchTranscripts('exhibition').some((hit) => hit.mediaId === session.mediaId)).toBe(true);
    expect(captions.some((caption) => caption.type === 'partial' && caption.text.length > 0)).toBe(true);
    expect(text(core, session.mediaId)).toBe(liveText);

    const { mediaId, jobId } = await core.live.stop(session.id);
    expect(core.live.current()).toBeNull();
    expect(wordErrorRate(reference, finalText())).toBeLessThan(0.2);
    const recorded = core.getMedia(mediaId).path;
    expect(probeDuration(recorded)).toBeCloseTo((parts.length - 1) * 0.1, 1);

    await waitForJobs(core, (jobs) => jobs.some((job) => job.id === jobId && job.state === 'done'), 120_000);
    const after = core.editing.get(mediaId)!;
    expect(after.engine.provider).not.toBe('live');
    const [dropped] = await core.addFiles([wav]);
    await waitForJobs(core, (jobs) => jobs.some((job) => job.id === dropped!.jobId && job.state === 'done'), 120_000);
    const recordedWer = wordErrorRate(reference, text(core, mediaId));
    const droppedWer = wordErrorRate(reference, text(core, dropped!.mediaId));
    expect(Math.abs(recordedWer - droppedWer)).toBeLessThanOrEqual(0.02);
    expect(core.library('date', true).find((item) => item.mediaId === mediaId)?.live).toBeNull();
  }, 300_000);

  it('a queued long file keeps making progress while recording, and finishes after it', async () => {
    const long = longRealSpeech(sharedAudio, scratchDir('long'), 2);
    core = openCore(scratchDir('live'));
    const [added] = await core.addFiles([long.file]);
    const job = () => core!.listJobs().find((each) => each.id === added!.jobId)!;
    await waitForJobs(core, () => job().stage === 'transcribe', 60_000);
    const session = await core.live.start(null);
    const before = job().progress;
    // 40 s of speech at the pace a microphone gives it. The engine reports progress per batch of
    // windows, and a batch beside live captions can take 20 s or more on two slow cores: the file
    // must have moved at some point while the recording ran.
    const parts = chunks(pcm16(readSpeechTake(6).wav)).slice(0, 400);
    const started = Date.now();
    let during = before;
    for (let seq = 0; seq < parts.length; seq++) {
      core.live.audio(session.id, seq, parts[seq]!);
      during = Math.max(during, job().progress);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + (seq + 1) * 100 - Date.now())));
    }
    await core.live.stop(session.id);
    expect(during).toBeGreaterThan(before);
    await waitForJobs(core, () => job().state === 'done', 240_000);
  }, 400_000);
});
