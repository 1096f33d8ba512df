// The pool's durable records, as numbered migrations applied in order, each once, in a transaction.
import type pg from 'pg';

const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'tenants, tokens, uploads, jobs, results, usage',
    sql: `
      CREATE TABLE tenants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        quota_audio_sec_per_day double precision NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      -- Only a token's SHA-256 is kept; its prefix names it in lists and logs.
      CREATE TABLE api_tokens (
        prefix text PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
        hash bytea NOT NULL UNIQUE,
        label text,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      );
      CREATE TABLE uploads (
        id text PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
        filename text,
        size_bytes bigint NOT NULL,
        sha256 text NOT NULL,
        duration_sec double precision NOT NULL,
        finished_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      );
      CREATE TABLE jobs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
        -- The tenant, the audio's hash and the options: the same three are the same job, and its BullMQ job id.
        idempotency_key text NOT NULL UNIQUE,
        upload_id text REFERENCES uploads ON DELETE SET NULL,
        content_sha256 text NOT NULL,
        options jsonb NOT NULL,
        queue text NOT NULL,
        priority integer NOT NULL,
        state text NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'canceled')),
        stage text,
        progress double precision NOT NULL DEFAULT 0,
        duration_sec double precision NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        engine jsonb,
        diarization jsonb,
        error_code text,
        error_message text,
        checkpoint jsonb,
        worker text,
        created_at timestamptz NOT NULL DEFAULT now(),
        queued_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        started_at timestamptz,
        finished_at timestamptz,
        expires_at timestamptz
      );
      CREATE INDEX jobs_waiting ON jobs (queue, priority, queued_at) WHERE state = 'queued';
      CREATE INDEX jobs_tenant ON jobs (tenant_id, created_at);
      CREATE INDEX jobs_expiry ON jobs (expires_at) WHERE expires_at IS NOT NULL;
      CREATE TABLE results (
        job_id uuid PRIMARY KEY REFERENCES jobs ON DELETE CASCADE,
        transcript jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      -- The usage ledger: one row per finished job, kept after the job itself expires (no content, only amounts).
      CREATE TABLE usage (
        job_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
        queue text NOT NULL,
        audio_sec double precision NOT NULL,
        gpu_sec double precision NOT NULL,
        provider text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX usage_recent ON usage (queue, recorded_at);
    `,
  },
];

/** Brings the database to the newest schema; concurrent starts (two gateways) wait for each other on an advisory lock. */
export async function migrate(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(7215)');
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((row) => row.version));
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
    return MIGRATIONS[MIGRATIONS.length - 1]!.version;
  } finally {
    await client.query('SELECT pg_advisory_unlock(7215)').catch(() => undefined);
    client.release();
  }
}
