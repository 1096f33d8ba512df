// Cloud offload, composed: the pool connection and its breaker, the placement plan the queue asks
// before every start, and the runner that takes a job through the pool. VerbatimCore holds one.
import { EventEmitter } from 'node:events';
import type { OffloadStatus } from '../../contracts/api';
import type { PoolJobView, PoolStatus } from '../../contracts/cloud-api';
import type { Lane, RunsOn, Settings, Transcript } from '../../contracts/domain';
import { JobError } from '../errors';
import type { Database } from '../library/database';
import type { JobRecord, JobStore } from '../library/job-store';
import type { MediaStore } from '../library/media-store';
import { PoolJobStore } from '../library/pool-job-store';
import type { SettingsStore } from '../library/settings-store';
import type { TranscriptStore } from '../library/transcript-store';
import type { RemoteDispatch } from '../queue/job-queue';
import { RateMeter } from '../queue/rate-meter';
import { CircuitBreaker } from './circuit-breaker';
import { ASSUMED_UPLOAD_BYTES_PER_SEC } from './offload-policy';
import { planPlacement, type PlannedJob } from './placement-plan';
import { poolConnectionConfig, type SecretStore } from './pool-credentials';
import { PoolLink } from './pool-link';
import { poolTranscriptionRunner } from './pool-transcription';

export interface OffloadOptions {
  db: Database;
  jobs: JobStore;
  media: MediaStore;
  transcripts: TranscriptStore;
  settingsStore: SettingsStore;
  settings(): Settings;
  env: NodeJS.ProcessEnv;
  secrets: SecretStore;
  /** Seconds until the jobs running here now are done. */
  localBusySec(): number;
  /** A waiting job's audio length, measured or estimated from its size. */
  audioSecOf(job: JobRecord): number;
  /** How long a waiting job would take here. */
  localSecOf(job: JobRecord): number;
  /** Decodes the file here (no transcription) while the pool transcribes it: its player and waveform. */
  decodeHere(job: JobRecord, signal: AbortSignal): Promise<void>;
  /** Matches a pool transcript's speakers against the voice library, on this machine. */
  matchVoicesHere(job: JobRecord, turns: Transcript['turns'], signal: AbortSignal): Promise<void>;
  markJob(jobId: number): void;
  wakeQueue(): void;
  stored(mediaId: number): void;
  log(message: string): void;
}

type OffloadEvents = { changed: [status: OffloadStatus] };

/** Jobs on their way to or on the pool at once: enough to keep a pool busy without uploading a whole drop at once. */
const POOL_CAPACITY = 4;

export class Offload extends EventEmitter<OffloadEvents> {
  readonly link: PoolLink;
  readonly dispatch: RemoteDispatch;
  private readonly poolJobs: PoolJobStore;
  private readonly uploadMeter: RateMeter;
  private readonly remote = new Map<number, PoolJobView>();
  private plannedFor = new Map<number, PlannedJob>();

  constructor(private readonly o: OffloadOptions) {
    super();
    this.poolJobs = new PoolJobStore(o.db);
    this.uploadMeter = new RateMeter(o.settingsStore, 'throughput.upload', ASSUMED_UPLOAD_BYTES_PER_SEC);
    this.link = new PoolLink({
      config: () => this.config(),
      enabled: () => this.o.settings().offloadMode !== 'off',
      busy: () => this.o.jobs.queued('heavy').length > 0 || this.remote.size > 0,
      pollMs: Number(o.env.VERBATIM_POOL_POLL_MS) || undefined,
      // How long an unreachable pool is left alone before it is tried again.
      breaker: new CircuitBreaker(Number(o.env.VERBATIM_POOL_RETRY_MS) ? { openMs: Number(o.env.VERBATIM_POOL_RETRY_MS), maxOpenMs: 10 * Number(o.env.VERBATIM_POOL_RETRY_MS) } : {}),
      log: o.log,
    });
    // Every change in how the pool stands may change where waiting jobs should go.
    this.link.on('changed', (status) => {
      this.emit('changed', status);
      this.o.wakeQueue();
      for (const id of this.plannedFor.keys()) this.o.markJob(id);
    });
    this.dispatch = {
      capacity: POOL_CAPACITY,
      plan: (lane, waiting) => this.plan(lane, waiting),
      runner: poolTranscriptionRunner({
        db: o.db,
        jobs: o.jobs,
        media: o.media,
        transcripts: o.transcripts,
        poolJobs: this.poolJobs,
        link: this.link,
        settings: o.settings,
        uploadMeter: this.uploadMeter,
        chunkBytes: Number(o.env.VERBATIM_POOL_CHUNK_BYTES) || 8 * 1024 * 1024,
        uploadLimit: Number(o.env.VERBATIM_POOL_UPLOAD_LIMIT) || null,
        onRemote: (jobId, view) => (view ? this.remote.set(jobId, view) : this.remote.delete(jobId)),
        stored: o.stored,
        decodeHere: o.decodeHere,
        matchVoicesHere: o.matchVoicesHere,
        log: o.log,
      }),
    };
  }

  start(): void {
    this.link.sync();
  }

