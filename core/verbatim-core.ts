import { EventEmitter } from 'node:events';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ApiEvent, ApiEventPayload, PlaybackSource } from '../contracts/api';
import { providerOrder } from '../contracts/devices';
import type {
  AddOutcome,
  EditableTranscript,
  EngineRun,
  JobView,
  Lane,
  LibraryItem,
  LibrarySort,
  MediaDetail,
  ModelDownload,
  SearchHit,
  Settings,
} from '../contracts/domain';
import type { DecodeRequest, TranscribeSettings } from '../contracts/worker-protocol';
import { AppSettings } from './app-settings';
import { identifyFile } from './content-hash';
import { expandFolders } from './media-files';
import { JobError } from './errors';
import type { AudioResponse } from './audio/byte-ranges';
import { originalFile } from './audio/original-file';
import { pcmAsWav } from './audio/pcm-wav';
import { Database } from './library/database';
import { JobStore, type JobRecord } from './library/job-store';
import { MediaStore } from './library/media-store';
import { SettingsStore } from './library/settings-store';
import { TranscriptStore } from './library/transcript-store';
import { ModelDownloads } from './models/model-downloads';
import { SpeakerModels } from './models/speaker-models';
import { ModelManager } from './models/model-manager';
import { ExportJobs } from './export/export-jobs';
import { libraryPaths, modelsFolderIn, resourcePaths } from './paths';
import { ChangeCoalescer } from './queue/change-coalescer';
import { estimateLane, estimatedAudioSec, jobTimeLimitMs, type LaneEstimate } from './queue/eta';
import { JobQueue, type JobRunner } from './queue/job-queue';
import { ThroughputMeter } from './queue/throughput';
import type { WorkerSpawner } from './supervisor/worker-handle';
import type { LiveSettings, ToLiveWorker } from '../contracts/live-protocol';
import { LiveSessionStore } from './library/live-session-store';
import { LiveRecordings } from './live/live-recordings';
import { WorkerSupervisor, type SupervisorOptions } from './supervisor/worker-supervisor';

/** Queued files the worker may decode, and transcribe beside the current job, ahead of their turn. */
const FILES_AHEAD = 8;

export interface CoreOptions {
  dataDir: string;
  /** The shipped resources/ folder (model catalog, VAD weights). */
  resourcesDir: string;
  /** Where downloaded models go; the library's models/ folder unless a host shares another (the CLI shares the app's). */
  modelsDir?: string;
  /** Settings this host starts from where the user has not chosen (the CLI's flags, tests' small model). */
  settingsDefaults?: Partial<Settings>;
  spawnWorker: WorkerSpawner;
  /** The live-captions process (worker/live/live-main). */
  spawnLiveWorker: WorkerSpawner<ToLiveWorker>;
  /** Whether queued work pauses between windows while captions are behind (default true; off only to measure what it buys). */
  yieldToLive?: boolean;
  env?: NodeJS.ProcessEnv;
  supervisor?: Omit<SupervisorOptions, 'spawn'>;
  maxAttempts?: number;
  /** See DatabaseOptions.nativeBinding. */
  sqliteBinding?: string;
  log?(message: string): void;
}

type CoreEvents = {
  'jobs.changed': [jobs: JobView[]];
  'library.changed': [mediaIds: number[]];
  'models.changed': [downloads: ModelDownload[]];
};

/** Typical compressed audio (128 kbit/s) until the library has measured its own files. */
const DEFAULT_BYTES_PER_AUDIO_SEC = 16_000;
/** Whole-pipeline speed (audio seconds per second) assumed before the first job has been measured. */
const DEFAULT_SPEED = 5;
/** How often queued jobs' drifting ETAs are resent even when nothing else about them changed. */
const ACTIVE_REFRESH_MS = 2_000;

/**
 * The application without Electron: library, queue, supervised worker and settings, behind the
 * methods the API exposes. Electron's main process, the web host and the CLI each wrap one.
 */
