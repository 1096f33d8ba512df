import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface ModelServerOptions {
  root: string;
  /** Paths (repo/file) served with one byte changed. */
  corrupt?: Set<string>;
  /** Paths whose first response stops after this many bytes (a dropped connection). */
  cutAfter?: Map<string, number>;
}

export interface ModelServer {
  url: string;
  /** Every request: the path and its Range header. */
  requests: Array<{ path: string; range: string | undefined }>;
  bytesSent: number;
  close(): Promise<void>;
}

/**
 * Serves a folder of models the way Hugging Face does: /{repo}/resolve/{revision}/{file}, Range
 * requests, the sha256 of large files in X-Linked-Etag and the git blob id of small ones in ETag.
 */
export async function startModelServer(options: ModelServerOptions): Promise<ModelServer> {
  const state: ModelServer = { url: '', requests: [], bytesSent: 0, close: async () => undefined };
  const cut = new Map(options.cutAfter);
  const server = http.createServer((request, response) => {
    const match = /^\/([^/]+\/[^/]+)\/resolve\/[^/]+\/(.+)$/.exec(decodeURIComponent(request.url ?? ''));
    state.requests.push({ path: request.url ?? '', range: request.headers.range });
    const file = match ? path.join(options.root, match[1]!, match[2]!) : '';
    if (!match || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      response.writeHead(404).end('Entry not found');
      return;
    }
    const key = `${match[1]}/${match[2]}`;
    let body = readFileSync(file);
    const headers: Record<string, string> = {};
    if (file.endsWith('.onnx')) headers['x-linked-etag'] = `"${createHash('sha256').update(body).digest('hex')}"`;
    else headers.etag = `"${createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex')}"`;
    if (options.corrupt?.has(key)) {
      body = Buffer.from(body);
      const middle = Math.floor(body.length / 2);
      body[middle] = body[middle]! ^ 0xff;
    }
    let start = 0;
    const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
    if (range) {
      start = Number(range[1]);
      if (start >= body.length) {
        response.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
        return;
      }
      headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    }
    const part = body.subarray(start);
    response.writeHead(range ? 206 : 200, { ...headers, 'content-length': String(part.length), 'accept-ranges': 'bytes' });
    const limit = cut.get(key);
    if (limit !== undefined) {
      cut.delete(key);
      response.write(part.subarray(0, limit), () => response.destroy());
      state.bytesSent += limit;
      return;
    }
    state.bytesSent += part.length;
    response.end(part);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

/** A forward HTTP proxy on loopback (plain requests and CONNECT tunnels) that records what passes through it. */
export async function startProxy(): Promise<{ url: string; proxied: string[]; close(): Promise<void> }> {
  const proxied: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((request, response) => {
    proxied.push(request.url ?? '');
    const target = new URL(request.url ?? '');
    const upstream = http.request(target, { method: request.method, headers: { ...request.headers, host: target.host } }, (reply) => {
      response.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(response);
    });
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    proxied.push(`CONNECT ${request.url}`);
    const [host, port] = (request.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    proxied,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
