import { EventEmitter } from 'node:events';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ApiEvent, ApiEventPayload, OffloadStatus, PlaybackSource } from '../contracts/api';
import type { PoolStatus } from '../contracts/cloud-api';
import { toolPathsFromEnv } from '../contracts/worker-protocol';
import { providerOrder } from '../contracts/devices';
import type {
  AddOutcome,
  EngineRun,
  JobOptions,
  JobView,
  LibraryItem,
  LibrarySort,
  MediaDetail,
  ModelDownload,
  Placement,
  SearchHit,
  Segment,
  Settings,
  SettingsPatch,
} from '../contracts/domain';
import { AppSettings } from './app-settings';
import { AppUpdates } from './updates/app-updates';
import { JobError } from './errors';
import type { AudioResponse } from './audio/byte-ranges';
import { originalFile } from './audio/original-file';
import { pcmAsWav } from './audio/pcm-wav';
import type { Database } from './library/database';
import { dailyBackup, openLibrary } from './library/library-file';
import { JobStore, type JobRecord } from './library/job-store';
import { MediaStore } from './library/media-store';
import { SettingsStore } from './library/settings-store';
import { TranscriptStore } from './library/transcript-store';
import { TranscriptEdits } from './library/transcript-edits';
import { TranscriptEditing } from './editing/transcript-editing';
import { SpeakerVoices } from './voices/speaker-voices';
import { VoiceLibrary } from './voices/voice-library';
import { ModelDownloads } from './models/model-downloads';
import { SpeakerModels } from './models/speaker-models';
import { ModelManager } from './models/model-manager';
import { ExportJobs } from './export/export-jobs';
import { libraryPaths, modelsFolderIn, resourcePaths } from './paths';
import { ChangeCoalescer } from './queue/change-coalescer';
import { estimateLane, estimatedAudioSec } from './queue/eta';
import { JobQueue } from './queue/job-queue';
import { JobViews } from './queue/job-views';
import { MediaIntake } from './queue/media-intake';
import { MachineSpeeds } from './queue/machine-speeds';
import { diskShortfall, freeBytesAt } from './queue/disk-space';
import { diagnosticsText } from './diagnostics';
import { settingsFor } from './transcription/job-settings';
import { Offload } from './offload/offload';
import { FileSecretStore, type SecretStore } from './offload/pool-credentials';
import { LocalTranscription } from './transcription/local-transcription';
import type { WorkerSpawner } from './supervisor/worker-handle';
import type { ToLiveWorker } from '../contracts/live-protocol';
import { LiveSessionStore } from './library/live-session-store';
import { LiveRecordings } from './live/live-recordings';
import { WorkerSupervisor, type SupervisorOptions } from './supervisor/worker-supervisor';

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
  /** Where the pool token is kept: Electron's safeStorage; by default a file of mode 0600 in the library. */
  secrets?: SecretStore;
  /** The host's own folder picker (Electron's dialog), for the models folder; none where the host has no screen of its own. */
  chooseFolder?(): Promise<string | null>;
  log?(message: string): void;
  /** Bytes free on the disk holding a folder; the real disk's unless a test stands in a full one. */
  freeBytes?(dir: string): Promise<number>;
  /** For Copy diagnostics: what the host knows of itself, and the latest problems its log recorded. */
  about?: { appVersion: string; runtime: string; recentProblems(): string[] };
}

type CoreEvents = {
  'jobs.changed': [jobs: JobView[]];
  'library.changed': [mediaIds: number[]];
  'models.changed': [downloads: ModelDownload[]];
  'queue.changed': [held: string | null];
  'offload.changed': [status: OffloadStatus];
};

/** Typical compressed audio (128 kbit/s) until the library has measured its own files. */
const DEFAULT_BYTES_PER_AUDIO_SEC = 16_000;
/** Whole-pipeline speed (audio seconds per second) assumed before the first job has been measured. */
const DEFAULT_SPEED = 5;
/** How often a queue held by a full disk looks whether the space is back. */
const DISK_CHECK_MS = 5_000;
/** How often an open app looks whether its daily backup is due. */
const BACKUP_CHECK_MS = 3600_000;

/**
 * The application without Electron: library, queue, supervised worker and settings, behind the
 * methods the API exposes. Electron's main process, the web host and the CLI each wrap one.
 */
