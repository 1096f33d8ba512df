import type { Word } from '../../contracts/domain';
import type { LiveCaption } from '../../contracts/live-protocol';
import { SAMPLE_RATE } from '../engine/audio/pcm-file';
import { agreedPrefix, newWords } from './local-agreement';

/** Decodes a clip of at most 30 s; words in the clip's own time. `previous`: confirmed text before it. */
export interface ClipDecoder {
  decode(audio: Float32Array, previous: string, signal: AbortSignal): Promise<Word[]>;
}

/** Speech probability of each successive frame of `frameSamples` samples. */
export interface FrameScorer {
  readonly frameSamples: number;
  score(frame: Float32Array): Promise<number>;
}

/**
 * The live policy. Times are seconds of the recording; all of them are tunable here and nowhere else.
 * An utterance starts at a frame the VAD is sure of and ends after END_SILENCE_SEC below its lower
 * threshold (hysteresis, as Silero's own iterator); it is decoded with PRE_ROLL_SEC before its
 * first speech frame, so its first word is whole.
 */
export const LIVE_POLICY = {
  startThreshold: 0.5,
  endThreshold: 0.35,
  preRollSec: 0.4,
  endSilenceSec: 0.5,
  endPadSec: 0.25,
  /** Utterances with less speech than this (a click, a cough) are not decoded at all. */
  minSpeechSec: 0.25,
  /** The growing utterance is decoded again once this much more audio has been heard. */
  decodeEverySec: 1,
  /** Agreed words are confirmed only once this much audio has been heard after them. */
  agreeMarginSec: 0.5,
  /** A decode that heard this far past the end of speech already has the utterance's last words. */
  heardEndSec: 0.1,
  /** Past this, the buffer is trimmed to its last confirmed word. */
  trimAfterSec: 15,
  /** Whisper sees at most 30 s: past this, the provisional words are confirmed as they stand. */
  maxBufferSec: 27,
  /** Decoding this far behind what was heard: captions skip ahead rather than lag more and more. */
  maxBehindSec: 8,
  /** Once skipped, captions resume this far before the newest audio. */
  resumeBeforeSec: 1,
  /** A segment that has grown this long ends at its next confirmed word. */
  maxSegmentSec: 20,
} as const;

type Heard = { type: 'end'; speechEndSec: number } | { type: 'pause' };

interface Utterance {
  speechStartSec: number;
  speechEndSec: number;
  speechSec: number;
  /** Whether a caption of this utterance was shown yet (its first-words latency is measured once). */
  shown: boolean;
}

/**
 * Turns audio, as it arrives, into live captions: partial (provisional) text about once a second
 * while someone speaks and final text as LocalAgreement-2 confirms it or the utterance ends. Only
 * what the VAD calls speech is decoded; a caption's latency is measured from when its audio arrived.
 * Push audio with push(); run() works until end() and everything heard is done.
 */