export class VerbatimCore extends EventEmitter<CoreEvents> {
  readonly db: Database;
  readonly supervisor: WorkerSupervisor;
  private readonly media: MediaStore;
  private readonly jobs: JobStore;
  private readonly appSettings: AppSettings;
  private readonly transcripts: TranscriptStore;
  readonly models: ModelManager;
  /** Downloads started from Settings, with progress events. */
  readonly downloads: ModelDownloads;
  /** Transcripts as files, made by jobs in the light lane. */
  readonly exports: ExportJobs;
  /** Microphone recordings: capture, live captions, recovery after a crash. */
  readonly live: LiveRecordings;
  private readonly resources: ReturnType<typeof resourcePaths>;
  private readonly queue: JobQueue;
  private readonly throughput: ThroughputMeter;
  private readonly coalescer: ChangeCoalescer;
  private readonly paths: ReturnType<typeof libraryPaths>;
  private readonly log: (message: string) => void;
  private bytesPerAudioSec: number;
  private lastActiveRefresh = 0;
  private readonly speakerModels: SpeakerModels;

  constructor(private readonly options: CoreOptions) {
    super();
    this.log = options.log ?? ((message) => console.log(message));
    this.paths = libraryPaths(options.dataDir);
    this.db = new Database(this.paths.database, { log: this.log, nativeBinding: options.sqliteBinding });
    this.media = new MediaStore(this.db);
    this.jobs = new JobStore(this.db);
    this.transcripts = new TranscriptStore(this.db);
    const env = options.env ?? process.env;
    this.resources = resourcePaths(options.resourcesDir);
    const settingsStore = new SettingsStore(this.db);
    this.appSettings = new AppSettings(settingsStore, env, options.settingsDefaults);
    const { storageDir } = this.appSettings.get();
    this.models = new ModelManager({
      catalogPath: this.resources.catalog,
      // A host that names its models folder (the CLI shares the app's) keeps it; otherwise the user's storage folder.
      modelsDir: options.modelsDir ?? (storageDir ? modelsFolderIn(storageDir) : this.paths.models),
      externalDir: env.VERBATIM_MODELS_DIR ? path.resolve(env.VERBATIM_MODELS_DIR) : null,
      bundledDir: this.resources.bundledModels,
      baseUrl: env.VERBATIM_MODELS_BASE_URL || undefined,
    });
    this.speakerModels = new SpeakerModels(this.models, this.log);
    this.downloads = new ModelDownloads(this.models);
    this.downloads.on('models.changed', (downloads) => this.emit('models.changed', downloads));
    this.throughput = new ThroughputMeter(settingsStore, 'throughput.transcribe', DEFAULT_SPEED);
    this.bytesPerAudioSec = this.media.averageBytesPerSecond() ?? DEFAULT_BYTES_PER_AUDIO_SEC;
    this.supervisor = new WorkerSupervisor({ ...options.supervisor, spawn: options.spawnWorker });
    this.supervisor.on('log', this.log);
    this.coalescer = new ChangeCoalescer((ids) => this.emit('jobs.changed', this.views(ids)));
    this.live = new LiveRecordings({
      sessions: new LiveSessionStore(this.db),
      media: this.media,
      transcripts: this.transcripts,
      recordingsDir: this.paths.recordings,
      spawnLive: options.spawnLiveWorker,
      liveSettings: () => this.liveSettings(),
      queueTranscription: (mediaId) => {
        const jobId = this.jobs.create(mediaId, 'process-media');
        this.coalescer.mark(jobId);
        this.queue.wake();
        return jobId;
      },
      setBatchYield: (yielding) => this.supervisor.setYield(yielding && options.yieldToLive !== false),
      log: this.log,
    });
    this.live.on('library.changed', (mediaIds) => this.emit('library.changed', mediaIds));
    this.exports = new ExportJobs({ jobs: this.jobs, media: this.media, transcripts: this.transcripts, wakeQueue: () => this.queue.wake() });
    this.queue = new JobQueue(this.jobs, {
      runners: { 'process-media': this.processMedia, export: this.exports.runner },
      maxAttempts: options.maxAttempts,
      onChange: (id) => this.coalescer.mark(id),
      onFinished: (job) => this.finished(job),
      log: this.log,
    });
  }

  start(): void {
    this.jobs.deleteKind('export');
    this.live.recover();
    this.queue.start();
  }

