import { describe, expect, it } from 'vitest';
import { buildSegments } from '../../worker/engine/whisper/segments';

// A toy vocabulary: ids below 50 are text, 50 is end-of-text, 100 is <|0.00|> (20 ms a step).
const vocabulary: Record<number, string> = { 1: ' Hello', 2: ' world', 3: '.', 4: ' Bye', 5: ' caf', 6: 'é', 7: '日', 8: '本' };
const decode = (ids: number[]) => ids.map((id) => vocabulary[id] ?? '').join('');
const ts = (sec: number) => 100 + Math.round(sec / 0.02);
const stats = { avgLogprob: -0.2, noSpeechProb: 0.01, temperature: 0, speaker: null };

describe('segments and words from a timestamped token sequence', () => {
  it('splits at timestamp pairs; words start at spaces, punctuation joins the word before', () => {
    const segments = buildSegments(
      {
        tokens: [ts(0), 1, 2, 3, ts(0.5), ts(0.5), 4, ts(1)],
        logprobs: [0, Math.log(0.9), Math.log(0.5), Math.log(0.7), 0, 0, Math.log(0.8), 0],
        textTokenStarts: [0.04, 0.2, 0.4, 0.6, 0.9],
        timestampBegin: 100,
        eot: 50,
        durationSec: 2,
      },
      decode,
      'en',
      stats,
    );
    expect(segments).toEqual([
      {
        start: 0,
        end: 0.5,
        text: 'Hello world.',
        ...stats,
        words: [
          { text: 'Hello', start: 0.04, end: 0.2, probability: 0.9, speaker: null },
          // 'world' + '.', ending where the next word starts, clamped to its segment.
          { text: 'world.', start: 0.2, end: 0.5, probability: 0.6, speaker: null },
        ],
      },
      { start: 0.5, end: 1, text: 'Bye', ...stats, words: [{ text: 'Bye', start: 0.6, end: 0.9, probability: 0.8, speaker: null }] },
    ]);
  });

  it('a segment left open when decoding stopped ends with the audio', () => {
    const [segment] = buildSegments(
      { tokens: [ts(0.2), 5, 6], logprobs: [0, -0.1, -0.1], textTokenStarts: [0.3, 0.5, 1.5], timestampBegin: 100, eot: 50, durationSec: 1.7 },
      decode,
      'fr',
      stats,
    );
    expect(segment).toMatchObject({ start: 0.2, end: 1.7, text: 'café', words: [{ text: 'café', start: 0.3, end: 1.5 }] });
  });

  it('languages written without spaces get a word per character', () => {
    const [segment] = buildSegments(
      { tokens: [ts(0), 7, 8, ts(1)], logprobs: [0, 0, 0, 0], textTokenStarts: [0, 0.4, 0.8], timestampBegin: 100, eot: 50, durationSec: 1 },
      decode,
      'ja',
      stats,
    );
    expect(segment!.words.map((word) => word.text)).toEqual(['日', '本']);
  });

  it('timestamps with no text between them make no segment', () => {
    expect(
      buildSegments({ tokens: [ts(0), ts(1)], logprobs: [0, 0], textTokenStarts: [0], timestampBegin: 100, eot: 50, durationSec: 1 }, decode, 'en', stats),
    ).toEqual([]);
  });
});
