import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeBinaryRequest, WsClientMessage, type WsServerMessage } from '../contracts/api';
import { createApiDispatcher, toApiError } from '../core/api-handler';
import type { VerbatimCore } from '../core/verbatim-core';
import { CONTENT_SECURITY_POLICY } from '../renderer/content-security-policy';
import type { Access } from './access';
import type { ReadableFolders } from './readable-folders';
import { saveUpload, UploadRefused, type UploadLimits } from './upload';

export interface WebHostOptions {
  core: VerbatimCore;
  rendererDir: string;
  uploadsDir: string;
  access: Access;
  /** Where `media.add` may read: the uploads folder and the folders named at launch. */
  readable: ReadableFolders;
  uploads: UploadLimits;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * Serves the built renderer and the same API the Electron preload exposes, over a WebSocket, for
 * browsers on this machine: how Playwright drives the real UI against the real core.
 */
export function createWebHost(options: WebHostOptions): http.Server {
  const { core, access, readable } = options;
  const apiDispatch = createApiDispatcher(core);
  const dispatch = async (method: string, params: unknown): Promise<unknown> => {
    if (method === 'media.add') {
      const paths = (params as { paths?: unknown } | undefined)?.paths;
      if (Array.isArray(paths)) await readable.check(paths.filter((each): each is string => typeof each === 'string'));
    }
    return apiDispatch(method, params);
  };
  const port = (): number => (server.address() as { port: number }).port;
  const server = http.createServer((request, response) => {
    handleHttp(request, response, options, port()).catch((error: unknown) => {
      const status = error instanceof UploadRefused ? error.status : 500;
      if (!response.headersSent) response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
      response.end(toApiError(error).message);
    });
  });

  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const refusal =
      !access.allowedHost(request, port()) || !access.sameOrigin(request)
        ? '403 Forbidden'
        : !access.authorized(request, url, port())
          ? '401 Unauthorized'
          : url.pathname !== '/api/ws'
            ? '404 Not Found'
            : null;
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveSocket(ws));
  });

  const clients = new Set<WebSocket>();
  core.onApiEvent((event, payload) => {
    const frame = JSON.stringify({ event, payload } satisfies WsServerMessage);
    for (const ws of clients) ws.send(frame);
  });

  function serveSocket(ws: WebSocket): void {
    clients.add(ws);
    // The page that captures a recording owns it: if the page goes (closed, reloaded), the recording is kept and queued.
    const recordings = new Set<number>();
    ws.on('close', () => {
      clients.delete(ws);
      for (const sessionId of recordings) {
        if (core.live.current()?.id === sessionId) void core.live.stop(sessionId).catch(() => undefined);
      }
    });
    ws.on('message', async (data, isBinary) => {
      let parsed;
      try {
        const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
        parsed = WsClientMessage.safeParse(isBinary ? decodeBinaryRequest(bytes) : JSON.parse(String(bytes)));
      } catch {
        parsed = undefined;
      }
      if (!parsed?.success) {
        ws.close(1003, 'invalid message');
        return;
      }
      const { id, method, params } = parsed.data;
      let reply: WsServerMessage;
      try {
        const result = await dispatch(method, params);
        if (method === 'live.start') recordings.add((result as { id: number }).id);
        reply = { id, ok: true, result };
      } catch (error) {
        reply = { id, ok: false, error: toApiError(error) };
      }
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
    });
  }

  server.on('close', () => sockets.close());
  return server;
}

async function handleHttp(request: http.IncomingMessage, response: http.ServerResponse, options: WebHostOptions, port: number): Promise<void> {
  const { core, rendererDir, uploadsDir, access } = options;
  const url = new URL(request.url ?? '/', 'http://localhost');
  const text = (status: number, message: string): void => void response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(message);
  if (!access.allowedHost(request, port)) {
    text(403, `Open Verbatim at the address it printed, http://127.0.0.1:${port}/…, not by another name.`);
    return;
  }
  if (!access.authorized(request, url, port)) {
    text(401, 'Open Verbatim at the address it printed when it started: that address carries the key to this library.');
    return;
  }
  if (url.searchParams.has('token') && request.method === 'GET' && !url.pathname.startsWith('/api/')) {
    // The first visit: the key moves into a cookie only this page gets, and out of the address bar and history.
    url.searchParams.delete('token');
    response.writeHead(303, {
      location: `${url.pathname}${url.search}`,
      'set-cookie': `${access.cookieName(port)}=${access.token}; Path=/; HttpOnly; SameSite=Strict`,
      'cache-control': 'no-store',
    });
    response.end();
    return;
  }
  if (request.method === 'POST' && url.pathname === '/api/upload') {
    if (!access.sameOrigin(request)) {
      text(403, 'Uploads come from Verbatim’s own page only.');
      return;
    }
    const saved = await saveUpload(request, url.searchParams.get('name') ?? 'upload', uploadsDir, options.uploads);
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: saved }));
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405).end();
    return;
  }
  const audio = /^\/api\/media\/(\d+)\/(original|audio\.wav)$/.exec(url.pathname);
  if (audio) {
    const answer = await core.playback(Number(audio[1]), audio[2] === 'original' ? 'original' : 'decoded', request.headers.range);
    if (!answer) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('This recording has no audio to play from there.');
      return;
    }
    response.writeHead(answer.status, answer.headers);
    if (!answer.body || request.method === 'HEAD') {
      answer.body?.destroy();
      response.end();
    } else await pipeline(answer.body, response);
    return;
  }
  const relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
  const file = path.resolve(rendererDir, relative);
  if (!file.startsWith(path.resolve(rendererDir) + path.sep) || !(await isFile(file))) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    return;
  }
  response.writeHead(200, {
    'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
  response.end(request.method === 'HEAD' ? undefined : await readFile(file));
}


async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
