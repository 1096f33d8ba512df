// Library UI benchmark: `npm run bench:library-ui [-- --recordings 10000 --baseline DIR]`.
// Builds a library of N transcribed recordings, serves it with the web host and drives the real UI in
// Debian's Chromium: how long until the library shows, how long reversing the order takes (click to the
// new first row drawn), and what the page holds afterwards. `--baseline DIR` runs the same steps against
// another built checkout (its `dist/`), for the obvious alternative: an earlier commit that drew every row.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { MediaStore } from '../core/library/media-store';
import { projectRoot, scratchDir, sharedModels } from '../tests/helpers/media';
import { buildLibrary } from '../tests/helpers/synthetic-library';

const { values } = parseArgs({ options: { recordings: { type: 'string', default: '10000' }, baseline: { type: 'string' }, runs: { type: 'string', default: '3' } } });
const count = Number(values.recordings);
const runs = Number(values.runs);

const dataDir = scratchDir('bench-library-ui');
console.log(`building a library of ${count.toLocaleString()} recordings…`);
const db = buildLibrary(dataDir, count, 3, (recording, segment) => `recording ${recording} says something in segment ${segment} of its interview`);
const sql: number[] = [];
for (let run = 0; run < runs; run++) {
  const started = performance.now();
  new MediaStore(db).library('date', false);
  sql.push(performance.now() - started);
}
db.close();

interface Measured {
  firstRowMs: number;
  reverseMs: number;
  elements: number;
  heapMb: number;
}

async function measure(browser: Browser, checkout: string): Promise<Measured[]> {
  const host = spawn(process.execPath, [path.join(checkout, 'dist/web-host/main.cjs')], {
    env: { ...process.env, VERBATIM_DATA_DIR: dataDir, VERBATIM_MODELS_DIR: sharedModels },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      host.stdout!.on('data', (chunk: Buffer) => {
        const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(String(chunk));
        if (found) resolve(found[0]);
      });
      host.once('exit', (code) => reject(new Error(`the web host in ${checkout} exited with ${code}`)));
    });
    const results: Measured[] = [];
    for (let run = 0; run < runs; run++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      let started = performance.now();
      await page.goto(url);
      await page.getByTestId('library-item').first().waitFor();
      const firstRowMs = performance.now() - started;
      started = performance.now();
      // Newest first, then oldest first: every row changes place, the most a re-sort can ask of the page.
      await page.getByRole('button', { name: 'Descending; switch to ascending' }).click();
      await page.locator('[data-testid=library-item]:first-child .library-name', { hasText: /^interview-0\.m4a$/ }).waitFor({ timeout: 120_000 });
      const reverseMs = performance.now() - started;
      const elements = await page.locator('*').count();
      const heap = await page.evaluate(() => (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize);
      results.push({ firstRowMs, reverseMs, elements, heapMb: heap / 2 ** 20 });
      await page.close();
    }
    return results;
  } finally {
    host.kill('SIGTERM');
    await once(host, 'exit');
  }
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--enable-precise-memory-info'],
});
const builds: Array<[string, string]> = [['this checkout', projectRoot]];
if (values.baseline) {
  const commit = execFileSync('git', ['-C', values.baseline, 'log', '-1', '--format=%h %s'], { encoding: 'utf8' }).trim().slice(0, 60);
  builds.push([`baseline: ${commit}`, path.resolve(values.baseline)]);
}
const rows: string[] = [];
const median = (numbers: number[]): number => numbers.sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
try {
  for (const [name, checkout] of builds) {
    const results = await measure(browser, checkout);
    rows.push(
      `| ${name} | ${median(results.map((r) => r.firstRowMs)).toFixed(0)} | ${median(results.map((r) => r.reverseMs)).toFixed(0)} | ${results[0]!.elements.toLocaleString()} | ${median(results.map((r) => r.heapMb)).toFixed(1)} |`,
    );
  }
} finally {
  await browser.close();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(`\nLibrary UI benchmark — ${os.cpus()[0]?.model ?? 'CPU'} × ${os.availableParallelism()}, Node ${process.version}, Debian Chromium, ${new Date().toISOString().slice(0, 10)}`);
console.log(`${count.toLocaleString()} recordings; median of ${runs} page loads. the list query in SQLite alone: median ${median(sql).toFixed(0)} ms\n`);
console.log('| Build | open → first row drawn, ms | reverse the order → new first row drawn, ms | page elements | JS heap, MB |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(row);
