import { describe, expect, it } from 'vitest';
import { buildSegments, wordsInSegment } from '../../worker/engine/whisper/segments';

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

describe('word times inside a segment', () => {
  const word = (text: string, start: number, end: number) => ({ text, start, end, probability: 0.9, speaker: null });
  const times = (words: ReturnType<typeof wordsInSegment>) => words.map((each) => [each.text, Number(each.start.toFixed(3)), Number(each.end.toFixed(3))]);

  it('keeps an alignment that gives every word its time, clamped to the segment', () => {
    const words = [word('I', 1.0, 1.2), word('think', 1.2, 1.6), word('so.', 1.6, 2.4)];
    expect(times(wordsInSegment(words, 1.0, 2.2))).toEqual([['I', 1, 1.2], ['think', 1.2, 1.6], ['so.', 1.6, 2.2]]);
  });

  it('spreads a segment whose words piled up at its end (the alignment put them past it) over the segment, by letters', () => {
    // As on far-field meeting audio: eight words aligned after the segment, clamped to its end with no length.
    const words = ['I', 'think', 'there', 'should', 'be', 'a', 'break', 'for'].map((text) => word(text, 12.44, 12.44));
    const spread = wordsInSegment(words, 7.55, 12.44);
    expect(spread[0]!.start).toBe(7.55);
    expect(spread.at(-1)!.end).toBeCloseTo(12.44, 9);
    for (let index = 1; index < spread.length; index += 1) expect(spread[index]!.start).toBeCloseTo(spread[index - 1]!.end, 9);
    // "should" (6 letters) lasts longer than "a" (1).
    expect(spread[3]!.end - spread[3]!.start).toBeGreaterThan(3 * (spread[5]!.end - spread[5]!.start));
  });

  it('gives a last word squeezed onto the segment\'s end the second half of the word before it', () => {
    const words = [word('Great,', 4.85, 5.49), word('thank', 5.49, 5.55), word('you.', 5.55, 5.55)];
    expect(times(wordsInSegment(words, 4.85, 5.55))).toEqual([['Great,', 4.85, 5.49], ['thank', 5.49, 5.52], ['you.', 5.52, 5.55]]);
  });

  it('lets words without time share the gap up to the next word', () => {
    const words = [word('So', 2.0, 2.3), word('it', 2.3, 2.3), word('is', 2.3, 2.3), word('all', 2.9, 3.1), word('done.', 3.1, 3.4)];
    expect(times(wordsInSegment(words, 2.0, 3.4))).toEqual([['So', 2, 2.3], ['it', 2.3, 2.6], ['is', 2.6, 2.9], ['all', 2.9, 3.1], ['done.', 3.1, 3.4]]);
  });
});
