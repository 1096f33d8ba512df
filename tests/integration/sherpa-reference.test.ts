import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { diarizationErrorRate } from '../../bench/lib/diarization-error-rate';
import { PcmFile } from '../../worker/engine/audio/pcm-file';
import { fbank, fbankFrameCount, type FbankOptions } from '../../worker/engine/diarize/fbank';
import { EMBEDDING_CONVENTIONS, embeddingConvention, segmentationConvention } from '../../worker/engine/diarize/model-conventions';
import { diarizeNeural, embeddingInput, NEURAL_DEFAULTS, type NeuralOptions } from '../../worker/engine/diarize/neural-diarizer';
import { POWERSET_CLASSES } from '../../worker/engine/diarize/powerset';
import { scratchDir, sharedAudio } from '../helpers/media';
import { EMBEDDING_METADATA, energySegmentationModel, featureRevealingEmbeddingModel, projectionEmbeddingModel } from '../helpers/onnx-models';
import { sherpaDiarize, sherpaEmbedding } from '../helpers/sherpa';

/**
 * The neural tier against k2-fsa's sherpa-onnx — the C++ implementation of the same pipeline, run
 * in its own process — with models built here that carry the metadata sherpa-onnx reads (no real
 * pyannote or embedding weights can be downloaded on this project's machines).
 */
