import { _electron as electron, expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { testEnv } from '../helpers/core';
import { readSpeechTake } from '../helpers/live';
import { dialogueWav, projectRoot, scratchDir, sharedModels } from '../helpers/media';

/**
 * Electron's npm package fetches its binary from GitHub on first use; where that cannot happen
 * (this project's CI), the binary is absent and these tests skip, saying so.
 */
function installedElectron(): string | undefined {
  const packageDir = path.join(projectRoot, 'node_modules/electron');
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = path.join(packageDir, 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(binary) ? binary : undefined;
}

const binary = installedElectron();
const skipReason = 'Electron binary not installed (node_modules/electron/dist is missing; it downloads from GitHub, which this machine cannot reach)';
if (!binary) console.log(`SKIPPED tests/electron: ${skipReason}`);

test.describe('the Electron app', () => {
  test.skip(!binary, skipReason);

  test('opens a locked-down window whose UI runs jobs through the typed bridge', async () => {
    execFileSync(process.execPath, [path.join(projectRoot, 'scripts/electron-native.mjs')], { stdio: 'inherit' });
    const app = await electron.launch({
      executablePath: binary,
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), projectRoot],
      env: { ...process.env, VERBATIM_DATA_DIR: scratchDir('electron-data') },
    });
    try {
      const window = await app.firstWindow();
      await expect(window.getByRole('heading', { name: 'Verbatim' })).toBeVisible();

      const preferences = await app.evaluate(({ BrowserWindow }) => {
        // Not in the typings, but what Electron's own tests use to read a window's effective settings.
        const contents = BrowserWindow.getAllWindows()[0]!.webContents as unknown as {
          getLastWebPreferences(): { contextIsolation: boolean; sandbox: boolean; nodeIntegration: boolean };
        };
        const { contextIsolation, sandbox, nodeIntegration } = contents.getLastWebPreferences();
        return { contextIsolation, sandbox, nodeIntegration };
      });
      expect(preferences).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false });
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await window.evaluate(() => Object.keys((window as unknown as { verbatim: object }).verbatim).sort())).toEqual([
        'audioUrl',
        'invoke',
        'nativePaths',
        'on',
        'pathsForFiles',
      ]);
      const csp = await window.locator('meta[http-equiv=Content-Security-Policy]').getAttribute('content');
      expect(csp).toContain("default-src 'none'");

      // The same request the drop handler makes, with a real path.
      await window.evaluate(
        (file) => (window as unknown as { verbatim: { invoke(m: string, p: unknown): Promise<unknown> } }).verbatim.invoke('media.add', { paths: [file] }),
        dialogueWav,
      );
      await window.getByRole('tab', { name: /^Queue/ }).click();
      await expect(window.locator('[data-testid=job-row][data-state=done]')).toHaveCount(1, { timeout: 60_000 });

      // The player streams the file itself through the verbatim-media: protocol, and can seek in it.
      await window.getByRole('tab', { name: 'Library' }).click();
      await window.getByTestId('library-item').getByRole('button').click();
      const audio = window.getByTestId('audio');
      type Media = { currentSrc: string; readyState: number; duration: number };
      await expect(audio).toHaveAttribute('data-source', 'original');
      await expect.poll(() => audio.evaluate((element) => (element as unknown as Media).readyState)).toBeGreaterThan(0);
      expect(await audio.evaluate((element) => (element as unknown as Media).currentSrc)).toMatch(/^verbatim-media:\/\/original\/\d+$/);
      expect(await audio.evaluate((element) => (element as unknown as Media).duration)).toBeCloseTo(34.4, 0);
      // Invalid requests are refused by main, not passed on.
      const refused = await window.evaluate(() =>
        (window as unknown as { verbatim: { invoke(m: string, p: unknown): Promise<unknown> } }).verbatim
          .invoke('jobs.cancel', { jobId: -1 })
          .catch((error: Error) => error.message),
      );
      expect(refused).toMatch(/^Invalid jobs\.cancel request/);
    } finally {
      await app.close();
    }
  });

  test('records from the microphone (allowed for its own page only) with live captions', async () => {
    const { wav } = readSpeechTake(2);
    const app = await electron.launch({
      executablePath: binary,
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}%noloop`, projectRoot],
      env: { ...process.env, ...testEnv, VERBATIM_DATA_DIR: scratchDir('electron-data'), VERBATIM_MODELS_DIR: sharedModels },
    });
    try {
      const window = await app.firstWindow();
      // Other permissions stay refused.
      expect(await window.evaluate(() => (globalThis as unknown as { Notification: { requestPermission(): Promise<string> } }).Notification.requestPermission())).toBe('denied');
      await window.getByRole('button', { name: 'Record' }).click();
      await expect(window.getByTestId('recording-indicator')).toBeVisible();
      await expect(window.getByTestId('captions')).toContainText(/printing/i, { timeout: 60_000 });
      await window.getByTestId('stop-recording').click();
      await expect(window.getByTestId('detail')).toBeVisible();
    } finally {
      await app.close();
    }
  });
});
