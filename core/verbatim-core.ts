import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { AddOutcome, JobView, Lane, MediaDetail, Settings } from '../contracts/domain';
import { AppSettings } from './app-settings';
import { identifyFile } from './content-hash';
import { JobError } from './errors';
import { Database } from './library/database';
import { JobStore, type JobRecord } from './library/job-store';
import { MediaStore } from './library/media-store';
import { SettingsStore } from './library/settings-store';
import { libraryPaths } from './paths';
import { ChangeCoalescer } from './queue/change-coalescer';
import { estimateLane, estimatedAudioSec, jobTimeLimitMs, type LaneEstimate } from './queue/eta';
import { JobQueue, type JobRunner } from './queue/job-queue';
import { ThroughputMeter } from './queue/throughput';
import type { WorkerSpawner } from './supervisor/worker-handle';
import { WorkerSupervisor, type SupervisorOptions } from './supervisor/worker-supervisor';

export interface CoreOptions {
  dataDir: string;
  spawnWorker: WorkerSpawner;
  env?: NodeJS.ProcessEnv;
  supervisor?: Omit<SupervisorOptions, 'spawn'>;
  maxAttempts?: number;
  /** See DatabaseOptions.nativeBinding. */
  sqliteBinding?: string;
  log?(message: string): void;
}

type CoreEvents = { 'jobs.changed': [jobs: JobView[]] };

/** Typical compressed audio (128 kbit/s) until the library has measured its own files. */
const DEFAULT_BYTES_PER_AUDIO_SEC = 16_000;
/** Decode speed assumed before the first job has been measured. */
const DEFAULT_DECODE_SPEED = 100;
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
  private readonly queue: JobQueue;
  private readonly throughput: ThroughputMeter;
  private readonly coalescer: ChangeCoalescer;
  private readonly paths: ReturnType<typeof libraryPaths>;
  private readonly log: (message: string) => void;
  private bytesPerAudioSec: number;
  private lastActiveRefresh = 0;

  constructor(private readonly options: CoreOptions) {
    super();
    this.log = options.log ?? ((message) => console.log(message));
    this.paths = libraryPaths(options.dataDir);
    this.db = new Database(this.paths.database, { log: this.log, nativeBinding: options.sqliteBinding });
    this.media = new MediaStore(this.db);
    this.jobs = new JobStore(this.db);
    const settingsStore = new SettingsStore(this.db);
    this.appSettings = new AppSettings(settingsStore, options.env ?? process.env);
    this.throughput = new ThroughputMeter(settingsStore, 'throughput.process-media', DEFAULT_DECODE_SPEED);
    this.bytesPerAudioSec = this.media.averageBytesPerSecond() ?? DEFAULT_BYTES_PER_AUDIO_SEC;
    this.supervisor = new WorkerSupervisor({ ...options.supervisor, spawn: options.spawnWorker });
    this.supervisor.on('log', this.log);
    this.coalescer = new ChangeCoalescer((ids) => this.emit('jobs.changed', this.views(ids)));
    this.queue = new JobQueue(this.jobs, {
      runners: { 'process-media': this.processMedia },
      maxAttempts: options.maxAttempts,
      onChange: (id) => this.coalescer.mark(id),
      onFinished: (job) => this.learnFrom(job),
      log: this.log,
    });
  }

  start(): void {
    this.queue.start();
  }

  async close(): Promise<void> {
    await this.queue.stop();
    this.supervisor.dispose();
    this.coalescer.dispose();
    this.db.close();
  }

  /** Adds files to the library and queues them; a file already there keeps its media and job. */
  async addFiles(paths: readonly string[]): Promise<AddOutcome[]> {
    const outcomes: AddOutcome[] = [];
    for (const given of paths) {
      const file = path.resolve(given);
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
    return outcomes;
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

  getSettings(): Settings {
    return this.appSettings.get();
  }

  updateSettings(patch: Partial<Settings>): Promise<Settings> {
    return this.appSettings.update(patch);
  }

  private readonly processMedia: JobRunner = async (job, context) => {
    const { output } = await this.supervisor.run({
      jobId: job.id,
      kind: job.kind,
      input: { path: job.path, cacheDir: this.paths.pcmCache, cacheKey: `media-${job.mediaId}`, tools: this.appSettings.toolPaths() },
      signal: context.signal,
      onProgress: (update) => context.progress(update),
      timeoutMs: this.options.supervisor?.jobTimeoutMs ?? jobTimeLimitMs(estimatedAudioSec(job, this.bytesPerAudioSec)),
    });
    this.media.saveDecoded(job.mediaId, output);
  };

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
  };
}
