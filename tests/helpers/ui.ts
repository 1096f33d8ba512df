import { expect, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Drops files on the window the way a file manager does: a real drop event carrying File objects.
 * Then answers the options sheet: with `sheet` (a function given the dialog), or by pressing
 * Transcribe; `sheet: false` when the user turned the sheet off.
 */
export async function dropFiles(page: Page, files: string[], sheet: false | ((dialog: Locator) => Promise<void>) = (dialog) => dialog.getByRole('button', { name: 'Transcribe', exact: true }).click()): Promise<void> {
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
  if (!sheet) return;
  const dialog = page.getByTestId('transcribe-options');
  await expect(dialog).toBeVisible();
  await sheet(dialog);
  await expect(dialog).toBeHidden();
}