  /** Every event the API carries, as the renderer receives it: what the hosts forward. */
  onApiEvent(listener: <E extends ApiEvent>(event: E, payload: ApiEventPayload<E>) => void): void {
    this.on('jobs.changed', (jobs) => listener('jobs.changed', { jobs }));
    this.on('library.changed', (mediaIds) => listener('library.changed', { mediaIds }));
    this.on('models.changed', (downloads) => listener('models.changed', { downloads }));
    this.live.on('live.changed', (session) => listener('live.changed', { session }));
    this.live.on('live.caption', (sessionId, caption) => listener('live.caption', { sessionId, caption }));
  }

  async close(): Promise<void> {
    this.downloads.abortAll();
    await this.live.close();
    await this.queue.stop();
    this.supervisor.dispose();
    this.coalescer.dispose();
    this.db.close();
  }

  /** Adds files to the library and queues them; a file already there keeps its media and job. */
  async addFiles(paths: readonly string[]): Promise<AddOutcome[]> {
    const outcomes: AddOutcome[] = [];
    for (const file of await expandFolders(paths.map((given) => path.resolve(given)))) {
      const identity = await identifyFile(file);
      const { id: mediaId, created } = this.media.upsert({
        path: file,
        contentHash: identity.ok ? identity.sha256 : null,
        sizeBytes: identity.ok ? identity.sizeBytes : null,
      });
      const latest = created ? undefined : this.jobs.latestFor(mediaId, 'process-media');
      let jobId: number;
      if (!latest) {
        jobId = this.jobs.create(mediaId, 'process-media');
      } else {
        jobId = latest.id;
        // Dropping a file whose job failed or was canceled is a request to try again.
        if (latest.state === 'failed' || latest.state === 'canceled') this.queue.retry(jobId);
      }
      this.coalescer.mark(jobId);
      outcomes.push({ path: file, mediaId, jobId, duplicate: !created });
    }
    this.queue.wake();
    if (outcomes.length) this.emit('library.changed', outcomes.map((outcome) => outcome.mediaId));
    return outcomes;
  }

  library(sort: LibrarySort, descending: boolean): LibraryItem[] {
    return this.media.library(sort, descending);
  }

  /** Forgets a recording: its jobs stop, its transcript and decoded copy go; the user's file stays. */
  async removeMedia(mediaId: number): Promise<void> {
    this.getMedia(mediaId);
    for (const job of this.jobs.unfinishedFor(mediaId)) this.queue.cancel(job.id);
    const removed = this.media.remove(mediaId);
    if (removed?.pcmPath) await rm(removed.pcmPath, { force: true });
    this.emit('library.changed', [mediaId]);
  }

  /** The decoded audio the transcript's times refer to, for the player; null when it is not (or no longer) there. */
  audioFile(mediaId: number): string | null {
    return this.media.pcmPath(mediaId);
  }

  /** The player's audio as an HTTP answer (ranges honoured); null when that source is not there to play. */
  async playback(mediaId: number, source: PlaybackSource, rangeHeader: string | undefined): Promise<AudioResponse | null> {
    if (source === 'original') {
      const media = this.media.get(mediaId);
      return media ? originalFile(media.path, rangeHeader) : null;
    }
    const pcm = this.audioFile(mediaId);
    return pcm ? pcmAsWav(pcm, rangeHeader).catch(() => null) : null;
  }

  listJobs(): JobView[] {
    return this.views();
  }

  getMedia(mediaId: number): MediaDetail {
    const media = this.media.get(mediaId);
    if (!media) throw new JobError(`There is no media ${mediaId}.`, 'not-found');
    return media;
  }

  cancel(jobId: number): void {
    this.queue.cancel(jobId);
  }

  retry(jobId: number): void {
    this.queue.retry(jobId);
  }

  setPriority(jobId: number, priority: number): void {
    this.queue.setPriority(jobId, priority);
  }

  reorder(jobIds: readonly number[]): void {
    this.queue.reorder(jobIds);
  }

  getSettings(): Settings {
    return this.appSettings.get();
  }

  async updateSettings(patch: Partial<Settings>): Promise<Settings> {
    if (patch.model !== undefined) this.models.entry(patch.model, 'whisper');
    if (patch.storageDir !== undefined && !this.options.modelsDir) {
      if (patch.storageDir !== null && !path.isAbsolute(patch.storageDir)) {
        throw new JobError(`The storage folder “${patch.storageDir}” is not an absolute path.`, 'invalid-setting');
      }
      const target = patch.storageDir === null ? this.paths.models : modelsFolderIn(patch.storageDir);
      await mkdir(target, { recursive: true }).catch((error: unknown) => {
        throw new JobError(`Verbatim cannot use “${patch.storageDir}” as its storage folder: ${error instanceof Error ? error.message : String(error)}`, 'invalid-setting');
      });
      await this.models.relocate(target);
    }
    return this.appSettings.update(patch);
  }

