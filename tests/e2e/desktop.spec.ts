import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { dialogueWav, ffmpeg, projectRoot, scratchDir } from '../helpers/media';
import { dropFiles } from '../helpers/ui';
import { startWebHost, type RunningHost } from '../helpers/web-host';
import { zipEntry } from '../helpers/zip';

/** `UPDATE_SCREENSHOTS=1 npx playwright test tests/e2e/desktop.spec.ts` refreshes the README's pictures. */
const screenshots = process.env.UPDATE_SCREENSHOTS ? path.join(projectRoot, 'docs/screenshots') : null;
async function picture(page: Page, name: string): Promise<void> {
  if (!screenshots) return;
  mkdirSync(screenshots, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  const html = page.locator('html');
  const theme = await html.getAttribute('data-theme');
  // The README shows each view in both themes; the theme is only drawn, not saved.
  for (const [suffix, shown] of [['', 'light'], ['-dark', 'dark']] as const) {
    await html.evaluate((element, value) => (element.dataset.theme = value), shown);
    await page.screenshot({ path: path.join(screenshots, `${name}${suffix}.png`) });
  }
  await html.evaluate((element, value) => (element.dataset.theme = value ?? 'system'), theme);
}

const clockSec = (clock: string): number => clock.split(':').reduce((total, part) => total * 60 + Number(part), 0);
const audioTime = (page: Page): Promise<number> => page.getByTestId('audio').evaluate((audio) => (audio as unknown as { currentTime: number }).currentTime);

async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const pending = page.waitForEvent('download');
  await click();
  const saved = await pending;
  return { name: saved.suggestedFilename(), bytes: readFileSync((await saved.path())!) };
}

