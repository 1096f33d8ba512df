// Who may read what only the operator should: /metrics (tenant names and their usage) and /readyz's reasons.
// The metrics token when one is set, compared in constant time; otherwise this machine's own loopback addresses.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

export class OperatorAccess {
  private readonly tokenDigest: Buffer | null;

  constructor(
    token: string | null,
    /** Peers trusted without a token (default: loopback). Behind a proxy on the same machine, set a token instead. */
    private readonly addresses: readonly string[],
  ) {
    this.tokenDigest = token ? digest(token) : null;
  }

  allows(request: FastifyRequest): boolean {
    if (this.tokenDigest) {
      const header = request.headers.authorization;
      const given = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
      // Digests of equal length, so neither the comparison nor its length says how much of a guess was right.
      return given !== '' && timingSafeEqual(digest(given), this.tokenDigest);
    }
    return this.addresses.includes(request.socket.remoteAddress ?? '');
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
