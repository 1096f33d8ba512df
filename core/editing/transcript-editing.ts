import type { EditableTranscript, Speaker } from '../../contracts/domain';
import type { SpeakerVoice } from '../../contracts/voices';
import { JobError } from '../errors';
import type { TranscriptEdits, SpeakerChoice } from '../library/transcript-edits';
import type { TranscriptStore } from '../library/transcript-store';

/**
 * What the editor asks of the library: each change answers with the transcript as it now is (and
 * its undo history), and tells listeners the recording changed so lists and search follow.
 */
export class TranscriptEditing {
  constructor(
    private readonly transcripts: TranscriptStore,
    private readonly edits: TranscriptEdits,
    /** Throws the not-found error for a recording that is not in the library. */
    private readonly requireMedia: (mediaId: number) => void,
    private readonly changed: (mediaId: number) => void,
    /** Which of the transcript's speakers are, or may be, saved voices. */
    private readonly voicesOf: (mediaId: number, speakers: readonly Speaker[]) => SpeakerVoice[] = () => [],
  ) {}

  get(mediaId: number): EditableTranscript | null {
    this.requireMedia(mediaId);
    const transcript = this.transcripts.get(mediaId);
    return transcript && { ...transcript, history: this.edits.history(mediaId), voices: this.voicesOf(mediaId, transcript.speakers) };
  }

  editText(mediaId: number, segment: number, text: string): EditableTranscript {
    return this.apply(mediaId, () => this.edits.editText(mediaId, segment, text));
  }

  setSpeaker(mediaId: number, segment: number, choice: SpeakerChoice): EditableTranscript {
    return this.apply(mediaId, () => this.edits.setSpeaker(mediaId, segment, choice));
  }

  split(mediaId: number, segment: number, word: number): EditableTranscript {
    return this.apply(mediaId, () => this.edits.split(mediaId, segment, word));
  }

  mergeWithNext(mediaId: number, segment: number): EditableTranscript {
    return this.apply(mediaId, () => this.edits.mergeWithNext(mediaId, segment));
  }

  renameSpeaker(mediaId: number, speaker: number, name: string): EditableTranscript {
    return this.apply(mediaId, () => this.edits.renameSpeaker(mediaId, speaker, name.trim()));
  }

  mergeSpeakers(mediaId: number, from: number, into: number): EditableTranscript {
    return this.apply(mediaId, () => this.edits.mergeSpeakers(mediaId, from, into));
  }

  undo(mediaId: number): EditableTranscript {
    return this.apply(mediaId, () => {
      if (!this.edits.undo(mediaId)) throw new JobError('There is nothing to undo.', 'nothing-to-undo');
    });
  }

  redo(mediaId: number): EditableTranscript {
    return this.apply(mediaId, () => {
      if (!this.edits.redo(mediaId)) throw new JobError('There is nothing to redo.', 'nothing-to-redo');
    });
  }

  private apply(mediaId: number, edit: () => void): EditableTranscript {
    this.requireMedia(mediaId);
    edit();
    this.changed(mediaId);
    return this.get(mediaId)!;
  }
}
