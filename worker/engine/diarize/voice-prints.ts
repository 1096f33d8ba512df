import type { SpeakerPrint } from '../../../contracts/voices';
import { SAMPLE_RATE, type PcmFile } from '../audio/pcm-file';
import { CEPSTRA, cepstra } from './cepstra';
import { fbank, FBANK_FRAME_LENGTH } from './fbank';
import type { SpeakerTurn } from './turns';

/** The most of a speaker's speech a print reads, longest turns first: past a minute it stops changing. */
const MAX_PRINT_SEC = 60;
/** Less speech than this gives no print: too little to recognise anyone by. */
const MIN_PRINT_SEC = 1;

/**
 * The built-in tier's voice print of each speaker: the mean of their mel cepstra c1…c19, each
 * multiplied by its index (a lifter, so the higher coefficients, which carry the vocal tract rather
 * than the overall tilt of the spectrum, count as much as the first). Not standardised per
 * recording: a print is compared with prints of other recordings. Between sessions it still carries
 * the microphone and room, so it recognises less surely than the neural tier's embeddings
 * (docs/BENCHMARKS.md, npm run bench:voices).
 */
export function cepstralPrints(pcm: PcmFile, turns: readonly SpeakerTurn[]): SpeakerPrint[] {
  const speakers = [...new Set(turns.map((turn) => turn.speaker))].sort((a, b) => a - b);
  const prints: SpeakerPrint[] = [];
  for (const speaker of speakers) {
    const longestFirst = turns.filter((turn) => turn.speaker === speaker).sort((a, b) => b.end - b.start - (a.end - a.start));
    const sum = new Float64Array(CEPSTRA);
    let frames = 0;
    let readSec = 0;
    for (const turn of longestFirst) {
      if (readSec >= MAX_PRINT_SEC) break;
      const sec = Math.min(turn.end - turn.start, MAX_PRINT_SEC - readSec);
      const samples = pcm.read(Math.round(turn.start * SAMPLE_RATE), Math.round(sec * SAMPLE_RATE));
      if (samples.length < FBANK_FRAME_LENGTH) continue;
      const features = fbank(samples);
      const rows = cepstra(features);
      for (let f = 0; f < features.numFrames; f++) for (let c = 0; c < CEPSTRA; c++) sum[c]! += rows[f * CEPSTRA + c]!;
      frames += features.numFrames;
      readSec += sec;
    }
    if (readSec < MIN_PRINT_SEC || frames === 0) continue;
    prints.push({ speaker, kind: 'builtin:cepstra-v1', vector: Array.from(sum, (value, c) => (value / frames) * (c + 1)) });
  }
  return prints;
}
