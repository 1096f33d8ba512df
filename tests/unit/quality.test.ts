import { describe, expect, it } from 'vitest';
import { bestOf, compressionRatio, isSilence, needsFallback, repeatsPhrase } from '../../worker/engine/whisper/quality';

describe('decode quality checks', () => {
  it('a repetition loop compresses far better than speech', () => {
    expect(compressionRatio('Good morning everyone, thanks for joining the weekly planning meeting.')).toBeLessThan(1.5);
    expect(compressionRatio(' a little bit more of'.repeat(20))).toBeGreaterThan(2.4);
  });

  it('retries loops and guesses, not silence', () => {
    const speech = { text: 'We spent about twelve thousand dollars.', avgLogprob: -0.3, noSpeechProb: 0.01 };
    expect(needsFallback(speech)).toBe(false);
    expect(needsFallback({ ...speech, text: ' and so on'.repeat(30) })).toBe(true);
    expect(needsFallback({ ...speech, avgLogprob: -1.4 })).toBe(true);
    const silence = { text: 'Thank you.', avgLogprob: -1.5, noSpeechProb: 0.9 };
    expect(isSilence(silence)).toBe(true);
    expect(needsFallback(silence)).toBe(false);
    // Confident text despite a high no-speech probability is speech.
    expect(isSilence({ ...silence, avgLogprob: -0.2 })).toBe(false);
  });

  it('a phrase said over and over is a loop even where it compresses too little to notice', () => {
    // What whisper-base made of a far-field English meeting read as Welsh.
    const welsh = " Mae'r rhannu'r rhannu'r rhannu pwyd.".repeat(6);
    expect(repeatsPhrase(welsh)).toBe(true);
    expect(repeatsPhrase(' Thank you.'.repeat(5))).toBe(true);
    expect(repeatsPhrase('So the plan is, the plan is. Okay, so we go and we go and we go from here.')).toBe(false);
    // People repeat a word or two, not a sentence four times running.
    expect(repeatsPhrase('No, no, no, that is not what I meant. Really, really.')).toBe(false);
    expect(needsFallback({ text: ' Thank you.'.repeat(5), avgLogprob: -0.2, noSpeechProb: 0 })).toBe(true);
  });

  it('when every temperature failed: the likeliest non-loop; nothing when every one loops', () => {
    const loop = { text: ' the the the'.repeat(30), avgLogprob: -0.1, noSpeechProb: 0 };
    const unsure = { text: 'Something close to what was said.', avgLogprob: -1.3, noSpeechProb: 0 };
    const worse = { text: 'Something else entirely.', avgLogprob: -2.2, noSpeechProb: 0 };
    expect(bestOf([loop, worse, unsure])).toBe(unsure);
    const shorterLoop = { text: ' la la'.repeat(10), avgLogprob: -0.5, noSpeechProb: 0 };
    expect(bestOf([loop, shorterLoop])).toBeNull();
  });
});
