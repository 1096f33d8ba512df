import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, statSync, truncateSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { STAGES, type Stage } from '../../contracts/domain';
import { ModelCatalog } from '../../contracts/models';
import { ModelManager, type DownloadProgress } from '../../core/models/model-manager';
import { resourcePaths } from '../../core/paths';
import { allFinished, openCore, waitForJobs } from '../helpers/core';
import { dialogueWav, projectRoot, scratchDir, sharedAudio, sharedModels } from '../helpers/media';
import { startModelServer, startProxy, type ModelServer } from '../helpers/model-server';

const { catalog } = resourcePaths(path.join(projectRoot, 'resources'));
const tinyDir = path.join(sharedModels, 'Xenova/whisper-tiny');
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const never = new AbortController().signal;

/** Overwrites 4 KiB at `offset` with other bytes, keeping the file's size; `keepTime`, its modification time too: damage no listing shows. */
function overwriteInPlace(file: string, offset: number, keepTime = false): void {
  const { atimeMs, mtimeMs } = statSync(file);
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(4096, 0x41), 0, 4096, offset);
  closeSync(fd);
  if (keepTime) utimesSync(file, atimeMs / 1000, mtimeMs / 1000);
}

describe('model manager', () => {
  let server: ModelServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('downloads a model with progress into the models folder, checked against the catalog', async () => {
    server = await startModelServer({ root: sharedModels });
    const modelsDir = scratchDir('models');
    const manager = new ModelManager({ catalogPath: catalog, modelsDir, baseUrl: server.url });
    expect((await manager.list()).find((model) => model.id === 'whisper-tiny')).toMatchObject({ installed: null, diskBytes: 0 });

    const progress: DownloadProgress[] = [];
    const installed = await manager.ensure('whisper-tiny', (update) => progress.push(update), never);
    expect(installed).toEqual({ id: 'whisper-tiny', dir: path.join(modelsDir, 'Xenova/whisper-tiny'), dtypeSuffix: '_quantized', location: 'app' });
    for (const file of ['onnx/encoder_model_quantized.onnx', 'onnx/decoder_model_merged_quantized.onnx', 'tokenizer.json']) {
      expect(sha256(path.join(installed.dir, file))).toBe(sha256(path.join(tinyDir, file)));
    }
    // Progress only grows, and ends at the size the catalog announced.
    const entry = manager.entry('whisper-tiny');
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.receivedBytes).toBeGreaterThanOrEqual(progress[i - 1]!.receivedBytes);
    expect(progress.at(-1)).toEqual({ receivedBytes: entry.sizeBytes, totalBytes: entry.sizeBytes });
    expect(progress.length).toBeGreaterThan(10);

    const status = (await manager.list()).find((model) => model.id === 'whisper-tiny')!;
    expect(status).toMatchObject({ installed: 'app', diskBytes: entry.sizeBytes });
    expect(await manager.diskUsage()).toBe(entry.sizeBytes);
    // Installed: a second ensure downloads nothing.
    const requests = server.requests.length;
    await manager.ensure('whisper-tiny', () => undefined, never);
    expect(server.requests.length).toBe(requests);
    await manager.remove('whisper-tiny');
    expect(await manager.find('whisper-tiny')).toBeNull();
    expect(await manager.diskUsage()).toBe(0);
  });

  it('resumes an interrupted download with an HTTP Range request instead of starting over', async () => {
    const decoder = 'Xenova/whisper-tiny/onnx/decoder_model_merged_quantized.onnx';
    server = await startModelServer({ root: sharedModels, cutAfter: new Map([[decoder, 5_000_000]]) });
    const modelsDir = scratchDir('models');
    const manager = new ModelManager({ catalogPath: catalog, modelsDir, baseUrl: server.url });

    await expect(manager.ensure('whisper-tiny', () => undefined, never)).rejects.toMatchObject({ code: 'download-failed', retryable: true });
    expect(await manager.find('whisper-tiny')).toBeNull();
    expect(existsSync(path.join(modelsDir, 'Xenova'))).toBe(false);

    await manager.ensure('whisper-tiny', () => undefined, never);
    const decoderRequests = server.requests.filter((request) => request.path.endsWith('decoder_model_merged_quantized.onnx'));
    expect(decoderRequests).toHaveLength(2);
    expect(decoderRequests[0]!.range).toBeUndefined();
    // The second request asks only for what is missing: what reached the disk before the cut.
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(decoderRequests[1]!.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(4_000_000);
    expect(resumedAt).toBeLessThanOrEqual(5_000_000);
    expect(server.bytesSent).toBe(manager.entry('whisper-tiny').sizeBytes + (5_000_000 - resumedAt));
    expect(sha256(path.join(modelsDir, decoder))).toBe(sha256(path.join(sharedModels, decoder)));
  });

  it('refuses a damaged file and installs nothing', async () => {
    server = await startModelServer({ root: sharedModels, corrupt: new Set(['Xenova/whisper-tiny/onnx/encoder_model_quantized.onnx']) });
    const modelsDir = scratchDir('models');
    const manager = new ModelManager({ catalogPath: catalog, modelsDir, baseUrl: server.url });
    await expect(manager.ensure('whisper-tiny', () => undefined, never)).rejects.toMatchObject({
      code: 'checksum-mismatch',
      message: 'encoder_model_quantized.onnx arrived damaged (its checksum does not match); it will be downloaded again.',
    });
    expect(await manager.find('whisper-tiny')).toBeNull();
    expect(existsSync(path.join(modelsDir, 'Xenova'))).toBe(false);
  });

  it('has every model pinned (a commit, a size and a SHA-256 per file), and refuses a catalog that is not', async () => {
    const parsed = ModelCatalog.parse(JSON.parse(readFileSync(catalog, 'utf8')));
    for (const model of parsed.models) {
      expect(/^[0-9a-f]{40}$/.test(model.revision) || model.files.every((file) => file.url), model.id).toBe(true);
      expect(model.files.reduce((sum, file) => sum + file.size, 0), model.id).toBe(model.sizeBytes);
    }
    const tiny = parsed.models.find((model) => model.id === 'whisper-tiny')!;
    expect(ModelCatalog.safeParse({ models: [{ ...tiny, revision: 'main' }] }).success).toBe(false);
    expect(ModelCatalog.safeParse({ models: [{ ...tiny, files: tiny.files.map(({ sha256: _, ...file }) => file) }] }).success).toBe(false);
    expect(ModelCatalog.safeParse({ models: [{ ...tiny, files: tiny.files.map(({ size: _, ...file }) => file) }] }).success).toBe(false);
  });

  it('installs nothing a server vouches for with its own hashes when the bytes are not the pinned ones', async () => {
    // The test server states each file's sha256 (X-Linked-Etag) and git blob id (ETag) of what it sends, damage included.
    server = await startModelServer({ root: sharedModels, corrupt: new Set(['Xenova/whisper-tiny/tokenizer_config.json']) });
    const manager = new ModelManager({ catalogPath: catalog, modelsDir: scratchDir('models'), baseUrl: server.url });
    await expect(manager.ensure('whisper-tiny', () => undefined, never)).rejects.toMatchObject({ code: 'checksum-mismatch' });
    expect(await manager.find('whisper-tiny')).toBeNull();
  });

  it('goes through the proxy HTTP_PROXY names', async () => {
    server = await startModelServer({ root: sharedModels });
    const proxy = await startProxy();
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY };
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = '';
    try {
      const manager = new ModelManager({ catalogPath: catalog, modelsDir: scratchDir('models'), baseUrl: server.url });
      await manager.ensure('whisper-tiny', () => undefined, never);
      // Through the proxy, whichever way it carries them (undici tunnels with CONNECT), and only through it.
      expect(proxy.proxied.length).toBeGreaterThan(0);
      for (const entry of proxy.proxied) expect(entry).toMatch(new RegExp(`^(CONNECT ${server.url.slice(7)}|${server.url}/Xenova/whisper-tiny/)`));
    } finally {
      for (const [name, value] of Object.entries(saved)) if (value === undefined) delete process.env[name];
      else process.env[name] = value;
      await proxy.close();
    }
  });

  it('imports a folder offline after checking it; VERBATIM_MODELS_DIR models count as installed and are not deleted', async () => {
    const modelsDir = scratchDir('models');
    const manager = new ModelManager({ catalogPath: catalog, modelsDir, externalDir: sharedModels });
    expect(await manager.find('whisper-base')).toMatchObject({ location: 'env', dir: path.join(sharedModels, 'Xenova/whisper-base') });

    const own = new ModelManager({ catalogPath: catalog, modelsDir });
    await expect(own.importFolder('whisper-base', tinyDir)).rejects.toMatchObject({ code: 'import-failed' });
    await expect(own.importFolder('whisper-base', scratchDir('empty'))).rejects.toThrow(/does not hold Whisper base/);
    const installed = await own.importFolder('whisper-base', path.join(sharedModels, 'Xenova/whisper-base'));
    expect(installed.location).toBe('app');
    expect(readdirSync(path.join(modelsDir, 'Xenova/whisper-base/onnx')).sort()).toEqual(['decoder_model_merged_quantized.onnx', 'encoder_model_quantized.onnx']);
    await manager.remove('whisper-base');
    expect(await manager.find('whisper-base')).toMatchObject({ location: 'env' });
  });

  it('a job whose model is missing downloads it first, showing the download as its stage', async () => {
    server = await startModelServer({ root: sharedModels });
    const core = openCore(scratchDir('data'), { env: { VERBATIM_MODELS_DIR: '', VERBATIM_MODELS_BASE_URL: server.url } });
    try {
      const stages = new Set<Stage>();
      core.on('jobs.changed', (jobs) => jobs.forEach((job) => job.stage && stages.add(job.stage)));
      await core.addFiles([dialogueWav]);
      const [job] = await waitForJobs(core, allFinished, 60_000);
      expect(job!.state).toBe('done');
      // Events are coalesced to ten a second, so a stage that passes in a few milliseconds (diarizing a
      // 20 s file) may never be shown; what is shown comes in pipeline order, the download first.
      const seen = [...stages];
      expect(seen[0]).toBe('download-model');
      expect(seen).toContain('transcribe');
      expect(seen).toEqual(STAGES.filter((stage) => stages.has(stage)));
      expect(job!.diarization).toMatchObject({ tier: 'builtin', error: null });
      expect((await core.downloads.list()).find((model) => model.id === 'whisper-tiny')!.installed).toBe('app');
    } finally {
      await core.close();
    }
  });

  it('a damaged model is never used: wrong bytes are caught before use, a copy the engine cannot open is set aside, a truncated one is not installed, and each downloads again', async () => {
    server = await startModelServer({ root: sharedModels });
    const log: string[] = [];
    const core = openCore(scratchDir('data'), {
      env: { VERBATIM_MODELS_DIR: '', VERBATIM_MODELS_BASE_URL: server.url },
      supervisor: { restartBackoffMs: 50 },
      log: (line) => log.push(line),
    });
    const utterance = (id: string) => path.join(sharedAudio, 'read-speech/wav', `${id}.wav`);
    const run = async (id: string) => {
      const [added] = await core.addFiles([utterance(id)], { diarization: 'off' });
      const jobs = await waitForJobs(core, allFinished, 120_000);
      return { job: jobs.find((job) => job.id === added!.jobId)!, text: core.editing.get(added!.mediaId)?.segments.map((segment) => segment.text).join(' ') ?? '' };
    };
    const downloads = (file: string) => server!.requests.filter((request) => request.path.endsWith(file)).length;
    try {
      const installed = path.join(core.models.folder, 'Xenova/whisper-tiny');
      expect((await run('LJ001-0002')).job.state).toBe('done');
      expect(downloads('encoder_model_quantized.onnx')).toBe(1);

      // Wrong bytes, right size (a bad copy, a sync tool): the hash check finds it before the engine reads a byte of it.
      const encoder = path.join(installed, 'onnx/encoder_model_quantized.onnx');
      overwriteInPlace(encoder, Math.floor(statSync(encoder).size / 2));
      const second = await run('LJ001-0005');
      expect(second.job.state).toBe('done');
      expect(second.job.attempts).toBe(1);
      expect(second.text).toMatch(/invention of movable metal letters/i);
      expect(downloads('encoder_model_quantized.onnx')).toBe(2);
      expect(sha256(encoder)).toBe(sha256(path.join(tinyDir, 'onnx/encoder_model_quantized.onnx')));

      // Damaged after it was checked this run, its size and time kept: only opening it shows it. The engine
      // is restarted so it opens the files again rather than the copy it keeps warm.
      const config = path.join(installed, 'tokenizer_config.json');
      overwriteInPlace(config, 100, true);
      const pid = core.supervisor.workerPid!;
      process.kill(pid, 'SIGKILL');
      // Once the supervisor has seen it go, the next job starts a fresh engine.
      await expect.poll(() => core.supervisor.workerPid, { timeout: 10_000 }).toBeUndefined();
      const third = await run('LJ001-0008');
      expect(third.job.state).toBe('done');
      expect(third.job.attempts).toBe(2);
      expect(log.filter((line) => line.startsWith('[queue]'))).toEqual([
        expect.stringMatching(/^\[queue\] job 3 attempt 1 failed \(The model whisper-tiny could not be opened \(.+ in JSON at position 100\)\. Its files are damaged, so that copy is set aside; the next attempt downloads the model again\.\); retrying$/),
      ]);
      expect(third.text.length).toBeGreaterThan(0);
      // The whole copy went each time: three downloads of it in all.
      expect(downloads('tokenizer_config.json')).toBe(3);
      expect(sha256(config)).toBe(sha256(path.join(tinyDir, 'tokenizer_config.json')));

      // Truncated (an interrupted copy): it is not installed, so the job downloads it first.
      const decoder = path.join(installed, 'onnx/decoder_model_merged_quantized.onnx');
      truncateSync(decoder, statSync(decoder).size - 1_000_000);
      expect((await core.downloads.list()).find((model) => model.id === 'whisper-tiny')!.installed).toBeNull();
      const fourth = await run('LJ001-0003');
      expect(fourth.job).toMatchObject({ state: 'done', attempts: 1 });
      expect(fourth.text).toMatch(/Chinese took impressions/i);
      expect(sha256(decoder)).toBe(sha256(path.join(tinyDir, 'onnx/decoder_model_merged_quantized.onnx')));
      expect((await core.downloads.list()).find((model) => model.id === 'whisper-tiny')!.installed).toBe('app');
    } finally {
      await core.close();
    }
  }, 240_000);

  it('after the engine fails to open a copy, deletes it only if its files prove damaged (an intact one failed for another reason)', async () => {
    server = await startModelServer({ root: sharedModels });
    const manager = new ModelManager({ catalogPath: catalog, modelsDir: scratchDir('models'), baseUrl: server.url });
    const installed = await manager.ensure('whisper-tiny', () => undefined, never);
    // Intact (out of memory, say): kept, and nothing downloaded again.
    expect(await manager.setAsideIfDamaged(installed)).toBe(false);
    expect(await manager.find('whisper-tiny')).toEqual(installed);
    // Damaged after this run checked it, size and time kept: read again, found out, deleted.
    overwriteInPlace(path.join(installed.dir, 'tokenizer_config.json'), 100, true);
    expect(await manager.find('whisper-tiny', true)).toEqual(installed);
    expect(await manager.setAsideIfDamaged(installed)).toBe(true);
    expect(existsSync(installed.dir)).toBe(false);
    expect(await manager.find('whisper-tiny')).toBeNull();
  });

  describe('models shipped with the app (npm run fetch-models)', () => {
    // The real catalog with whisper-tiny as the bundled model: its files are here to serve, where
    // the speaker models' real weights are not (the script is the same for any bundled entry).
    const testCatalog = (): string => {
      const parsed = ModelCatalog.parse(JSON.parse(readFileSync(catalog, 'utf8')));
      const models = parsed.models.map((model) => ({ ...model, bundled: model.id === 'whisper-tiny' }));
      const file = path.join(scratchDir('catalog'), 'catalog.json');
      writeFileSync(file, JSON.stringify({ models }));
      return file;
    };
    // Asynchronously: the model server runs in this process and must keep answering.
    const fetchModels = (catalogPath: string, dest: string, baseUrl: string): Promise<{ status: number | null; stdout: string; stderr: string }> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'scripts/fetch-models.ts'), '--catalog', catalogPath, '--dest', dest], {
          env: { ...process.env, VERBATIM_MODELS_BASE_URL: baseUrl },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });

    it('fetches every bundled model, verified, and the app then lists it as shipped and never deletes it', async () => {
      server = await startModelServer({ root: sharedModels });
      const catalogPath = testCatalog();
      const dest = scratchDir('bundled');
      const run = await fetchModels(catalogPath, dest, server.url);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/Whisper tiny: 100 % of 43\.6 MB/);
      expect(run.stdout).toMatch(/Whisper tiny: verified \(sha256\)/);
      expect(sha256(path.join(dest, 'Xenova/whisper-tiny/onnx/decoder_model_merged_quantized.onnx'))).toBe(sha256(path.join(tinyDir, 'onnx/decoder_model_merged_quantized.onnx')));
      // Only the bundled model was fetched.
      expect(new Set(server.requests.map((request) => request.path.split('/resolve/')[0]))).toEqual(new Set(['/Xenova/whisper-tiny']));
      // Run again: nothing downloaded.
      const requests = server.requests.length;
      expect((await fetchModels(catalogPath, dest, server.url)).stdout).toMatch(/already in/);
      expect(server.requests.length).toBe(requests);

      const manager = new ModelManager({ catalogPath, modelsDir: scratchDir('models'), bundledDir: dest, baseUrl: server.url });
      expect((await manager.list()).find((model) => model.id === 'whisper-tiny')).toMatchObject({ installed: 'bundled', diskBytes: manager.entry('whisper-tiny').sizeBytes });
      expect(await manager.ensure('whisper-tiny', () => undefined, never)).toMatchObject({ location: 'bundled', dir: path.join(dest, 'Xenova/whisper-tiny') });
      await manager.remove('whisper-tiny');
      expect(await manager.find('whisper-tiny')).toMatchObject({ location: 'bundled' });
    });

    it('fails, saying why and keeping nothing, when a file is not the published one', async () => {
      server = await startModelServer({ root: sharedModels, corrupt: new Set(['Xenova/whisper-tiny/onnx/encoder_model_quantized.onnx']) });
      const dest = scratchDir('bundled');
      const run = await fetchModels(testCatalog(), dest, server.url);
      expect(run.status).not.toBe(0);
      expect(run.stderr).toMatch(/checksum|sha256/i);
      expect(existsSync(path.join(dest, 'Xenova/whisper-tiny'))).toBe(false);
    });
  });
});
