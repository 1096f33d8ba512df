import { describe, expect, it } from 'vitest';
import { normaliseEnglish } from '../../bench/lib/english-normaliser';
import { wordErrorRate } from '../../bench/lib/word-error-rate';

const norm = (text: string) => normaliseEnglish(text).join(' ');

describe('English normalisation for WER (Whisper’s rules)', () => {
  it('reads spelled-out numbers, years and ordinals as digits', () => {
    expect(norm('in fourteen fifty five')).toBe('in 1455');
    expect(norm('three hundred and five men')).toBe('305 men');
    expect(norm('two thousand and twenty four')).toBe('2024');
    expect(norm('twelve thousand, or 12,000')).toBe('12000 or 12000');
    expect(norm('the fifteenth, the twenty first, the 15th')).toBe('the 15th the 21st the 15th');
    expect(norm('sixty-four')).toBe('64');
    expect(norm('one two three')).toBe('123');
  });

  it('spells out titles, expands contractions, Americanises spelling, drops fillers and punctuation', () => {
    expect(norm('Mr. Smith and Mrs. Jones')).toBe('mister smith and missus jones');
    expect(norm("It's the colour, won't you see? I'd, um, say")).toBe('it is the color will not you see i would say');
    expect(norm('[laughter] Hello (inaudible) there')).toBe('hello there');
  });

  it('makes WER count hearing, not spelling', () => {
    expect(wordErrorRate('Printing began in fourteen fifty five, Mr. Caxton said', 'Printing began in 1455, Mister Caxton said.')).toBe(0);
    expect(wordErrorRate('on the fifteenth of May', 'on the 15th of May')).toBe(0);
    expect(wordErrorRate('on the fifteenth of May', 'on the 16th of May')).toBeCloseTo(1 / 5);
  });
});
