// Tenants and their API tokens. A token is shown once, when made; only its SHA-256 is stored.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import { API_TOKEN_PATTERN } from '../../contracts/cloud-api';

export interface Tenant {
  id: string;
  name: string;
  quotaAudioSecPerDay: number;
}

/** Who a request is: its tenant, and the token's prefix (safe to log). */
export interface Caller {
  tenant: Tenant;
  tokenPrefix: string;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomText(length: number, alphabet: string): string {
  // Rejection sampling keeps every character equally likely.
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 256 - (256 % alphabet.length) && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

export async function createTenant(db: pg.Pool, name: string, quotaAudioSecPerDay: number): Promise<Tenant> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO tenants (name, quota_audio_sec_per_day) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    [name, quotaAudioSecPerDay],
  );
  return (await findTenant(db, rows[0]!.id))!;
}

export async function findTenant(db: pg.Pool, idOrName: string): Promise<Tenant | null> {
  const byId = /^[0-9a-f-]{36}$/.test(idOrName);
  const { rows } = await db.query<{ id: string; name: string; quota: number }>(
    `SELECT id, name, quota_audio_sec_per_day AS quota FROM tenants WHERE ${byId ? 'id = $1::uuid' : 'name = $1'}`,
    [idOrName],
  );
  const row = rows[0];
  return row ? { id: row.id, name: row.name, quotaAudioSecPerDay: row.quota } : null;
}

export async function listTenants(db: pg.Pool): Promise<Array<Tenant & { tokens: number; jobs: number }>> {
  const { rows } = await db.query(
    `SELECT t.id, t.name, t.quota_audio_sec_per_day AS quota,
            (SELECT count(*) FROM api_tokens k WHERE k.tenant_id = t.id AND k.revoked_at IS NULL)::int AS tokens,
            (SELECT count(*) FROM jobs j WHERE j.tenant_id = t.id)::int AS jobs
       FROM tenants t ORDER BY t.name`,
  );
  return rows.map((row) => ({ id: row.id, name: row.name, quotaAudioSecPerDay: row.quota, tokens: row.tokens, jobs: row.jobs }));
}

/** Makes a token for the tenant; the returned text is the only time it exists outside the caller's hands. */
export async function createToken(db: pg.Pool, tenantId: string, label: string | null = null): Promise<{ token: string; prefix: string }> {
  const prefix = randomText(8, 'abcdefghijklmnopqrstuvwxyz0123456789');
  const token = `vbt_${prefix}_${randomText(32, ALPHANUMERIC)}`;
  await db.query('INSERT INTO api_tokens (prefix, tenant_id, hash, label) VALUES ($1, $2, $3, $4)', [prefix, tenantId, hashToken(token), label]);
  return { token, prefix };
}

export async function revokeToken(db: pg.Pool, prefix: string): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE api_tokens SET revoked_at = now() WHERE prefix = $1 AND revoked_at IS NULL', [prefix]);
  return (rowCount ?? 0) > 0;
}

export async function listTokens(db: pg.Pool, tenantId: string): Promise<Array<{ prefix: string; label: string | null; createdAt: Date; revokedAt: Date | null }>> {
  const { rows } = await db.query(
    'SELECT prefix, label, created_at AS "createdAt", revoked_at AS "revokedAt" FROM api_tokens WHERE tenant_id = $1 ORDER BY created_at',
    [tenantId],
  );
  return rows;
}

/** The caller a bearer token belongs to, or null for a malformed, unknown or revoked one. */
export async function authenticate(db: pg.Pool, token: string): Promise<Caller | null> {
  if (!API_TOKEN_PATTERN.test(token)) return null;
  const prefix = token.slice(4, 12);
  const { rows } = await db.query<{ hash: Buffer; id: string; name: string; quota: number }>(
    `SELECT k.hash, t.id, t.name, t.quota_audio_sec_per_day AS quota
       FROM api_tokens k JOIN tenants t ON t.id = k.tenant_id
      WHERE k.prefix = $1 AND k.revoked_at IS NULL`,
    [prefix],
  );
  const row = rows[0];
  if (!row || !timingSafeEqual(row.hash, hashToken(token))) return null;
  return { tenant: { id: row.id, name: row.name, quotaAudioSecPerDay: row.quota }, tokenPrefix: prefix };
}