  getTranscript(mediaId: number): EditableTranscript | null {
    this.getMedia(mediaId);
    return this.transcripts.getEditable(mediaId);
  }

  editSegment(mediaId: number, segment: number, text: string): EditableTranscript {
    this.transcripts.editSegment(mediaId, segment, text);
    return this.changed(mediaId);
  }

  undoEdit(mediaId: number): EditableTranscript {
    if (!this.transcripts.undo(mediaId)) throw new JobError('There is nothing to undo.', 'nothing-to-undo');
    return this.changed(mediaId);
  }

  redoEdit(mediaId: number): EditableTranscript {
    if (!this.transcripts.redo(mediaId)) throw new JobError('There is nothing to redo.', 'nothing-to-redo');
    return this.changed(mediaId);
  }

  private changed(mediaId: number): EditableTranscript {
    this.emit('library.changed', [mediaId]);
    return this.transcripts.getEditable(mediaId)!;
  }

  renameSpeaker(mediaId: number, speaker: number, name: string): EditableTranscript {
    this.getMedia(mediaId);
    this.transcripts.renameSpeaker(mediaId, speaker, name.trim());
    return this.changed(mediaId);
  }

  mergeSpeakers(mediaId: number, from: number, into: number): EditableTranscript {
    this.getMedia(mediaId);
    this.transcripts.mergeSpeakers(mediaId, from, into);
    return this.changed(mediaId);
  }

  searchTranscripts(query: string, limit?: number): SearchHit[] {
    return this.transcripts.search(query, limit);
  }

  /** The providers this platform tries, in order, and what the newest transcription ran on. */
  devices(): { order: string[]; lastRun: EngineRun | null } {
    const order = providerOrder(this.appSettings.get().device, process.platform);
    return { order, lastRun: this.jobs.latestEngine() };
  }

  /** What live captions run with: the chosen speech model, which must be installed already (a download would keep the user waiting to speak). */
  private async liveSettings(): Promise<LiveSettings> {
    const settings = this.appSettings.get();
    const model = await this.models.find(settings.model);
    if (!model) {
      const { name } = this.models.entry(settings.model);
      throw new JobError(`Live captions need the speech model ${name}: download it in Settings ▸ Models first.`, 'model-missing');
    }
    return this.transcribeSettings(settings, model);
  }

  /** Settings as the engine takes them, with an installed model. */
  private transcribeSettings(settings: Settings, model: { id: string; dir: string; dtypeSuffix: string }): TranscribeSettings {
    return {
      model: { id: model.id, dir: model.dir, dtypeSuffix: model.dtypeSuffix },
      vadModelPath: this.resources.vadModel,
      language: settings.language === 'auto' ? null : settings.language,
      languageFallback: this.appSettings.languageFallback(),
      task: settings.task,
      initialPrompt: settings.initialPrompt,
      device: settings.device,
    };
  }

  private readonly processMedia: JobRunner = async (job, context) => {
    const settings = this.appSettings.get();
    const onDownload = ({ receivedBytes, totalBytes }: { receivedBytes: number; totalBytes: number }): void =>
      context.progress({ stage: 'download-model', progress: totalBytes > 0 ? receivedBytes / totalBytes : 0 });
    const model = await this.models.ensure(settings.model, onDownload, context.signal);
    const diarize = await this.speakerModels.settings(settings.diarization, { speakers: settings.speakers, device: settings.device }, onDownload, context.signal);
    const transcribe = this.transcribeSettings(settings, model);
    // The files queued next, with the settings they will run under unless these change meanwhile.
    const ahead = this.jobs
      .queued('heavy')
      .filter((queued) => queued.kind === 'process-media' && queued.id !== job.id)
      .slice(0, FILES_AHEAD)
      .map((queued) => ({ ...this.decodeRequest(queued), transcribe, diarize: null }));
    const { output } = await this.supervisor.run({
      jobId: job.id,
      kind: job.kind,
      input: { ...this.decodeRequest(job), transcribe, diarize },
      signal: context.signal,
      onProgress: (update) => {
        if (update.engine) this.jobs.saveEngine(job.id, update.engine);
        context.progress(update);
      },
      // Kept the moment transcription ends: a diarization that fails, or a crash, cannot take it away.
      onTranscript: (transcript) => {
        this.transcripts.save(job.mediaId, job.id, transcript);
        this.emit('library.changed', [job.mediaId]);
      },
      timeoutMs: this.options.supervisor?.jobTimeoutMs ?? jobTimeLimitMs(estimatedAudioSec(job, this.bytesPerAudioSec)),
      ahead,
    });
    this.db.transaction(() => {
      this.media.saveDecoded(job.mediaId, output);
      if (output.transcript) {
        this.transcripts.save(job.mediaId, job.id, output.transcript);
        this.jobs.saveEngine(job.id, output.transcript.engine);
        if (output.transcript.diarization) this.jobs.saveDiarization(job.id, output.transcript.diarization);
      }
    });
    this.emit('library.changed', [job.mediaId]);
  };

