import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveCaption } from '../../contracts/live-protocol';
import { ModelManager } from '../../core/models/model-manager';
import { resourcePaths } from '../../core/paths';
import { vadSession } from '../../worker/engine/transcribe';
import { WarmSessions } from '../../worker/engine/warm-sessions';
import { WhisperModel } from '../../worker/engine/whisper/whisper-model';
import { WhisperClipDecoder } from '../../worker/live/clip-decoder';
import { LiveTranscriber } from '../../worker/live/live-transcriber';
import { int16ToFloat } from '../../worker/live/pcm16';
import { StreamingVad } from '../../worker/live/streaming-vad';
import { wordErrorRate } from '../../bench/lib/word-error-rate';
import { pcm16, readSpeechTake } from '../helpers/live';
import { projectRoot, sharedModels } from '../helpers/media';

const resources = resourcePaths(path.join(projectRoot, 'resources'));
let model: WhisperModel;
const sessions = new WarmSessions(0);

beforeAll(async () => {
  const manager = new ModelManager({ catalogPath: resources.catalog, modelsDir: path.join(projectRoot, '.cache/no-models'), externalDir: sharedModels });
  const found = (await manager.find('whisper-tiny'))!;
  model = await WhisperModel.load({ dir: found.dir, dtypeSuffix: found.dtypeSuffix }, ['cpu']);
});
afterAll(async () => {
  await model.release();
  await sessions.releaseAll();
});

/**
 * The live policy over real Whisper and Silero. `feed` pushes audio as the test wants it to arrive;
 * `whenWaiting`, if given, is called each time everything heard is done (and may push more).
 */
async function captions(feed: (transcriber: LiveTranscriber) => Promise<void> | void, whenWaiting?: (transcriber: LiveTranscriber) => boolean): Promise<LiveCaption[]> {
  const vad = new StreamingVad(await vadSession(sessions, resources.vadModel, `vad-${Math.random()}`));
  const out: LiveCaption[] = [];
  let finished: () => void = () => undefined;
  const fed = new Promise<void>((resolve) => (finished = resolve));
  const transcriber: LiveTranscriber = new LiveTranscriber(
    new WhisperClipDecoder(model, { language: 'en', languageFallback: null, task: 'transcribe', initialPrompt: null }),
    { frameSamples: StreamingVad.frameSamples, score: (frame) => vad.score(frame) },
    (caption) => out.push(caption),
    Date.now,
    () => whenWaiting && !whenWaiting(transcriber) && finished(),
  );
  const running = transcriber.run(new AbortController().signal);
  await feed(transcriber);
  if (whenWaiting) await fed;
  transcriber.end();
  await running;
  return out;
}

const spoken = (list: LiveCaption[]) => list.filter((caption) => (caption.type === 'final' || caption.type === 'partial') && caption.text.trim() !== '');

describe('live captions over real models', () => {
  it('silence and noise give no text at all, not even provisional', async () => {
    const seconds = 12;
    const noise = new Float32Array(seconds * 16_000);
    // Room noise and a hum, quiet: what a microphone hears while nobody speaks.
    for (let i = 0; i < noise.length; i++) noise[i] = (Math.random() - 0.5) * 0.01 + 0.003 * Math.sin((2 * Math.PI * 50 * i) / 16_000);
    noise.fill(0, 0, 4 * 16_000);
    const out = await captions((transcriber) => {
      for (let i = 0; i < noise.length; i += 1_600) transcriber.push(noise.subarray(i, i + 1_600));
    });
    expect(spoken(out)).toEqual([]);
    expect(out.filter((caption) => caption.type === 'status').length).toBeGreaterThan(0);
  }, 60_000);

  it('confirmed words are only ever added to, and the utterance end confirms the rest', async () => {
    const take = readSpeechTake(2);
    const audio = int16ToFloat(pcm16(take.wav));
    // A second at a time, each once the last is done: as fast as it keeps up.
    let offset = 0;
    const out = await captions(
      () => undefined,
      (transcriber) => {
        if (offset >= audio.length) return false;
        transcriber.push(audio.subarray(offset, (offset += 16_000)));
        return true;
      },
    );
    const finals = out.filter((caption) => caption.type === 'final');
    // Finals never overlap or go back in time: each starts where the one before ended, or later.
    for (let k = 1; k < finals.length; k++) expect(finals[k]!.start).toBeGreaterThanOrEqual(finals[k - 1]!.end - 0.05);
    expect(finals.filter((caption) => caption.utteranceEnd).length).toBe(2);
    expect(wordErrorRate(take.reference, finals.map((caption) => caption.text).join(' '))).toBeLessThan(0.2);
  }, 120_000);

  it('falls behind and skips ahead, saying so, rather than lagging more and more', async () => {
    const take = readSpeechTake(4);
    const audio = int16ToFloat(pcm16(take.wav));
    const start = 4 * 16_000;
    const backlog = 24 * 16_000;
    const realTime = async (transcriber: LiveTranscriber, from: number, to: number) => {
      for (let i = from; i < to; i += 1_600) {
        transcriber.push(audio.subarray(i, Math.min(to, i + 1_600)));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const out = await captions(async (transcriber) => {
      await realTime(transcriber, 0, start);
      // Then 20 s arrive at once (the machine stalled): far more than the captions can decode in time…
      transcriber.push(audio.subarray(start, backlog));
      // …then the rest at a microphone's pace.
      await realTime(transcriber, backlog, audio.length);
    });
    const skipped = out.filter((caption) => caption.type === 'skipped');
    expect(skipped).toHaveLength(1);
    const jump = skipped[0]!;
    if (jump.type !== 'skipped') throw new Error('unreachable');
    expect(jump.toSec - jump.fromSec).toBeGreaterThan(10);
    // Before the stall there were captions; after the jump they go on with the newest speech, never with what was skipped.
    expect(out.slice(0, out.indexOf(jump)).some((caption) => caption.type === 'final')).toBe(true);
    const after = out.slice(out.indexOf(jump)).filter((caption) => caption.type === 'final');
    expect(after.every((caption) => caption.start >= jump.toSec - 0.5)).toBe(true);
    // Confirmation splits the words where the decodes happened to agree ("true printed" | "book,"), so the phrase is read across captions.
    expect(after.map((caption) => caption.text).join(' ')).toMatch(/printed book/i);
  }, 120_000);
});
