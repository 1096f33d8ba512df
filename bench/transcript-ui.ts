// Transcript view benchmark: `npm run bench:transcript-ui [-- --minutes 60 --baseline DIR]`.
// Builds a library holding one recording with an N-minute transcript (a five-second segment after
// another, 12 timed words each, as speech runs), serves it with the web host and drives the real UI in
// Debian's Chromium: opening it, clicking a word until it is highlighted (what every word change
// during playback costs too), and saving an edit until it shows. `--baseline DIR` runs the same steps
// against another built checkout (its `dist/`).
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { MediaStore } from '../core/library/media-store';
import { scratchDir } from '../tests/helpers/media';
import { buildLibrary } from '../tests/helpers/synthetic-library';
import { buildsToCompare, launchChromium, machineLine, median, withWebHost } from './lib/ui-harness';

const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '60' }, baseline: { type: 'string' }, runs: { type: 'string', default: '3' }, clicks: { type: 'string', default: '15' } },
});
const minutes = Number(values.minutes);
const runs = Number(values.runs);
const clicks = Number(values.clicks);
const segments = minutes * 12;

const WORDS = ['so', 'the', 'budget', 'for', 'next', 'quarter', 'looks', 'tight', 'but', 'we', 'can', 'manage', 'it', 'if', 'travel', 'stays', 'low'];
const sentence = (segment: number): string => Array.from({ length: 12 }, (_, at) => WORDS[(segment * 7 + at * 3) % WORDS.length]).join(' ');

const dataDir = scratchDir('bench-transcript-ui');
const db = buildLibrary(dataDir, 1, segments, (_, segment) => sentence(segment), { words: true });
// The file itself is not there: the player says so, and clicks still move its position.
new MediaStore(db).saveDecoded(1, {
  info: { durationSec: segments * 5, container: 'wav', codec: 'pcm_s16le', sampleRate: 16_000, channels: 1 },
  waveform: { peaks: Array.from({ length: segments * 5 * 10 }, (_, at) => 0.2 + 0.6 * Math.abs(Math.sin(at / 7))), peaksPerSec: 10 },
  pcmPath: `${dataDir}/missing.pcm`,
});
db.close();

/** The browser's globals this benchmark uses inside the page (the project's Node typings have no DOM). */
interface PageGlobals {
  MutationObserver: new (callback: (records: unknown, observer: { disconnect(): void }) => void) => { observe(target: unknown, options: object): void };
  requestAnimationFrame(callback: () => void): number;
}

interface Measured {
  openMs: number;
  clickMs: number[];
  editMs: number;
  elements: number;
  heapMb: number;
}

async function measureOnce(page: Page, url: string, run: number): Promise<Measured> {
  let started = performance.now();
  await page.goto(url);
  await page.getByTestId('library-item').getByRole('button').click();
  await page.getByTestId('segment').first().waitFor();
  const openMs = performance.now() - started;

  const clickMs: number[] = [];
  // From the second word on: the first is already marked when the transcript opens at 0:00.
  for (let click = 1; click <= clicks; click++) {
    const word = page.getByTestId('segment').nth(click % 6).getByTestId('word').nth((click * 5) % 12);
    // Timed inside the page, from the click to the frame after the word is marked: the work a word
    // change costs, without the test driver's round trips.
    clickMs.push(
      await word.evaluate(
        (element) =>
          new Promise<number>((resolve) => {
            const { MutationObserver, requestAnimationFrame } = globalThis as unknown as PageGlobals;
            const started = performance.now();
            new MutationObserver((_, observer) => {
              if (!element.classList.contains('current')) return;
              observer.disconnect();
              requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - started)));
            }).observe(element, { attributes: true, attributeFilter: ['class'] });
            (element as unknown as { click(): void }).click();
          }),
      ),
    );
  }

  const segment = page.getByTestId('segment').nth(2);
  await segment.focus();
  await segment.press('Enter');
  const marker = `revised${run}`;
  await segment.getByRole('textbox').fill(`${sentence(2)} ${marker}`);
  started = performance.now();
  await segment.getByRole('textbox').press('Enter');
  await segment.getByTestId('word').filter({ hasText: marker }).waitFor();
  const editMs = performance.now() - started;

  const elements = await page.locator('*').count();
  const heap = await page.evaluate(() => (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize);
  return { openMs, clickMs, editMs, elements, heapMb: heap / 2 ** 20 };
}

const browser = await launchChromium();
const rows: string[] = [];
try {
  for (const build of buildsToCompare(values.baseline)) {
    const results = await withWebHost(build, dataDir, async (url) => {
      const measured: Measured[] = [];
      for (let run = 0; run < runs; run++) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
        measured.push(await measureOnce(page, url, run));
        await page.close();
      }
      return measured;
    });
    const clicksMs = results.flatMap((result) => result.clickMs);
    rows.push(
      `| ${build.name} | ${median(results.map((r) => r.openMs)).toFixed(0)} | ${median(clicksMs).toFixed(0)} (max ${Math.max(...clicksMs).toFixed(0)}) | ${median(results.map((r) => r.editMs)).toFixed(0)} | ${results[0]!.elements.toLocaleString()} | ${median(results.map((r) => r.heapMb)).toFixed(1)} |`,
    );
  }
} finally {
  await browser.close();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(`\n${machineLine('Transcript view benchmark')}`);
console.log(`one ${minutes}-minute transcript: ${segments.toLocaleString()} segments, ${(segments * 12).toLocaleString()} words; median of ${runs} page loads, ${clicks} word clicks each\n`);
console.log('| Build | open → first segment drawn, ms | click a word → highlighted and drawn, ms | save an edit → shown, ms | page elements | JS heap, MB |');
console.log('|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
