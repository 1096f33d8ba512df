import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WhisperFeatureExtractor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { LogMel } from '../../worker/engine/whisper/log-mel';
import { sharedModels } from '../helpers/media';

/** A deterministic, speech-like test signal: harmonics under a moving formant, with noise bursts. */
function signal(samples: number): Float32Array {
  const audio = new Float32Array(samples);
  let seed = 7;
  for (let i = 0; i < samples; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const t = i / 16_000;
    const pitch = 120 + 40 * Math.sin(2 * Math.PI * 0.7 * t);
    audio[i] = 0.3 * Math.sin(2 * Math.PI * pitch * t) + 0.1 * Math.sin(2 * Math.PI * 3 * pitch * t) + (Math.floor(t * 3) % 2) * 0.05 * (seed / 2 ** 31 - 0.5);
  }
  return audio;
}

describe('Whisper log-mel front end', () => {
  for (const repo of ['whisper-tiny', 'whisper-base']) {
    it(`equals transformers.js' WhisperFeatureExtractor for ${repo} (short, exact 30 s, longer than a window)`, async () => {
      const config = JSON.parse(readFileSync(path.join(sharedModels, 'Xenova', repo, 'preprocessor_config.json'), 'utf8')) as Record<string, unknown>;
      const reference = new WhisperFeatureExtractor(config);
      const ours = new LogMel((reference.config as { mel_filters: number[][] }).mel_filters);
      for (const samples of [3_217, 154_481, 480_000, 520_000]) {
        const audio = signal(samples);
        const expected = (await reference._call(audio)).input_features.data as Float32Array;
        const actual = ours.compute(audio);
        expect(actual.length).toBe(expected.length);
        let worst = 0;
        for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
        expect(worst).toBeLessThan(1e-5);
      }
    });
  }
});
