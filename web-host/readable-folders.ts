// Which files a browser may have the core read. The page can name any path in `media.add`; in the web
// host only its own uploads and the folders the user named at launch (`--allow DIR`) are taken, so a page
// that got hold of the socket still could not have the core import (and show) the user's other files.
import { realpathSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { JobError } from '../core/errors';

export class ReadableFolders {
  private constructor(private readonly roots: readonly string[]) {}

  /** Each folder must exist: a mistyped --allow is said at launch, not at the first drop. */
  static of(folders: readonly string[]): ReadableFolders {
    return new ReadableFolders(folders.map((folder) => realpathSync(path.resolve(folder))));
  }

  get folders(): readonly string[] {
    return this.roots;
  }

  /** Refuses the whole call when one path lies outside: nothing is added then. */
  async check(paths: readonly string[]): Promise<void> {
    for (const each of paths) {
      // Links are followed first: a link in an allowed folder to a file elsewhere is elsewhere.
      const real = await resolved(each);
      if (!this.roots.some((root) => real === root || real.startsWith(root + path.sep))) {
        throw new JobError(`“${path.basename(each)}” is outside the folders this web host may read: drop the file into the page, or start it with --allow FOLDER.`, 'not-allowed');
      }
    }
  }
}

async function resolved(file: string): Promise<string> {
  const absolute = path.resolve(file);
  try {
    return await realpath(absolute);
  } catch {
    // Not there (yet): judged by its name; the core then says it is missing.
    return absolute;
  }
}