describe('neural tier against sherpa-onnx, the reference implementation', () => {
  const dir = scratchDir('sherpa');

  /** A real voice: 2.3 s of one of the shared speaker clips, as float32. */
  const clip = (() => {
    const bytes = readFileSync(path.join(sharedAudio, 'real-speakers/clips/fangjun-sr-1.wav'));
    const samples = Float32Array.from({ length: (bytes.length - 44) / 2 }, (_, i) => bytes.readInt16LE(44 + 2 * i) / 32768);
    const file = path.join(dir, 'clip.f32');
    writeFileSync(file, Buffer.from(samples.buffer));
    return { samples, file };
  })();

  /** A feature-revealing model's output split up: each bin's mean, each bin's mean square, the frame count. */
  const revealed = (output: ArrayLike<number>) => ({
    mean: Array.from({ length: 80 }, (_, m) => output[m]!),
    meanSquare: Array.from({ length: 80 }, (_, m) => output[80 + m]!),
    frames: output[160]!,
  });

  /** Runs the model on our side, on what the neural tier would feed it for the whole clip. */
  const ours = async (model: string, fbankOptions: FbankOptions, subtractMean: boolean) => {
    const features = fbank(clip.samples, fbankOptions);
    const input = embeddingInput(features, Array.from({ length: features.numFrames }, (_, i) => i), { ...EMBEDDING_CONVENTIONS.wespeaker, fbank: fbankOptions, subtractMean });
    const session = await ort.InferenceSession.create(model);
    try {
      const output = await session.run({ feats: new ort.Tensor('float32', input.data, [1, input.numFrames, 80]) });
      return revealed(output.embs!.data as Float32Array);
    } finally {
      await session.release();
    }
  };

  const largestDifference = (a: number[], b: number[], relative = false): number =>
    Math.max(...a.map((value, i) => Math.abs(value - b[i]!) / (relative ? Math.max(1, Math.abs(b[i]!)) : 1)));

  // sherpa-onnx's feature settings (features.h defaults): frames padded by reflection, mel up to 7600 Hz, Povey window.
  const sherpaFbank = (sampleScale: number): FbankOptions => ({ bins: 80, window: 'povey', snipEdges: false, highHz: -400, sampleScale });

  for (const framework of ['wespeaker', '3d-speaker'] as const) {
    it(`computes sherpa-onnx's features for the ${framework} convention to 1e-4, and the model's own where those differ`, async () => {
      const metadata = EMBEDDING_METADATA[framework];
      const model = path.join(dir, `reveal-${framework}.onnx`);
      writeFileSync(model, featureRevealingEmbeddingModel(metadata));
      expect(embeddingConvention(model).framework).toBe(framework);

      const reference = revealed(sherpaEmbedding(dir, model, clip.file).embedding);
      // The same options sherpa-onnx uses → the same features: our fbank is Kaldi's.
      const matched = await ours(model, sherpaFbank(metadata.normalize_samples ? 1 : 32768), 'feature_normalize_type' in metadata);
      expect(matched.frames).toBe(reference.frames);
      expect(matched.frames).toBe(fbankFrameCount(clip.samples.length, false));
      expect(largestDifference(matched.mean, reference.mean)).toBeLessThan(1e-4);
      expect(largestDifference(matched.meanSquare, reference.meanSquare, true)).toBeLessThan(1e-4);

      // What the tier really feeds the model follows the model's own inference code.
      const convention = EMBEDDING_CONVENTIONS[framework];
      const production = await ours(model, convention.fbank, convention.subtractMean);
      // Edges snipped, as torchaudio's kaldi.fbank does: fewer frames than sherpa-onnx's padded ones.
      expect(production.frames).toBe(fbankFrameCount(clip.samples.length, true));
      expect(production.frames).toBeLessThan(reference.frames);
      // Every bin mean-normalised (WeSpeaker's CMN, 3D-Speaker's mean_nor).
      expect(Math.max(...production.mean.map(Math.abs))).toBeLessThan(1e-4);
      if (framework === 'wespeaker') {
        // sherpa-onnx feeds WeSpeaker raw log energies: the published files' metadata has no
        // feature_normalize_type, so it skips the CMN WeSpeaker's infer_onnx.py applies.
        expect(Math.min(...reference.mean)).toBeGreaterThan(3);
      }
      // Hamming (WeSpeaker) or the mel top at Nyquist (both) changes the features themselves, not only their offset.
      expect(largestDifference(production.meanSquare, matched.meanSquare, true)).toBeGreaterThan(1e-3);
    });
  }

  it('uses the powerset classes in sherpa-onnx\'s order, and the receptive field its exporter records', () => {
    // sherpa-onnx's InitPowersetMapping: nobody, then each speaker alone, then each pair in order.
    const singles = [0, 1, 2].map((s) => [s]);
    const pairs = [0, 1, 2].flatMap((a) => [0, 1, 2].filter((b) => b > a).map((b) => [a, b]));
    expect(POWERSET_CLASSES).toEqual([[], ...singles, ...pairs]);
    const model = path.join(dir, 'segmentation-framing.onnx');
    writeFileSync(model, energySegmentationModel());
    expect(segmentationConvention(model)).toEqual({ windowSamples: 160_000, receptiveFieldShift: 270, receptiveFieldSize: 991 });
  });

  describe('whole pipeline', () => {
    const models = { segmentation: path.join(dir, 'segmentation.onnx'), embedding: path.join(dir, 'embedding.onnx') };
    writeFileSync(models.segmentation, energySegmentationModel());
    writeFileSync(models.embedding, projectionEmbeddingModel({ ...EMBEDDING_METADATA.wespeaker, output_dim: 16 }));

    // Two warbling "voices" (220 Hz and 1800 Hz, 5 Hz vibrato), ABAB, one turn with a 0.3 s pause,
    // over a −60 dBFS noise floor (digital silence makes log-energies that no recording has).
    const turns = [
      [0.5, 7.8, 220],
      [19, 22, 1800],
      [22.3, 26.5, 1800],
      [38, 45, 220],
      [57, 64.5, 1800],
    ] as const;
    const recording = path.join(dir, 'abab.f32');
    const samples = new Float32Array(72 * 16_000);
    let seed = 1;
    for (let n = 0; n < samples.length; n++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      samples[n] = 1e-3 * (seed / 1073741824 - 1);
    }
    for (const [start, end, hz] of turns) {
      for (let n = Math.round(start * 16_000); n < end * 16_000; n++) {
        const t = n / 16_000;
        samples[n]! += 0.15 * (1 + 0.8 * Math.sin(2 * Math.PI * 3 * t)) * Math.sin(2 * Math.PI * hz * t + ((0.15 * hz) / 5) * Math.sin(2 * Math.PI * 5 * t));
      }
    }
    writeFileSync(recording, Buffer.from(samples.buffer));

    const ourTurns = async (exact: number | null, options: NeuralOptions) => {
      const pcm = new PcmFile(recording);
      try {
        return (await diarizeNeural(pcm, models, ['cpu'], { exact, min: null, max: null }, () => undefined, new AbortController().signal, 1, options)).turns;
      } finally {
        pcm.close();
      }
    };
    const asTurns = (list: ReadonlyArray<{ start: number; end: number; speaker: number }>) => list.map((turn) => ({ file: 'abab', start: turn.start, end: turn.end, speaker: String(turn.speaker) }));
    // sherpa-onnx's defaults: 1 s window step, turns shorter than 0.3 s dropped, gaps under 0.5 s closed.
    const aligned: NeuralOptions = { ...NEURAL_DEFAULTS, stepSec: 1, minTurnSec: 0.3, minGapSec: 0.5, clusterThreshold: 0.5 };

    for (const [mode, exact] of [
      ['an exact speaker count', 2],
      ['threshold clustering', null],
    ] as const) {
      it(`agrees with sherpa-onnx's turns for ${mode} (DER between the two ≤ 1 %)`, { timeout: 60_000 }, async () => {
        const reference = sherpaDiarize(dir, { ...models, samples: recording, numClusters: exact ?? -1, threshold: 0.5 }).sort((a, b) => a.start - b.start);
        expect(new Set(reference.map((turn) => turn.speaker)).size).toBe(2);
        // On sherpa-onnx's settings: frames at the centres of their receptive fields, powerset and aggregation alike.
        const same = await ourTurns(exact, aligned);
        expect(diarizationErrorRate(asTurns(reference), asTurns(same), { collar: 0 }).der).toBeLessThan(0.01);
        same.forEach((turn, i) => {
          expect(Math.abs(turn.start - reference[i]!.start)).toBeLessThan(0.002);
          expect(Math.abs(turn.end - reference[i]!.end)).toBeLessThan(0.002);
        });
        // On ours (5 s steps: a fifth of the work; gaps over 0.1 s kept): the turns move by the
        // aggregation's rounding only. Measured 0.81 % here (docs/BENCHMARKS.md).
        const defaults = await ourTurns(exact, { ...NEURAL_DEFAULTS, clusterThreshold: 0.5 });
        expect(diarizationErrorRate(asTurns(reference), asTurns(defaults), { collar: 0 }).der).toBeLessThan(0.01);
      });
    }
  });
});
