import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diarizationErrorRate, parseRttm, type Turn } from '../../bench/lib/diarization-error-rate';
import { madeConversations } from '../../bench/lib/real-conversations';
import { PcmFile } from '../../worker/engine/audio/pcm-file';
import { diarizeBuiltin } from '../../worker/engine/diarize/builtin-diarizer';
import { DIARIZATION_REGION_OPTIONS } from '../../worker/engine/diarize/diarize';
import { speechProbabilities, VAD_FRAME_SEC } from '../../worker/engine/vad/silero-vad';
import { speechRegions } from '../../worker/engine/vad/speech-regions';
import { ffmpeg, projectRoot, scratchDir, sharedAudio } from '../helpers/media';

/**
 * The built-in tier on real voices (../shared/audio/real-speakers, RTTM given), where it used to
 * follow the recording channel: one speaker for a real two-person conversation, and a fixed count
 * handing one person's words to another.
 */
describe('built-in speaker tier on real voices', () => {
  const dir = scratchDir('real-speakers');
  let vad: ort.InferenceSession;
  beforeAll(async () => {
    vad = await ort.InferenceSession.create(path.join(projectRoot, 'resources/vad/silero_vad_v6.onnx'), { intraOpNumThreads: 1 });
  });
  afterAll(() => vad.release());

  const diarize = async (pcmPath: string, exact: number | null) => {
    const pcm = new PcmFile(pcmPath);
    try {
      const probabilities = await speechProbabilities(vad, pcm, () => undefined, new AbortController().signal);
      const regions = speechRegions(probabilities, VAD_FRAME_SEC, pcm.durationSec, DIARIZATION_REGION_OPTIONS);
      return diarizeBuiltin(pcm, regions, { exact, min: null, max: null }).map((turn) => ({ file: 'x', start: turn.start, end: turn.end, speaker: String(turn.speaker) }));
    } finally {
      pcm.close();
    }
  };
  const decoded = (name: string): string => {
    const out = path.join(dir, `${name}.f32`);
    ffmpeg('-i', path.join(sharedAudio, 'real-speakers', `${name}.wav`), '-ac', '1', '-ar', '16000', '-f', 'f32le', out);
    return out;
  };
  const score = (reference: Turn[], hypothesis: Turn[]) => diarizationErrorRate(reference.map((turn) => ({ ...turn, file: 'x' })), hypothesis, { collar: 0.25 });

  for (const name of ['three-voices', 'three-voices-quick', 'two-readers']) {
    it(`finds ${name}'s speakers by voice: the right count, DER ≤ 15 %, and a fixed count gives each a turn`, async () => {
      const reference = parseRttm(readFileSync(path.join(sharedAudio, 'real-speakers', `${name}.rttm`), 'utf8'));
      const people = new Set(reference.map((turn) => turn.speaker)).size;
      const pcm = decoded(name);
      const automatic = await diarize(pcm, null);
      expect(new Set(automatic.map((turn) => turn.speaker)).size).toBe(people);
      // Measured 0.1–4.7 % (docs/BENCHMARKS.md; the one-speaker alternative scores 37–62 %).
      expect(score(reference, automatic).der).toBeLessThan(0.15);
      const fixed = await diarize(pcm, people);
      expect(new Set(fixed.map((turn) => turn.speaker)).size).toBe(people);
      expect(score(reference, fixed).confusion / score(reference, fixed).total).toBeLessThan(0.05);
    });
  }

  it('keeps every short recording of one voice one speaker: each read utterance alone, and monologues of 12–60 s', async () => {
    // Before the speech-aware cost, 11 of the 21 utterances (4.5–10 s) came back as two or three speakers.
    const readSpeech = path.join(sharedAudio, 'read-speech/wav');
    const counts: Record<string, number> = {};
    for (const name of readdirSync(readSpeech).filter((file) => file.endsWith('.wav'))) {
      const out = path.join(dir, `${name}.f32`);
      ffmpeg('-i', path.join(readSpeech, name), '-ac', '1', '-ar', '16000', '-f', 'f32le', out);
      counts[name] = new Set((await diarize(out, null)).map((turn) => turn.speaker)).size;
    }
    const made = new Map(madeConversations(sharedAudio, dir).map((conversation) => [conversation.id, conversation]));
    for (const id of ['made-lj-15s', 'made-lj-30s', 'made-lj-60s', 'made-austen-alone', 'made-fangjun-alone', 'made-liudehua-alone']) {
      counts[id] = new Set((await diarize(made.get(id)!.pcm, null)).map((turn) => turn.speaker)).size;
    }
    expect(Object.keys(counts)).toHaveLength(27);
    expect(Object.entries(counts).filter(([, count]) => count !== 1)).toEqual([]);
  }, 120_000);

  it('keeps one reader one speaker, and tells two similar readers apart', async () => {
    const made = new Map(madeConversations(sharedAudio, dir).map((conversation) => [conversation.id, conversation]));
    const alone = made.get('made-lj-alone')!;
    expect(new Set((await diarize(alone.pcm, null)).map((turn) => turn.speaker)).size).toBe(1);
    const pair = made.get('made-lj-austen')!;
    const turns = await diarize(pair.pcm, null);
    expect(new Set(turns.map((turn) => turn.speaker)).size).toBe(2);
    expect(score(pair.reference, turns).der).toBeLessThan(0.15);
  });
});
