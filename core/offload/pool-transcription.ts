// A transcription job run on the pool: upload (resumable, its URL kept in SQLite from the first
// byte), submit (idempotent), follow the pool's stages, fetch the result and store it in one
// transaction as a normal transcript that says where it ran. A lost job is resubmitted once; a job
// the pool refuses or fails goes back to the queue to run here, and the user is told once.
import { settingsFor } from '../transcription/job-settings';
import { checkUnchanged } from '../content-hash';
import type { JobOptionsInput, PoolJobView } from '../../contracts/cloud-api';
import type { Settings, Transcript } from '../../contracts/domain';
import { BackToQueueError, CanceledError } from '../errors';
import type { Database } from '../library/database';
import type { JobRecord, JobStore } from '../library/job-store';
import type { MediaStore } from '../library/media-store';
import type { PoolJobStore } from '../library/pool-job-store';
import type { TranscriptStore } from '../library/transcript-store';
import { PoolRequestError } from '../pool/pool-client';
import { CLOSING, type JobRunner, type RunContext } from '../queue/job-queue';
import type { RateMeter } from '../queue/rate-meter';
import { describePoolError, type PoolLink } from './pool-link';

export interface PoolTranscriptionDeps {
  db: Database;
  jobs: JobStore;
  media: MediaStore;
  transcripts: TranscriptStore;
  poolJobs: PoolJobStore;
  link: PoolLink;
  settings(): Settings;
  /** Upload speed to the pool, bytes per second. */
  uploadMeter: RateMeter;
  /** tus chunk size; smaller chunks resume closer to where they stopped. */
  chunkBytes: number;
  /** The user's cap on upload speed, bytes per second; null: none. */
  uploadLimit: number | null;
  /** The pool's own view of the job while it is there, for the queue's position and ETA. */
  onRemote(jobId: number, view: PoolJobView | null): void;
  stored(mediaId: number): void;
  /** Decodes the file here meanwhile (never throws): the player and waveform, as for a local job. */
  decodeHere(job: JobRecord, signal: AbortSignal): Promise<void>;
  /** Matches the transcript's speakers against the voice library here (never throws): prints never go to the pool. */
  matchVoicesHere(job: JobRecord, turns: Transcript['turns'], signal: AbortSignal): Promise<void>;
  log(message: string): void;
}

/** HTTP answers that say the pool will not take this file or this tenant's work: trying again cannot help. */
const REFUSED = new Set([400, 401, 403, 413, 415, 422, 460]);

/** Failed tries on the pool in a row after which a job runs here instead: the pool answers, but not for this job. */
const TRIES_PER_JOB = 3;

export function poolTranscriptionRunner(deps: PoolTranscriptionDeps): JobRunner {
  const failedTries = new Map<number, number>();
  const runner: JobRunner = async (job, context) => {
    const client = deps.link.current();
    const url = deps.link.status().url;
    if (!client || !url) throw new BackToQueueError('Cloud offload is not set up.');
    // Before the file is sent: a changed file is the file's doing, not the pool's.
    if (!deps.poolJobs.get(job.id)?.uploadId) await checkUnchanged(job.path, job.contentHash);
    const record = deps.poolJobs.open(job.id, url, job.contentHash ?? '');
    let remoteId = record.remoteId;
    const decoded = deps.decodeHere(job, context.signal);
    try {
      for (;;) {
        if (!remoteId) remoteId = await submit(job, context, deps);
        const final = await follow(job, remoteId, context, deps);
        if (final.state === 'done') {
          const { transcript } = await client.result(remoteId);
          store(job, transcript, deps);
          failedTries.delete(job.id);
          deps.link.succeeded();
          await decoded;
          await deps.matchVoicesHere(job, transcript.turns, context.signal);
          return;
        }
        if (final.state === 'canceled' || final.state === 'failed') {
          const why = final.state === 'canceled' ? 'it was canceled there' : (final.error?.message ?? 'it failed there');
          throw runHere(job, deps, `The pool could not transcribe it (${why}); it runs here instead.`);
        }
      }
    } catch (error) {
      if (context.signal.aborted) {
        // Closing: the upload's URL and the remote job stay recorded, for the next start to pick up.
        if (context.signal.reason === CLOSING) throw error;
        if (remoteId) await client.cancel(remoteId).catch(() => undefined);
        deps.poolJobs.delete(job.id);
        throw new CanceledError();
      }
      if (error instanceof BackToQueueError) throw error;
      if (error instanceof PoolRequestError && error.status === 404 && remoteId) {
        // The pool lost it (its records expired, or it was reset): submit once more, from the upload if it is still there.
        return lost(job, context, deps);
      }
      if (error instanceof PoolRequestError && REFUSED.has(error.status)) {
        throw runHere(job, deps, `The pool refused it (${describePoolError(error, url)}); it runs here instead.`);
      }
      const tries = (failedTries.get(job.id) ?? 0) + 1;
      failedTries.set(job.id, tries);
      deps.link.failed(error);
      if (tries >= TRIES_PER_JOB) {
        failedTries.delete(job.id);
        throw runHere(job, deps, `The pool failed it ${tries} times (${describePoolError(error, url)}); it runs here instead.`);
      }
      throw new BackToQueueError(describePoolError(error, url));
    } finally {
      deps.onRemote(job.id, null);
    }
  };
  return runner;

  async function lost(job: JobRecord, context: RunContext, d: PoolTranscriptionDeps): Promise<void> {
    const record = d.poolJobs.get(job.id);
    if (!record || record.resubmits >= 1) throw runHere(job, d, 'The pool lost it twice; it runs here instead.');
    d.log(`[offload] job ${job.id}: the pool lost remote job ${record.remoteId}; submitting it again`);
    d.poolJobs.update(job.id, { remoteId: null, resubmits: record.resubmits + 1 });
    return runner(job, context);
  }
}

