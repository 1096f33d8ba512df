// npm run fetch-models [-- --catalog FILE] [--dest DIR]: puts every model the catalog marks
// "bundled" (the neural speaker tier's) into resources/models, so the packaged app has them from
// its first start. Each file is checked against the catalog's size and sha256, a partial download
// resumes, and HTTPS_PROXY / NODE_EXTRA_CA_CERTS are honoured; VERBATIM_MODELS_BASE_URL names a
// mirror. npm run dist runs it before electron-builder. Tests never run it against the internet.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ModelManager } from '../core/models/model-manager';
import { resourcePaths } from '../core/paths';

const resources = resourcePaths(path.resolve(import.meta.dirname, '../resources'));
const { values } = parseArgs({ options: { catalog: { type: 'string', default: resources.catalog }, dest: { type: 'string', default: resources.bundledModels } } });
const manager = new ModelManager({ catalogPath: path.resolve(values.catalog), modelsDir: path.resolve(values.dest), baseUrl: process.env.VERBATIM_MODELS_BASE_URL || undefined });
const bundled = manager.catalog.filter((entry) => entry.bundled);
if (bundled.length === 0) throw new Error(`${values.catalog} marks no model as bundled`);

for (const entry of bundled) {
  if (await manager.find(entry.id)) {
    console.log(`${entry.name}: already in ${values.dest}`);
    continue;
  }
  let shown = -1;
  const installed = await manager.ensure(
    entry.id,
    ({ receivedBytes, totalBytes }) => {
      const percent = Math.floor((100 * receivedBytes) / Math.max(totalBytes, 1));
      if (percent >= shown + 10 || receivedBytes === totalBytes) {
        shown = percent;
        console.log(`${entry.name}: ${percent} % of ${(totalBytes / 1e6).toFixed(1)} MB`);
      }
    },
    new AbortController().signal,
  );
  console.log(`${entry.name}: verified (sha256) in ${installed.dir}`);
}
