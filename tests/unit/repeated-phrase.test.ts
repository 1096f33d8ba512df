import { describe, expect, it } from 'vitest';
import { repeatsLongPhrase } from '../../worker/engine/whisper/quality';

describe('a phrase said twice in one window', () => {
  it('finds five or more words said again, near or apart', () => {
    expect(repeatsLongPhrase('Then in the same operations with ugly ones, we’ll start with the same operations with ugly ones.')).toBe(true);
    expect(repeatsLongPhrase('For a full hour he had paced up and down waiting, but he could wait no longer. He could wait no longer.')).toBe(true);
  });

  it('lets shorter repeats and ordinary sentences be', () => {
    expect(repeatsLongPhrase('No, no, no. I said the same thing and the same thing only.')).toBe(false);
    expect(repeatsLongPhrase('Printing, in the only sense with which we are at present concerned, differs from most if not from all the arts.')).toBe(false);
    // Overlapping sayings are a loop, which the compression ratio and repeatsPhrase judge.
    expect(repeatsLongPhrase('la la la la la')).toBe(false);
    expect(repeatsLongPhrase('')).toBe(false);
  });
});
