import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApiDispatcher } from '../../core/api-handler';
import type { VerbatimCore } from '../../core/verbatim-core';
import { createWebHost } from '../../web-host/server';
import { openCore } from '../helpers/core';
import { projectRoot, scratchDir } from '../helpers/media';

describe('API boundary', () => {
  let core: VerbatimCore;
  let base: string;
  let closeServer: () => void;
  let importsDir: string;

  beforeAll(async () => {
    const dataDir = scratchDir('data');
    core = openCore(dataDir);
    importsDir = path.join(dataDir, 'imports');
    const server = createWebHost({ core, rendererDir: path.join(projectRoot, 'renderer'), uploadsDir: importsDir });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
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

  it('answers requests over the WebSocket, and refuses pages from other origins', async () => {
    const ws = new WebSocket(`ws://${base}/api/ws`, { origin: `http://${base}` });
    await once(ws, 'open');
    ws.send(JSON.stringify({ id: 7, method: 'jobs.setPriority', params: { jobId: 1, priority: 1000 } }));
    const [reply] = await once(ws, 'message');
    expect(JSON.parse(String(reply))).toMatchObject({ id: 7, ok: false, error: { code: 'invalid-request' } });
    ws.close();

    const foreign = new WebSocket(`ws://${base}/api/ws`, { origin: 'https://evil.example' });
    const [error] = await once(foreign, 'error');
    expect(String(error)).toMatch(/socket hang up|Unexpected server response/);
  });

  it('keeps uploads inside the imports folder whatever they are called', async () => {
    const response = await fetch(`http://${base}/api/upload?name=${encodeURIComponent('../../etc/evil name "q".wav')}`, {
      method: 'POST',
      body: 'bytes',
    });
    const { path: saved } = (await response.json()) as { path: string };
    expect(path.basename(saved)).toBe('.._.._etc_evil name "q".wav');
    expect(path.dirname(path.dirname(saved))).toBe(importsDir);
    expect(readFileSync(saved, 'utf8')).toBe('bytes');
    const refused = await fetch(`http://${base}/api/upload?name=x.wav`, { method: 'POST', body: 'x', headers: { origin: 'https://evil.example' } });
    expect(refused.status).toBe(403);
  });

  it('serves the renderer with the strict CSP and nothing outside it', async () => {
    const page = await fetch(`http://${base}/index.html`);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'self'/);
    expect((await fetch(`http://${base}/..%2f..%2fpackage.json`)).status).toBe(404);
  });
});
