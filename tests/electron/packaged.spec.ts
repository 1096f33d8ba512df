import { expect, test } from '@playwright/test';
import { checkPackaged, packagedExecutable } from '../../scripts/check-packaged.mjs';

// The packaging check runs on an app electron-builder has built (npm run dist), which needs Electron's binary
// and each platform's tools; where there is none, it skips, saying so.
const executable = packagedExecutable();
const skipReason = 'no packaged app in release/ (npm run dist needs Electron’s binary, which this machine cannot download)';
if (!executable) console.log(`SKIPPED tests/electron/packaged.spec.ts: ${skipReason}`);

test.describe('the packaged app', () => {
  test.skip(!executable, skipReason);

  test('loads every native module and runs the engine inside the package (--smoke-test)', () => {
    const { ok, output } = checkPackaged(executable!);
    expect(output).toMatch(/^smoke-test ok \{"sqliteSchema":\d+,"decodedSec":1,"provider":"none"/m);
    expect(ok).toBe(true);
  });
});
