// A transcription job run on this machine: the model (downloaded first if need be), the supervised
// engine process, the transcript kept the moment it exists, then decoded audio and speakers.
import { settingsFor } from './job-settings';
import { checkUnchanged } from '../content-hash';
import type { Segment, Settings, SpeakerTurn } from '../../contracts/domain';
import type { LiveSettings } from '../../contracts/live-protocol';
import { MODEL_DAMAGED, type DecodeRequest, type ProcessMediaInput, type ProcessMediaOutput, type SpeechFound, type TranscribeSettings, type ToolPaths } from '../../contracts/worker-protocol';
import type { AppSettings } from '../app-settings';
import { BackToQueueError, JobError, WorkerCrashError } from '../errors';
import type { Database } from '../library/database';
import type { JobRecord, JobStore } from '../library/job-store';
import type { MediaStore } from '../library/media-store';
import type { TranscriptStore } from '../library/transcript-store';
import type { InstalledModel, ModelManager } from '../models/model-manager';
import type { SpeakerModels } from '../models/speaker-models';
import type { VoiceLibrary } from '../voices/voice-library';
import type { libraryPaths, resourcePaths } from '../paths';
import type { JobRunner, RunContext } from '../queue/job-queue';
import type { MachineSpeeds } from '../queue/machine-speeds';
import { DiskFullError, diskShortfall, isDiskFull } from '../queue/disk-space';
import { estimatedAudioSec, jobTimeLimitMs } from '../queue/eta';
import type { WorkerSupervisor } from '../supervisor/worker-supervisor';

/** Queued files the worker may decode, and transcribe beside the current job, ahead of their turn. */
const FILES_AHEAD = 8;
/** A file's decoded audio is cached under its media id: the name the engine knows it by. */
const CACHE_KEY_PREFIX = 'media-';

function mediaIdOf(cacheKey: string): number | null {
  const id = cacheKey.startsWith(CACHE_KEY_PREFIX) ? Number(cacheKey.slice(CACHE_KEY_PREFIX.length)) : NaN;
  return Number.isSafeInteger(id) ? id : null;
}

export interface LocalTranscriptionDeps {
  db: Database;
  jobs: JobStore;
  media: MediaStore;
  transcripts: TranscriptStore;
  models: ModelManager;
  speakerModels: SpeakerModels;
  /** The voice library: a new transcript's speakers are matched against it. */
  voices: VoiceLibrary;
  supervisor: WorkerSupervisor;
  /** A second engine process that only decodes: files transcribed elsewhere (the pool) still get their audio and waveform here. */
  decoder: WorkerSupervisor;
  appSettings: AppSettings;
  /** The ffmpeg/ffprobe pair the host named, if any (never a setting the API can change). */
  tools: ToolPaths;
  resources: ReturnType<typeof resourcePaths>;
  paths: ReturnType<typeof libraryPaths>;
  bytesPerAudioSec(): number;
  /** Bytes free on the disk holding a folder. */
  freeBytes(dir: string): Promise<number>;
  /** This machine's speeds: each run here measures them. */
  speeds: MachineSpeeds;
  /** A job whose estimate changed (its file's speech was found). */
  markJob(jobId: number): void;
  /** A fixed limit (tests); otherwise one from the file's length. */
  jobTimeoutMs?: number;
  /** Before a job runs here: what it may have left on the pool is let go. */
  beforeRun(job: JobRecord): void;
  /** Waiting jobs this machine will run next (not those bound for the pool). */
  upNext(job: JobRecord): JobRecord[];
  stored(mediaId: number): void;
}

export class LocalTranscription {
  private decoding: Promise<void> = Promise.resolve();
  /** The segments of recordings being transcribed, by media, until their transcript is saved. */
  private readonly growing = new Map<number, Segment[]>();
  /** The job the engine runs now, with its model: what the files ahead of it are planned for. */
  private current: { job: JobRecord; model: InstalledModel } | undefined;

  constructor(private readonly d: LocalTranscriptionDeps) {
    d.supervisor.on('speech-found', (cacheKey, found) => this.speechFound(cacheKey, found));
  }

  /**
   * Probes and decodes a file without transcribing it, one file at a time, beside whatever the
   * engine runs: the player and waveform of a transcript made on the pool. A failure is only logged;
   * the transcript does not depend on it.
   */
  decodeOnly(job: JobRecord, signal: AbortSignal, log: (message: string) => void): Promise<void> {
    const run = async (): Promise<void> => {
      if (signal.aborted || this.d.media.get(job.mediaId)?.info) return;
      const output = await this.decodeWithoutTranscribing(job, signal);
      this.d.media.saveDecoded(job.mediaId, output);
      this.d.stored(job.mediaId);
    };
    return this.onDecoder(run, (error) => log(`[decode] ${job.fileName}: ${error}`));
  }

