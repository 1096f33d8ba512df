import { expect, test } from '@playwright/test';
import path from 'node:path';
import { sharedAudio, scratchDir } from '../helpers/media';
import { dropFiles } from '../helpers/ui';
import { callHost, startWebHost, type RunningHost } from '../helpers/web-host';

const readers = path.join(sharedAudio, 'real-speakers/two-readers.wav');

test.describe('choices per file in the real UI', () => {
  let host: RunningHost;
  test.beforeEach(async () => {
    host = await startWebHost(scratchDir('e2e-options'));
    // Settings say French: what the sheet chooses for this file must win over them.
    await callHost(host.url, 'settings.update', { model: 'whisper-tiny', language: 'fr' });
  });
  test.afterEach(async () => host.stop());

  test('the sheet on adding sets this file’s language and speakers; Transcribe again changes them; adding it again says it is there', async ({ page }) => {
    test.setTimeout(240_000);
    await page.goto(host.url);
    await dropFiles(page, [readers], async (sheet) => {
      await expect(sheet.getByLabel('Language')).toHaveValue('fr');
      await sheet.getByLabel('Language').selectOption({ label: 'English' });
      await sheet.getByLabel('Speakers').selectOption({ label: 'Exactly…' });
      await sheet.getByLabel('Number of speakers').fill('1');
      await sheet.getByRole('button', { name: 'Transcribe', exact: true }).click();
    });
    const diarization = page.getByTestId('diarization');
    await expect(diarization).toContainText('1 speaker ·', { timeout: 120_000 });
    await expect(page.getByTestId('engine')).toContainText('· English');
    await expect(page.getByTestId('transcript')).toContainText(/Dashwood/i);

    // Once more, letting it find out how many speak: the two readers come back.
    await page.getByRole('button', { name: 'Transcribe again…' }).click();
    const again = page.getByTestId('transcribe-options');
    await expect(again.getByLabel('Language')).toHaveValue('en');
    await again.getByLabel('Speakers').selectOption({ label: 'Find out how many' });
    await again.getByRole('button', { name: 'Transcribe again' }).click();
    await expect(diarization).toContainText('2 speakers ·', { timeout: 120_000 });
    await expect(page.getByTestId('engine')).toContainText('· English');

    // The sheet remembers the last choices; the same file dropped again is opened, not added twice.
    await dropFiles(page, [readers], async (sheet) => {
      await expect(sheet.getByLabel('Language')).toHaveValue('en');
      await sheet.getByRole('button', { name: 'Transcribe', exact: true }).click();
    });
    await expect(page.getByTestId('toast')).toContainText('is already in your library');
    expect(await callHost(host.url, 'library.list', { sort: 'date', descending: true })).toHaveLength(1);
  });
});
