import type { Database } from './database';

/** What is known of a job's life on the pool; see migration 006. */
export interface PoolJobRecord {
  jobId: number;
  poolUrl: string;
  sha256: string;
  uploadUrl: string | null;
  uploadId: string | null;
  remoteId: string | null;
  resubmits: number;
  startedAt: number;
}

const SELECT = `SELECT job_id AS jobId, pool_url AS poolUrl, sha256, upload_url AS uploadUrl, upload_id AS uploadId,
  remote_id AS remoteId, resubmits, started_at AS startedAt FROM pool_jobs`;

export class PoolJobStore {
  constructor(private readonly db: Database) {}

  get(jobId: number): PoolJobRecord | undefined {
    return this.db.get<PoolJobRecord>(`${SELECT} WHERE job_id = ?`, [jobId]);
  }

  /** Jobs with a life on the pool so far. */
  jobIds(): Set<number> {
    return new Set(this.db.all<{ jobId: number }>('SELECT job_id AS jobId FROM pool_jobs').map((row) => row.jobId));
  }

  /** The job's record for this pool; one kept for another pool (the URL changed) starts over. */
  open(jobId: number, poolUrl: string, sha256: string, now = Date.now()): PoolJobRecord {
    const existing = this.get(jobId);
    if (existing && existing.poolUrl === poolUrl && existing.sha256 === sha256) return existing;
    this.db.run(
      `INSERT INTO pool_jobs (job_id, pool_url, sha256, started_at, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(job_id) DO UPDATE SET pool_url = excluded.pool_url, sha256 = excluded.sha256, upload_url = NULL,
         upload_id = NULL, remote_id = NULL, resubmits = 0, started_at = excluded.started_at, updated_at = excluded.updated_at`,
      [jobId, poolUrl, sha256, now, now],
    );
    return this.get(jobId)!;
  }

  update(jobId: number, patch: Partial<Pick<PoolJobRecord, 'uploadUrl' | 'uploadId' | 'remoteId' | 'resubmits'>>, now = Date.now()): void {
    const columns = { uploadUrl: 'upload_url', uploadId: 'upload_id', remoteId: 'remote_id', resubmits: 'resubmits' } as const;
    const entries = Object.entries(patch) as Array<[keyof typeof columns, unknown]>;
    if (!entries.length) return;
    this.db.run(
      `UPDATE pool_jobs SET ${entries.map(([key]) => `${columns[key]} = ?`).join(', ')}, updated_at = ? WHERE job_id = ?`,
      [...entries.map(([, value]) => value), now, jobId],
    );
  }

  delete(jobId: number): void {
    this.db.run('DELETE FROM pool_jobs WHERE job_id = ?', [jobId]);
  }
}
