import { defineConfig } from '@playwright/test';

/**
 * End-to-end: the real UI in Debian's Chromium against the web host (real core, worker, SQLite),
 * and the packaged Electron app where its binary is installed.
 */
export default defineConfig({
  testDir: 'tests',
  testMatch: ['e2e/**/*.spec.ts', 'electron/**/*.spec.ts'],
  timeout: 120_000,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    },
    viewport: { width: 1100, height: 720 },
    trace: 'retain-on-failure',
  },
});
