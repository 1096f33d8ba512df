import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { childProcessSpawner } from '../../core/node/child-process-worker';
import { smokeTest } from '../../core/smoke-test';
import { workerUser } from '../helpers/core';
import { projectRoot, scratchDir, workerEntry } from '../helpers/media';

// The same check `Verbatim --smoke-test` runs inside a packaged app, here with the Node worker the tests use.
describe('smoke test', () => {
  it('opens a library, starts the engine, decodes a second of audio and runs the speech detector, with no model', async () => {
    const workDir = scratchDir('smoke');
    const report = await smokeTest({ resourcesDir: path.join(projectRoot, 'resources'), spawnWorker: childProcessSpawner(workerEntry, workerUser), workDir });
    expect(report.sqliteSchema).toBeGreaterThan(0);
    expect(report.decodedSec).toBeCloseTo(1, 3);
    expect(report.provider).toBe('none');
    expect(existsSync(path.join(workDir, 'library.sqlite'))).toBe(true);
  });

  it('fails, saying why, where the speech detector is missing (a resource left out of the package)', async () => {
    const workDir = scratchDir('smoke');
    await expect(smokeTest({ resourcesDir: path.join(workDir, 'no-resources'), spawnWorker: childProcessSpawner(workerEntry, workerUser), workDir })).rejects.toThrow(/silero_vad_v6\.onnx/);
  });
});
