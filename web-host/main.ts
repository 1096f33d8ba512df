// `node dist/web-host/main.cjs [--port N]`: the app's UI in any local browser, backed by the real core.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { childProcessSpawner } from '../core/node/child-process-worker';
import { defaultDataDir, libraryPaths } from '../core/paths';
import { VerbatimCore } from '../core/verbatim-core';
import { createWebHost } from './server';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });

const dataDir = defaultDataDir();
const core = new VerbatimCore({
  dataDir,
  resourcesDir: path.join(here, '../../resources'),
  spawnWorker: childProcessSpawner(path.join(here, '../worker/worker-main.cjs')),
  spawnLiveWorker: childProcessSpawner(path.join(here, '../worker/live-main.cjs')),
});
core.start();

const server = createWebHost({
  core,
  rendererDir: path.join(here, '../renderer'),
  uploadsDir: libraryPaths(dataDir).uploads,
});
server.listen(Number(values.port), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : values.port;
  console.log(`Verbatim web host: http://127.0.0.1:${port}/ (library in ${dataDir})`);
});

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  server.close();
  server.closeAllConnections();
  await core.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
