import type { Transcript } from '../../contracts/domain';

/** A run of consecutive segments by one speaker: a paragraph of a document export. */
export interface SpeakerBlock {
  /** The speaker's name; null when the transcript has no speaker labels. */
  speaker: string | null;
  start: number;
  end: number;
  text: string;
}

/**
 * Paragraphs for documents: with speakers, one per turn (consecutive segments of one speaker
 * joined); without, one per segment, as Whisper cut them.
 */
export function speakerBlocks(transcript: Transcript): SpeakerBlock[] {
  const nameOf = speakerNames(transcript);
  const blocks: SpeakerBlock[] = [];
  let lastSpeaker: number | null = null;
  for (const segment of transcript.segments) {
    const name = nameOf(segment.speaker);
    const previous = blocks.at(-1);
    if (previous && name !== null && segment.speaker === lastSpeaker) {
      previous.text = `${previous.text} ${segment.text}`;
      previous.end = segment.end;
    } else blocks.push({ speaker: name, start: segment.start, end: segment.end, text: segment.text });
    lastSpeaker = segment.speaker;
  }
  return blocks;
}

/** A speaker's name for each speaker index, for labels in exports. */
export function speakerNames(transcript: Transcript): (speaker: number | null) => string | null {
  const names = new Map(transcript.speakers.map((speaker) => [speaker.id, speaker.name]));
  return (speaker) => (speaker === null ? null : (names.get(speaker) ?? `Speaker ${speaker + 1}`));
}
