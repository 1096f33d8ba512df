import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DebUpdater, type AppUpdater } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCertificate } from '../../cloud/local/certificates';
import type { UpdateChannel, UpdateStatus } from '../../contracts/updates';
import { ProxiedHttpExecutor, proxyFor } from '../../core/updates/proxied-http-executor';
import { acceptable, installBlockers, type Activity } from '../../core/updates/update-policy';
import { UpdateService } from '../../core/updates/update-service';
import { allFinished, openCore, waitForJobs } from '../helpers/core';
import { longTone, scratchDir } from '../helpers/media';
import { startProxy } from '../helpers/model-server';

const idle: Activity = { recording: false, runningJobs: 0, uploads: 0 };

/**
 * electron-updater itself (its DebUpdater, the Linux .deb target's) against a real HTTPS update feed on
 * loopback, signed by a CA the test makes, laid out as electron-builder publishes a generic feed:
 * `latest-linux.yml` / `beta-linux.yml` naming an artifact with its sha512 and size.
 */
describe('updates from an HTTPS feed', () => {
  const root = scratchDir('update-feed');
  const certificate = localCertificate(path.join(root, 'tls'));
  const artifact = randomBytes(300_000);
  const sha512 = (bytes: Buffer) => createHash('sha512').update(bytes).digest('base64');
  const requests: string[] = [];
  let server: https.Server;
  let feedUrl: string;

  /** One feed folder per case: its channel file, and the artifact unless it is the one missing. */
  const feed = (name: string, channelFile: string, version: string, options: { sha512?: string; withFile?: boolean } = {}) => {
    const dir = path.join(root, 'feeds', name);
    mkdirSync(dir, { recursive: true });
    const file = `verbatim_${version}_amd64.deb`;
    if (options.withFile !== false) writeFileSync(path.join(dir, file), artifact);
    const hash = options.sha512 ?? sha512(artifact);
    writeFileSync(
      path.join(dir, channelFile),
      [`version: ${version}`, 'files:', `  - url: ${file}`, `    sha512: ${hash}`, `    size: ${artifact.length}`, `path: ${file}`, `sha512: ${hash}`,
        "releaseDate: '2026-12-06T00:00:00.000Z'", "releaseNotes: '<p>Speaker labels are faster.</p>'", ''].join('\n'),
    );
  };

  beforeAll(async () => {
    feed('good', 'latest-linux.yml', '1.1.0');
    feed('tampered', 'latest-linux.yml', '1.1.0', { sha512: sha512(Buffer.from('another file')) });
    feed('older', 'latest-linux.yml', '0.9.0');
    feed('missing', 'latest-linux.yml', '1.1.0', { withFile: false });
    feed('prerelease', 'latest-linux.yml', '1.2.0-beta.1');
    feed('prerelease', 'beta-linux.yml', '1.2.0-beta.1');
    server = https.createServer({ key: certificate.key, cert: certificate.cert }, (request, response) => {
      requests.push(request.url ?? '');
      const file = path.join(root, 'feeds', decodeURIComponent(new URL(request.url ?? '/', 'https://x').pathname));
      try {
        const body = readFileSync(file);
        response.writeHead(200, { 'content-length': body.length }).end(body);
      } catch {
        response.writeHead(404).end('not found');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    feedUrl = `https://localhost:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** An installed 1.0.0 looking at one feed, as the packaged app's autoUpdater would. */
  const service = (name: string, o: { channel?: UpdateChannel; enabled?: () => boolean; activity?: () => Activity; env?: NodeJS.ProcessEnv } = {}) => {
    const dir = scratchDir(`updater-${name}`);
    const app: AppAdapter = {
      version: '1.0.0',
      name: 'Verbatim',
      isPackaged: true,
      appUpdateConfigPath: path.join(dir, 'app-update.yml'),
      userDataPath: dir,
      baseCachePath: dir,
      whenReady: () => Promise.resolve(),
      relaunch: () => undefined,
      quit: () => undefined,
      onQuit: () => undefined,
    };
    writeFileSync(app.appUpdateConfigPath, `provider: generic\nurl: ${feedUrl}/${name}\nupdaterCacheDirName: verbatim-updater\n`);
    const updater: AppUpdater = new DebUpdater(undefined, app);
    // The app's updater requests through the same settings as model downloads (the feed's CA is the test's),
    // set before the feed, which takes the executor it finds.
    (updater as unknown as { httpExecutor: ProxiedHttpExecutor }).httpExecutor = new ProxiedHttpExecutor({ VERBATIM_UPDATES_CA: certificate.caPath, ...o.env });
    updater.setFeedURL({ provider: 'generic', url: `${feedUrl}/${name}` });
    const log: string[] = [];
    const updates = new UpdateService({
      updater,
      currentVersion: '1.0.0',
      settings: () => ({ enabled: o.enabled?.() ?? true, channel: o.channel ?? 'stable' }),
      activity: o.activity ?? (() => idle),
      log: (line) => log.push(line),
    });
    const downloaded = () => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile() && entry.name.endsWith('.deb'));
    return { updates, updater, log, downloaded, dir };
  };
  const fetched = (name: string, file: string) => requests.filter((url) => url.startsWith(`/${name}/${file}`)).length;

  it('downloads a newer release in the background, verified, and installs it at quit only while nothing is under way', async () => {
    let activity: Activity = idle;
    let enabled = true;
    const { updates, updater, downloaded } = service('good', { activity: () => activity, enabled: () => enabled });
    const seen: UpdateStatus['state'][] = [];
    updates.on('changed', (status) => seen.push(status.state));
    const status = await updates.check();
    expect(status).toEqual({ state: 'ready', version: '1.1.0', notes: 'Speaker labels are faster.', blockedBy: [] });
    expect(seen).toEqual(expect.arrayContaining(['checking', 'downloading', 'ready']));
    const [file] = downloaded();
    expect(readFileSync(path.join(file!.parentPath, file!.name)).equals(artifact)).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(true);

    // A job starts: quitting now must not install (it would cut the job short), and Restart says why.
    activity = { recording: true, runningJobs: 1, uploads: 0 };
    updates.activityChanged();
    expect(updates.status).toMatchObject({ state: 'ready', blockedBy: ['a recording is in progress', 'a file is being transcribed'] });
    expect(updater.autoInstallOnAppQuit).toBe(false);
    expect(() => updates.restartToInstall()).toThrow('The update installs once nothing is under way: a recording is in progress, a file is being transcribed.');
    activity = idle;
    updates.activityChanged();
    expect(updater.autoInstallOnAppQuit).toBe(true);

    // The queue changes ten times a second while it works: the status is said again only when the answer changes.
    const said = seen.length;
    for (let i = 0; i < 20; i++) updates.activityChanged();
    expect(seen.length).toBe(said);

    // Turned off after the download: it does not install at quit either; turned on again, it is ready as it was.
    enabled = false;
    expect(await updates.check()).toEqual({ state: 'off', reason: 'Updates are turned off in Settings.' });
    expect(updater.autoInstallOnAppQuit).toBe(false);
    enabled = true;
    expect(await updates.check()).toMatchObject({ state: 'ready', version: '1.1.0', blockedBy: [] });
    expect(updater.autoInstallOnAppQuit).toBe(true);
    expect(fetched('good', 'verbatim_1.1.0_amd64.deb')).toBe(1);
  });

  it('discards a download whose sha512 does not match the feed, and installs nothing', async () => {
    const { updates, updater, downloaded } = service('tampered');
    expect(await updates.check()).toMatchObject({ state: 'error', message: 'The downloaded update did not match its published checksum, so it was discarded and nothing was installed.' });
    expect(fetched('tampered', 'verbatim_1.1.0_amd64.deb')).toBe(1);
    expect(downloaded()).toEqual([]);
    expect(updater.autoInstallOnAppQuit).toBe(false);
  });

  it('never goes back to an older version', async () => {
    const { updates, downloaded } = service('older');
    expect(await updates.check()).toMatchObject({ state: 'idle', checkedAt: expect.any(Number) });
    expect(fetched('older', 'verbatim_0.9.0_amd64.deb')).toBe(0);
    expect(downloaded()).toEqual([]);
  });

  it('says so when the feed names a file it does not have', async () => {
    const { updates } = service('missing');
    expect(await updates.check()).toMatchObject({ state: 'error', message: 'The update feed names a file it does not have; nothing was installed.' });
  });

  it('takes a pre-release on the beta channel only', async () => {
    const stable = service('prerelease');
    expect(await stable.updates.check()).toMatchObject({ state: 'idle', note: 'Not taken: 1.2.0-beta.1 is a pre-release, and this app follows stable releases.' });
    expect(stable.downloaded()).toEqual([]);
    const beta = service('prerelease', { channel: 'beta' });
    expect(await beta.updates.check()).toMatchObject({ state: 'ready', version: '1.2.0-beta.1' });
    expect(fetched('prerelease', 'beta-linux.yml')).toBe(1);
  });

  it('asks nothing while updates are turned off', async () => {
    const before = requests.length;
    const { updates } = service('good', { enabled: () => false });
    expect(await updates.check()).toEqual({ state: 'off', reason: 'Updates are turned off in Settings.' });
    expect(requests.length).toBe(before);
  });

  it('reaches the UI through the core: status and events, and what is under way holds the installation back', async () => {
    const core = openCore(scratchDir('data'));
    try {
      expect(core.updates.status()).toMatchObject({ state: 'off' });
      expect(core.getSettings()).toMatchObject({ checkForUpdates: true, updateChannel: 'stable' });
      const events: UpdateStatus[] = [];
      core.onApiEvent((event, payload) => event === 'updates.changed' && events.push((payload as { status: UpdateStatus }).status));
      const { updates } = service('good', { activity: () => core.updates.activity() });
      core.updates.attach(updates);
      expect(await core.updates.check()).toMatchObject({ state: 'ready', version: '1.1.0', blockedBy: [] });
      expect(events.map((status) => status.state)).toEqual(expect.arrayContaining(['checking', 'downloading', 'ready']));

      // A transcription starts: the notice says the update waits for it, and Restart is refused until it ends.
      await core.addFiles([longTone(1)], { diarization: 'off' });
      await expect.poll(() => core.updates.status(), { timeout: 30_000 }).toMatchObject({ blockedBy: ['a file is being transcribed'] });
      expect(() => core.updates.restart()).toThrow(/installs once nothing is under way: a file is being transcribed/);
      await waitForJobs(core, allFinished, 120_000);
      await expect.poll(() => core.updates.status(), { timeout: 10_000 }).toMatchObject({ state: 'ready', blockedBy: [] });
    } finally {
      await core.close();
    }
  }, 180_000);

  it('goes through the proxy HTTPS_PROXY names, trusting the CA given, as model downloads do', async () => {
    const proxy = await startProxy();
    try {
      const { updates } = service('good', { env: { HTTPS_PROXY: proxy.url } });
      expect(await updates.check()).toMatchObject({ state: 'ready', version: '1.1.0' });
      expect(proxy.proxied).toContain(`CONNECT ${new URL(feedUrl).host}`);
    } finally {
      await proxy.close();
    }
  });
});

describe('update policy', () => {
  it('names what an installation would cut short', () => {
    expect(installBlockers(idle)).toEqual([]);
    expect(installBlockers({ recording: false, runningJobs: 2, uploads: 1 })).toEqual(['2 files are being transcribed', 'a file is being sent to the cloud pool']);
  });

  it('accepts only newer versions, and pre-releases only on beta', () => {
    expect(acceptable('1.0.0', '1.0.1', 'stable')).toEqual({ ok: true });
    expect(acceptable('1.0.0', '1.0.0', 'stable')).toMatchObject({ ok: false });
    expect(acceptable('1.1.0-beta.2', '1.0.9', 'stable')).toMatchObject({ ok: false, reason: '1.0.9 is not newer than 1.1.0-beta.2' });
    expect(acceptable('1.0.0', '1.1.0-beta.1', 'beta')).toEqual({ ok: true });
    expect(acceptable('1.0.0', 'next', 'beta')).toMatchObject({ ok: false });
  });

  it('reads the proxy variables as model downloads do, NO_PROXY included', () => {
    const env = { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'localhost,.internal.example,updates.example.com:443' };
    expect(proxyFor('updates.verbatim.app', true, env)).toBe('http://proxy:3128');
    expect(proxyFor('localhost', true, env)).toBeNull();
    expect(proxyFor('feed.internal.example', true, env)).toBeNull();
    expect(proxyFor('updates.example.com', true, env)).toBeNull();
    expect(proxyFor('updates.verbatim.app', false, env)).toBeNull();
    expect(proxyFor('anything', true, { ...env, NO_PROXY: '*' })).toBeNull();
  });
});
