import { expect, test } from '@playwright/test';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ffmpeg, probeDuration, scratchDir, dialogueWav, sharedAudio } from '../helpers/media';
import { dropFiles } from '../helpers/ui';
import { callHost, startWebHost, type RunningHost } from '../helpers/web-host';

function parseClock(text: string): number {
  const parts = text.split(':').map(Number);
  return parts.reduce((total, part) => total * 60 + part, 0);
}

test.describe('queue through the real UI', () => {
  let host: RunningHost;
  let dataDir: string;
  const media = scratchDir('e2e-media');
  const wav = path.join(media, 'Budget meeting.wav');
  const m4a = path.join(media, 'Radio interview — été.m4a');
  const corrupt = path.join(media, 'corrupt take.mp3');

  test.beforeAll(() => {
    ffmpeg('-i', dialogueWav, '-c', 'copy', wav);
    ffmpeg('-i', path.join(sharedAudio, 'synthetic/podcast-3spk.wav'), '-ar', '44100', '-c:a', 'aac', '-b:a', '96k', m4a);
    // Looks like an MP3 from its name; holds garbage.
    writeFileSync(corrupt, Buffer.alloc(20_000, 0x41));
  });

  test.beforeEach(async () => {
    dataDir = scratchDir('e2e-data');
    host = await startWebHost(dataDir);
  });
  test.afterEach(async () => host.stop());

  test('drop two recordings and a corrupt file; see two done, one failed; reload and restart keep it', async ({ page }) => {
    await page.goto(host.url);
    await expect(page.getByText('Your library is empty')).toBeVisible();
    await page.getByRole('tab', { name: 'Queue' }).click();
    await expect(page.getByText('Nothing here yet')).toBeVisible();
    await dropFiles(page, [wav, m4a, corrupt]);

    const rows = page.getByTestId('job-row');
    await expect(rows).toHaveCount(3);
    await expect(page.locator('[data-testid=job-row][data-state=done]')).toHaveCount(2, { timeout: 60_000 });
    const failed = page.locator('[data-testid=job-row][data-state=failed]');
    await expect(failed).toHaveCount(1);
    await expect(failed).toContainText('corrupt take.mp3');
    await expect(failed.getByTestId('job-error')).toHaveText('“corrupt take.mp3” is not an audio or video format Verbatim can read.');

    const durations = async (): Promise<Record<string, number>> => {
      const found: Record<string, number> = {};
      for (const name of [path.basename(wav), path.basename(m4a)]) {
        await page.getByTestId('job-row').filter({ hasText: name }).locator('.job-main').click();
        await expect(page.getByTestId('detail')).toContainText(name);
        await expect(page.getByTestId('waveform')).toBeVisible();
        found[name] = parseClock(await page.getByTestId('detail-duration').innerText());
      }
      return found;
    };
    const shown = await durations();
    expect(Math.abs(shown[path.basename(wav)]! - probeDuration(wav))).toBeLessThanOrEqual(0.05);
    expect(Math.abs(shown[path.basename(m4a)]! - probeDuration(m4a))).toBeLessThanOrEqual(0.05);

    const snapshot = async () => (await rows.evaluateAll((els) => els.map((el) => `${el.getAttribute('data-state')} ${el.textContent}`))).sort();
    const before = await snapshot();

    await page.reload();
    await page.getByRole('tab', { name: /Queue/ }).click();
    await expect(rows).toHaveCount(3);
    expect(await snapshot()).toEqual(before);

    // A restart of the whole host: the state comes back from SQLite, not from memory.
    await host.stop();
    host = await startWebHost(dataDir);
    await page.goto(host.url);
    await page.getByRole('tab', { name: /Queue/ }).click();
    await expect(rows).toHaveCount(3);
    expect(await snapshot()).toEqual(before);
    expect(await durations()).toEqual(shown);

    // Clear finished: the two done jobs leave the queue, the failed one stays; the library keeps all three.
    await page.getByRole('tab', { name: /Queue/ }).click();
    await page.getByRole('button', { name: 'Clear finished (2)' }).click();
    await expect(rows).toHaveCount(1);
    await expect(rows).toHaveAttribute('data-state', 'failed');
    await page.reload();
    await page.getByRole('tab', { name: /Queue/ }).click();
    await expect(rows).toHaveCount(1);
    await page.getByRole('tab', { name: 'Library' }).click();
    await expect(page.getByTestId('library-item')).toHaveCount(3);
  });

  test('a failed job can be retried from the UI once its file is fixed', async ({ page }) => {
    await page.goto(host.url);
    await page.getByRole('tab', { name: 'Queue' }).click();
    await dropFiles(page, [corrupt]);
    const row = page.getByTestId('job-row');
    await expect(row).toHaveAttribute('data-state', 'failed', { timeout: 30_000 });
    // The web host keeps the dropped copy in its imports folder (the row shows only the name): replace it with a sound file.
    await expect(row.locator('.job-name')).toHaveAttribute('title', 'corrupt take.mp3');
    const [job] = (await callHost(host.url, 'jobs.list', {})) as Array<{ path: string }>;
    copyFileSync(wav, job!.path);
    await row.getByRole('button', { name: 'Retry' }).click();
    await expect(row).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
    await expect(row.getByTestId('job-error')).toHaveCount(0);
    await expect(row.getByTestId('job-status')).toHaveText('0:34 of audio');
  });
});
