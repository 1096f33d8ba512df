import type { Word } from '../../contracts/domain';
import type { LiveSettings } from '../../contracts/live-protocol';
import { transcribeClip } from '../engine/transcribe';
import type { WhisperModel } from '../engine/whisper/whisper-model';
import type { ClipDecoder } from './live-transcriber';

/**
 * Whisper for live clips. With language detection, the language heard in the first speech is kept
 * for the rest of the recording, so captions do not switch language between utterances.
 */
export class WhisperClipDecoder implements ClipDecoder {
  private language: string | null;

  constructor(
    private readonly model: WhisperModel,
    private readonly settings: Pick<LiveSettings, 'language' | 'languageFallback' | 'task' | 'initialPrompt'>,
  ) {
    this.language = settings.language;
  }

  async decode(audio: Float32Array, previous: string, signal: AbortSignal): Promise<Word[]> {
    const context = [this.settings.initialPrompt, previous].filter(Boolean).join(' ');
    const { segments, language } = await transcribeClip(this.model, audio, {
      language: this.language,
      languageFallback: this.settings.languageFallback,
      task: this.settings.task,
      previous: context ? this.model.encodePrompt(context) : [],
      signal,
    });
    if (segments.length > 0) this.language ??= language;
    return segments.flatMap((segment) => segment.words);
  }
}
