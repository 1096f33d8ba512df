import { expect, test } from '@playwright/test';
import type { Transcript } from '../../contracts/domain';
import { wordErrorRate } from '../../bench/lib/word-error-rate';
import { readSpeechTake } from '../helpers/live';
import { callHost, startWebHost, type RunningHost } from '../helpers/web-host';
import { scratchDir } from '../helpers/media';
import config from '../../playwright.config';

// Chromium's fake microphone starts playing when the device opens, before the page can connect to
// it (no browser hands a page audio from before that); a person starts speaking once the app shows
// it is recording. The lead-in second is that moment.
const take = readSpeechTake(4, true);
const baseArgs = config.use?.launchOptions?.args ?? [];
const transcriptText = async (url: string, mediaId: number): Promise<string> =>
  (((await callHost(url, 'transcripts.get', { mediaId })) as Transcript | null)?.segments ?? []).map((segment) => segment.text).join(' ');

async function waitForJob(url: string, jobId: number): Promise<void> {
  await expect
    .poll(async () => ((await callHost(url, 'jobs.list', {})) as Array<{ id: number; state: string }>).find((job) => job.id === jobId)?.state, { timeout: 120_000 })
    .toBe('done');
}

// Chromium's fake microphone plays real read speech, once, at real-time pace.
test.use({
  launchOptions: { executablePath: config.use?.launchOptions?.executablePath, args: [...baseArgs, '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${take.wav}%noloop`] },
});

test.describe('recording from the microphone', () => {
  test.use({ permissions: ['microphone'] });
  let host: RunningHost;
  test.beforeEach(async () => {
    host = await startWebHost(scratchDir('e2e-live'));
  });
  test.afterEach(async () => host.stop());

  test('captions appear while speaking; after Stop the recording is transcribed as well as the file dropped in', async ({ page }) => {
    test.setTimeout(300_000);
    // The small model: on two cores, Chromium and captions with whisper-base compete for the CPU.
    await callHost(host.url, 'settings.update', { model: 'whisper-tiny' });
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Record' }).click();
    const indicator = page.getByTestId('recording-indicator');
    await expect(indicator).toBeVisible();
    await expect(page).toHaveTitle(/Recording/);
    // The first sentence's words appear while the later ones are still being spoken.
    const captions = page.getByTestId('captions');
    await expect(captions).toContainText(/printing,? in the only sense/i, { timeout: 30_000 });
    expect(Number(await page.getByTestId('level').getAttribute('value'))).toBeGreaterThanOrEqual(0);
    // The last sentence, then the silence after it.
    await expect(captions).toContainText(/printed book/i, { timeout: 90_000 });
    const liveText = await page.getByTestId('caption-final').allInnerTexts();
    expect(wordErrorRate(take.reference, liveText.join(' ').replace(/\d+:\d+(\.\d+)?/g, ''))).toBeLessThan(0.25);

    // Looking at the library does not stop it; the indicator leads back.
    await page.getByRole('tab', { name: 'Library' }).click();
    await expect(page.getByTestId('library-item')).toHaveCount(1);
    await page.getByTestId('stop-recording').click();
    await expect(indicator).toBeHidden();
    await expect(page.getByTestId('detail')).toContainText('Recording');

    const [item] = (await callHost(host.url, 'library.list', { sort: 'date', descending: true })) as Array<{ mediaId: number; jobId: number }>;
    await waitForJob(host.url, item!.jobId);
    const [dropped] = (await callHost(host.url, 'media.add', { paths: [take.wav] })) as Array<{ mediaId: number; jobId: number }>;
    await waitForJob(host.url, dropped!.jobId);
    const recorded = wordErrorRate(take.reference, await transcriptText(host.url, item!.mediaId));
    const file = wordErrorRate(take.reference, await transcriptText(host.url, dropped!.mediaId));
    expect(Math.abs(recorded - file)).toBeLessThanOrEqual(0.02);
    await expect(page.getByTestId('segment').first()).toBeVisible();
  });
});

test.describe('recording without the microphone permission', () => {
  test.use({ permissions: [] });

  test('says the microphone is not allowed and leaves no empty recording behind', async ({ page, context }) => {
    const host = await startWebHost(scratchDir('e2e-live'));
    try {
      await context.clearPermissions();
      await page.goto(host.url);
      await page.getByRole('button', { name: 'Record' }).click();
      const problem = page.getByTestId('recorder-problem');
      await expect(problem).toHaveAttribute('data-reason', 'denied');
      await expect(problem).toContainText('may not use the microphone');
      await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
      expect(await callHost(host.url, 'library.list', { sort: 'date', descending: true })).toEqual([]);
    } finally {
      await host.stop();
    }
  });
});
