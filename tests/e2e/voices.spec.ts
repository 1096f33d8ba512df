import { expect, test } from '@playwright/test';
import path from 'node:path';
import { sharedAudio, scratchDir } from '../helpers/media';
import { dropFiles } from '../helpers/ui';
import { callHost, startWebHost, type RunningHost } from '../helpers/web-host';

// One man recorded on two occasions (real clips): saved once, suggested the next time.
const clip = (name: string): string => path.join(sharedAudio, 'real-speakers/clips', `${name}.wav`);

test.describe('the voice library in the real UI', () => {
  let host: RunningHost;
  test.beforeEach(async () => {
    host = await startWebHost(scratchDir('e2e-voices'));
    await callHost(host.url, 'settings.update', { model: 'whisper-tiny', diarization: 'builtin' });
  });
  test.afterEach(async () => host.stop());

  test('name a speaker and save their voice after the personal-data note; the next recording suggests them; Settings lists and deletes the voice', async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto(host.url);
    await dropFiles(page, [clip('leijun-sr-1')]);
    await expect(page.getByTestId('diarization')).toContainText('1 speaker', { timeout: 120_000 });
    // An unnamed speaker cannot be saved: the voice is kept under the name the user gives.
    await expect(page.getByRole('button', { name: 'Remember voice…' })).toHaveCount(0);
    await page.getByTestId('speaker').getByRole('button', { name: 'Speaker 1' }).click();
    await page.getByRole('textbox', { name: 'New name for Speaker 1' }).fill('Lei Jun');
    await page.getByRole('textbox', { name: 'New name for Speaker 1' }).press('Enter');
    await page.getByRole('button', { name: 'Remember voice…' }).click();
    const consent = page.getByRole('group', { name: "Save Lei Jun's voice" });
    await expect(consent).toContainText('personal data');
    await expect(consent).toContainText('stays on this computer');
    await consent.getByRole('button', { name: 'Save voice' }).click();
    await expect(page.getByTestId('voice-badge')).toHaveText('saved voice');

    await dropFiles(page, [clip('leijun-test-sr-2')]);
    await page.getByTestId('library-item').filter({ hasText: 'leijun-test-sr-2' }).click();
    const suggestion = page.getByTestId('voice-suggestion');
    await expect(suggestion).toContainText('Lei Jun?', { timeout: 120_000 });
    await suggestion.getByRole('button', { name: 'Yes, Speaker 1 is Lei Jun' }).click();
    await expect(page.getByTestId('speaker').getByRole('button', { name: 'Lei Jun' })).toBeVisible();
    await expect(page.getByTestId('voice-badge')).toBeVisible();

    await page.getByRole('button', { name: 'Settings' }).click();
    const voices = page.getByTestId('voices');
    await expect(voices.getByTestId('voice')).toHaveCount(1);
    await expect(voices.getByTestId('voice')).toContainText('Lei Jun');
    await expect(voices.getByTestId('voice')).toContainText('2 recordings');
    await voices.getByRole('button', { name: 'Delete the voice Lei Jun' }).click();
    await voices.getByRole('button', { name: 'Delete voice and prints' }).click();
    await expect(voices).toContainText('No saved voices');
    expect(await callHost(host.url, 'voices.list', {})).toEqual([]);
  });
});
