import { expect, test, type Page } from '@playwright/test';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ffmpeg, probeDuration, scratchDir, dialogueWav, sharedAudio } from '../helpers/media';
import { startWebHost, type RunningHost } from '../helpers/web-host';

/** Drops files on the window the way a file manager does: a real drop event carrying File objects. */
async function dropFiles(page: Page, files: string[]): Promise<void> {
  const payload = files.map((file) => ({ name: path.basename(file), base64: readFileSync(file).toString('base64') }));
  const dataTransfer = await page.evaluateHandle((items) => {
    const transfer = new (globalThis as unknown as { DataTransfer: new () => { items: { add(file: File): void } } }).DataTransfer();
    for (const item of items) {
      const bytes = Uint8Array.from(atob(item.base64), (char) => char.charCodeAt(0));
      transfer.items.add(new File([bytes], item.name));
    }
    return transfer;
  }, payload);
  const zone = page.getByTestId('drop-zone');
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await expect(page.getByText('Drop audio or video files to add them')).toBeVisible();
  await zone.dispatchEvent('drop', { dataTransfer });
}

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
    await expect(rows).toHaveCount(3);
    expect(await snapshot()).toEqual(before);

    // A restart of the whole host: the state comes back from SQLite, not from memory.
    await host.stop();
    host = await startWebHost(dataDir);
    await page.goto(host.url);
    await expect(rows).toHaveCount(3);
    expect(await snapshot()).toEqual(before);
    expect(await durations()).toEqual(shown);
  });

  test('a failed job can be retried from the UI once its file is fixed', async ({ page }) => {
    await page.goto(host.url);
    await dropFiles(page, [corrupt]);
    const row = page.getByTestId('job-row');
    await expect(row).toHaveAttribute('data-state', 'failed', { timeout: 30_000 });
    // The host keeps the dropped copy at the path the row shows; replace it with a sound file.
    const keptAt = await row.locator('.job-name').getAttribute('title');
    copyFileSync(wav, keptAt!);
    await row.getByRole('button', { name: 'Retry' }).click();
    await expect(row).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
    await expect(row.getByTestId('job-error')).toHaveCount(0);
    await expect(row.getByTestId('job-status')).toHaveText('0:34 of audio');
  });

  test('a dropped recording comes back as a transcript with word timings and speakers, saying where it ran; speakers rename; it exports as SRT and DOCX', async ({ page }) => {
    await page.goto(host.url);
    await dropFiles(page, [wav]);
    const row = page.getByTestId('job-row');
    await expect(row).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    await row.locator('.job-main').click();
    const transcript = page.getByTestId('transcript');
    await expect(transcript).toContainText('weekly planning meeting');
    await expect(page.getByTestId('engine')).toContainText('whisper-base on CPU');
    // This machine has no GPU: the UI says what was tried and why it was not used.
    await page.getByText('Why not a faster device?').click();
    await expect(transcript.locator('.fallbacks').first()).toContainText('webgpu');
    expect(await page.getByTestId('segment').count()).toBeGreaterThanOrEqual(5);

    // Two voices, labelled by the built-in tier; the neural models cannot be downloaded here, and the UI says so.
    await expect(page.getByTestId('diarization')).toHaveText('2 speakers · built-in method on CPU');
    await page.getByText('Why this speaker method?').click();
    await expect(transcript.locator('.speakers .fallbacks')).toContainText('download failed');
    await expect(page.getByTestId('segment-speaker').first()).toHaveText('Speaker 1');
    await page.getByTestId('speaker').first().getByRole('button', { name: 'Speaker 1' }).click();
    const input = page.getByRole('textbox', { name: 'New name for Speaker 1' });
    await input.fill('Chair');
    await input.press('Enter');
    await expect(page.getByTestId('segment-speaker').first()).toHaveText('Chair');

    const download = page.waitForEvent('download');
    await transcript.getByRole('button', { name: 'SRT' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe('Budget meeting.srt');
    const srt = readFileSync((await saved.path())!, 'utf8');
    expect(srt).toMatch(/^1\n00:00:00,\d{3} --> 00:00:0\d,\d{3}\nChair: Good morning everyone/);
    expect(srt).toContain('planning meeting');
    expect(srt).toContain('Speaker 2: ');

    const docx = page.waitForEvent('download');
    await transcript.getByRole('button', { name: 'DOCX' }).click();
    const word = await docx;
    expect(word.suggestedFilename()).toBe('Budget meeting.docx');
    // A ZIP archive (what a .docx is), not text.
    expect(readFileSync((await word.path())!).subarray(0, 2).toString()).toBe('PK');
  });
});
