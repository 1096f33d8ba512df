// Cloud offload through the real UI: Settings ▸ Cloud offload against a real pool on loopback
// (Redis, PostgreSQL, TLS with the test's CA), a real recording dropped, run on the pool, its
// transcript opened.
import { expect, test } from '@playwright/test';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { readSpeech } from '../../bench/lib/read-speech';
import { scratchDir, sharedAudio } from '../helpers/media';
import { startTestPool, type TestPool } from '../helpers/pool';
import { dropFiles } from '../helpers/ui';
import { callHost, startWebHost, type RunningHost } from '../helpers/web-host';

test.describe('cloud offload in the real UI', () => {
  let pool: TestPool;
  let token: string;
  let host: RunningHost;
  const file = path.join(scratchDir('e2e-offload-media'), 'Dictation.wav');

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    copyFileSync(readSpeech(sharedAudio)[4]!.wav, file);
    pool = await startTestPool('e2e-offload', { workers: ['all'] });
    ({ token } = await pool.tenant('e2e'));
  });
  test.afterAll(async () => pool?.stop());

  test.beforeEach(async () => {
    host = await startWebHost(scratchDir('e2e-offload'), { VERBATIM_POOL_POLL_MS: '500' });
    await callHost(host.url, 'settings.update', { model: 'whisper-tiny', language: 'en', diarization: 'off' });
  });
  test.afterEach(async () => host.stop());

  test('set the pool up in Settings (a bad token is refused), turn offload on, drop a file, see it run in the cloud, open its transcript', async ({ page }) => {
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Settings' }).click();
    const offload = page.getByTestId('offload-settings');
    await expect(offload.getByRole('radio', { name: /^When busy/ })).toBeDisabled();
    await offload.getByLabel('Pool address').fill(pool.pool.url);
    await offload.getByLabel('CA certificate file').fill(pool.pool.certificate.caPath);
    await offload.getByLabel('Token').fill(`vbt_deadbeef_${'x'.repeat(32)}`);
    await offload.getByRole('button', { name: 'Test connection' }).click();
    await expect(offload.getByTestId('offload-test-error')).toContainText('The pool refused the token');

    await offload.getByLabel('Token').fill(token);
    await offload.getByRole('button', { name: 'Test connection' }).click();
    await expect(offload.getByTestId('offload-test-result')).toContainText('Connected to the pool (e2e): 1 worker');
    await offload.getByRole('button', { name: 'Save connection' }).click();
    await expect(offload.getByLabel('Token')).toHaveAttribute('placeholder', /Saved/);
    await offload.getByRole('radio', { name: /^Always/ }).check();
    await expect(offload.getByTestId('offload-state')).toContainText('In use: 1 worker');
    await page.getByTestId('settings').getByRole('button', { name: 'Done' }).click();

    await dropFiles(page, [file]);
    await page.getByRole('tab', { name: 'Queue' }).click();
    const row = page.getByTestId('job-row').filter({ hasText: 'Dictation.wav' });
    await expect(row.getByTestId('cloud-badge')).toBeVisible({ timeout: 30_000 });
    await expect(row).toHaveAttribute('data-state', 'done', { timeout: 90_000 });

    await page.getByRole('tab', { name: 'Library' }).click();
    const item = page.getByTestId('library-item').filter({ hasText: 'Dictation.wav' });
    await expect(item.getByTestId('cloud-badge')).toBeVisible();
    await page.getByLabel('Only those sent to the cloud').check();
    await expect(page.getByTestId('library-item')).toHaveCount(1);
    await item.locator('.library-main').click();
    const transcript = page.getByTestId('transcript');
    await expect(transcript.getByTestId('engine')).toContainText('whisper-tiny on the cloud pool (CPU)');
    await expect(transcript).toContainText(/printing/i);
    // Decoded here while the pool transcribed it: the player and waveform, as for a local job.
    await expect(page.getByTestId('waveform')).toBeVisible();
  });
});
