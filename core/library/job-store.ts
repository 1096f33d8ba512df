import { JOB_KINDS, DiarizationRun, EngineRun, JobOptions, type JobKind, type JobState, type Lane, type Placement, type RunsOn, type Stage } from '../../contracts/domain';
import { transition, type JobEvent } from '../queue/job-state';
import { TranscribeCheckpoint } from '../../contracts/worker-protocol';
import type { Database } from './database';

export interface JobRecord {
  id: number;
  mediaId: number;
  kind: JobKind;
  lane: Lane;
  state: JobState;
  priority: number;
  attempts: number;
  stage: Stage | null;
  progress: number;
  error: string | null;
  /** The failure's code, where it had one ('no-audio'…). */
  errorCode: string | null;
  createdAt: number;
  queuedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  // From the job's media, for display and estimates.
  fileName: string;
  path: string;
  durationSec: number | null;
  /** Seconds of speech in it, once the speech detector has looked. */
  speechSec: number | null;
  sizeBytes: number | null;
  /** The file's SHA-256, null when it could not be read when added. */
  contentHash: string | null;
  engine: EngineRun | null;
  diarization: DiarizationRun | null;
  placement: Placement;
  runsOn: RunsOn | null;
  /** The offload policy's last verdict for it. */
  decision: PlacementDecision | null;
  notice: string | null;
  /** A microphone recording's job (recordings leave the machine only when offload is Always). */
  live: boolean;
  /** The user's choices for this file, over Settings. */
  options: JobOptions;
}

export interface PlacementDecision {
  where: RunsOn;
  reason: string;
  localEtaSec: number;
  poolEtaSec: number | null;
  /** When it was made (ms): the ETAs count from here. */
  at?: number;
}

const SELECT_JOB = `
  SELECT j.id, j.media_id AS mediaId, j.kind, j.lane, j.state, j.priority, j.attempts, j.stage, j.progress,
         j.error, j.error_code AS errorCode, j.created_at AS createdAt, j.queued_at AS queuedAt, j.started_at AS startedAt,
         j.finished_at AS finishedAt, m.file_name AS fileName, m.path, m.duration_sec AS durationSec, m.speech_sec AS speechSec,
         m.size_bytes AS sizeBytes, m.content_hash AS contentHash, j.engine, j.diarization, j.placement, j.runs_on AS runsOn, j.decision, j.notice, j.options,
         EXISTS (SELECT 1 FROM live_sessions l WHERE l.media_id = m.id) AS live
  FROM jobs j JOIN media m ON m.id = j.media_id`;

type JobRow = Omit<JobRecord, 'engine' | 'diarization' | 'decision' | 'live' | 'options'> & { engine: string | null; diarization: string | null; decision: string | null; live: number; options: string };

function toRecord(row: JobRow): JobRecord;
function toRecord(row: JobRow | undefined): JobRecord | undefined;
function toRecord(row: JobRow | undefined): JobRecord | undefined {
  if (!row) return undefined;
  const engine = row.engine ? EngineRun.safeParse(JSON.parse(row.engine)) : null;
  const diarization = row.diarization ? DiarizationRun.safeParse(JSON.parse(row.diarization)) : null;
  return {
    ...row,
    engine: engine?.success ? engine.data : null,
    diarization: diarization?.success ? diarization.data : null,
    decision: row.decision ? (JSON.parse(row.decision) as PlacementDecision) : null,
    live: row.live === 1,
    // Checked again on the way out: options a newer version wrote are ignored, not trusted.
    options: JobOptions.catch({}).parse(JSON.parse(row.options)),
  };
}

/** Progress a job keeps when it starts again: where its checkpoint left it, else nothing. */
const KEPT_PROGRESS = 'CASE WHEN checkpoint IS NULL THEN 0 ELSE progress END';

/** The order a lane runs its queued jobs in: priority, then first come first served. */
const LANE_ORDER = 'ORDER BY j.priority DESC, j.queued_at, j.id';

export class JobStore {
  constructor(private readonly db: Database) {}

