import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { readSpeech } from '../../bench/lib/read-speech';
import path from 'node:path';
import { ffmpeg, sharedAudio, scratchDir } from '../helpers/media';
import { callHost, startWebHost, type RunningHost } from '../helpers/web-host';

/** Serious and critical WCAG 2.1 A/AA violations on the page as it is now, as readable lines. */
async function violations(page: Page): Promise<string[]> {
  const { violations: found } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return found
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')} — ${node.failureSummary ?? ''}`));
}

test.describe('accessibility of the main views', () => {
  let host: RunningHost;
  test.beforeAll(async () => {
    host = await startWebHost(scratchDir('e2e-a11y'));
    await callHost(host.url, 'settings.update', { model: 'whisper-tiny' });
    const [utterance, other] = readSpeech(sharedAudio);
    // A video: a test picture with a real reader's voice.
    const video = path.join(scratchDir('e2e-video'), 'Interview clip.webm');
    ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=15', '-i', other!.wav, '-shortest', '-c:v', 'libvpx', '-deadline', 'realtime', '-c:a', 'libopus', video);
    await callHost(host.url, 'media.add', { paths: [video], options: { diarization: 'off' } });
    await callHost(host.url, 'media.add', { paths: [utterance!.wav], options: { diarization: 'builtin', speakers: { exact: 2, min: null, max: null } } });
    await expect
      .poll(async () => ((await callHost(host.url, 'jobs.list', {})) as Array<{ state: string }>).map((job) => job.state), { timeout: 120_000 })
      .toEqual(['done', 'done']);
  });
  test.afterAll(async () => host.stop());

  test('the transcript is the page: its first line near the top at 1280×800, lines in view above the player at 900×600', async ({ page }) => {
    for (const [width, height, firstLineBelow] of [
      [1280, 800, 260],
      [900, 600, 300],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.goto(host.url);
      await page.getByTestId('library-item').first().click();
      const first = page.getByTestId('segment').first();
      await expect(first).toBeVisible();
      const line = (await first.boundingBox())!;
      const player = (await page.getByTestId('player').boundingBox())!;
      expect(line.y, `${width}×${height}`).toBeLessThan(firstLineBelow);
      expect(line.y + line.height, 'the player never covers a line').toBeLessThanOrEqual(player.y);
      expect(player.y + player.height).toBeLessThanOrEqual(height);
    }
  });

  test('a video plays with its picture, which can be hidden', async ({ page }) => {
    await page.goto(host.url);
    await page.getByTestId('library-item').filter({ hasText: 'Interview clip.webm' }).getByRole('button').click();
    const picture = page.getByRole('region', { name: 'Transcript' }).locator('video');
    await expect(picture).toBeVisible();
    await expect.poll(() => picture.evaluate((element) => (element as unknown as { videoWidth: number }).videoWidth)).toBe(320);
    await page.getByRole('button', { name: 'Hide picture' }).click();
    await expect(picture).toBeHidden();
    await page.getByRole('button', { name: 'Show picture' }).click();
    await expect(picture).toBeVisible();
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`${theme} theme: library, transcript with its menus, queue, the options sheet and Settings have no serious or critical violations`, async ({ page }) => {
      await callHost(host.url, 'settings.update', { theme });
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(host.url);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await page.getByTestId('library-item').first().click();
      await expect(page.getByTestId('segment').first()).toBeVisible();
      expect(await violations(page), 'transcript').toEqual([]);

      const row = page.getByTestId('segment').first();
      await row.hover();
      await row.getByRole('button', { name: /^More actions/ }).click();
      await expect(page.getByRole('menu')).toBeVisible();
      expect(await violations(page), 'segment menu').toEqual([]);
      await page.keyboard.press('Escape');

      await page.getByRole('button', { name: 'Transcribe again…' }).click();
      await expect(page.getByTestId('transcribe-options')).toBeVisible();
      expect(await violations(page), 'options sheet').toEqual([]);
      await page.keyboard.press('Escape');

      await page.getByRole('tab', { name: 'Queue' }).click();
      expect(await violations(page), 'queue').toEqual([]);

      await page.getByRole('button', { name: 'Settings' }).click();
      await expect(page.getByTestId('settings')).toBeVisible();
      expect(await violations(page), 'settings').toEqual([]);
    });
  }
});