  private decodeRequest(job: JobRecord): DecodeRequest {
    return { path: job.path, cacheDir: this.paths.pcmCache, cacheKey: `media-${job.mediaId}`, tools: this.appSettings.toolPaths() };
  }

  /**
   * The diarization tier this job runs. "auto" uses the neural models where they are installed
   * (the packaged app ships them) and otherwise the built-in tier, saying so, without waiting for a
   * download; "neural" downloads them first if it must. Where they cannot be had the built-in tier
   * runs and the transcript says why.
   */
  private finished(job: JobRecord): void {
    if (!this.exports.finished(job)) this.learnFrom(job);
  }

  private learnFrom(job: JobRecord): void {
    if (job.state !== 'done' || job.startedAt === null || job.finishedAt === null) return;
    const finished = this.jobs.get(job.id);
    if (finished?.durationSec) this.throughput.record(finished.durationSec, (job.finishedAt - job.startedAt) / 1000);
    this.bytesPerAudioSec = this.media.averageBytesPerSecond() ?? DEFAULT_BYTES_PER_AUDIO_SEC;
  }

  /**
   * Views of the given jobs, or of all jobs when omitted. Positions only move when the queue marks
   * the jobs concerned; queued jobs' ETAs drift with the running job, so every active job is
   * included too, but at most every ACTIVE_REFRESH_MS: a long queue must not be resent ten times a
   * second.
   */
  private views(ids?: ReadonlySet<number>): JobView[] {
    const estimates = new Map<number, LaneEstimate>();
    const active: JobRecord[] = [];
    const allRunning = this.jobs.inState('running');
    const inputs = {
      audioSecPerSec: this.throughput.audioSecPerSec,
      bytesPerAudioSec: this.bytesPerAudioSec,
      now: Date.now(),
    };
    for (const lane of ['heavy', 'light'] as Lane[]) {
      const running = allRunning.filter((job) => job.lane === lane);
      const queued = this.jobs.queued(lane);
      active.push(...running, ...queued);
      for (const [id, estimate] of estimateLane(running, queued, inputs)) estimates.set(id, estimate);
    }
    const records = new Map<number, JobRecord>();
    if (ids) {
      for (const id of ids) {
        const job = this.jobs.get(id);
        if (job) records.set(id, job);
      }
      if (Date.now() - this.lastActiveRefresh >= ACTIVE_REFRESH_MS) {
        this.lastActiveRefresh = Date.now();
        for (const job of active) records.set(job.id, job);
      }
    } else {
      for (const job of this.jobs.list()) records.set(job.id, job);
    }
    return [...records.values()].map((job) => toView(job, estimates.get(job.id)));
  }
}


function toView(job: JobRecord, estimate: LaneEstimate | undefined): JobView {
  return {
    id: job.id,
    kind: job.kind,
    lane: job.lane,
    mediaId: job.mediaId,
    fileName: job.fileName,
    path: job.path,
    state: job.state,
    priority: job.priority,
    attempts: job.attempts,
    stage: job.stage,
    progress: job.progress,
    error: job.error,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    durationSec: job.durationSec,
    position: estimate?.position ?? null,
    etaSec: estimate?.etaSec ?? null,
    engine: job.engine,
    diarization: job.diarization,
  };
}
