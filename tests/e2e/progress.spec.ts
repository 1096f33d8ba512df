import { expect, test } from '@playwright/test';
import { readSpeechTake } from '../helpers/live';
import { scratchDir } from '../helpers/media';
import { dropFiles } from '../helpers/ui';
import { callHost, startWebHost, type RunningHost } from '../helpers/web-host';

// Three minutes of real read speech: several batches of windows, so there is a "meanwhile" to see.
const take = readSpeechTake(21);

test.describe('a transcription in progress in the real UI', () => {
  let host: RunningHost;
  test.beforeEach(async () => {
    host = await startWebHost(scratchDir('e2e-progress'));
    await callHost(host.url, 'settings.update', { model: 'whisper-tiny' });
  });
  test.afterEach(async () => host.stop());

  test('segments appear as windows finish, before the job is done, and the finished transcript takes their place', async ({ page }) => {
    test.setTimeout(240_000);
    await page.goto(host.url);
    // No speaker labels: the growing transcript is the transcription's; labels come after it.
    await dropFiles(page, [take.wav], async (sheet) => {
      await sheet.getByLabel('Speakers').selectOption({ label: 'No speaker labels' });
      await sheet.getByRole('button', { name: 'Transcribe', exact: true }).click();
    });
    const growing = page.getByTestId('growing-segment');
    await expect(growing.first()).toBeVisible({ timeout: 120_000 });
    // Seen while the job still runs: the queue says so, and the editable transcript is not there yet.
    const [job] = (await callHost(host.url, 'jobs.list', {})) as Array<{ state: string; progress: number }>;
    expect(job!.state).toBe('running');
    expect(job!.progress).toBeLessThan(1);
    await expect(page.getByTestId('growing-transcript').getByRole('status')).toContainText(/Transcribing… \d+ % · \d+ segments? so far, up to \d+:\d\d/);
    const early = await growing.allInnerTexts();
    expect(early.join(' ')).toMatch(/printing/i);

    await expect(page.getByTestId('segment').first()).toBeVisible({ timeout: 180_000 });
    await expect(page.getByTestId('growing-transcript')).toHaveCount(0);
    expect(await page.getByTestId('segment').count()).toBeGreaterThanOrEqual(early.length);
  });
});