export class VerbatimCore extends EventEmitter<CoreEvents> {
  readonly db: Database;
  private backingUp: Promise<unknown> = Promise.resolve();
  private backupTimer: NodeJS.Timeout | undefined;
  private diskTimer: NodeJS.Timeout | undefined;
  private readonly freeBytes: (dir: string) => Promise<number>;
  readonly supervisor: WorkerSupervisor;
  private readonly decoder: WorkerSupervisor;
  private readonly media: MediaStore;
  private readonly jobs: JobStore;
  private readonly appSettings: AppSettings;
  private readonly transcripts: TranscriptStore;
  readonly models: ModelManager;
  /** Text, speaker and segment edits, each undoable. */
  readonly editing: TranscriptEditing;
  /** Saved voices (the voice library), and their links to each recording's speakers. */
  readonly voices: VoiceLibrary;
  readonly speakerVoices: SpeakerVoices;
  /** Downloads started from Settings, with progress events. */
  readonly downloads: ModelDownloads;
  /** Transcripts as files, made by jobs in the light lane. */
  readonly exports: ExportJobs;
  /** Microphone recordings: capture, live captions, recovery after a crash. */
  readonly live: LiveRecordings;
  readonly updates: AppUpdates;
  /** Cloud offload: the pool connection, where waiting jobs go, and jobs' lives on the pool. */
  readonly offload: Offload;
  private readonly resources: ReturnType<typeof resourcePaths>;
  private readonly queue: JobQueue;
  private readonly speeds: MachineSpeeds;
  private readonly coalescer: ChangeCoalescer;
  private readonly paths: ReturnType<typeof libraryPaths>;
  private readonly log: (message: string) => void;
  private bytesPerAudioSec: number;
  private readonly jobViews: JobViews;
  /** Adding recordings and transcribing them again. */
  readonly intake: MediaIntake;
  private readonly local: LocalTranscription;

