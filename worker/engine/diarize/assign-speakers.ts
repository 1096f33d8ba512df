import type { Segment } from '../../../contracts/domain';
import { dominantSpeaker, type SpeakerTurn } from './turns';

/**
 * Labels every word with the speaker covering it most, then splits segments where the speaker
 * changes mid-segment (Whisper's segments follow pauses and punctuation, not voices), so each
 * segment — a subtitle, a paragraph of the export — has one speaker.
 */
export function assignSpeakers(segments: readonly Segment[], turns: readonly SpeakerTurn[]): Segment[] {
  if (turns.length === 0) return segments.map((segment) => ({ ...segment, speaker: null, words: segment.words.map((word) => ({ ...word, speaker: null })) }));
  const out: Segment[] = [];
  for (const segment of segments) {
    if (segment.words.length === 0) {
      out.push({ ...segment, speaker: dominantSpeaker(turns, segment.start, segment.end) });
      continue;
    }
    const words = segment.words.map((word) => ({ ...word, speaker: dominantSpeaker(turns, word.start, word.end) }));
    let from = 0;
    for (let i = 1; i <= words.length; i++) {
      if (i < words.length && words[i]!.speaker === words[from]!.speaker) continue;
      const part = words.slice(from, i);
      const whole = from === 0 && i === words.length;
      out.push({
        ...segment,
        start: whole ? segment.start : part[0]!.start,
        end: whole ? segment.end : part.at(-1)!.end,
        text: whole ? segment.text : part.map((word) => word.text.trim()).join(' '),
        speaker: part[0]!.speaker,
        words: part,
      });
      from = i;
    }
  }
  return out;
}
