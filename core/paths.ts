import os from 'node:os';
import path from 'node:path';

/**
 * Where the library lives when not running inside Electron (web host, CLI, tests): the same
 * folder Electron's userData resolves to, unless VERBATIM_DATA_DIR says otherwise.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VERBATIM_DATA_DIR) return path.resolve(env.VERBATIM_DATA_DIR);
  const home = os.homedir();
  switch (process.platform) {
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Verbatim');
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Verbatim');
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Verbatim');
  }
}

export function libraryPaths(dataDir: string): { database: string; pcmCache: string; uploads: string; models: string; recordings: string; poolToken: string; logs: string; backups: string } {
  return {
    // Microphone recordings are the user's own files: kept beside the library, never in a cache.
    recordings: path.join(dataDir, 'recordings'),
    database: path.join(dataDir, 'library.sqlite'),
    models: path.join(dataDir, 'models'),
    pcmCache: path.join(dataDir, 'cache', 'pcm'),
    uploads: path.join(dataDir, 'imports'),
    // The cloud pool's token where no keychain keeps it (web host, CLI): mode 0600.
    poolToken: path.join(dataDir, 'pool-token'),
    // Rolled over by size, a few kept (core/node/app-log.ts).
    logs: path.join(dataDir, 'logs'),
    // Copies of the library: before each migration and once a day, five kept (library/library-file.ts).
    backups: path.join(dataDir, 'backups'),
  };
}

/** Models go in a `models` folder inside the storage folder a user picks in Settings. */
export function modelsFolderIn(storageDir: string): string {
  return path.join(storageDir, 'models');
}

/** Files shipped beside the code (model catalog, bundled models, VAD weights): where they are in each layout. */
export function resourcePaths(resourcesDir: string): { catalog: string; bundledModels: string; vadModel: string } {
  return {
    catalog: path.join(resourcesDir, 'models', 'catalog.json'),
    bundledModels: path.join(resourcesDir, 'models'),
    vadModel: path.join(resourcesDir, 'vad', 'silero_vad_v6.onnx'),
  };
}