  constructor(private readonly options: CoreOptions) {
    super();
    this.log = options.log ?? ((message) => console.log(message));
    this.freeBytes = options.freeBytes ?? freeBytesAt;
    this.paths = libraryPaths(options.dataDir);
    this.db = openLibrary(this.paths.database, this.paths.backups, { log: this.log, nativeBinding: options.sqliteBinding });
    this.media = new MediaStore(this.db);
    this.jobs = new JobStore(this.db);
    this.transcripts = new TranscriptStore(this.db);
    this.voices = new VoiceLibrary(this.db);
    const changed = (mediaId: number): void => void this.emit('library.changed', [mediaId]);
    this.editing = new TranscriptEditing(
      this.transcripts,
      new TranscriptEdits(this.db, this.transcripts),
      (mediaId) => void this.getMedia(mediaId),
      changed,
      (mediaId, speakers) => this.voices.linksFor(mediaId, speakers),
    );
    this.speakerVoices = new SpeakerVoices(this.voices, this.editing, changed);
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
      log: this.log,
    });
    const speakerModels = new SpeakerModels(this.models, this.log);
    this.downloads = new ModelDownloads(this.models);
    this.downloads.on('models.changed', (downloads) => this.emit('models.changed', downloads));
    this.speeds = new MachineSpeeds(settingsStore, DEFAULT_SPEED);
    this.bytesPerAudioSec = this.media.averageBytesPerSecond() ?? DEFAULT_BYTES_PER_AUDIO_SEC;
    this.supervisor = new WorkerSupervisor({ ...options.supervisor, spawn: options.spawnWorker });
    this.supervisor.on('log', this.log);
    this.decoder = new WorkerSupervisor({ ...options.supervisor, spawn: options.spawnWorker });
    this.decoder.on('log', this.log);
    this.coalescer = new ChangeCoalescer((ids) => this.emit('jobs.changed', this.jobViews.views(ids)));
    const stored = (mediaId: number): void => void this.emit('library.changed', [mediaId]);
    this.offload = new Offload({
      db: this.db,
      jobs: this.jobs,
      media: this.media,
      transcripts: this.transcripts,
      settingsStore,
      settings: () => this.appSettings.get(),
      env,
      secrets: options.secrets ?? new FileSecretStore(this.paths.poolToken),
      localBusySec: () => this.localBusySec(),
      audioSecOf: (job) => estimatedAudioSec(job, this.bytesPerAudioSec) ?? 0,
      localSecOf: (job) => this.expectedNow()(job, estimatedAudioSec(job, this.bytesPerAudioSec) ?? 0),
      decodeHere: (job, signal) => this.local.decodeOnly(job, signal, this.log),
      matchVoicesHere: (job, turns, signal) => this.local.matchVoicesHere(job, turns, signal, this.log),
      markJob: (id) => this.coalescer.mark(id),
      wakeQueue: () => this.queue?.wake(),
      stored,
      log: this.log,
    });
    this.offload.on('changed', (status) => this.emit('offload.changed', status));
    this.jobViews = new JobViews({
      jobs: this.jobs,
      expectedSec: () => this.expectedNow(),
      bytesPerAudioSec: () => this.bytesPerAudioSec,
      offloadOn: () => this.appSettings.get().offloadMode !== 'off',
      remoteView: (id) => this.offload.remoteView(id),
    });
    this.local = new LocalTranscription({
      db: this.db,
      jobs: this.jobs,
      media: this.media,
      transcripts: this.transcripts,
      models: this.models,
      speakerModels,
      voices: this.voices,
      supervisor: this.supervisor,
      decoder: this.decoder,
      appSettings: this.appSettings,
      tools: toolPathsFromEnv(env),
      resources: this.resources,
      paths: this.paths,
      bytesPerAudioSec: () => this.bytesPerAudioSec,
      speeds: this.speeds,
      markJob: (id) => this.coalescer.mark(id),
      freeBytes: this.freeBytes,
      jobTimeoutMs: options.supervisor?.jobTimeoutMs,
      beforeRun: (job) => this.offload.abandon(job.id),
      upNext: (job) =>
        this.jobs.queued('heavy').filter((queued) => queued.kind === 'process-media' && queued.id !== job.id && !(queued.runsOn === 'pool' && this.appSettings.get().offloadMode !== 'off')),
      stored,
    });
    this.live = new LiveRecordings({
      sessions: new LiveSessionStore(this.db),
      media: this.media,
      transcripts: this.transcripts,
      recordingsDir: this.paths.recordings,
      spawnLive: options.spawnLiveWorker,
      liveSettings: () => this.local.liveSettings(),
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
    this.updates = new AppUpdates({ running: () => this.jobs.inState('running').filter((job) => job.kind === 'process-media'), recording: () => this.live.current() !== null });
    this.live.on('live.changed', () => this.updates.activityChanged());
    this.on('jobs.changed', () => this.updates.activityChanged());
    this.exports = new ExportJobs({ jobs: this.jobs, media: this.media, transcripts: this.transcripts, wakeQueue: () => this.queue.wake(), options: () => this.appSettings.get().exportOptions });
    this.queue = new JobQueue(this.jobs, {
      runners: { 'process-media': this.local.runner, export: this.exports.runner },
      remote: this.offload.dispatch,
      maxAttempts: options.maxAttempts,
      onChange: (id) => this.coalescer.mark(id),
      onWaitingChanged: (lane) => lane === 'heavy' && this.local.lookAhead(),
      onHeld: (held) => this.queueHeld(held),
      onFinished: (job) => this.finished(job),
      log: this.log,
    });
    this.intake = new MediaIntake({
      media: this.media,
      jobs: this.jobs,
      queue: this.queue,
      mark: (jobId) => this.coalescer.mark(jobId),
      changed: (mediaIds) => this.emit('library.changed', mediaIds),
    });
  }

  start(): void {
    this.jobs.deleteKind('export');
    this.live.recover();
    this.queue.start();
    this.offload.start();
    this.backUp();
    // An app left open for days still gets its daily copy.
    this.backupTimer = setInterval(() => this.backUp(), BACKUP_CHECK_MS).unref();
  }

  /** Whether the queue is held, and why (the disk is full). */
  queueState(): { held: string | null } {
    return { held: this.queue.held };
  }

  /** A held queue looks every few seconds whether the space is back, and carries on by itself. */
  private queueHeld(held: string | null): void {
    this.emit('queue.changed', held);
    clearInterval(this.diskTimer);
    if (held === null) return;
    this.diskTimer = setInterval(() => {
      const next = this.jobs.queued('heavy')[0];
      const audioSec = next ? (estimatedAudioSec(next, this.bytesPerAudioSec) ?? 3600) : 0;
      void this.freeBytes(this.paths.pcmCache)
        .then((free) => diskShortfall(free, audioSec) === 0 && this.queue.release())
        .catch(() => undefined);
    }, DISK_CHECK_MS).unref();
  }

  /** The daily copy of the library, if one is due; it runs beside everything else (SQLite's online backup). */
  private backUp(): void {
    this.backingUp = this.backingUp
      .then(() => dailyBackup(this.db, this.paths.backups))
      .then((file) => file && this.log(`[library] backed up to ${file}`))
      .catch((error: unknown) => this.log(`[library] the daily backup failed: ${error instanceof Error ? error.message : String(error)}`));
  }

  /** Every event the API carries, as the renderer receives it: what the hosts forward. */
  onApiEvent(listener: <E extends ApiEvent>(event: E, payload: ApiEventPayload<E>) => void): void {
    this.on('jobs.changed', (jobs) => listener('jobs.changed', { jobs }));
    this.on('library.changed', (mediaIds) => listener('library.changed', { mediaIds }));
    this.on('models.changed', (downloads) => listener('models.changed', { downloads }));
    this.on('queue.changed', (held) => listener('queue.changed', { held }));
    this.live.on('live.changed', (session) => listener('live.changed', { session }));
    this.live.on('live.caption', (sessionId, caption) => listener('live.caption', { sessionId, caption }));
    this.on('offload.changed', (status) => listener('offload.changed', { status }));
    this.updates.on('changed', (status) => listener('updates.changed', { status }));
  }

  async close(): Promise<void> {
    this.downloads.abortAll();
    await this.live.close();
    await this.queue.stop();
    this.offload.close();
    this.supervisor.dispose();
    this.decoder.dispose();
    this.coalescer.dispose();
    clearInterval(this.backupTimer);
    clearInterval(this.diskTimer);
    await this.backingUp;
    this.db.close();
  }

  addFiles(paths: readonly string[], options?: JobOptions): Promise<AddOutcome[]> {
    return this.intake.add(paths, options);
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
    return this.jobViews.views();
  }

  getMedia(mediaId: number): MediaDetail {
    const media = this.media.get(mediaId);
    if (!media) throw new JobError(`There is no media ${mediaId}.`, 'not-found');
    return media;
  }

  cancel(jobId: number): void {
    this.queue.cancel(jobId);
  }

  async retry(jobId: number): Promise<void> {
    const job = this.jobs.get(jobId);
    if (job?.kind === 'process-media' && (job.state === 'failed' || job.state === 'canceled')) await this.intake.retry(job);
    else this.queue.retry(jobId);
  }

  /** Forgets the finished transcription jobs; their recordings and transcripts stay in the library. */
  clearFinished(): number[] {
    const mediaIds = this.jobs.list().filter((job) => job.kind === 'process-media' && (job.state === 'done' || job.state === 'canceled')).map((job) => job.mediaId);
    const cleared = this.jobs.deleteFinished('process-media');
    if (mediaIds.length) this.emit('library.changed', [...new Set(mediaIds)]);
    return cleared;
  }

  setPriority(jobId: number, priority: number): void {
    this.queue.setPriority(jobId, priority);
  }

  reorder(jobIds: readonly number[]): void {
    this.queue.reorder(jobIds);
  }

  /** Run here, Run in the cloud, or decide for me: weighed again at once if the job waits. */
  setPlacement(jobId: number, placement: Placement): void {
    const job = this.jobs.get(jobId);
    if (!job) throw new JobError(`There is no job ${jobId}.`, 'not-found');
    if (placement === 'pool' && this.appSettings.get().offloadMode === 'off') {
      throw new JobError('Turn on cloud offload in Settings ▸ Cloud offload first.', 'offload-off');
    }
    this.jobs.setPlacement(jobId, placement);
    if (placement !== 'local') this.jobs.setNotice(jobId, null);
    this.coalescer.mark(jobId);
    this.queue.wake();
  }

  offloadStatus(): OffloadStatus {
    return this.offload.status();
  }

  testPool(draft: { url?: string; token?: string; caPath?: string | null }): Promise<PoolStatus> {
    return this.offload.test(draft);
  }

  getSettings(): Settings {
    return this.appSettings.get();
  }

  async updateSettings(patch: SettingsPatch): Promise<Settings> {
    if (patch.model !== undefined) this.models.entry(patch.model, 'whisper');
    await this.offload.checkBeforeSaving(this.appSettings.get(), patch);
    const next = await this.appSettings.update(patch);
    this.offload.settingsSaved();
    if (patch.recogniseVoices === false) this.voices.forgetRecordingPrints();
    // Turned on, or another channel: look now rather than in a few hours.
    if (patch.checkForUpdates !== undefined || patch.updateChannel !== undefined) void this.updates.check();
    return next;
  }

  /** The pool's address, CA and token, set together: a saved token is never sent to an address it was not saved for. */
  async connectPool(connection: { url: string | null; caPath: string | null; token: string | null }): Promise<OffloadStatus> {
    const current = this.appSettings.get();
    const patch = { poolUrl: connection.url, poolCaPath: connection.caPath };
    await this.offload.connect(current, patch, connection.token);
    await this.appSettings.update(patch);
    this.offload.settingsSaved();
    return this.offload.status();
  }

  /** Where downloaded models go: a folder the host's own picker named (never a path sent through the API), or the library's. */
  async chooseStorageFolder(reset: boolean): Promise<Settings> {
    if (this.options.modelsDir) throw new JobError('This copy of Verbatim keeps its models where it was started to (VERBATIM_MODELS_DIR or the app it shares them with).', 'invalid-setting');
    let chosen: string | null = null;
    if (!reset) {
      if (!this.options.chooseFolder) throw new JobError('Choosing a models folder needs the desktop app; this host keeps models in its library folder.', 'invalid-setting');
      chosen = await this.options.chooseFolder();
      if (chosen === null) return this.appSettings.get();
      if (!path.isAbsolute(chosen)) throw new JobError(`The storage folder “${chosen}” is not an absolute path.`, 'invalid-setting');
    }
    const target = chosen === null ? this.paths.models : modelsFolderIn(chosen);
    await mkdir(target, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
      throw new JobError(`Verbatim cannot use “${chosen}” as its storage folder: ${error instanceof Error ? error.message : String(error)}`, 'invalid-setting');
    });
    await this.models.relocate(target);
    return this.appSettings.update({ storageDir: chosen });
  }

  partialTranscript(mediaId: number): Segment[] | null {
    this.getMedia(mediaId);
    return this.local.partial(mediaId);
  }

  searchTranscripts(query: string, limit?: number, speaker?: string): SearchHit[] {
    return this.transcripts.search(query, limit, speaker);
  }

  speakerNames(): Array<{ name: string; recordings: number }> {
    return this.transcripts.speakerNames();
  }

  /** Copy diagnostics (core/diagnostics.ts): never transcript text; file names and paths only when asked for. */
  async diagnostics(includeNames: boolean): Promise<{ text: string; logsDir: string }> {
    const about = this.options.about ?? { appVersion: 'development', runtime: `Node ${process.versions.node}`, recentProblems: () => [] };
    const models = (await this.downloads.list()).filter((model) => model.installed !== null).map((model) => model.id);
    const facts = { appVersion: about.appVersion, runtime: about.runtime, devices: this.devices(), modelsInstalled: models, logsDir: this.paths.logs, problems: about.recentProblems() };
    return { text: diagnosticsText(facts, { includeNames }), logsDir: this.paths.logs };
  }

  /** The providers this platform tries, in order, and what the newest transcription ran on. */
  devices(): { order: string[]; lastRun: EngineRun | null } {
    const order = providerOrder(this.appSettings.get().device, process.platform);
    return { order, lastRun: this.jobs.latestEngine() };
  }

  private finished(job: JobRecord): void {
    // A transcription's speeds are learnt by the run itself (LocalTranscription); the file sizes here.
    if (!this.exports.finished(job) && job.state === 'done') this.bytesPerAudioSec = this.media.averageBytesPerSecond() ?? DEFAULT_BYTES_PER_AUDIO_SEC;
  }

  /** How long each job should take here, Settings read once: views are built ten times a second over the whole queue. */
  private expectedNow(): (job: JobRecord, audioSec: number) => number {
    const settings = this.appSettings.get();
    // The model a job runs (or ran) with: what the engine reported, else its own choice over Settings.
    return (job, audioSec) => this.speeds.expectedSec({ model: job.engine?.model ?? settingsFor(job, settings).model, audioSec, speechSec: job.speechSec });
  }

  /** Seconds until the jobs running on this machine now are done. */
  private localBusySec(): number {
    const running = this.jobs.inState('running').filter((job) => job.lane === 'heavy' && job.runsOn !== 'pool');
    const estimates = estimateLane(running, [], { expectedSec: this.expectedNow(), bytesPerAudioSec: this.bytesPerAudioSec, now: Date.now() });
    return Math.max(0, ...[...estimates.values()].map((estimate) => estimate.etaSec ?? 0));
  }
}
