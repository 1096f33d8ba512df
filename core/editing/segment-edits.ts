import type { Segment } from '../../contracts/domain';
import { JobError } from '../errors';

/**
 * A segment cut before its word `at`: the first part ends where its last word ends, the second
 * starts where its first word starts. Both keep the speaker, which the user then changes on either.
 */
export function splitSegment(segment: Segment, at: number): [Segment, Segment] {
  if (segment.words.length < 2) throw new JobError('This segment has no words to split between.', 'invalid-request');
  if (at < 1 || at >= segment.words.length) throw new JobError(`A segment of ${segment.words.length} words can be split before words 2 to ${segment.words.length}.`, 'invalid-request');
  const head = segment.words.slice(0, at);
  const tail = segment.words.slice(at);
  return [
    { ...segment, end: head[head.length - 1]!.end, text: textOf(head), words: head },
    { ...segment, start: tail[0]!.start, text: textOf(tail), words: tail },
  ];
}

/** Two neighbouring segments as one, said by the first one's speaker (the user merges what one person said). */
export function mergeSegments(first: Segment, second: Segment): Segment {
  const words = [...first.words, ...second.words].map((word) => ({ ...word, speaker: first.speaker }));
  return {
    ...first,
    end: Math.max(first.end, second.end),
    text: [first.text, second.text].filter((text) => text.trim() !== '').join(' '),
    // The less certain of the two: the merged segment is no surer than its weaker half.
    avgLogprob: Math.min(first.avgLogprob, second.avgLogprob),
    noSpeechProb: Math.max(first.noSpeechProb, second.noSpeechProb),
    temperature: Math.max(first.temperature, second.temperature),
    words,
  };
}

/** The segment said by `speaker`, every word of it too (exports read either). */
export function withSpeaker(segment: Segment, speaker: number): Segment {
  return { ...segment, speaker, words: segment.words.map((word) => ({ ...word, speaker })) };
}

function textOf(words: Segment['words']): string {
  return words.map((word) => word.text).join(' ');
}