/** Uploads the file (resuming an earlier upload) and submits it; returns the pool's job id. */
async function submit(job: JobRecord, context: RunContext, deps: PoolTranscriptionDeps): Promise<string> {
  const client = deps.link.current()!;
  const options = jobOptions(settingsFor(job, deps.settings()));
  let record = deps.poolJobs.get(job.id)!;
  for (let attempt = 0; ; attempt += 1) {
    if (!record.uploadId) {
      context.progress({ stage: 'upload', progress: 0 });
      const startedAt = Date.now();
      let firstSent: number | null = null;
      let lastSent = 0;
      const { uploadId } = await client.upload(job.path, {
        uploadUrl: record.uploadUrl,
        sha256: record.sha256 || undefined,
        chunkSize: deps.chunkBytes,
        bytesPerSec: deps.uploadLimit,
        signal: context.signal,
        onUploadUrl: (uploadUrl) => deps.poolJobs.update(job.id, { uploadUrl }),
        onProgress: (sent, total) => {
          firstSent ??= sent;
          lastSent = sent;
          context.progress({ stage: 'upload', progress: total > 0 ? sent / total : 0 });
        },
      });
      const seconds = (Date.now() - startedAt) / 1000;
      if (firstSent !== null && lastSent > firstSent) deps.uploadMeter.record(lastSent - (firstSent ?? 0), seconds);
      deps.poolJobs.update(job.id, { uploadId });
      record = deps.poolJobs.get(job.id)!;
    }
    try {
      const { job: remote } = await client.submit({ uploadId: record.uploadId!, options });
      deps.poolJobs.update(job.id, { remoteId: remote.id });
      deps.log(`[offload] job ${job.id} (${job.fileName}) is pool job ${remote.id}`);
      return remote.id;
    } catch (error) {
      // The checked upload is gone (it expired, or went with an earlier job): send the file again, once.
      if (!(error instanceof PoolRequestError && error.status === 404) || attempt > 0) throw error;
      deps.poolJobs.update(job.id, { uploadId: null, uploadUrl: null });
      record = deps.poolJobs.get(job.id)!;
    }
  }
}

async function follow(job: JobRecord, remoteId: string, context: RunContext, deps: PoolTranscriptionDeps): Promise<PoolJobView> {
  const client = deps.link.current()!;
  return client.follow(
    remoteId,
    (view) => {
      deps.onRemote(job.id, view);
      if (view.engine) deps.jobs.saveEngine(job.id, { ...view.engine, ranOn: 'pool' });
      if (view.state === 'queued') context.progress({ stage: 'pool-wait', progress: 0 });
      else if (view.state === 'running') context.progress({ stage: view.stage ?? 'pool-wait', progress: view.progress });
    },
    context.signal,
  );
}

/** The pool's transcript, stored as any other: one transaction, the engine saying where it ran. */
function store(job: JobRecord, transcript: Transcript, deps: PoolTranscriptionDeps): void {
  const ran: Transcript = { ...transcript, engine: { ...transcript.engine, ranOn: 'pool' } };
  deps.db.transaction(() => {
    deps.transcripts.save(job.mediaId, job.id, ran);
    deps.jobs.saveEngine(job.id, ran.engine);
    if (ran.diarization) deps.jobs.saveDiarization(job.id, ran.diarization);
    deps.media.saveDuration(job.mediaId, ran.durationSec);
    deps.poolJobs.delete(job.id);
  });
  deps.stored(job.mediaId);
}

/** Sends the job back to run here, saying why once. */
function runHere(job: JobRecord, deps: PoolTranscriptionDeps, notice: string): BackToQueueError {
  deps.log(`[offload] job ${job.id}: ${notice}`);
  deps.db.transaction(() => {
    deps.jobs.setPlacement(job.id, 'local');
    deps.jobs.setNotice(job.id, notice);
    deps.poolJobs.delete(job.id);
  });
  return new BackToQueueError(notice);
}

/** The user's settings as the pool takes them: the same model and options, so the same transcript. */
export function jobOptions(settings: Settings): JobOptionsInput {
  return {
    model: settings.model,
    language: settings.language === 'auto' ? null : settings.language,
    task: settings.task,
    diarization: settings.diarization,
    speakers: settings.speakers,
  };
}