export class LiveTranscriber {
  private samples = new Float32Array(SAMPLE_RATE * 4);
  private length = 0;
  /** Recording sample index of samples[0]: audio before what may still be decoded is let go. */
  private origin = 0;
  private readonly arrivals: Array<{ endSample: number; atMs: number }> = [];
  private heard = 0;
  private scored = 0;
  private utterance: Utterance | null = null;
  /** Where the buffer the utterance is decoded from begins. */
  private bufferStartSec = 0;
  private lastDecodedSec = 0;
  private readonly confirmed: Word[] = [];
  private confirmedEndSec = 0;
  private hypothesis: Word[] = [];
  private segment = 0;
  private utteranceStartSec = 0;
  private caughtUp = false;
  /** What the VAD found while a decode was running, for the loop to act on next. */
  private heardMeanwhile: Heard | null = null;
  private segmentStartSec: number | null = null;
  private closed = false;
  private flushRequested = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly decoder: ClipDecoder,
    private readonly vad: FrameScorer,
    private readonly emit: (caption: LiveCaption) => void,
    private readonly now: () => number = Date.now,
    /** Called whenever everything heard is done and it waits for more (a benchmark's clock advances then). */
    private readonly onWaiting: () => void = () => undefined,
  ) {}

  get heardSec(): number {
    return this.heard / SAMPLE_RATE;
  }

  /** How far captions trail the audio heard. */
  get behindSec(): number {
    const caughtUp = this.utterance ? this.lastDecodedSec : this.scored / SAMPLE_RATE;
    return Math.max(0, this.heardSec - caughtUp);
  }

  push(audio: Float32Array, arrivedAtMs = this.now()): void {
    if (this.closed) return;
    if (this.length + audio.length > this.samples.length) {
      const grown = new Float32Array(Math.max(this.samples.length * 2, this.length + audio.length));
      grown.set(this.samples.subarray(0, this.length));
      this.samples = grown;
    }
    this.samples.set(audio, this.length);
    this.length += audio.length;
    this.heard += audio.length;
    this.arrivals.push({ endSample: this.heard, atMs: arrivedAtMs });
    this.poke();
  }

  /** Paused: the utterance in progress is finished now rather than at the next silence. */
  flush(): void {
    this.flushRequested = true;
    this.poke();
  }

  /** No more audio: run() finishes what was heard and returns. */
  end(): void {
    this.closed = true;
    this.poke();
  }

  async run(signal: AbortSignal): Promise<void> {
    for (;;) {
      signal.throwIfAborted();
      // Audio held while the model opened is a backlog to catch up on, not a sign of overload: only
      // once captions have caught up once does falling behind make them skip.
      if (this.caughtUp && this.behindSec > LIVE_POLICY.maxBehindSec) {
        this.skipAhead();
        continue;
      }
      const heard = this.heardMeanwhile ?? (await this.scoreHeard());
      this.heardMeanwhile = null;
      if (heard?.type === 'end') await this.finishUtterance(heard.speechEndSec, signal);
      else if (heard?.type === 'pause') await this.decodeGrowing(signal, false);
      else if (this.utterance && this.scored / SAMPLE_RATE - this.lastDecodedSec >= LIVE_POLICY.decodeEverySec) await this.decodeGrowing(signal);
      else if (this.flushRequested || (this.closed && this.heard - this.scored < this.vad.frameSamples)) {
        this.flushRequested = false;
        if (this.utterance) await this.finishUtterance(this.heardSec, signal);
        else this.emitStatus();
        if (this.closed) return;
      } else if (this.heard - this.scored >= this.vad.frameSamples) {
        // Audio arrived while this turn ran: no waiting for more.
        continue;
      } else {
        this.emitStatus();
        if (this.heard > 0) this.caughtUp = true;
        const more = new Promise<void>((resolve) => (this.wake = resolve));
        this.onWaiting();
        await more;
      }
      this.forget();
    }
  }

  private poke(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /**
   * Scores every whole frame heard. Stops at the end of an utterance, saying where its speech ended,
   * and at the start of a pause that may be one: decoding then, rather than at the next second,
   * means the words are ready when the pause turns out to be the end.
   */
  private async scoreHeard(): Promise<Heard | null> {
    const size = this.vad.frameSamples;
    const frameSec = size / SAMPLE_RATE;
    while (this.heard - this.scored >= size) {
      const at = this.scored - this.origin;
      const probability = await this.vad.score(this.samples.subarray(at, at + size));
      const startSec = this.scored / SAMPLE_RATE;
      this.scored += size;
      const endSec = this.scored / SAMPLE_RATE;
      const speech = this.utterance;
      if (!speech) {
        if (probability < LIVE_POLICY.startThreshold) continue;
        this.utterance = { speechStartSec: startSec, speechEndSec: endSec, speechSec: frameSec, shown: false };
        this.bufferStartSec = Math.max(this.bufferStartSec, startSec - LIVE_POLICY.preRollSec, this.origin / SAMPLE_RATE);
        this.lastDecodedSec = this.bufferStartSec;
        this.utteranceStartSec = this.bufferStartSec;
        continue;
      }
      if (probability >= LIVE_POLICY.endThreshold) {
        speech.speechEndSec = endSec;
        speech.speechSec += frameSec;
      } else if (endSec - speech.speechEndSec >= LIVE_POLICY.endSilenceSec) {
        return { type: 'end', speechEndSec: speech.speechEndSec };
      } else if (endSec - speech.speechEndSec >= LIVE_POLICY.heardEndSec && this.lastDecodedSec < speech.speechEndSec + LIVE_POLICY.heardEndSec) {
        return { type: 'pause' };
      }
    }
    return null;
  }

  /**
   * The growing utterance decoded again: what two decodes in a row agree on is confirmed. While it
   * decodes, the VAD goes on listening; a pause beginning (`interruptible`) makes this decode moot —
   * the one at the pause hears more — so it is abandoned rather than waited for.
   */
  private async decodeGrowing(signal: AbortSignal, interruptible = true): Promise<void> {
    const endSec = this.scored / SAMPLE_RATE;
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    signal.addEventListener('abort', abort, { once: true });
    let settled = false;
    const decoding = this.decodeBuffer(endSec, controller.signal).finally(() => {
      settled = true;
      this.poke();
    });
    decoding.catch(() => undefined);
    while (interruptible && !settled) {
      if (!this.heardMeanwhile) {
        this.heardMeanwhile = await this.scoreHeard();
        if (this.heardMeanwhile) controller.abort();
      }
      if (!settled) await new Promise<void>((resolve) => (this.wake = resolve));
    }
    let words: Word[];
    try {
      words = await decoding;
    } catch (error) {
      if (controller.signal.aborted && !signal.aborted) return;
      throw error;
    } finally {
      signal.removeEventListener('abort', abort);
    }
    this.lastDecodedSec = endSec;
    const fresh = newWords(words, this.confirmed, this.confirmedEndSec);
    // Agreed words still at the edge of what was heard may be cut short ("wood" of "woodcutters"): they wait.
    let agreed = agreedPrefix(this.hypothesis, fresh);
    while (agreed > 0 && fresh[agreed - 1]!.end > endSec - LIVE_POLICY.agreeMarginSec) agreed--;
    this.confirm(fresh.slice(0, agreed), false);
    this.hypothesis = fresh.slice(agreed);
    if (endSec - this.bufferStartSec > LIVE_POLICY.maxBufferSec) {
      this.confirm(this.hypothesis, false);
      this.hypothesis = [];
    }
    if (agreed > 0 && endSec - this.bufferStartSec > LIVE_POLICY.trimAfterSec) {
      // Cut in the gap after the last confirmed word: the confirmed words go to the prompt instead.
      // Only past trimAfterSec: cutting at every confirmation costs small models words at the cuts.
      const last = fresh[agreed - 1]!;
      const next = this.hypothesis[0];
      this.bufferStartSec = Math.min(endSec, next ? Math.max(last.end, Math.min(next.start, (last.end + next.start) / 2)) : last.end);
    }
    this.showPartial();
  }

  /** The utterance is over: its last decode confirms every word it still holds. */
  private async finishUtterance(speechEndSec: number, signal: AbortSignal): Promise<void> {
    const utterance = this.utterance!;
    const endSec = Math.min(this.heardSec, speechEndSec + LIVE_POLICY.endPadSec);
    if (utterance.speechSec >= LIVE_POLICY.minSpeechSec) {
      // The last decode already heard the utterance to its end: its words stand, no need to wait for another.
      const words = this.lastDecodedSec >= speechEndSec + LIVE_POLICY.heardEndSec ? this.hypothesis : newWords(await this.decodeBuffer(endSec, signal), this.confirmed, this.confirmedEndSec);
      this.confirm(words, true, Math.max(0, this.now() - this.arrivedAt(speechEndSec)));
    }
    this.restartAt(endSec);
    this.emitStatus();
  }

  /** Everything but the newest second is left to the recording; the VAD starts again there too. */
  private skipAhead(): void {
    const fromSec = this.utterance ? this.lastDecodedSec : this.scored / SAMPLE_RATE;
    const toSec = Math.max(fromSec, this.heardSec - LIVE_POLICY.resumeBeforeSec);
    this.emit({ type: 'skipped', fromSec, toSec });
    this.heardMeanwhile = null;
    this.scored = Math.max(this.scored, Math.round(toSec * SAMPLE_RATE));
    this.restartAt(toSec);
  }

  /** No utterance in progress from `sec` on: the caption line ends and the provisional tail is cleared. */
  private restartAt(sec: number): void {
    this.utterance = null;
    this.hypothesis = [];
    this.bufferStartSec = sec;
    this.lastDecodedSec = sec;
    if (this.segmentStartSec !== null) {
      this.segment++;
      this.segmentStartSec = null;
    }
    this.emit({ type: 'partial', segment: this.segment, text: '', start: sec, end: sec, latencyMs: null });
  }

  private async decodeBuffer(endSec: number, signal: AbortSignal): Promise<Word[]> {
    const from = Math.round(this.bufferStartSec * SAMPLE_RATE) - this.origin;
    const to = Math.round(endSec * SAMPLE_RATE) - this.origin;
    if (to - from < this.vad.frameSamples) return [];
    // Only this utterance's own confirmed words: earlier utterances' text, as a prompt, gets repeated
    // by small models into the silence that follows (the file pipeline does not condition on it either).
    const previous = this.confirmed
      .filter((word) => word.start >= this.utteranceStartSec && word.end <= this.bufferStartSec + 0.05)
      .map((word) => word.text)
      .join(' ');
    const words = await this.decoder.decode(this.samples.slice(Math.max(0, from), to), previous, signal);
    return words.map((word) => ({ ...word, start: round(word.start + this.bufferStartSec), end: round(word.end + this.bufferStartSec) }));
  }

  /** `latencyMs`: for an utterance's end, from the end of its speech; otherwise from the end of the last word. */
  private confirm(words: readonly Word[], utteranceEnd: boolean, latencyMs = Math.max(0, this.now() - this.arrivedAt(words[words.length - 1]?.end ?? 0))): void {
    if (words.length === 0) return;
    this.segmentStartSec ??= words[0]!.start;
    const last = words[words.length - 1]!;
    this.confirmed.push(...words);
    // The prompt and the overlap check need only the recent past.
    if (this.confirmed.length > 200) this.confirmed.splice(0, this.confirmed.length - 200);
    this.confirmedEndSec = Math.max(this.confirmedEndSec, last.end);
    this.markShown();
    this.emit({
      type: 'final',
      segment: this.segment,
      words: [...words],
      text: words.map((word) => word.text).join(' '),
      start: words[0]!.start,
      end: last.end,
      utteranceEnd,
      latencyMs,
    });
    if (!utteranceEnd && last.end - this.segmentStartSec >= LIVE_POLICY.maxSegmentSec) {
      this.segment++;
      this.segmentStartSec = null;
    }
  }

  private showPartial(): void {
    const first = this.hypothesis[0];
    const last = this.hypothesis[this.hypothesis.length - 1];
    const utterance = this.utterance;
    const firstShown = utterance !== null && !utterance.shown && first !== undefined;
    const latencyMs = firstShown ? Math.max(0, this.now() - this.arrivedAt(utterance.speechStartSec)) : null;
    if (first) this.markShown();
    this.emit({
      type: 'partial',
      segment: this.segment,
      text: this.hypothesis.map((word) => word.text).join(' '),
      start: first?.start ?? this.lastDecodedSec,
      end: last?.end ?? this.lastDecodedSec,
      latencyMs,
    });
  }

  private markShown(): void {
    if (this.utterance) this.utterance.shown = true;
  }

  private emitStatus(): void {
    this.emit({ type: 'status', heardSec: round(this.heardSec), behindSec: round(this.behindSec) });
  }

  /** When the audio at `sec` arrived. */
  private arrivedAt(sec: number): number {
    const sample = sec * SAMPLE_RATE;
    return (this.arrivals.find((arrival) => arrival.endSample >= sample) ?? this.arrivals[this.arrivals.length - 1])?.atMs ?? this.now();
  }

  /** Lets go of audio nothing can decode again. */
  private forget(): void {
    const keepSec = this.utterance ? this.bufferStartSec : Math.max(this.bufferStartSec, this.scored / SAMPLE_RATE - LIVE_POLICY.preRollSec);
    const keep = Math.min(Math.floor(keepSec * SAMPLE_RATE), this.scored);
    const drop = keep - this.origin;
    if (drop < SAMPLE_RATE) return;
    this.samples.copyWithin(0, drop, this.length);
    this.length -= drop;
    this.origin = keep;
    while (this.arrivals.length > 1 && this.arrivals[0]!.endSample < keep) this.arrivals.shift();
  }
}

function round(sec: number): number {
  return Math.round(sec * 1000) / 1000;
}
