// The pool token through the desktop's API: it is only ever sent to the address (and CA) it was saved with, over
// HTTPS. Each "pool" here is a bare TCP listener that counts who connects: no request may even reach a wrong one.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiDispatcher, type ApiDispatcher } from '../../core/api-handler';
import { libraryPaths } from '../../core/paths';
import type { VerbatimCore } from '../../core/verbatim-core';
import { openCore } from '../helpers/core';
import { scratchDir } from '../helpers/media';

const token = (letter: string) => `vbt_abcdefgh_${letter.repeat(32)}`;

interface Listener {
  url: string;
  connections: number;
  close(): Promise<void>;
}

async function listener(): Promise<Listener> {
  const state = { connections: 0 };
  const server = net.createServer((socket) => {
    state.connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    get connections() {
      return state.connections;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('the pool token goes only where it was saved for', () => {
  let saved: Listener;
  let stranger: Listener;
  let core: VerbatimCore;
  let api: ApiDispatcher;
  let dataDir: string;

  beforeAll(async () => {
    saved = await listener();
    stranger = await listener();
  });
  afterAll(async () => {
    await saved.close();
    await stranger.close();
  });
  afterEach(async () => core?.close());

  const open = () => {
    dataDir = scratchDir('pool-connection');
    core = openCore(dataDir, { env: { VERBATIM_POOL_TOKEN: '', VERBATIM_POOL_URL: '', VERBATIM_POOL_CA: '' } });
    api = createApiDispatcher(core);
  };
  const savedToken = () => readFileSync(libraryPaths(dataDir).poolToken, 'utf8').trim();

  it('tests another address only with a token typed for it, and never over plain HTTP', async () => {
    open();
    await api('offload.connect', { url: saved.url, caPath: null, token: token('a') });
    expect(savedToken()).toBe(token('a'));
    await expect(api('offload.test', { url: stranger.url })).rejects.toThrow(/Type the pool token for this address/);
    await expect(api('offload.test', { caPath: path.join(dataDir, 'other-ca.pem') })).rejects.toThrow(/Type the pool token for this address/);
    await expect(api('offload.test', { url: `http://127.0.0.1:${new URL(stranger.url).port}`, token: token('b') })).rejects.toMatchObject({ code: 'invalid-request' });
    expect(stranger.connections).toBe(0);
    // The saved address is tried with the saved token (it answers nothing: the attempt is what counts).
    await expect(api('offload.test', {})).rejects.toThrow();
    expect(saved.connections).toBeGreaterThan(0);
  });

  it('moves to a new address or CA only with the token typed again, and forgets the old one', async () => {
    open();
    await api('offload.connect', { url: saved.url, caPath: null, token: token('a') });
    await expect(api('offload.connect', { url: stranger.url, caPath: null, token: null })).rejects.toThrow(/Type the pool token for this address/);
    await expect(api('offload.connect', { url: saved.url, caPath: '/etc/ssl/certs/ca-certificates.crt', token: null })).rejects.toThrow(/Type the pool token/);
    expect(core.getSettings().poolUrl).toBe(saved.url);
    expect(savedToken()).toBe(token('a'));
    const moved = (await api('offload.connect', { url: stranger.url, caPath: null, token: token('c') })) as { url: string; token: string };
    expect(moved).toMatchObject({ url: stranger.url, token: 'saved' });
    expect(savedToken()).toBe(token('c'));
    // Cleared: no address, no token kept for it.
    expect(await api('offload.connect', { url: null, caPath: null, token: null })).toMatchObject({ url: null, token: 'missing' });
    expect(stranger.connections).toBe(0);
  });
});