test.describe('the desktop experience in the real UI', () => {
  let host: RunningHost;
  const wav = path.join(scratchDir('e2e-desktop-media'), 'Budget meeting.wav');

  const notes = path.join(path.dirname(wav), 'Notes.wav');

  test.beforeAll(() => {
    ffmpeg('-i', dialogueWav, '-c', 'copy', wav);
    // A different file (the library keeps one entry per content), short so it transcribes quickly.
    ffmpeg('-i', dialogueWav, '-t', '12', notes);
  });
  let dataDir: string;
  test.beforeEach(async () => {
    dataDir = scratchDir('e2e-desktop');
    host = await startWebHost(dataDir);
  });
  test.afterEach(async () => host.stop());

  test('drop → transcript → search → seek → edit that persists → rename → export SRT and DOCX, and a selection as ZIP', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(host.url);
    await expect(page.getByTestId('library-empty')).toContainText('Your library is empty');
    await dropFiles(page, [wav]);

    // The first file dropped opens by itself; its transcript and speakers arrive when the job is done.
    const transcript = page.getByTestId('transcript');
    await expect(transcript).toContainText('weekly planning meeting', { timeout: 90_000 });
    await expect(page.getByTestId('diarization')).toHaveText('2 speakers · built-in method on CPU');
    // A source checkout has no neural speaker models: one line says so and offers them.
    await expect(page.getByTestId('neural-offer')).toContainText('the neural speaker models are not installed');
    await expect(page.getByTestId('neural-offer').getByRole('button', { name: 'Download speaker models' })).toBeEnabled();
    await expect(page.getByTestId('library-item')).toContainText('Budget meeting.wav');
    await expect(page.getByTestId('library-item')).toContainText('2 speakers');
    await picture(page, 'transcript');

    // Search as you type: a prefix finds the word, highlighted; the hit opens the recording at that moment.
    await page.getByRole('searchbox', { name: 'Search all transcripts' }).fill('microph');
    const hit = page.getByTestId('search-hit');
    await expect(hit).toHaveCount(1);
    await expect(hit.locator('mark')).toHaveText(/^microphones?$/i);
    await picture(page, 'search');
    await hit.click();
    const hitStart = clockSec(await hit.locator('.hit-source').innerText());
    await expect.poll(() => audioTime(page)).toBeGreaterThanOrEqual(hitStart);
    expect(await audioTime(page)).toBeLessThan(hitStart + 1);
    // The term is marked in the transcript it opened, until Esc clears the search.
    const marked = page.getByTestId('transcript').locator('.word.search-match');
    await expect(marked.first()).toHaveText(/^microphones?/i);
    await page.getByRole('searchbox', { name: 'Search all transcripts' }).press('Escape');
    await expect(marked).toHaveCount(0);

    // The player plays the dropped file itself, at its own quality.
    await expect(page.getByTestId('audio')).toHaveAttribute('data-source', 'original');
    expect(await page.getByTestId('audio').evaluate((audio) => (audio as unknown as { currentSrc: string }).currentSrc)).toMatch(/\/original$/);

    // Clicking a word seeks the player to it.
    const word = transcript.getByTestId('word').filter({ hasText: /^weekly$/ });
    await word.click();
    const wordStart = Number(await word.getAttribute('data-start'));
    await expect.poll(() => audioTime(page)).toBeCloseTo(wordStart, 2);
    await expect(page.getByTestId('player-time')).toContainText(`0:0${Math.floor(wordStart)}`);

    // Keyboard: ↓ goes to the next segment's start.
    const second = page.getByTestId('segment').nth(1);
    await page.getByTestId('segment').first().focus();
    await page.keyboard.press('ArrowDown');
    await expect(second).toBeFocused();

    // Edit a word; the edit is in the library, so a reload shows it; undo and redo work on it.
    const first = page.getByTestId('segment').first();
    await first.focus();
    await first.press('Enter');
    const editor = first.getByRole('textbox');
    const original = await editor.inputValue();
    expect(original).toContain('weekly');
    await editor.fill(original.replace('weekly', 'quarterly'));
    await editor.press('Enter');
    await expect(first).toContainText('quarterly planning meeting');
    await page.reload();
    await expect(page.getByTestId('segment').first()).toContainText('quarterly planning meeting');
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(page.getByTestId('segment').first()).toContainText('weekly planning meeting');
    await page.getByRole('button', { name: 'Redo' }).click();
    await expect(page.getByTestId('segment').first()).toContainText('quarterly planning meeting');

    // Rename a speaker: the label changes everywhere.
    await page.getByTestId('speaker').first().getByRole('button', { name: 'Speaker 1' }).click();
    const name = page.getByRole('textbox', { name: 'New name for Speaker 1' });
    await name.fill('Chair');
    await name.press('Enter');
    await expect(page.getByTestId('segment-speaker').first()).toHaveText('Chair');

    const srt = await download(page, () => transcript.getByRole('button', { name: 'SRT' }).click());
    expect(srt.name).toBe('Budget meeting.srt');
    expect(srt.bytes.toString('utf8')).toMatch(/^1\n00:00:00,\d{3} --> 00:00:0\d,\d{3}\nChair: Good morning everyone/);
    expect(srt.bytes.toString('utf8')).toContain('quarterly planning meeting');
    expect(srt.bytes.toString('utf8')).toContain('Speaker 2: ');

    const docx = await download(page, () => transcript.getByRole('button', { name: 'DOCX' }).click());
    expect(docx.name).toBe('Budget meeting.docx');
    const document = zipEntry(docx.bytes, 'word/document.xml');
    expect(document).toContain('Chair');
    expect(document).toContain('quarterly planning meeting');
    expect(document).toContain('Speaker 2');

    // A ticked selection in the library exports as one ZIP of a file each, with the edits and names in it.
    await dropFiles(page, [notes]);
    await expect(page.getByRole('checkbox', { name: 'Select Notes.wav for export' })).toBeEnabled({ timeout: 90_000 });
    await page.getByRole('checkbox', { name: 'Select Budget meeting.wav for export' }).check();
    await page.getByRole('checkbox', { name: 'Select Notes.wav for export' }).check();
    const batch = page.getByRole('group', { name: 'Export selected transcripts' });
    await expect(batch).toContainText('2 selected');
    const zip = await download(page, () => batch.getByRole('button', { name: 'TXT' }).click());
    expect(zip.name).toBe('Verbatim 2 transcripts (TXT).zip');
    expect(zipEntry(zip.bytes, 'Budget meeting.txt')).toMatch(/^Chair: Good morning everyone/);
    expect(zipEntry(zip.bytes, 'Budget meeting.txt')).toContain('quarterly planning meeting');
    expect(zipEntry(zip.bytes, 'Notes.txt')).toMatch(/^Speaker 1: Good morning everyone/);

    // A recording whose file has gone plays from the decoded copy, says so, and still seeks by word.
    for (const upload of readdirSync(path.join(dataDir, 'imports'), { recursive: true, encoding: 'utf8' })) {
      if (upload.endsWith('Notes.wav')) rmSync(path.join(dataDir, 'imports', upload));
    }
    // Opened from a search hit: the moment asked for survives the switch to the decoded copy.
    await page.getByRole('searchbox', { name: 'Search all transcripts' }).fill('thanks');
    // Hits come grouped by recording, in time order within one.
    const group = page.getByTestId('search-group').filter({ has: page.getByRole('heading', { name: /^Notes\.wav/ }) });
    const times = (await group.locator('.hit-source').allInnerTexts()).map(clockSec);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const later = group.getByTestId('search-hit').filter({ hasText: /^0:0[1-9]/ });
    const laterStart = clockSec(await later.locator('.hit-source').innerText());
    await later.click();
    await page.getByRole('searchbox', { name: 'Search all transcripts' }).press('Escape');
    await expect(page.getByTestId('audio')).toHaveAttribute('data-source', 'decoded');
    await expect(page.getByTestId('playback-note')).toContainText('the original file is missing');
    await expect.poll(() => audioTime(page)).toBeGreaterThanOrEqual(laterStart);
    expect(await audioTime(page)).toBeLessThan(laterStart + 1);
    const morning = transcript.getByTestId('word').filter({ hasText: /^morning$/ });
    await morning.click();
    await expect.poll(() => audioTime(page)).toBeCloseTo(Number(await morning.getAttribute('data-start')), 2);
  });

  test('settings persist in the library: theme, language and speaker count; the device list says what was detected', async ({ page }) => {
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByTestId('settings');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('devices')).toContainText('Tried in this order: NVIDIA GPU (CUDA) → GPU (WebGPU) → CPU.');
    // Models provided by VERBATIM_MODELS_DIR are installed; the rest say how much they would download.
    await expect(dialog.getByTestId('model').filter({ hasText: 'Whisper tiny' }).first()).toContainText('Installed');
    await dialog.getByLabel('Language').selectOption('de');
    await dialog.getByLabel('Exactly').check();
    await dialog.getByRole('radio', { name: 'Dark' }).check();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await picture(page, 'settings');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(dialog).toBeHidden();

    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByLabel('Language')).toHaveValue('de');
    await expect(page.getByLabel('Exact number of speakers')).toHaveValue('2');
  });

  test('Settings ▸ Updates: the web host says it does not update itself; the opt-out and the channel are kept', async ({ page }) => {
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Settings' }).click();
    const updates = page.getByRole('region', { name: 'Updates' });
    await expect(updates.getByTestId('update-status')).toHaveText('This window updates with the app that serves it; the installed desktop app updates itself.');
    const automatic = updates.getByLabel('Look for updates and download them in the background');
    await expect(automatic).toBeChecked();
    await expect(updates.getByRole('button', { name: 'Check now' })).toBeDisabled();
    await updates.getByRole('radio', { name: /Beta/ }).check();
    await updates.screenshot({ path: test.info().outputPath('updates.png') });
    await automatic.uncheck();
    await expect(updates.getByRole('radio', { name: /Beta/ })).toBeDisabled();
    // Nothing to install in a browser: no notice.
    await expect(page.getByTestId('update-notice')).toHaveCount(0);

    await page.reload();
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByRole('region', { name: 'Updates' }).getByLabel('Look for updates and download them in the background')).not.toBeChecked();
    await expect(page.getByRole('region', { name: 'Updates' }).getByRole('radio', { name: /Beta/ })).toBeChecked();
  });

  test('Help ▸ Copy diagnostics puts a report on the clipboard, without file names unless ticked', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const clipboard = () => page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Settings' }).click();
    const help = page.getByRole('region', { name: 'Help' });
    await help.getByRole('button', { name: 'Copy diagnostics' }).click();
    await expect(page.getByText('Diagnostics copied: paste them into your report.')).toBeVisible();
    const plain = await clipboard();
    expect(plain).toMatch(/^Verbatim \d+\.\d+\.\d+ on Node .* \(web host\)\n/);
    expect(plain).toMatch(/Models installed: .*whisper-/);
    expect(plain).toContain('Logs: (a path)');
    await expect(help.getByTestId('logs-dir')).toContainText(/Log files: .*logs$/);
    await help.getByLabel('Include file names and folders').check();
    await help.getByRole('button', { name: 'Copy diagnostics' }).click();
    await expect.poll(clipboard).toMatch(/Logs: \/.*logs\n/);
  });
});
