// `node dist/web-host/main.cjs [--port N] [--allow DIR]…`: the app's UI in this machine's browser, backed
// by the real core. Only the printed address (it carries a per-launch key) opens it.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openAppLog } from '../core/node/app-log';
import { childProcessSpawner } from '../core/node/child-process-worker';
import { keepFilesPrivate } from '../core/node/private-files';
import { defaultDataDir, libraryPaths } from '../core/paths';
import { VerbatimCore, type CoreOptions } from '../core/verbatim-core';
import { LibraryDamagedError, listBackups, restoreBackup } from '../core/library/library-file';
import { createAccess } from './access';
import { ReadableFolders } from './readable-folders';
import { createWebHost } from './server';
import { diskFreeBytes } from './upload';

keepFilesPrivate();
const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' }, allow: { type: 'string', multiple: true, default: [] }, 'restore-backup': { type: 'boolean', default: false } },
});
/** The largest file a browser may upload: VERBATIM_UPLOAD_LIMIT bytes, 20 GB unless set. */
const uploadLimit = Number(process.env.VERBATIM_UPLOAD_LIMIT) > 0 ? Number(process.env.VERBATIM_UPLOAD_LIMIT) : 20e9;

const dataDir = defaultDataDir();
const log = openAppLog(libraryPaths(dataDir).logs);
const version = (JSON.parse(readFileSync(path.join(here, '../../package.json'), 'utf8')) as { version: string }).version;
const coreOptions: CoreOptions = {
  dataDir,
  resourcesDir: path.join(here, '../../resources'),
  spawnWorker: childProcessSpawner(path.join(here, '../worker/worker-main.cjs'), { output: (line) => log.write(line, 'worker') }),
  spawnLiveWorker: childProcessSpawner(path.join(here, '../worker/live-main.cjs'), { output: (line) => log.write(line, 'live-worker') }),
  log: (message) => log.write(message),
  about: { appVersion: version, runtime: `Node ${process.versions.node} (web host)`, recentProblems: () => log.recentProblems() },
};
const paths = libraryPaths(dataDir);
if (values['restore-backup']) {
  const [newest] = listBackups(paths.backups);
  if (!newest) {
    console.error(`There is no backup to restore in ${paths.backups}.`);
    process.exit(3);
  }
  restoreBackup(newest, paths.database);
  console.log(`Restored the library from the backup of ${newest.takenAt.toISOString()}.`);
}
let core: VerbatimCore;
try {
  core = new VerbatimCore(coreOptions);
} catch (error) {
  if (!(error instanceof LibraryDamagedError)) throw error;
  // Never replaced silently: the user decides, by starting again with or without the flag.
  console.error(`${error.message}\nStart again with --restore-backup to restore it, or without to begin an empty library.`);
  process.exit(3);
}
core.start();

const uploadsDir = libraryPaths(dataDir).uploads;
mkdirSync(uploadsDir, { recursive: true });
const access = createAccess();
const readable = ReadableFolders.of([uploadsDir, ...values.allow]);
const server = createWebHost({ core, rendererDir: path.join(here, '../renderer'), uploadsDir, access, readable, uploads: { maxBytes: uploadLimit, freeBytes: diskFreeBytes } });
server.listen(Number(values.port), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : values.port;
  console.log(`Verbatim web host: http://127.0.0.1:${port}/?token=${access.token} (library in ${dataDir})`);
  if (values.allow.length) console.log(`Files may also be added by path from: ${readable.folders.slice(1).join(', ')}`);
});

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  server.close();
  server.closeAllConnections();
  await core.close();
  await log.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