  /** The file decoded on the decoding engine (found in the cache if decoded before), and the prints of `printTurns`' speakers. */
  private async decodeWithoutTranscribing(job: JobRecord, signal: AbortSignal, printTurns?: SpeakerTurn[]): Promise<ProcessMediaOutput> {
    const { output } = await this.d.decoder.run({
      jobId: job.id,
      kind: job.kind,
      input: { ...this.decodeRequest(job), transcribe: null, diarize: null, ...(printTurns ? { printTurns } : {}) },
      signal,
      onProgress: () => undefined,
      timeoutMs: this.d.jobTimeoutMs ?? jobTimeLimitMs(estimatedAudioSec(job, this.d.bytesPerAudioSec())),
    });
    return output;
  }

  /** The decoding engine takes one file at a time: each task waits for the one before; a failure is only reported. */
  private onDecoder(task: () => Promise<void>, report: (error: string) => void): Promise<void> {
    const done = this.decoding.then(task).catch((error: unknown) => report(error instanceof Error ? error.message : String(error)));
    this.decoding = done;
    return done;
  }

  /**
   * Matches the speakers of a transcript made on the pool against the voice library, here: the audio
   * is decoded (or found in the cache) and their prints taken on this machine, which is the only one
   * that holds saved voices. Never throws: the transcript stands without it.
   */
  matchVoicesHere(job: JobRecord, turns: readonly SpeakerTurn[], signal: AbortSignal, log: (message: string) => void): Promise<void> {
    if (!this.d.appSettings.get().recogniseVoices || turns.length === 0) return Promise.resolve();
    const run = async (): Promise<void> => {
      const output = await this.decodeWithoutTranscribing(job, signal, [...turns]);
      this.d.db.transaction(() => {
        this.d.voices.keepPrints(job.mediaId, output.prints);
        this.d.transcripts.nameSpeakers(job.mediaId, this.d.voices.recognise(job.mediaId));
      });
      this.d.stored(job.mediaId);
    };
    return this.onDecoder(run, (error) => log(`[voices] ${job.fileName}: ${error}`));
  }

  /** What live captions run with: the chosen speech model, which must be installed already (a download would keep the user waiting to speak). */
  async liveSettings(): Promise<LiveSettings> {
    const settings = this.d.appSettings.get();
    const model = await this.d.models.find(settings.model);
    if (!model) {
      const { name } = this.d.models.entry(settings.model);
      throw new JobError(`Live captions need the speech model ${name}: download it in Settings ▸ Models first.`, 'model-missing');
    }
    return this.transcribeSettings(settings, model);
  }

  /** What transcription has found so far in a recording it is working on, in time order; null when none is. */
  partial(mediaId: number): Segment[] | null {
    const segments = this.growing.get(mediaId);
    return segments ? [...segments].sort((a, b) => a.start - b.start) : null;
  }

  readonly runner: JobRunner = async (job, context) => {
    try {
      await this.run(job, context);
    } finally {
      this.growing.delete(job.mediaId);
    }
  };

