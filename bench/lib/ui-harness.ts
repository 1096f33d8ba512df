import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { projectRoot, sharedModels } from '../../tests/helpers/media';

/** A built checkout to measure: this one, and with `--baseline DIR` an earlier commit built in DIR (its `dist/`). */
export interface Build {
  name: string;
  checkout: string;
}

export function buildsToCompare(baseline: string | undefined): Build[] {
  const builds = [{ name: 'this checkout', checkout: projectRoot }];
  if (baseline) {
    const commit = execFileSync('git', ['-C', baseline, 'log', '-1', '--format=%h %s'], { encoding: 'utf8' }).trim().slice(0, 60);
    builds.push({ name: `baseline: ${commit}`, checkout: path.resolve(baseline) });
  }
  return builds;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--enable-precise-memory-info'],
  });
}

/** Runs `use` against a build's web host serving the library in `dataDir`, then stops the host. */
export async function withWebHost<T>(build: Build, dataDir: string, use: (url: string) => Promise<T>): Promise<T> {
  const host = spawn(process.execPath, [path.join(build.checkout, 'dist/web-host/main.cjs')], {
    env: { ...process.env, VERBATIM_DATA_DIR: dataDir, VERBATIM_MODELS_DIR: sharedModels },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      host.stdout!.on('data', (chunk: Buffer) => {
        // Builds from before the per-launch key print no token.
        const found = /http:\/\/127\.0\.0\.1:\d+\/(\?token=[\w-]+)?/.exec(String(chunk));
        if (found) resolve(found[0]);
      });
      host.once('exit', (code) => reject(new Error(`the web host in ${build.checkout} exited with ${code}`)));
    });
    return await use(url);
  } finally {
    host.kill('SIGTERM');
    await once(host, 'exit');
  }
}

export function median(numbers: readonly number[]): number {
  return [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
}

export function machineLine(title: string): string {
  return `${title} — ${os.cpus()[0]?.model ?? 'CPU'} × ${os.availableParallelism()}, Node ${process.version}, Debian Chromium, ${new Date().toISOString().slice(0, 10)}`;
}