  /**
   * Turning offload on needs a pool that answers with the saved connection (a bad token is refused
   * here, and nothing is sent); pointing it at another pool is connect's.
   */
  async checkBeforeSaving(current: Settings, patch: Partial<Settings>): Promise<void> {
    const next = { ...current, ...patch };
    if (next.offloadMode === 'off' || current.offloadMode !== 'off') return;
    await this.link.test(poolConnectionConfig(next, this.o.env, this.o.secrets));
  }

  settingsSaved(): void {
    this.link.sync();
    this.emit('changed', this.link.status());
    this.o.wakeQueue();
  }

  /**
   * Checks a draft connection (or the saved one) and returns what the pool says. The saved token goes only to
   * the saved address with the saved CA: a draft that names another must bring its own token.
   */
  test(draft: { url?: string; token?: string; caPath?: string | null }): Promise<PoolStatus> {
    const saved = this.config();
    const url = draft.url ?? saved.url;
    const caPath = draft.caPath === undefined ? saved.caPath : draft.caPath;
    if (!draft.token && (url !== saved.url || caPath !== saved.caPath)) return Promise.reject(tokenNeeded());
    return this.link.test({ url, token: draft.token ?? saved.token, caPath });
  }

  /**
   * Saves the pool's address and CA (the caller stores them) with a token: a new address or CA needs the token
   * typed again, so no saved token ever follows a changed address. Checked first while offload is on.
   */
  async connect(current: Settings, patch: { poolUrl: string | null; poolCaPath: string | null }, token: string | null): Promise<void> {
    const moved = patch.poolUrl !== current.poolUrl || patch.poolCaPath !== current.poolCaPath;
    const fromEnvironment = Boolean(this.o.env.VERBATIM_POOL_TOKEN?.trim());
    if (token !== null && fromEnvironment) throw new JobError('The pool token is set by VERBATIM_POOL_TOKEN in the environment; change it there.', 'invalid-setting');
    if (moved && token === null && !fromEnvironment && patch.poolUrl !== null) throw tokenNeeded();
    if (current.offloadMode !== 'off' && patch.poolUrl !== null) {
      const next = poolConnectionConfig({ ...current, ...patch }, this.o.env, this.o.secrets);
      await this.link.test(token ? { ...next, token } : next);
    }
    // The old token belongs to the old address: forgotten when the address changes, replaced when a new one is given.
    if (token !== null || (moved && !fromEnvironment)) this.o.secrets.write(token);
  }


  status(): OffloadStatus {
    return this.link.status();
  }

  /** Where a job stands on the pool, while it is there. */
  remoteView(jobId: number): PoolJobView | undefined {
    return this.remote.get(jobId);
  }

  /** A job about to run here: whatever it left on the pool is canceled there (its transcript will be this machine's). */
  abandon(jobId: number): void {
    const record = this.poolJobs.get(jobId);
    if (!record) return;
    this.poolJobs.delete(jobId);
    const client = this.link.current();
    if (record.remoteId && client) void client.cancel(record.remoteId).catch(() => undefined);
  }

  close(): void {
    this.link.close();
  }

  private config() {
    return poolConnectionConfig(this.o.settings(), this.o.env, this.o.secrets);
  }

  private plan(lane: Lane, waiting: readonly JobRecord[]): ReadonlyMap<number, RunsOn> {
    const where = new Map<number, RunsOn>();
    const settings = this.o.settings();
    if (lane !== 'heavy' || settings.offloadMode === 'off') {
      for (const job of waiting) where.set(job.id, 'local');
      if (lane === 'heavy') this.plannedFor = new Map();
      return where;
    }
    const reported = this.link.reported();
    const media = waiting.filter((job) => job.kind === 'process-media');
    const onPool = this.poolJobs.jobIds();
    const planned = planPlacement(
      media.map((job) => ({
        id: job.id,
        placement: job.placement,
        live: job.live,
        audioSec: this.o.audioSecOf(job),
        localSec: this.o.localSecOf(job),
        sizeBytes: job.sizeBytes ?? 0,
        notice: job.notice,
        startedOnPool: onPool.has(job.id),
      })),
      {
        mode: settings.offloadMode,
        poolAvailable: this.link.usable(),
        poolKnown: reported !== null,
        pool: reported && { waitSec: reported.waitSec, audioSecPerSec: reported.audioSecPerSec, workers: reported.workers },
        uploadBytesPerSec: this.uploadMeter.rate,
        localBusySec: this.o.localBusySec(),
      },
    );
    const now = Date.now();
    this.o.db.transaction(() => {
      for (const job of waiting) {
        const decision = planned.get(job.id);
        if (!decision) {
          where.set(job.id, 'local');
          continue;
        }
        const before = job.decision;
        // The reason carries the rounded ETAs: a verdict is saved again when they move by a second or more.
        if (!before || before.where !== decision.where || before.reason !== decision.reason) {
          this.o.jobs.saveDecision(job.id, { where: decision.where, reason: decision.reason, localEtaSec: decision.localEtaSec, poolEtaSec: decision.poolEtaSec, at: now });
          this.o.markJob(job.id);
        }
        // A job held for the pool is left out: neither side takes it until the pool is back.
        if (!decision.hold) where.set(job.id, decision.where);
      }
    });
    this.plannedFor = planned;
    return where;
  }
}

function tokenNeeded(): JobError {
  return new JobError('Type the pool token for this address: a saved token is only sent to the pool it was saved for.', 'invalid-setting');
}
