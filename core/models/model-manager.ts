import { readFileSync } from 'node:fs';
import { cp, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { DTYPE_SUFFIX, ModelCatalog, type ModelEntry, type ModelKind, type ModelStatus } from '../../contracts/models';
import { fileSha256 } from '../content-hash';
import { JobError } from '../errors';
import { downloadFile } from './download-file';

export const HUGGING_FACE = 'https://huggingface.co';
/**
 * Written into a model's folder when it is installed: each file's sha256 as checked then, so a copy can be
 * checked again later even where the catalog names no hash (the server stated it at download time).
 */

export interface InstalledModel {
  id: string;
  dir: string;
  dtypeSuffix: string;
  location: 'app' | 'bundled' | 'env';
}

export interface ModelManagerOptions {
  catalogPath: string;
  /** The app's own models folder: downloads and imports go here. */
  modelsDir: string;
  /** VERBATIM_MODELS_DIR: models already there in the Hugging Face layout count as installed. */
  externalDir?: string | null;
  /** The models shipped inside the app (resources/models, filled by npm run fetch-models); read-only. */
  bundledDir?: string | null;
  /** Hugging Face, or a mirror with the same /{repo}/resolve/{revision}/{file} paths. */
  baseUrl?: string;
  /** Defaults to HTTP(S)_PROXY / NO_PROXY from the environment; CAs follow NODE_EXTRA_CA_CERTS. */
  dispatcher?: Dispatcher;
  log?(message: string): void;
}

export interface DownloadProgress {
  receivedBytes: number;
  totalBytes: number;
}

/**
 * Which models exist (Whisper, and the neural diarization tier's), which are installed, and getting them there: download with resume
 * and checksums into a staging folder that becomes the model folder in one rename, so a model is
 * either wholly installed or not at all.
 */
export class ModelManager {
  readonly catalog: readonly ModelEntry[];
  private readonly baseUrl: string;
  private readonly dispatcher: Dispatcher;
  private readonly installing = new Map<string, Promise<InstalledModel>>();
  /** Files whose hash was checked, by path, size and time written: each is read once per run, not once per job. */
  private readonly intactFiles = new Set<string>();
  /** Read-only copies (VERBATIM_MODELS_DIR, shipped) found damaged: passed over until the app restarts. */
  private readonly damaged = new Set<string>();

  private modelsDir: string;

  constructor(private readonly options: ModelManagerOptions) {
    this.modelsDir = options.modelsDir;
    this.catalog = ModelCatalog.parse(JSON.parse(readFileSync(options.catalogPath, 'utf8'))).models;
    this.baseUrl = (options.baseUrl ?? HUGGING_FACE).replace(/\/$/, '');
    this.dispatcher = options.dispatcher ?? new EnvHttpProxyAgent();
  }

  entry(id: string, kind?: ModelKind): ModelEntry {
    const entry = this.catalog.find((model) => model.id === id && (kind === undefined || model.kind === kind));
    if (!entry) {
      const choices = this.catalog.filter((model) => kind === undefined || model.kind === kind).map((m) => m.id);
      throw new JobError(`There is no model “${id}”; choose one of ${choices.join(', ')}.`, 'unknown-model');
    }
    return entry;
  }

  async list(): Promise<ModelStatus[]> {
    return Promise.all(
      this.catalog.map(async (entry) => {
        const installed = await this.find(entry.id);
        return {
          id: entry.id,
          kind: entry.kind,
          name: entry.name,
          sizeBytes: entry.sizeBytes,
          sizeExact: entry.sizeExact,
          languages: entry.languages,
          recommended: entry.recommended,
          installed: installed?.location ?? null,
          diskBytes: installed ? await filesBytes(installed.dir, entry) : 0,
        };
      }),
    );
  }

  /**
   * The installed copy: VERBATIM_MODELS_DIR first (it is how tests and offline sites provide them), then the
   * app's own, then a download. With `verify`, each file is checked against its known hash first, and a
   * damaged copy is set aside (see setAside) for the next place, or a download.
   */
  async find(id: string, verify = false): Promise<InstalledModel | null> {
    const entry = this.entry(id);
    const places: Array<[InstalledModel['location'], string | null | undefined]> = [
      ['env', this.options.externalDir],
      ['bundled', this.options.bundledDir],
      ['app', this.modelsDir],
    ];
    for (const [location, root] of places) {
      if (!root) continue;
      const dir = path.join(root, ...entry.repo.split('/'));
      if (this.damaged.has(dir) || !(await hasFiles(dir, entry))) continue;
      const installed = { id, dir, dtypeSuffix: DTYPE_SUFFIX[entry.dtype], location };
      const damage = verify ? await this.damage(dir, entry) : null;
      if (!damage) return installed;
      await this.setAside(installed, damage);
    }
    return null;
  }

  /**
   * After the engine could not open a copy: its files are read again, whatever this run checked before, and
   * the copy is set aside only if one is not the published file. A copy that is intact failed for another
   * reason (memory, a runtime that cannot run it), which downloading it again would not mend.
   */
  async setAsideIfDamaged(model: InstalledModel): Promise<boolean> {
    const damage = await this.damage(model.dir, this.entry(model.id), { fresh: true });
    if (damage) await this.setAside(model, damage);
    return damage !== null;
  }

  /**
   * A damaged copy is not used again: the app's own is deleted, so it downloads afresh; a read-only one is
   * passed over until the app restarts. Models are the publisher's files, so nothing of the user's is lost.
   */
  private async setAside(model: InstalledModel, why: string): Promise<void> {
    this.options.log?.(`[models] ${model.id} in ${model.dir} is damaged (${why}); ${model.location === 'app' ? 'deleted, to download again' : 'passed over'}`);
    if (model.location === 'app') await rm(model.dir, { recursive: true, force: true });
    else this.damaged.add(model.dir);
  }

  /** The model, downloading it first if needed. Concurrent callers share one download. */
  async ensure(id: string, onProgress: (progress: DownloadProgress) => void, signal: AbortSignal): Promise<InstalledModel> {
    const found = await this.find(id, true);
    if (found) return found;
    let pending = this.installing.get(id);
    if (!pending) {
      pending = this.download(this.entry(id), onProgress, signal).finally(() => this.installing.delete(id));
      this.installing.set(id, pending);
    }
    return pending;
  }

  /** Installs a model from a folder the user has (copied from another machine, say), after checking it. */
  async importFolder(id: string, folder: string): Promise<InstalledModel> {
    const entry = this.entry(id);
    if (!(await hasFiles(folder, entry))) {
      throw new JobError(`${folder} does not hold ${entry.name}: it needs ${entry.files.map((file) => file.path).join(', ')}.`, 'import-failed');
    }
    for (const file of entry.files) {
      if ((await fileSha256(path.join(folder, file.path))) !== file.sha256) {
        throw new JobError(`${file.path} in ${folder} is not the published file (its checksum differs).`, 'import-failed');
      }
    }
    const staging = this.stagingDir(entry);
    await rm(staging, { recursive: true, force: true });
    for (const file of entry.files) {
      await mkdir(path.dirname(path.join(staging, file.path)), { recursive: true });
      await cp(path.join(folder, file.path), path.join(staging, file.path));
    }
    return this.promote(entry, staging);
  }

  /** Deletes the downloaded copy; a model shipped with the app or provided through VERBATIM_MODELS_DIR is not ours to delete. */
  async remove(id: string): Promise<void> {
    const entry = this.entry(id);
    await rm(path.join(this.modelsDir, ...entry.repo.split('/')), { recursive: true, force: true });
    await rm(this.stagingDir(entry), { recursive: true, force: true });
  }

  get folder(): string {
    return this.modelsDir;
  }

  /**
   * Makes `dir` the models folder, moving the installed models there (a rename on the same disk, a
   * copy then delete across disks), so changing the storage folder never means downloading again.
   */
  async relocate(dir: string): Promise<void> {
    if (path.resolve(dir) === path.resolve(this.modelsDir)) return;
    if (this.installing.size > 0) throw new JobError('Wait for the model downloads to finish before moving the storage folder.', 'busy');
    await mkdir(dir, { recursive: true });
    for (const entry of this.catalog) {
      const from = path.join(this.modelsDir, ...entry.repo.split('/'));
      if (!(await hasFiles(from, entry))) continue;
      const to = path.join(dir, ...entry.repo.split('/'));
      await mkdir(path.dirname(to), { recursive: true });
      await rm(to, { recursive: true, force: true });
      await rename(from, to).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EXDEV') throw error;
        await cp(from, to, { recursive: true });
        await rm(from, { recursive: true, force: true });
      });
    }
    this.modelsDir = dir;
  }

  async diskUsage(): Promise<number> {
    return folderBytes(this.modelsDir);
  }

  private async download(entry: ModelEntry, onProgress: (progress: DownloadProgress) => void, signal: AbortSignal): Promise<InstalledModel> {
    const staging = this.stagingDir(entry);
    const received = new Map<string, number>();
    const totalBytes = entry.files.reduce((sum, file) => sum + file.size, 0);
    const report = (): void => {
      const receivedBytes = [...received.values()].reduce((sum, bytes) => sum + bytes, 0);
      onProgress({ receivedBytes, totalBytes: Math.max(totalBytes, receivedBytes) });
    };
    for (const file of entry.files) {
      const target = path.join(staging, file.path);
      // Renamed into place only once its hash matched the catalog's, by an earlier attempt.
      if (await isComplete(target, file.size)) {
        received.set(file.path, file.size);
        continue;
      }
      const partialPath = `${target}.partial`;
      await downloadFile({
        url: file.url && this.baseUrl === HUGGING_FACE ? file.url : `${this.baseUrl}/${entry.repo}/resolve/${encodeURIComponent(entry.revision)}/${file.path}`,
        partialPath,
        expected: { size: file.size, sha256: file.sha256 },
        dispatcher: this.dispatcher,
        signal,
        onBytes: (bytes) => {
          received.set(file.path, bytes);
          report();
        },
      });
      await rename(partialPath, target);
    }
    report();
    return this.promote(entry, staging);
  }

  private async promote(entry: ModelEntry, staging: string): Promise<InstalledModel> {
    const dir = path.join(this.modelsDir, ...entry.repo.split('/'));
    await mkdir(path.dirname(dir), { recursive: true });
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
    // Just checked, on the way in: the first job does not read them all again.
    for (const file of entry.files) this.intactFiles.add(await this.intactKey(path.join(dir, file.path)));
    return { id: entry.id, dir, dtypeSuffix: DTYPE_SUFFIX[entry.dtype], location: 'app' };
  }

  /** Why the copy in `dir` is damaged, or null: each file against the catalog's pinned hash. */
  private async damage(dir: string, entry: ModelEntry, { fresh = false } = {}): Promise<string | null> {
    for (const file of entry.files) {
      const target = path.join(dir, file.path);
      const key = await this.intactKey(target);
      if (!fresh && this.intactFiles.has(key)) continue;
      if ((await fileSha256(target)) !== file.sha256) return `${file.path} is not the published file`;
      this.intactFiles.add(key);
    }
    return null;
  }

  /** A file as it was when its hash was checked: a rewrite changes its size or time (to the millisecond, as copies keep it). */
  private async intactKey(file: string): Promise<string> {
    const info = await stat(file);
    return JSON.stringify([file, info.size, Math.trunc(info.mtimeMs)]);
  }

  private stagingDir(entry: ModelEntry): string {
    return path.join(this.modelsDir, '.staging', entry.repo.replace('/', '__'));
  }
}

async function hasFiles(dir: string, entry: ModelEntry): Promise<boolean> {
  for (const file of entry.files) if (!(await isComplete(path.join(dir, file.path), file.size))) return false;
  return true;
}

async function isComplete(file: string, size: number): Promise<boolean> {
  const info = await stat(file).catch(() => null);
  return info !== null && info.isFile() && info.size === size;
}

/** What the model's own files take: a shared folder may hold other files beside them. */
async function filesBytes(dir: string, entry: ModelEntry): Promise<number> {
  let total = 0;
  for (const file of entry.files) total += (await stat(path.join(dir, file.path))).size;
  return total;
}

async function folderBytes(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  let total = 0;
  for (const item of entries) if (item.isFile()) total += (await stat(path.join(item.parentPath, item.name))).size;
  return total;
}
