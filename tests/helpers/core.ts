import type { JobView } from '../../contracts/domain';
import { childProcessSpawner } from '../../core/node/child-process-worker';
import { VerbatimCore, type CoreOptions } from '../../core/verbatim-core';
import { liveWorkerEntry, projectRoot, sharedModels, workerEntry } from './media';
import path from 'node:path';

/**
 * Root can read any file, so permission errors cannot happen to a worker running as root; tests
 * run it as `nobody` then, which makes the unreadable-file case real.
 */
export const workerUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

/**
 * Models come from ../shared/models, never from the network: a download attempt would hit a
 * closed loopback port and fail loudly.
 */
export const testEnv = {
  VERBATIM_MODELS_DIR: sharedModels,
  VERBATIM_MODELS_BASE_URL: 'http://127.0.0.1:9/never-download-in-tests',
};

/** A core on `dataDir` with the test environment; whisper-tiny unless the test sets another model. */
export function openCore(dataDir: string, options: Partial<CoreOptions> = {}): VerbatimCore {
  const core = new VerbatimCore({
    dataDir,
    resourcesDir: path.join(projectRoot, 'resources'),
    spawnWorker: childProcessSpawner(workerEntry, workerUser),
    spawnLiveWorker: childProcessSpawner(liveWorkerEntry, workerUser),
    settingsDefaults: { model: 'whisper-tiny' },
    log: () => undefined,
    ...options,
    env: { ...process.env, ...testEnv, ...options.env },
  });
  core.start();
  return core;
}

/** Resolves once `predicate` holds for the core's jobs; fails with the jobs' last state after `timeoutMs`. */
export async function waitForJobs(
  core: VerbatimCore,
  predicate: (jobs: JobView[]) => boolean,
  timeoutMs = 30_000,
): Promise<JobView[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const jobs = core.listJobs();
    if (predicate(jobs)) return jobs;
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for jobs: ${JSON.stringify(jobs.map((j) => [j.fileName, j.state, j.error]))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const allFinished = (jobs: JobView[]): boolean =>
  jobs.length > 0 && jobs.every((job) => ['done', 'failed', 'canceled'].includes(job.state));
