// Builds every process: Node/Electron bundles with esbuild, the renderer with Vite.
// `node scripts/build.mjs node` builds only the Node bundles (what the integration tests need).
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const shared = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // Native modules and ffmpeg binaries must stay real files in node_modules.
  packages: 'external',
  external: ['electron'],
  logLevel: 'warning',
  // CommonJS everywhere: Electron loads CommonJS entries synchronously (before 'ready') in every
  // process type, while ES-module entries are loaded late in main and not documented for utility
  // processes. The sources are ES modules, so import.meta.url is provided from __filename.
  format: 'cjs',
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

export async function buildNodeBundles() {
  await Promise.all([
    esbuild({
      ...shared,
      outExtension: { '.js': '.cjs' },
      outdir: 'dist',
      entryPoints: {
        'worker/worker-main': 'worker/worker-main.ts',
        'worker/live-main': 'worker/live/live-main.ts',
        'web-host/main': 'web-host/main.ts',
        'electron/main': 'electron/main/main.ts',
        // The pool (cloud/): its own processes, never loaded by the desktop app.
        'cloud/gateway': 'cloud/gateway/main.ts',
        'cloud/pool-worker': 'cloud/pool-worker/main.ts',
        'cloud/run-pool': 'cloud/local/run-pool.ts',
      },
    }),
    esbuild({
      ...shared,
      banner: { js: `#!/usr/bin/env node\n${shared.banner.js}` },
      outfile: 'dist/cloud/verbatim-cloud.cjs',
      entryPoints: ['cloud/admin/main.ts'],
    }),
    esbuild({
      ...shared,
      banner: { js: `#!/usr/bin/env node\n${shared.banner.js}` },
      outfile: 'dist/cli/verbatim.cjs',
      entryPoints: ['cli/main.ts'],
    }),
    // Sandboxed preloads can require only 'electron' and a few built-ins ('node:url' is not one):
    // one self-contained file, without the banner.
    esbuild({ ...shared, banner: {}, define: {}, outfile: 'dist/electron/preload.cjs', entryPoints: ['electron/preload/preload.ts'] }),
  ]);
}

export async function buildRenderer() {
  await viteBuild({ configFile: path.join(root, 'renderer/vite.config.ts'), logLevel: 'warn' });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const only = process.argv[2];
  await buildNodeBundles();
  if (only !== 'node') await buildRenderer();
  console.log(`built ${only === 'node' ? 'node bundles' : 'all bundles'} into dist/`);
}
