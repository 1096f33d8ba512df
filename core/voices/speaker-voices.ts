import type { EditableTranscript } from '../../contracts/domain';
import type { TranscriptEditing } from '../editing/transcript-editing';
import { JobError } from '../errors';
import { isDefaultSpeakerName } from '../../contracts/voices';
import type { VoiceLibrary } from './voice-library';

/** What the transcript view asks of the voice library: each answers with the transcript as it now is. */
export class SpeakerVoices {
  constructor(
    private readonly voices: VoiceLibrary,
    private readonly editing: TranscriptEditing,
    private readonly changed: (mediaId: number) => void,
  ) {}

  /** Saves the speaker's voice under the name the user gave them. */
  remember(mediaId: number, speaker: number): EditableTranscript {
    const name = this.speakerName(mediaId, speaker);
    if (isDefaultSpeakerName(name)) throw new JobError(`Name ${name} first: a voice is saved under the name you give it.`, 'invalid');
    this.voices.remember(mediaId, speaker, name);
    return this.done(mediaId);
  }

  confirm(mediaId: number, speaker: number): EditableTranscript {
    this.speakerName(mediaId, speaker);
    const name = this.voices.confirm(mediaId, speaker);
    return this.editing.renameSpeaker(mediaId, speaker, name);
  }

  reject(mediaId: number, speaker: number): EditableTranscript {
    this.speakerName(mediaId, speaker);
    this.voices.reject(mediaId, speaker);
    return this.done(mediaId);
  }

  private speakerName(mediaId: number, speaker: number): string {
    const found = this.editing.get(mediaId)?.speakers.find((each) => each.id === speaker);
    if (!found) throw new JobError(`The transcript has no speaker ${speaker + 1}.`, 'not-found');
    return found.name;
  }

  private done(mediaId: number): EditableTranscript {
    this.changed(mediaId);
    return this.editing.get(mediaId)!;
  }
}
