import { once } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApiDispatcher } from '../../core/api-handler';
import type { VerbatimCore } from '../../core/verbatim-core';
import { createAccess } from '../../web-host/access';
import { ReadableFolders } from '../../web-host/readable-folders';
import { createWebHost } from '../../web-host/server';
import { openCore } from '../helpers/core';
import { hostClient } from '../helpers/web-host';
import { projectRoot, scratchDir } from '../helpers/media';

describe('API boundary', () => {
  let core: VerbatimCore;
  let base: string;
  let port: number;
  let closeServer: () => void;
  let importsDir: string;
  let allowedDir: string;
  const access = createAccess();
  /** What the upload check sees as free on the library's disk. */
  let freeBytes = 1e12;

  /** One HTTP request, with any Host header (fetch will not send another name than the one it dials). */
  function request(pathname: string, options: { method?: string; host?: string; headers?: Record<string, string>; body?: string } = {}) {
    return new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
      const body = options.body === undefined ? undefined : Buffer.from(options.body);
      const sent = http.request(
        { host: '127.0.0.1', port, path: pathname, method: options.method ?? 'GET', headers: { host: options.host ?? base, ...(body ? { 'content-length': String(body.length) } : {}), ...options.headers } },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += String(chunk)));
          response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, text }));
        },
      );
      sent.on('error', reject);
      sent.end(body);
    });
  }
  const cookie = () => ({ cookie: `${access.cookieName(port)}=${access.token}` });
  const opened = (ws: WebSocket) =>
    new Promise<number>((resolve) => {
      ws.once('open', () => resolve(101));
      ws.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    });

  beforeAll(async () => {
    const dataDir = scratchDir('data');
    core = openCore(dataDir);
    importsDir = path.join(dataDir, 'imports');
    allowedDir = scratchDir('allowed');
    mkdirSync(importsDir, { recursive: true });
    const server = createWebHost({
      core,
      rendererDir: path.join(projectRoot, 'renderer'),
      uploadsDir: importsDir,
      access,
      readable: ReadableFolders.of([importsDir, allowedDir]),
      uploads: { maxBytes: 1_000, freeBytes: async () => freeBytes },
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
    base = `127.0.0.1:${port}`;
    closeServer = () => server.close();
  });
  afterAll(async () => {
    closeServer();
    await core.close();
  });

  it('validates every request against the contract before the core sees it', async () => {
    const dispatch = createApiDispatcher(core);
    await expect(dispatch('jobs.delete', {})).rejects.toMatchObject({ code: 'invalid-request', message: 'Unknown request "jobs.delete".' });
    await expect(dispatch('jobs.cancel', { jobId: 'DROP TABLE jobs' })).rejects.toMatchObject({ code: 'invalid-request' });
    await expect(dispatch('media.add', { paths: [] })).rejects.toMatchObject({ code: 'invalid-request' });
    await expect(dispatch('jobs.list', { extra: true })).rejects.toMatchObject({ code: 'invalid-request' });
    await expect(dispatch('jobs.cancel', { jobId: 424242 })).rejects.toMatchObject({ code: 'not-found', message: 'There is no job 424242.' });
    await expect(dispatch('jobs.list', {})).resolves.toEqual([]);
  });

  it('answers the socket only for its own page holding the key: not another site by DNS rebinding, not without the key', async () => {
    const ws = new WebSocket(`ws://${base}/api/ws?token=${access.token}`, { origin: `http://${base}` });
    expect(await opened(ws)).toBe(101);
    ws.send(JSON.stringify({ id: 7, method: 'jobs.setPriority', params: { jobId: 1, priority: 1000 } }));
    const [reply] = await once(ws, 'message');
    expect(JSON.parse(String(reply))).toMatchObject({ id: 7, ok: false, error: { code: 'invalid-request' } });
    ws.close();
    // The cookie the page got on its first visit opens it too, also by the name localhost.
    expect(await opened(new WebSocket(`ws://${base}/api/ws`, { origin: `http://localhost:${port}`, headers: { host: `localhost:${port}`, ...cookie() } }))).toBe(101);

    // A page on evil.example whose name now resolves to 127.0.0.1: refused whatever it holds.
    const rebound = { origin: `http://evil.example:${port}`, headers: { host: `evil.example:${port}` } };
    expect(await opened(new WebSocket(`ws://${base}/api/ws?token=${access.token}`, rebound))).toBe(403);
    expect(await opened(new WebSocket(`ws://${base}/api/ws?token=${access.token}`, { origin: 'https://evil.example' }))).toBe(403);
    // Its own origin, no key (another local program, a page that guessed the port).
    expect(await opened(new WebSocket(`ws://${base}/api/ws`, { origin: `http://${base}` }))).toBe(401);
    expect(await opened(new WebSocket(`ws://${base}/api/ws?token=wrong${access.token.slice(5)}`, { origin: `http://${base}` }))).toBe(401);
  });

  it('serves the page for the printed address: the key becomes a cookie only this page gets, and nothing without it', async () => {
    expect((await request('/')).status).toBe(401);
    const first = await request(`/?token=${access.token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    expect(first.headers['set-cookie']?.[0]).toBe(`${access.cookieName(port)}=${access.token}; Path=/; HttpOnly; SameSite=Strict`);
    const page = await request('/index.html', { headers: cookie() });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'self'/);
    expect((await request('/..%2f..%2fpackage.json', { headers: cookie() })).status).toBe(404);
    expect((await request('/index.html', { host: `evil.example:${port}`, headers: cookie() })).status).toBe(403);
    expect((await request('/api/media/1/original')).status).toBe(401);
  });

  it('takes uploads from its own page with the key, inside the imports folder whatever they are called, up to the size limit and the free space', async () => {
    const upload = (name: string, body: string, headers: Record<string, string> = cookie(), host?: string) =>
      request(`/api/upload?name=${encodeURIComponent(name)}`, { method: 'POST', body, headers, host });
    const saved = JSON.parse((await upload('../../etc/evil name "q".wav', 'bytes')).text) as { path: string };
    expect(path.basename(saved.path)).toBe('.._.._etc_evil name "q".wav');
    expect(path.dirname(path.dirname(saved.path))).toBe(importsDir);
    expect(readFileSync(saved.path, 'utf8')).toBe('bytes');
    const before = readdirSync(importsDir).length;
    expect((await upload('x.wav', 'x', { ...cookie(), origin: 'https://evil.example' })).status).toBe(403);
    expect((await upload('x.wav', 'x', cookie(), `evil.example:${port}`)).status).toBe(403);
    expect((await upload('x.wav', 'x', {})).status).toBe(401);
    const tooLarge = await upload('long.wav', 'x'.repeat(1_001));
    expect(tooLarge).toMatchObject({ status: 413, text: '“long.wav” is 1 kB; this web host takes files up to 1 kB (VERBATIM_UPLOAD_LIMIT).' });
    freeBytes = 0.5e9;
    const full = await upload('talk.wav', 'x'.repeat(500));
    expect(full).toMatchObject({ status: 507, text: 'Not enough disk space to import “talk.wav” (1 kB): free 500 MB more on the library\'s disk.' });
    freeBytes = 1e12;
    // Nothing was written for any refused upload.
    expect(readdirSync(importsDir)).toHaveLength(before);
  });

  it('adds by path only what came through an upload or lies in a folder named at launch; a refused call adds nothing', async () => {
    const client = await hostClient(`http://${base}/?token=${access.token}`);
    const call = (method: string, params: Record<string, unknown>) => client.call(method, params);
    const outside = path.join(scratchDir('outside'), 'private.wav');
    writeFileSync(outside, 'RIFF');
    const allowed = path.join(allowedDir, 'meeting.wav');
    writeFileSync(allowed, 'RIFF meeting');
    const uploaded = JSON.parse((await request('/api/upload?name=talk.wav', { method: 'POST', body: 'RIFF', headers: cookie() })).text) as { path: string };

    await expect(call('media.add', { paths: [allowed, outside] })).rejects.toMatchObject({
      code: 'not-allowed',
      message: '“private.wav” is outside the folders this web host may read: drop the file into the page, or start it with --allow FOLDER.',
    });
    // A link inside an allowed folder to a file elsewhere is elsewhere.
    symlinkSync(outside, path.join(allowedDir, 'link.wav'));
    await expect(call('media.add', { paths: [path.join(allowedDir, 'link.wav')] })).rejects.toMatchObject({ code: 'not-allowed' });
    expect(await call('library.list', { sort: 'date', descending: true })).toEqual([]);

    await call('media.add', { paths: [allowed, uploaded.path] });
    expect(await call('library.list', { sort: 'date', descending: true })).toHaveLength(2);
    client.close();
  });
});
