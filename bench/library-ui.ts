// Library UI benchmark: `npm run bench:library-ui [-- --recordings 10000 --baseline DIR]`.
// Builds a library of N transcribed recordings, serves it with the web host and drives the real UI in
// Debian's Chromium: how long until the library shows, how long reversing the order takes (click to the
// new first row drawn), and what the page holds afterwards. `--baseline DIR` runs the same steps against
// another built checkout (its `dist/`), for the obvious alternative: an earlier commit that drew every row.
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { MediaStore } from '../core/library/media-store';
import { scratchDir } from '../tests/helpers/media';
import { buildLibrary } from '../tests/helpers/synthetic-library';
import { buildsToCompare, launchChromium, machineLine, median, withWebHost } from './lib/ui-harness';

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

const browser = await launchChromium();
const rows: string[] = [];
try {
  for (const build of buildsToCompare(values.baseline)) {
    const results = await withWebHost(build, dataDir, async (url) => {
      const measured: Array<{ firstRowMs: number; reverseMs: number; elements: number; heapMb: number }> = [];
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
        measured.push({ firstRowMs, reverseMs, elements, heapMb: heap / 2 ** 20 });
        await page.close();
      }
      return measured;
    });
    rows.push(
      `| ${build.name} | ${median(results.map((r) => r.firstRowMs)).toFixed(0)} | ${median(results.map((r) => r.reverseMs)).toFixed(0)} | ${results[0]!.elements.toLocaleString()} | ${median(results.map((r) => r.heapMb)).toFixed(1)} |`,
    );
  }
} finally {
  await browser.close();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(`\n${machineLine('Library UI benchmark')}`);
console.log(`${count.toLocaleString()} recordings; median of ${runs} page loads. The list query in SQLite alone: median ${median(sql).toFixed(0)} ms\n`);
console.log('| Build | open → first row drawn, ms | reverse the order → new first row drawn, ms | page elements | JS heap, MB |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(row);
