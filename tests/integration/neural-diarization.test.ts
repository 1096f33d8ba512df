import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PcmFile } from '../../worker/engine/audio/pcm-file';
import { diarizeNeural } from '../../worker/engine/diarize/neural-diarizer';
import { energySegmentationModel, projectionEmbeddingModel } from '../helpers/onnx-models';
import { scratchDir } from '../helpers/media';

/**
 * The neural tier's plumbing — windows, batching, powerset decoding, fbank, embeddings, clustering,
 * aggregation, provider fallback — on onnxruntime with models of pyannote's and WeSpeaker's exact
 * signatures that the test builds (the real weights cannot be downloaded here). The segmentation
 * model marks loud frames as speaker 0, so the expected timeline is known.
 */
describe('neural diarization tier, with test-built models', () => {
  const dir = scratchDir('neural');
  const models = { segmentation: path.join(dir, 'segmentation.onnx'), embedding: path.join(dir, 'embedding.onnx') };
  writeFileSync(models.segmentation, energySegmentationModel());
  writeFileSync(models.embedding, projectionEmbeddingModel());

  /** Bursts of warbling tones (a low "voice" and a high one), as PCM the tier reads. */
  const recording = (name: string, seconds: number, bursts: ReadonlyArray<readonly [number, number, number]>): string => {
    const samples = new Float32Array(seconds * 16_000);
    for (const [start, end, hz] of bursts) {
      for (let n = Math.round(start * 16_000); n < end * 16_000; n++) {
        const t = n / 16_000;
        // A 3 Hz swell and a 5 Hz vibrato of ±15 %: with each bin's mean removed (the embedding
        // models' convention), what tells the voices apart is which bins the vibrato sweeps.
        samples[n] = 0.3 * (1 + 0.8 * Math.sin(2 * Math.PI * 3 * t)) * 0.5 * Math.sin(2 * Math.PI * hz * t + ((0.15 * hz) / 5) * Math.sin(2 * Math.PI * 5 * t));
      }
    }
    const file = path.join(dir, `${name}.f32`);
    writeFileSync(file, Buffer.from(samples.buffer));
    return file;
  };
  // 33 s of alternating bursts, not aligned to the window step.
  const bursts = [
    [1, 5, 220],
    [6.3, 11.8, 1800],
    [13, 14.5, 220],
    [16, 24, 1800],
    [25.5, 31.7, 220],
  ] as const;
  const alternating = recording('alternating', 33, bursts);
  // Two voices 12 s apart: no 10 s window hears both, so each window's voice print is one voice's.
  const apart = recording('apart', 30, [
    [0.5, 8, 220],
    [20, 29, 1800],
  ]);

  const run = async (exact: number | null, providers: Parameters<typeof diarizeNeural>[2] = ['cpu'], pcmPath = alternating) => {
    const pcm = new PcmFile(pcmPath);
    const progress: number[] = [];
    try {
      const result = await diarizeNeural(pcm, models, providers, { exact, min: null, max: null }, (sec) => progress.push(sec), new AbortController().signal);
      return { ...result, progress };
    } finally {
      pcm.close();
    }
  };

  it('turns the segmentation of overlapping windows into turns where the audio is', async () => {
    const { turns, provider, progress } = await run(1);
    expect(provider).toBe('cpu');
    expect(new Set(turns.map((turn) => turn.speaker))).toEqual(new Set([0]));
    expect(turns).toHaveLength(bursts.length);
    // Within the segmentation's 62 ms receptive field of the true edges.
    turns.forEach((turn, index) => {
      expect(Math.abs(turn.start - bursts[index]![0])).toBeLessThan(0.1);
      expect(Math.abs(turn.end - bursts[index]![1])).toBeLessThan(0.1);
    });
    expect(progress.at(-1)).toBeCloseTo(33, 5);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('clusters the window embeddings into the speaker count asked for, one label and one voice print per voice', async () => {
    const { turns, prints } = await run(2, ['cpu'], apart);
    expect(turns.map((turn) => turn.speaker)).toEqual([0, 1]);
    expect(Math.abs(turns[0]!.end - 8)).toBeLessThan(0.1);
    expect(Math.abs(turns[1]!.start - 20)).toBeLessThan(0.1);
    // Each voice's print for the voice library: unit length, numbered as the turns are, and not alike.
    expect(prints.map((print) => print.speaker)).toEqual([0, 1]);
    for (const { vector } of prints) expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    expect(prints[0]!.vector.reduce((sum, value, i) => sum + value * prints[1]!.vector[i]!, 0)).toBeLessThan(0.9);
  });

  it('falls back from a GPU provider that cannot start, and records why', async () => {
    const { provider, fallbacks, turns } = await run(1, ['webgpu', 'cpu']);
    expect(provider).toBe('cpu');
    expect(fallbacks[0]).toMatchObject({ provider: 'webgpu', reason: expect.stringMatching(/\S/) });
    expect(turns).toHaveLength(bursts.length);
  });
});
