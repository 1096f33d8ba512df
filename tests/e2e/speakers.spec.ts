import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sharedAudio, scratchDir } from '../helpers/media';
import { dropFiles } from '../helpers/ui';
import { callHost, startWebHost, type RunningHost } from '../helpers/web-host';

// Two real readers taking turns: what a user mends when the labels are wrong.
const readers = path.join(sharedAudio, 'real-speakers/two-readers.wav');

async function segmentMenu(page: Page, index: number, item: string): Promise<void> {
  const row = page.getByTestId('segment').nth(index);
  await row.hover();
  await row.getByRole('button', { name: /^More actions for the segment at / }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

test.describe('fixing who said what in the real UI', () => {
  let host: RunningHost;
  test.beforeEach(async () => {
    host = await startWebHost(scratchDir('e2e-speakers'));
    await callHost(host.url, 'settings.update', { model: 'whisper-tiny' });
  });
  test.afterEach(async () => host.stop());

  test('give a segment to a new speaker, split one at a word, merge two; undo, a reload, the SRT and the clipboard all agree', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    test.setTimeout(180_000);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(host.url);
    await dropFiles(page, [readers]);
    await expect(page.getByTestId('diarization')).toContainText('2 speakers', { timeout: 120_000 });
    const segments = page.getByTestId('segment');
    const count = await segments.count();
    expect(count).toBeGreaterThan(3);

    // The first segment, to a speaker the user names: the chooser is a typed name away.
    await segmentMenu(page, 0, 'Change speaker…');
    const name = page.getByRole('textbox', { name: 'New speaker’s name' });
    await name.fill('Narrator');
    await name.press('Enter');
    await expect(page.getByTestId('segment-speaker').first()).toHaveText('Narrator');
    await expect(page.getByTestId('speaker')).toHaveCount(3);

    // Split the second segment before its third word, then merge the halves back.
    const second = segments.nth(1);
    const words = await second.getByTestId('word').allInnerTexts();
    await segmentMenu(page, 1, 'Split at a word…');
    await second.getByRole('button', { name: `Split before “${words[2]}”` }).click();
    await expect(segments).toHaveCount(count + 1);
    await expect(segments.nth(1)).toHaveAttribute('aria-label', new RegExp(`: ${escape(words.slice(0, 2).join(' '))}$`));
    await expect(segments.nth(2)).toHaveAttribute('aria-label', new RegExp(`: ${escape(words.slice(2).join(' '))}$`));

    // The new second part goes to the first reader's label by clicking… the menu again, then a name from the list.
    await segmentMenu(page, 2, 'Change speaker…');
    await page.getByRole('menuitemradio', { name: 'Narrator' }).click();
    await page.reload();
    await expect(segments).toHaveCount(count + 1);
    await expect(segments.nth(2)).toHaveAttribute('aria-label', /, Narrator: /);

    const srt = await exportSrt(page);
    expect(srt).toMatch(/^1\n[\d:,]+ --> [\d:,]+\nNarrator: /);
    expect(srt.split('\n\n').filter((cue) => cue.includes('Narrator: '))).toHaveLength(2);
    // Copy puts the whole transcript on the clipboard, as a script: a paragraph per turn, names first.
    await page.getByTestId('transcript').getByRole('button', { name: 'Copy', exact: true }).click();
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).toMatch(/^Narrator: /);

    // Search limited to the person: with no words typed, everything Narrator says, and nothing else.
    const whose = page.getByRole('combobox', { name: 'Whose words to search' });
    await whose.selectOption('Narrator');
    const hits = page.getByTestId('search-hit');
    await expect(hits).toHaveCount(2);
    for (const text of await hits.allInnerTexts()) expect(text).toContain('Narrator: ');
    // A word of the part given to Narrator, searched with the limit on: found, and only as Narrator's.
    await page.getByRole('searchbox', { name: 'Search all transcripts' }).fill(words[2]!.replace(/[^\p{L}\p{N}]/gu, ''));
    await expect(page.getByTestId('search-hit').first()).toContainText('Narrator: ');
    for (const text of await hits.allInnerTexts()) expect(text).toContain('Narrator: ');
    await page.getByRole('searchbox', { name: 'Search all transcripts' }).fill('');
    await whose.selectOption('');
    await expect(hits).toHaveCount(0);

    // Merge the halves: one row again, and Undo takes exactly that back.
    await segmentMenu(page, 1, 'Merge with next');
    await expect(segments).toHaveCount(count);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(segments).toHaveCount(count + 1);
    await page.getByRole('button', { name: 'Redo' }).click();
    await expect(segments).toHaveCount(count);
    await page.reload();
    await expect(segments).toHaveCount(count);
    await expect(segments.nth(1)).toHaveAttribute('aria-label', new RegExp(`: ${escape(words.join(' '))}$`));
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function exportSrt(page: Page): Promise<string> {
  const pending = page.waitForEvent('download');
  await page.getByTestId('transcript').getByRole('button', { name: 'SRT' }).click();
  return readFileSync((await (await pending).path())!, 'utf8');
}
