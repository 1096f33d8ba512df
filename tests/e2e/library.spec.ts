import { expect, test } from '@playwright/test';
import { scratchDir } from '../helpers/media';
import { buildLibrary } from '../helpers/synthetic-library';
import { startWebHost, type RunningHost } from '../helpers/web-host';

const RECORDINGS = 500;

test.describe('a large library in the real UI', () => {
  let host: RunningHost;

  test.beforeAll(async () => {
    const dataDir = scratchDir('e2e-library');
    buildLibrary(dataDir, RECORDINGS, 2, (recording, segment) => `recording ${recording} segment ${segment} of the interview`).close();
    host = await startWebHost(dataDir);
  });
  test.afterAll(async () => host.stop());

  test('draws a screenful of rows, scrolls through all of them, re-sorts, and brings the open recording back into view', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(host.url);
    const rows = page.getByTestId('library-item');
    await expect(rows.first()).toContainText(`interview-${RECORDINGS - 1}.m4a`);
    await expect(rows.first()).toHaveAttribute('aria-setsize', String(RECORDINGS));
    // Only what can be seen, and a few rows either side, is in the page.
    expect(await rows.count()).toBeLessThan(40);

    // Scrolled to the end, the oldest recording is there; open it.
    const scroller = page.locator('.library-scroller');
    await scroller.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
    const oldest = rows.filter({ hasText: 'interview-0.m4a' });
    await expect(oldest).toHaveAttribute('aria-posinset', String(RECORDINGS));
    await oldest.getByRole('button').click();
    await expect(page.getByRole('region', { name: 'Transcript' }).getByRole('heading')).toHaveText('interview-0.m4a');

    // After a reload the list starts at the top, and the open recording is scrolled into view.
    await page.reload();
    const reopened = page.getByRole('button', { name: /interview-0\.m4a/ });
    await expect(reopened).toBeInViewport();
    await expect(reopened).toHaveAttribute('aria-current', 'true');

    // The list is one tab stop: arrows open recordings, Space ticks one, Enter goes into its transcript, Esc comes back.
    await reopened.focus();
    await page.keyboard.press('ArrowUp');
    const next = page.getByRole('button', { name: /interview-1\.m4a/ });
    await expect(next).toBeFocused();
    await expect(page.getByRole('region', { name: 'Transcript' }).getByRole('heading')).toHaveText('interview-1.m4a');
    await expect(page.locator('.library-main[tabindex="0"]')).toHaveCount(1);
    await page.keyboard.press(' ');
    await expect(page.getByRole('checkbox', { name: 'Select interview-1.m4a for export' })).toBeChecked();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('segment').first()).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(next).toBeFocused();

    // Oldest first: every row changes place.
    await page.getByRole('button', { name: 'Descending; switch to ascending' }).click();
    await scroller.evaluate((element) => element.scrollTo({ top: 0 }));
    await expect(rows.first()).toContainText('interview-0.m4a');
    await expect(rows.nth(1)).toContainText('interview-1.m4a');
  });
});