  create(mediaId: number, kind: JobKind, options: JobOptions = {}, now = Date.now()): number {
    const result = this.db.run(
      `INSERT INTO jobs (media_id, kind, lane, state, priority, options, created_at, queued_at)
       VALUES (?, ?, ?, 'queued', 0, ?, ?, ?)`,
      [mediaId, kind, JOB_KINDS[kind].lane, JSON.stringify(options), now, now],
    );
    return Number(result.lastInsertRowid);
  }

  get(id: number): JobRecord | undefined {
    return toRecord(this.db.get<JobRow>(`${SELECT_JOB} WHERE j.id = ?`, [id]));
  }

  /** The newest job of this kind for the media, if any. */
  latestFor(mediaId: number, kind: JobKind): JobRecord | undefined {
    return toRecord(this.db.get<JobRow>(`${SELECT_JOB} WHERE j.media_id = ? AND j.kind = ? ORDER BY j.id DESC LIMIT 1`, [
      mediaId,
      kind,
    ]));
  }

  list(): JobRecord[] {
    return this.db.all<JobRow>(`${SELECT_JOB} ORDER BY j.id`).map((row) => toRecord(row));
  }

  inState(state: JobState): JobRecord[] {
    return this.db.all<JobRow>(`${SELECT_JOB} WHERE j.state = ? ORDER BY j.id`, [state]).map((row) => toRecord(row));
  }

  queued(lane: Lane): JobRecord[] {
    return this.db.all<JobRow>(`${SELECT_JOB} WHERE j.lane = ? AND j.state = 'queued' ${LANE_ORDER}`, [lane]).map((row) => toRecord(row));
  }

  /**
   * Moves a job through the state machine, reading its current state in the same transaction so
   * two callers can never both win. Returns the updated record.
   */
  apply(
    id: number,
    event: JobEvent,
    details: { error?: string | null; errorCode?: string | null; refundAttempt?: boolean; runsOn?: RunsOn } = {},
    now = Date.now(),
  ): JobRecord {
    return this.db.transaction(() => {
      const job = this.get(id);
      if (!job) throw new Error(`No job ${id}.`);
      const to = transition(job.state, event);
      switch (event) {
        case 'start':
          this.db.run(
            // A job carrying on from a checkpoint keeps its bar where it was.
            `UPDATE jobs SET state = ?, attempts = attempts + 1, started_at = ?, finished_at = NULL,
               error = NULL, error_code = NULL, stage = NULL, progress = ${KEPT_PROGRESS}, runs_on = ? WHERE id = ?`,
            [to, now, details.runsOn ?? 'local', id],
          );
          break;
        case 'requeue':
          // An interrupted job keeps its place in line.
          this.db.run(
            `UPDATE jobs SET state = ?, started_at = NULL, finished_at = NULL, stage = NULL, progress = ${KEPT_PROGRESS},
               error = ?, attempts = attempts - ? WHERE id = ?`,
            [to, details.error ?? null, details.refundAttempt ? 1 : 0, id],
          );
          break;
        case 'retry':
          // A retry asked for by the user is new work: to the back of the line, with fresh attempts.
          this.db.run(
            `UPDATE jobs SET state = ?, queued_at = ?, started_at = NULL, finished_at = NULL, stage = NULL,
               progress = 0, error = NULL, error_code = NULL, attempts = 0, checkpoint = NULL WHERE id = ?`,
            [to, now, id],
          );
          break;
        case 'complete':
          this.db.run('UPDATE jobs SET state = ?, finished_at = ?, progress = 1, error = NULL, checkpoint = NULL WHERE id = ?', [
            to,
            now,
            id,
          ]);
          break;
        case 'fail':
        case 'cancel':
          this.db.run('UPDATE jobs SET state = ?, finished_at = ?, error = ?, error_code = ?, checkpoint = NULL WHERE id = ?', [
            to,
            now,
            details.error ?? null,
            details.errorCode ?? null,
            id,
          ]);
          break;
      }
      return this.get(id)!;
    });
  }

