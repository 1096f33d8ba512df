// Bearer tokens: every /v1/ request is its token's tenant's, and sees nothing of any other tenant.
import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { authenticate, type Caller } from '../db/tenants';
import { HttpError } from './http-error';

/** A token is looked up at most this often; a revoked one stops working within it. */
const CACHE_MS = 5_000;

export class Authenticator {
  private readonly cache = new Map<string, { caller: Caller | null; at: number }>();

  constructor(private readonly db: pg.Pool) {}

  async caller(request: FastifyRequest): Promise<Caller> {
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
    if (!token) throw new HttpError(401, 'unauthorized', 'Send your pool token as "Authorization: Bearer vbt_…".');
    const now = Date.now();
    let entry = this.cache.get(token);
    if (!entry || now - entry.at > CACHE_MS) {
      entry = { caller: await authenticate(this.db, token), at: now };
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(token, entry);
    }
    if (!entry.caller) throw new HttpError(401, 'unauthorized', 'This token is not valid for this pool (mistyped, revoked, or for another pool).');
    return entry.caller;
  }
}
