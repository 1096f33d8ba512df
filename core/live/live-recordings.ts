import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { LiveSessionView, Segment, Word } from '../../contracts/domain';
import { LIVE_SAMPLE_RATE, type LiveCaption, type LiveSettings, type ToLiveWorker } from '../../contracts/live-protocol';
import { JobError } from '../errors';
import type { LiveSessionRecord, LiveSessionStore } from '../library/live-session-store';
import type { MediaStore } from '../library/media-store';
import type { TranscriptStore } from '../library/transcript-store';
import type { WorkerSpawner } from '../supervisor/worker-handle';
import { LiveWorkerProcess } from './live-worker';
import { WavRecording, repairWav } from './wav-file';

/** Audio is made durable this often: a crash loses at most this much (the issue's bound is 1 s). */
const SYNC_MS = 500;
/** Captions this far behind make queued batch work yield between windows; it resumes below RESUME_SEC. */
const YIELD_BEHIND_SEC = 2;
const RESUME_BEHIND_SEC = 0.5;
/** Batch work never yields longer than this at a stretch, so a long file keeps moving during a recording. */
const MAX_YIELD_MS = 10_000;
/** After Stop, the last utterance's captions may take this long; the job starts then regardless. */
const END_WAIT_MS = 5_000;
const RESTART_BACKOFF_MS = [250, 1_000, 4_000];

export interface LiveRecordingsOptions {
  sessions: LiveSessionStore;
  media: MediaStore;
  transcripts: TranscriptStore;
  recordingsDir: string;
  spawnLive: WorkerSpawner<ToLiveWorker>;
  /** The captions' model and language, as the settings say now; throws when the model is not installed. */
  liveSettings(): Promise<LiveSettings>;
  /** Queues the full transcription of a finished recording; answers with its job. */
  queueTranscription(mediaId: number): number;
  /** Whether batch work should pause between windows to let captions keep up. */
  setBatchYield(yielding: boolean): void;
  log(message: string): void;
}

type Events = {
  'live.changed': [session: LiveSessionView | null];
  'live.caption': [sessionId: number, caption: LiveCaption];
  'library.changed': [mediaIds: number[]];
};

interface Active {
  record: LiveSessionRecord;
  wav: WavRecording;
  settings: LiveSettings;
  lastSeq: number;
  missing: number;
  paused: boolean;
  syncTimer: NodeJS.Timeout;
  captions: LiveSessionView['captions'];
  captionsError: string | null;
  behindSec: number;
  /** Times from the live worker start at its (re)start: this many seconds into the recording. */
  offsetSec: number;
  /** Caption lines by the worker's numbering (per start) → their place in the transcript, and words. */
  lines: Map<string, { seq: number; words: Word[] }>;
  generation: number;
  restarts: number;
  ended?: () => void;
  yieldingSince: number | null;
}

/**
 * Microphone recordings: numbered chunks of audio in, appended to the recording's WAV and synced
 * twice a second, passed to the live-captions process; confirmed captions saved as they come, so
 * they are searchable at once; Stop hands the file to the queue for the full transcript. A crash
 * leaves a row still 'recording', which the next start repairs and offers back.
 */
export class LiveRecordings extends EventEmitter<Events> {
  private readonly worker: LiveWorkerProcess;
  private active: Active | undefined;
  private yieldTimer: NodeJS.Timeout | undefined;

  constructor(private readonly o: LiveRecordingsOptions) {
    super();
    this.worker = new LiveWorkerProcess(o.spawnLive);
    this.worker.on('message', (message) => {
      const active = this.active;
      if (!active || message.sessionId !== active.record.id) return;
      if (message.type === 'caption') this.onCaption(active, message.caption);
      else if (message.type === 'started') {
        active.captions = { model: message.model, provider: message.provider };
        active.captionsError = null;
        this.changed();
      } else if (message.type === 'ended') active.ended?.();
      else if (message.type === 'failed') {
        active.captionsError = message.error.message;
        this.o.log(`[live] captions failed: ${message.error.message}`);
        this.changed();
      }
    });
    this.worker.on('gone', (reason) => this.onWorkerGone(reason));
  }

  /** At start-up: recordings a crash cut off get their file repaired and are offered back. */
  recover(): void {
    for (const record of this.o.sessions.inStates(['recording', 'paused'])) {
      let durationSec = record.durationSec;
      try {
        durationSec = repairWav(record.path, LIVE_SAMPLE_RATE);
      } catch (error) {
        this.o.log(`[live] could not repair ${record.path}: ${error instanceof Error ? error.message : String(error)}`);
      }
      this.o.sessions.setState(record.id, 'interrupted', durationSec);
      this.o.log(`[live] recording ${record.fileName} was interrupted; ${durationSec.toFixed(1)} s kept`);
    }
  }

  current(): LiveSessionView | null {
    return this.active ? this.view(this.active) : null;
  }

  unfinished(): LiveSessionView[] {
    return this.o.sessions.inStates(['interrupted']).map((record) => this.view(undefined, record));
  }

