// Electron's main process: windows, menus, dialogs, IPC. Everything else is the Electron-free core.
import { app, BrowserWindow, dialog } from 'electron';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { smokeTest } from '../../core/smoke-test';
import { VerbatimCore } from '../../core/verbatim-core';
import { registerIpc } from './ipc';
import { registerMediaScheme, serveMedia } from './media-protocol';
import { SafeStorageSecretStore } from './safe-storage-secrets';
import { installMenu } from './menu';
import { hardenWebContents } from './security';
import { startUpdates } from './updates';
import { utilityProcessSpawner } from './utility-process-worker';
import { openAppLog } from '../../core/node/app-log';
import { keepFilesPrivate } from '../../core/node/private-files';
import { libraryPaths } from '../../core/paths';
import { LibraryDamagedError, restoreBackup } from '../../core/library/library-file';

keepFilesPrivate();
const here = path.dirname(fileURLToPath(import.meta.url));
const rendererIndex = path.join(here, '../renderer/index.html');

let core: VerbatimCore | undefined;

async function createWindow(): Promise<void> {
  const dataDir = process.env.VERBATIM_DATA_DIR ? path.resolve(process.env.VERBATIM_DATA_DIR) : app.getPath('userData');
  const log = openAppLog(libraryPaths(dataDir).logs);
  const open = (): VerbatimCore => new VerbatimCore({
    dataDir,
    resourcesDir: resourcesDir(),
    spawnWorker: utilityProcessSpawner(path.join(here, '../worker/worker-main.cjs'), 'Verbatim Engine', (line) => log.write(line, 'worker')),
    spawnLiveWorker: utilityProcessSpawner(path.join(here, '../worker/live-main.cjs'), 'Verbatim Live Captions', (line) => log.write(line, 'live-worker')),
    sqliteBinding: devSqliteBinding(),
    secrets: new SafeStorageSecretStore(path.join(dataDir, 'pool-token.sealed')),
    // The models folder is named here, in the system's own picker, never by a path the renderer sends.
    chooseFolder: async () => {
      const picked = await dialog.showOpenDialog({ title: 'Folder for downloaded models', properties: ['openDirectory', 'createDirectory'] });
      return picked.canceled ? null : (picked.filePaths[0] ?? null);
    },
    log: (message) => log.write(message),
    about: { appVersion: app.getVersion(), runtime: `Electron ${process.versions.electron} (Node ${process.versions.node})`, recentProblems: () => log.recentProblems() },
  });
  core = await openOrRecover(open, libraryPaths(dataDir).database);
  const window = new BrowserWindow({
    width: 1100,
    height: 720,
    minWidth: 720,
    minHeight: 480,
    title: 'Verbatim',
    show: false,
    webPreferences: {
      preload: path.join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  registerIpc(core, window, rendererIndex);
  serveMedia(core);
  installMenu(core, window);
  window.once('ready-to-show', () => window.show());
  core.start();
  startUpdates(core, (line) => log.write(line));
  await window.loadFile(rendererIndex);
}

/** Packaged: electron-builder copies resources/ beside the asar (extraResources). */
function resourcesDir(): string {
  return app.isPackaged ? path.join(process.resourcesPath, 'resources') : path.join(app.getAppPath(), 'resources');
}

/** `npm start` builds an Electron copy of better-sqlite3 here; packaged apps have it rebuilt in place. */
function devSqliteBinding(): string | undefined {
  const binding = path.join(here, '../native/better_sqlite3.node');
  return existsSync(binding) ? binding : undefined;
}

/**
 * Opens the library; if it is damaged (moved aside by openLibrary, never replaced), asks whether to
 * restore the newest backup or begin an empty library.
 */
async function openOrRecover(open: () => VerbatimCore, libraryFile: string): Promise<VerbatimCore> {
  try {
    return open();
  } catch (error) {
    if (!(error instanceof LibraryDamagedError)) throw error;
    const [newest] = error.backups;
    const { response } = await dialog.showMessageBox({
      type: 'warning',
      title: 'The library could not be read',
      message: 'Verbatim’s library is damaged.',
      detail: error.message,
      buttons: newest ? ['Restore the Backup', 'Begin an Empty Library', 'Quit'] : ['Begin an Empty Library', 'Quit'],
      defaultId: 0,
      cancelId: newest ? 2 : 1,
    });
    const choice = newest ? ['restore', 'empty', 'quit'][response] : ['empty', 'quit'][response];
    if (choice === 'quit') {
      app.exit(0);
      throw error;
    }
    if (choice === 'restore') restoreBackup(newest!, libraryFile);
    return open();
  }
}

app.enableSandbox();
hardenWebContents(rendererIndex);
registerMediaScheme();
if (process.argv.includes('--smoke-test')) {
  // The packaging check (scripts/check-packaged.mjs): no window, no library of the user's, exit 0 or 1.
  void app.whenReady().then(async () => {
    const workDir = mkdtempSync(path.join(tmpdir(), 'verbatim-smoke-'));
    try {
      const report = await smokeTest({
        resourcesDir: resourcesDir(),
        spawnWorker: utilityProcessSpawner(path.join(here, '../worker/worker-main.cjs'), 'Verbatim Engine', (line) => console.log(line)),
        workDir,
        sqliteBinding: devSqliteBinding(),
      });
      console.log(`smoke-test ok ${JSON.stringify(report)}`);
      app.exit(0);
    } catch (error) {
      console.error(`smoke-test failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      app.exit(1);
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });
} else if (!app.requestSingleInstanceLock()) {
  // One library, one process: a second launch hands over to the first instead of opening the database too.
  app.exit(0);
} else {
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
  app
    .whenReady()
    .then(createWindow)
    .catch((error: unknown) => {
      // E.g. a library folder that cannot be written, or a library from a newer Verbatim.
      console.error('Verbatim could not start:', error);
      dialog.showErrorBox('Verbatim could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
  app.on('window-all-closed', () => app.quit());
}

let closing = false;
app.on('before-quit', (event) => {
  if (closing || !core) return;
  // Let the queue put its running job back before the process ends, so nothing is lost.
  event.preventDefault();
  closing = true;
  void core.close().finally(() => app.quit());
});
