// Who may use the web host: the user's own browser on this machine, holding the key printed at launch.
// A page on another site can reach a loopback port through the user's browser (DNS rebinding: its own
// name resolved to 127.0.0.1), so the host checks the name it was reached by, the page's origin, and a
// per-launch secret the other site cannot know, the way Jupyter does.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export interface Access {
  /** The secret this launch answers to; it goes in the printed address, then lives in a cookie. */
  readonly token: string;
  /** The cookie that carries the token, named by port: cookies are shared between a host's ports. */
  cookieName(port: number): string;
  /** Reached by a loopback name on its own port, not by another site's name. */
  allowedHost(request: http.IncomingMessage, port: number): boolean;
  /** No Origin (a plain navigation, a Node client), or this host's own. */
  sameOrigin(request: http.IncomingMessage): boolean;
  /** Holds the token: as the cookie, or as `?token=` (the first visit, and clients that cannot keep cookies). */
  authorized(request: http.IncomingMessage, url: URL, port: number): boolean;
}

export function createAccess(token = randomBytes(24).toString('base64url')): Access {
  const expected = Buffer.from(token);
  const matches = (candidate: string | null | undefined): boolean => {
    if (!candidate) return false;
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  return {
    token,
    cookieName: (port) => `verbatim-${port}`,
    allowedHost(request, port) {
      const host = request.headers.host?.toLowerCase();
      return host !== undefined && LOOPBACK_NAMES.some((name) => host === `${name}:${port}`);
    },
    sameOrigin(request) {
      const origin = request.headers.origin;
      return origin === undefined || origin === `http://${request.headers.host}`;
    },
    authorized(request, url, port) {
      return matches(url.searchParams.get('token')) || matches(cookie(request, this.cookieName(port)));
    },
  };
}

function cookie(request: http.IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