  async start(inputLabel: string | null, now = new Date()): Promise<LiveSessionView> {
    if (this.active) throw new JobError('A recording is already running; stop it first.', 'busy');
    const settings = await this.o.liveSettings();
    mkdirSync(this.o.recordingsDir, { recursive: true });
    const file = this.freeName(now);
    const wav = new WavRecording(file, LIVE_SAMPLE_RATE);
    const { id: mediaId } = this.o.media.upsert({ path: file, contentHash: null, sizeBytes: null });
    const id = this.o.sessions.create(mediaId, file, inputLabel);
    const active: Active = {
      record: this.o.sessions.get(id)!,
      wav,
      settings,
      lastSeq: -1,
      missing: 0,
      paused: false,
      syncTimer: setInterval(() => void this.sync(active), SYNC_MS),
      captions: null,
      captionsError: null,
      behindSec: 0,
      offsetSec: 0,
      lines: new Map(),
      generation: 0,
      restarts: 0,
      yieldingSince: null,
    };
    this.active = active;
    this.worker.send({ type: 'start', sessionId: id, settings });
    this.emit('library.changed', [mediaId]);
    return this.changed()!;
  }

  /** One chunk of captured audio. Chunks are numbered from 0: a repeat is ignored, a gap is logged. */
  audio(sessionId: number, seq: number, pcm: Uint8Array): void {
    const active = this.require(sessionId);
    if (seq <= active.lastSeq) return;
    if (seq > active.lastSeq + 1) {
      const lost = seq - active.lastSeq - 1;
      active.missing += lost;
      this.o.log(`[live] ${lost} audio chunk(s) before chunk ${seq} never arrived`);
    }
    active.lastSeq = seq;
    if (active.paused) return;
    active.wav.append(pcm);
    this.worker.send({ type: 'audio', sessionId, pcm });
  }

  pause(sessionId: number): LiveSessionView {
    const active = this.require(sessionId);
    active.paused = true;
    this.o.sessions.setState(sessionId, 'paused');
    active.record.state = 'paused';
    this.worker.send({ type: 'flush', sessionId });
    return this.changed()!;
  }

  resume(sessionId: number): LiveSessionView {
    const active = this.require(sessionId);
    active.paused = false;
    this.o.sessions.setState(sessionId, 'recording');
    active.record.state = 'recording';
    return this.changed()!;
  }

