import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isMediaFileName } from '../contracts/media-types';

/**
 * Dropped paths with folders replaced by the media files inside them (all levels, sorted by path,
 * hidden files skipped). Files dropped one by one are kept whatever their extension: the user chose
 * them, and a bad one fails its own job with a reason.
 */
export async function expandFolders(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    const info = await stat(given).catch(() => null);
    if (!info?.isDirectory()) {
      files.push(given);
      continue;
    }
    const entries = await readdir(given, { recursive: true, withFileTypes: true });
    const found = entries
      .filter((entry) => entry.isFile() && !isHidden(path.relative(given, path.join(entry.parentPath, entry.name))))
      .map((entry) => path.join(entry.parentPath, entry.name))
      .filter((file) => isMediaFileName(path.basename(file)))
      .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    // A folder with no media in it is kept as it is: its job fails saying it is a folder, rather than the drop doing nothing.
    files.push(...(found.length ? found : [given]));
  }
  return files;
}

function isHidden(relative: string): boolean {
  return relative.split(path.sep).some((part) => part.startsWith('.'));
}
