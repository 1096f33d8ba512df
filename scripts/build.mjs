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
  logLevel: 'warning',
};

export async function buildNodeBundles() {
  await Promise.all([
    esbuild({
      ...shared,
      format: 'esm',
      outExtension: { '.js': '.mjs' },
      outdir: 'dist',
      entryPoints: {
        'worker/worker-main': 'worker/worker-main.ts',
        'web-host/main': 'web-host/main.ts',
        'electron/main': 'electron/main/main.ts',
      },
      external: ['electron'],
    }),
    // Sandboxed preloads cannot load ES modules or anything but a few built-ins: one CommonJS file.
    esbuild({
      ...shared,
      format: 'cjs',
      outfile: 'dist/electron/preload.cjs',
      entryPoints: ['electron/preload/preload.ts'],
      external: ['electron'],
    }),
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
