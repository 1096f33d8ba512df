import type { Word } from '../../contracts/domain';

/** Words compared as spoken: case and punctuation differ between decodes of the same audio. */
export function spoken(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}']+/gu, '');
}

/**
 * LocalAgreement-2 (Macháček et al., ufal/whisper_streaming): of the words two consecutive decodes of
 * the growing buffer propose after what is already confirmed, the longest common prefix is
 * confirmed; the rest stays provisional until the next decode agrees. Confirmed words are taken
 * from the newer decode (its times have seen more audio).
 */
export function agreedPrefix(previous: readonly Word[], current: readonly Word[]): number {
  let count = 0;
  while (count < previous.length && count < current.length && spoken(previous[count]!.text) === spoken(current[count]!.text)) count++;
  return count;
}

/**
 * The decode's words that are new: those after the last confirmed word's end (less a little, since
 * word times move between decodes), without a repeat of the confirmed tail the decode began with
 * (Whisper often says the last confirmed words again when the buffer still holds them).
 */
export function newWords(hypothesis: readonly Word[], confirmed: readonly Word[], confirmedEndSec: number): Word[] {
  const after = hypothesis.filter((word) => word.start > confirmedEndSec - 0.1);
  for (let n = Math.min(5, confirmed.length, after.length); n >= 1; n--) {
    const tail = confirmed.slice(-n).map((word) => spoken(word.text)).join(' ');
    const head = after.slice(0, n).map((word) => spoken(word.text)).join(' ');
    if (tail === head) return after.slice(n);
  }
  return after;
}