  private async run(job: JobRecord, context: RunContext): Promise<void> {
    const { d } = this;
    d.beforeRun(job);
    await checkUnchanged(job.path, job.contentHash);
    const settings = settingsFor(job, d.appSettings.get());
    const onDownload = ({ receivedBytes, totalBytes }: { receivedBytes: number; totalBytes: number }): void =>
      context.progress({ stage: 'download-model', progress: totalBytes > 0 ? receivedBytes / totalBytes : 0 });
    const model = await d.models.ensure(settings.model, onDownload, context.signal);
    const diarize = await d.speakerModels.settings(settings.diarization, { speakers: settings.speakers, device: settings.device }, onDownload, context.signal);
    const transcribe = this.transcribeSettings(settings, model);
    const short = diskShortfall(await d.freeBytes(d.paths.pcmCache), estimatedAudioSec(job, d.bytesPerAudioSec()) ?? 3600);
    if (short > 0) throw new DiskFullError(short, d.paths.pcmCache);
    this.current = { job, model };
    const runStart = Date.now();
    let scanSec: number | null = null;
    // Carrying on after a crash or a restart: what the last run saved is shown at once, and the bar stays where it was.
    const resume = d.jobs.checkpoint(job.id) ?? undefined;
    if (resume) this.growing.set(job.mediaId, [...resume.segments]);
    let checkpointed = false;
    const run = d.supervisor.run({
      jobId: job.id,
      kind: job.kind,
      input: { ...this.decodeRequest(job), transcribe, diarize, resume, checkpoints: true },
      signal: context.signal,
      onProgress: (update) => {
        if (update.engine) d.jobs.saveEngine(job.id, { ...update.engine, ranOn: 'local' });
        // Decoding and speech detection end where transcription begins: the two parts of a run's cost.
        if (scanSec === null && (update.stage === 'transcribe' || update.stage === 'diarize')) scanSec = (Date.now() - runStart) / 1000;
        context.progress({ stage: update.stage, progress: Math.max(job.progress, update.progress) });
      },
      onCheckpoint: (checkpoint) => {
        d.jobs.saveCheckpoint(job.id, checkpoint);
        checkpointed = true;
      },
      onSegments: (segments) => {
        this.growing.set(job.mediaId, [...(this.growing.get(job.mediaId) ?? []), ...segments]);
      },
      // Kept the moment transcription ends: a diarization that fails, or a crash, cannot take it away.
      onTranscript: (transcript) => {
        d.transcripts.save(job.mediaId, job.id, local(transcript));
        this.growing.delete(job.mediaId);
        d.stored(job.mediaId);
      },
      timeoutMs: d.jobTimeoutMs ?? jobTimeLimitMs(estimatedAudioSec(job, d.bytesPerAudioSec())),
      ahead: this.ahead(job, model),
    });
    const { output } = await run
      .catch(async (error: unknown) => {
        // The engine could not open the model: if its files prove damaged (since this run checked them), the next attempt fetches it again.
        if (error instanceof JobError && error.code === MODEL_DAMAGED && (await d.models.setAsideIfDamaged(model))) {
          throw new JobError(`${error.message} Its files are damaged, so that copy is set aside; the next attempt downloads the model again.`, MODEL_DAMAGED, true);
        }
        // A crash after this run saved progress costs no attempt: it carries on from there. One that
        // keeps crashing at the same place still uses up its attempts, and fails with the reason.
        if (error instanceof WorkerCrashError && checkpointed) throw new BackToQueueError(`${error.message} Carrying on from where it was.`);
        // A write that found the disk full is the disk's doing, not the file's.
        if (isDiskFull(error)) throw new DiskFullError(diskShortfall(0, estimatedAudioSec(job, d.bytesPerAudioSec()) ?? 3600), d.paths.pcmCache);
        throw error;
      })
      .finally(() => (this.current = undefined));
    d.db.transaction(() => {
      d.media.saveDecoded(job.mediaId, output);
      if (output.transcript) {
        const transcript = local(output.transcript);
        d.transcripts.save(job.mediaId, job.id, transcript);
        d.jobs.saveEngine(job.id, transcript.engine);
        if (transcript.diarization) d.jobs.saveDiarization(job.id, transcript.diarization);
        // Prints are kept only while the library is on; saved voices the speakers are get their names now.
        if (d.appSettings.get().recogniseVoices) {
          d.voices.keepPrints(job.mediaId, output.prints);
          if (output.prints.length > 0) d.transcripts.nameSpeakers(job.mediaId, d.voices.recognise(job.mediaId));
        }
      }
    });
    d.stored(job.mediaId);
    const speechSec = d.jobs.get(job.id)?.speechSec;
    // A run that carried on from a checkpoint did only part of the work: it says nothing of the speed.
    if (output.transcript && !resume && speechSec !== null && speechSec !== undefined) {
      const wallSec = (Date.now() - runStart) / 1000;
      d.speeds.record({ model: settings.model, audioSec: output.info.durationSec, speechSec, scanSec: scanSec ?? wallSec, wallSec });
    }
  }

  /** Tells the engine the files now queued after the running job (some were added, moved or canceled). */
  lookAhead(): void {
    if (this.current) this.d.supervisor.planAhead(this.ahead(this.current.job, this.current.model));
  }

  /** The files queued next for the same model, with the settings they will run under unless these change meanwhile. */
  private ahead(job: JobRecord, model: InstalledModel): ProcessMediaInput[] {
    const settings = this.d.appSettings.get();
    return this.d
      .upNext(job)
      .map((queued) => ({ queued, settings: settingsFor(queued, settings) }))
      .filter(({ settings: next }) => next.model === model.id)
      .slice(0, FILES_AHEAD)
      .map(({ queued, settings: next }) => ({ ...this.decodeRequest(queued), transcribe: this.transcribeSettings(next, model), diarize: null }));
  }

  /** What the engine found in a file, its job's or one queued it looked at ahead: kept, and the file's estimate follows. */
  private speechFound(cacheKey: string, found: SpeechFound): void {
    const mediaId = mediaIdOf(cacheKey);
    const before = mediaId === null ? undefined : this.d.media.speechSec(mediaId);
    if (mediaId === null || before === undefined) return;
    this.d.media.saveSpeech(mediaId, found);
    if (before === null) this.d.speeds.speechFound(found.durationSec, found.speechSec);
    for (const job of this.d.jobs.unfinishedFor(mediaId)) this.d.markJob(job.id);
  }

  /** Settings as the engine takes them, with an installed model. */
  private transcribeSettings(settings: Settings, model: { id: string; dir: string; dtypeSuffix: string }): TranscribeSettings {
    return {
      model: { id: model.id, dir: model.dir, dtypeSuffix: model.dtypeSuffix },
      vadModelPath: this.d.resources.vadModel,
      language: settings.language === 'auto' ? null : settings.language,
      languageFallback: this.d.appSettings.languageFallback(),
      task: settings.task,
      initialPrompt: settings.initialPrompt,
      device: settings.device,
    };
  }

  private decodeRequest(job: JobRecord): DecodeRequest {
    return { path: job.path, cacheDir: this.d.paths.pcmCache, cacheKey: `${CACHE_KEY_PREFIX}${job.mediaId}`, tools: this.d.tools };
  }
}

function local<T extends { engine: { ranOn?: 'local' | 'pool' } }>(transcript: T): T {
  return { ...transcript, engine: { ...transcript.engine, ranOn: 'local' } };
}