  /** Ends the recording and queues its full transcription; the live text stays until that replaces it. */
  async stop(sessionId: number): Promise<{ mediaId: number; jobId: number }> {
    const active = this.require(sessionId);
    clearInterval(active.syncTimer);
    const durationSec = await active.wav.close();
    this.o.sessions.markDurable(sessionId, active.lastSeq, durationSec, active.missing);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, END_WAIT_MS);
      active.ended = () => {
        clearTimeout(timer);
        resolve();
      };
      this.worker.send({ type: 'end', sessionId });
    });
    this.active = undefined;
    this.setYield(null);
    this.worker.stop();
    this.o.sessions.setState(sessionId, 'stopped', durationSec);
    const jobId = this.o.queueTranscription(active.record.mediaId);
    this.changed();
    this.emit('library.changed', [active.record.mediaId]);
    return { mediaId: active.record.mediaId, jobId };
  }

  /** An interrupted recording goes to the queue like a finished one. */
  finish(sessionId: number): { mediaId: number; jobId: number } {
    const record = this.interrupted(sessionId);
    this.o.sessions.setState(sessionId, 'stopped');
    const jobId = this.o.queueTranscription(record.mediaId);
    this.emit('library.changed', [record.mediaId]);
    return { mediaId: record.mediaId, jobId };
  }

  /** An interrupted recording is deleted: its file, its live text, its place in the library. */
  discard(sessionId: number): void {
    const record = this.interrupted(sessionId);
    this.o.media.remove(record.mediaId);
    rmSync(record.path, { force: true });
    this.emit('library.changed', [record.mediaId]);
  }

  /** The app is closing: a recording in progress is kept and queued, as after Stop. */
  async close(): Promise<void> {
    if (this.active) await this.stop(this.active.record.id).catch((error: unknown) => this.o.log(`[live] stopping on close failed: ${String(error)}`));
    clearTimeout(this.yieldTimer);
    this.worker.stop();
  }

  private require(sessionId: number): Active {
    if (this.active?.record.id !== sessionId) throw new JobError(`Recording ${sessionId} is not in progress.`, 'not-found');
    return this.active;
  }

  private interrupted(sessionId: number): LiveSessionRecord {
    const record = this.o.sessions.get(sessionId);
    if (!record || record.state !== 'interrupted') throw new JobError(`There is no interrupted recording ${sessionId}.`, 'not-found');
    return record;
  }

  private async sync(active: Active): Promise<void> {
    try {
      const durationSec = await active.wav.sync();
      if (this.active !== active) return;
      this.o.sessions.markDurable(active.record.id, active.lastSeq, durationSec, active.missing);
      this.changed();
    } catch (error) {
      this.o.log(`[live] could not save the recording: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private onCaption(active: Active, caption: LiveCaption): void {
    const shifted = shiftCaption(caption, active.offsetSec);
    if (shifted.type === 'status') {
      active.behindSec = shifted.behindSec;
      this.yieldFor(active);
    } else if (shifted.type === 'final') this.saveFinal(active, shifted);
    this.emit('live.caption', active.record.id, shifted);
  }

  private saveFinal(active: Active, caption: Extract<LiveCaption, { type: 'final' }>): void {
    const key = `${active.generation}:${caption.segment}`;
    let line = active.lines.get(key);
    if (!line) {
      line = { seq: active.lines.size, words: [] };
      active.lines.set(key, line);
    }
    line.words.push(...caption.words);
    const words = line.words;
    const segment: Segment = {
      start: words[0]!.start,
      end: words[words.length - 1]!.end,
      text: words.map((word) => word.text).join(' '),
      avgLogprob: 0,
      noSpeechProb: 0,
      temperature: 0,
      speaker: null,
      words,
    };
    this.o.transcripts.saveLiveSegment(active.record.mediaId, line.seq, segment, {
      language: active.settings.language ?? 'und',
      model: active.settings.model.id,
      durationSec: active.wav.durationSec,
    });
    this.emit('library.changed', [active.record.mediaId]);
  }

  /**
   * Batch work yields while captions are behind, and resumes once they have caught up or after
   * MAX_YIELD_MS (then yields again at the next report that they are behind).
   */
  private yieldFor(active: Active): void {
    if (active.behindSec >= YIELD_BEHIND_SEC && active.yieldingSince === null) this.setYield(active);
    else if (active.behindSec <= RESUME_BEHIND_SEC && active.yieldingSince !== null) this.setYield(null);
  }

  private setYield(active: Active | null): void {
    clearTimeout(this.yieldTimer);
    if (active) {
      active.yieldingSince = Date.now();
      this.yieldTimer = setTimeout(() => {
        active.yieldingSince = null;
        this.o.setBatchYield(false);
      }, MAX_YIELD_MS);
      this.yieldTimer.unref();
    } else if (this.active) this.active.yieldingSince = null;
    this.o.setBatchYield(active !== null);
  }

  private onWorkerGone(reason: string): void {
    const active = this.active;
    this.o.log(`[live] ${reason}`);
    if (!active) return;
    active.ended?.();
    this.setYield(null);
    active.captions = null;
    if (active.restarts >= RESTART_BACKOFF_MS.length) {
      active.captionsError = `${reason} Captions are off for this recording; it is still being recorded and will be transcribed after Stop.`;
      this.changed();
      return;
    }
    active.captionsError = `${reason} Restarting captions…`;
    this.changed();
    setTimeout(() => {
      if (this.active !== active) return;
      // Captions resume from the audio that comes next; the file has all of it.
      active.generation++;
      active.offsetSec = active.wav.durationSec;
      this.worker.send({ type: 'start', sessionId: active.record.id, settings: active.settings });
    }, RESTART_BACKOFF_MS[active.restarts++]);
  }

  private freeName(now: Date): string {
    const pad = (n: number) => String(n).padStart(2, '0');
    const base = `Recording ${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} at ${pad(now.getHours())}.${pad(now.getMinutes())}.${pad(now.getSeconds())}`;
    for (let n = 1; ; n++) {
      const file = path.join(this.o.recordingsDir, `${base}${n > 1 ? ` (${n})` : ''}.wav`);
      // WavRecording opens with 'wx' too: a name taken meanwhile fails loudly rather than overwrites.
      if (!existsSync(file)) return file;
    }
  }

  private changed(): LiveSessionView | null {
    const view = this.current();
    this.emit('live.changed', view);
    return view;
  }

  private view(active: Active | undefined, record = active!.record): LiveSessionView {
    return {
      id: record.id,
      mediaId: record.mediaId,
      fileName: record.fileName,
      state: record.state,
      durationSec: active ? active.wav.durationSec : record.durationSec,
      startedAt: record.startedAt,
      inputLabel: record.inputLabel,
      captions: active?.captions ?? null,
      behindSec: active?.behindSec ?? 0,
      missingChunks: active?.missing ?? record.missingChunks,
      captionsError: active?.captionsError ?? null,
    };
  }
}

function shiftCaption(caption: LiveCaption, offsetSec: number): LiveCaption {
  if (offsetSec === 0) return caption;
  const shift = (sec: number) => Math.round((sec + offsetSec) * 1000) / 1000;
  switch (caption.type) {
    case 'final':
      return { ...caption, start: shift(caption.start), end: shift(caption.end), words: caption.words.map((word) => ({ ...word, start: shift(word.start), end: shift(word.end) })) };
    case 'partial':
      return { ...caption, start: shift(caption.start), end: shift(caption.end) };
    case 'skipped':
      return { ...caption, fromSec: shift(caption.fromSec), toSec: shift(caption.toSec) };
    case 'status':
      return { ...caption, heardSec: shift(caption.heardSec) };
  }
}