  /** Forgets the finished (done or canceled) jobs of a kind; their transcripts stay. Returns their ids. */
  deleteFinished(kind: JobKind): number[] {
    return this.db.transaction(() => {
      const ids = this.db.all<{ id: number }>("SELECT id FROM jobs WHERE kind = ? AND state IN ('done', 'canceled')", [kind]).map((row) => row.id);
      this.db.run("DELETE FROM jobs WHERE kind = ? AND state IN ('done', 'canceled')", [kind]);
      return ids;
    });
  }

  setOptions(id: number, options: JobOptions): void {
    // Other options, other windows: what was transcribed so far no longer applies.
    this.db.run('UPDATE jobs SET options = ?, checkpoint = NULL, progress = 0 WHERE id = ?', [JSON.stringify(options), id]);
  }

  /** Where the running transcription stands; kept only while the job is running. */
  saveCheckpoint(id: number, checkpoint: TranscribeCheckpoint): void {
    this.db.run("UPDATE jobs SET checkpoint = ? WHERE id = ? AND state = 'running'", [JSON.stringify(checkpoint), id]);
  }

  /** The job's last checkpoint; one that does not parse (another version wrote it) is ignored, and the job starts over. */
  checkpoint(id: number): TranscribeCheckpoint | null {
    const row = this.db.get<{ checkpoint: string | null }>('SELECT checkpoint FROM jobs WHERE id = ?', [id]);
    if (!row?.checkpoint) return null;
    const parsed = TranscribeCheckpoint.safeParse(JSON.parse(row.checkpoint));
    return parsed.success ? parsed.data : null;
  }

  setPlacement(id: number, placement: Placement): void {
    this.db.run('UPDATE jobs SET placement = ? WHERE id = ?', [placement, id]);
  }

  /** The policy's verdict for a waiting job: shown in the queue, kept for the decision's accuracy. */
  saveDecision(id: number, decision: PlacementDecision): void {
    this.db.run(`UPDATE jobs SET decision = ?, runs_on = ? WHERE id = ? AND state = 'queued'`, [JSON.stringify(decision), decision.where, id]);
  }

  setNotice(id: number, notice: string | null): void {
    this.db.run('UPDATE jobs SET notice = ? WHERE id = ?', [notice, id]);
  }

  saveEngine(id: number, engine: EngineRun): void {
    this.db.run('UPDATE jobs SET engine = ? WHERE id = ?', [JSON.stringify(engine), id]);
  }

  saveDiarization(id: number, diarization: DiarizationRun): void {
    this.db.run('UPDATE jobs SET diarization = ? WHERE id = ?', [JSON.stringify(diarization), id]);
  }

  saveProgress(id: number, stage: Stage, progress: number): void {
    this.db.run(`UPDATE jobs SET stage = ?, progress = ? WHERE id = ? AND state = 'running'`, [stage, progress, id]);
  }

  /** Which model and provider the newest transcription that ran anything used. */
  latestEngine(): EngineRun | null {
    const row = this.db.get<{ engine: string }>(
      `SELECT engine FROM jobs WHERE kind = 'process-media' AND engine IS NOT NULL AND json_extract(engine, '$.provider') <> 'none' ORDER BY id DESC LIMIT 1`,
    );
    const parsed = row ? EngineRun.safeParse(JSON.parse(row.engine)) : null;
    return parsed?.success ? parsed.data : null;
  }

  /** Jobs of one media that have not finished. */
  unfinishedFor(mediaId: number): JobRecord[] {
    return this.db.all<JobRow>(`${SELECT_JOB} WHERE j.media_id = ? AND j.state IN ('queued', 'running')`, [mediaId]).map((row) => toRecord(row));
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn);
  }

  delete(id: number): void {
    this.db.run('DELETE FROM jobs WHERE id = ?', [id]);
  }

  /** Deletes every job of a kind: exports left by a previous run have nobody waiting for them. */
  deleteKind(kind: JobKind): void {
    this.db.run('DELETE FROM jobs WHERE kind = ?', [kind]);
  }

  setPriority(id: number, priority: number): void {
    this.db.run('UPDATE jobs SET priority = ? WHERE id = ?', [priority, id]);
  }
}
