import type { SettingsStore } from '../library/settings-store';
import { RateMeter } from './rate-meter';

/** Until measured: decoding and speech detection together run about this many times realtime on a laptop CPU. */
const DEFAULT_SCAN_RATE = 100;
/** Until measured: the share of a typical recording that is speech. */
const DEFAULT_SPEECH_SHARE = 0.8;

/** A file as far as estimating its time goes. */
export interface WorkToEstimate {
  model: string;
  audioSec: number;
  /** null until the speech detector has looked at it: the share measured over earlier files stands in. */
  speechSec: number | null;
}

/** What one local run took, split where its speech had been found. */
export interface MeasuredRun {
  model: string;
  audioSec: number;
  speechSec: number;
  /** Seconds from the start until transcription began: decoding and speech detection. */
  scanSec: number;
  /** Seconds the whole run took. */
  wallSec: number;
}

/**
 * How fast this machine works, in the two parts a file's cost has: decoding and finding its speech,
 * which grow with its length, and transcribing and labelling speakers, which grow with its speech.
 * A silent two-hour file is then estimated at the minute its decoding takes, not at the time two
 * hours of speech would. The speech part is measured per model, so a queue mixing whisper-tiny and
 * whisper-base is estimated file by file; a model not measured yet is taken at all models' speed
 * (the first whisper-large file then looks too quick rather than unknown, and its run corrects it).
 */
export class MachineSpeeds {
  /** Audio seconds decoded and searched for speech per second. */
  private readonly scan: RateMeter;
  /** Speech seconds per audio second, over the files the speech detector has looked at. */
  private readonly speechShare: RateMeter;
  /** Speech seconds transcribed (and diarized) per second, all models together. */
  private readonly speech: RateMeter;
  private readonly models = new Map<string, RateMeter>();
  private readonly unmeasured = new Set<string>();

  constructor(
    private readonly settings: SettingsStore,
    defaultSpeechRate: number,
  ) {
    this.scan = new RateMeter(settings, 'speed.scan', DEFAULT_SCAN_RATE);
    this.speechShare = new RateMeter(settings, 'share.speech', DEFAULT_SPEECH_SHARE);
    this.speech = new RateMeter(settings, 'speed.speech', defaultSpeechRate);
  }

  /** Seconds this file should take here, from the start of its run to its transcript. */
  expectedSec(work: WorkToEstimate): number {
    const speechSec = work.speechSec ?? work.audioSec * this.speechShare.rate;
    return work.audioSec / this.scan.rate + speechSec / this.speechRate(work.model);
  }

  /** A file's speech found for the first time (once per file: its job and the look ahead both report it). */
  speechFound(audioSec: number, speechSec: number): void {
    this.speechShare.record(speechSec, audioSec);
  }

  record(run: MeasuredRun): void {
    this.scan.record(run.audioSec, run.scanSec);
    // A silent file says how fast decoding is, and nothing about transcription.
    if (!(run.speechSec > 0)) return;
    const transcribeSec = Math.max(0, run.wallSec - run.scanSec);
    this.speech.record(run.speechSec, transcribeSec);
    let meter = this.measured(run.model);
    if (!meter) {
      // A model's first file: its own pace is all there is to go on.
      meter = new RateMeter(this.settings, keyOf(run.model), run.speechSec / Math.max(transcribeSec, 1e-3));
      this.models.set(run.model, meter);
      this.unmeasured.delete(run.model);
    }
    meter.record(run.speechSec, transcribeSec);
  }

  private speechRate(model: string): number {
    return Math.max(1e-6, this.measured(model)?.rate ?? this.speech.rate);
  }

  private measured(model: string): RateMeter | undefined {
    const known = this.models.get(model);
    if (known) return known;
    // Asked for every waiting job whenever the queue's views are built: a model never run is looked up once, not each time.
    if (this.unmeasured.has(model)) return undefined;
    if (this.settings.get(keyOf(model)) === undefined) {
      this.unmeasured.add(model);
      return undefined;
    }
    const meter = new RateMeter(this.settings, keyOf(model), this.speech.rate);
    this.models.set(model, meter);
    return meter;
  }
}

function keyOf(model: string): string {
  return `speed.speech.${model}`;
}
