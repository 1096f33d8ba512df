import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeBinaryRequest, WsClientMessage, type WsServerMessage } from '../contracts/api';
import { createApiDispatcher, toApiError } from '../core/api-handler';
import type { VerbatimCore } from '../core/verbatim-core';
import { CONTENT_SECURITY_POLICY } from '../renderer/content-security-policy';

export interface WebHostOptions {
  core: VerbatimCore;
  rendererDir: string;
  uploadsDir: string;
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
export function createWebHost({ core, rendererDir, uploadsDir }: WebHostOptions): http.Server {
  const dispatch = createApiDispatcher(core);
  const server = http.createServer((request, response) => {
    handleHttp(request, response, core, rendererDir, uploadsDir).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(toApiError(error).message);
    });
  });

  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    if (request.url !== '/api/ws' || !isSameOrigin(request)) {
      socket.destroy();
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

async function handleHttp(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  core: VerbatimCore,
  rendererDir: string,
  uploadsDir: string,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (request.method === 'POST' && url.pathname === '/api/upload') {
    if (!isSameOrigin(request)) {
      response.writeHead(403).end();
      return;
    }
    const saved = await saveUpload(request, url.searchParams.get('name') ?? 'upload', uploadsDir);
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

/** Keeps the user's file name (spaces, quotes, any script) in a folder of its own. */
async function saveUpload(request: http.IncomingMessage, name: string, uploadsDir: string): Promise<string> {
  const printable = [...name].filter((char) => char.charCodeAt(0) >= 0x20).join('');
  const safeName = path.basename(printable.replace(/[\\/]/g, '_')) || 'upload';
  const folder = path.join(uploadsDir, randomUUID());
  await mkdir(folder, { recursive: true });
  const target = path.join(folder, safeName === '.' || safeName === '..' ? 'upload' : safeName);
  await pipeline(request, createWriteStream(target));
  return target;
}

/** Pages from other sites must not drive a local host through the user's browser. */
function isSameOrigin(request: http.IncomingMessage): boolean {
  const origin = request.headers.origin;
  return origin === undefined || origin === `http://${request.headers.host}`;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
