import react from '@vitejs/plugin-react';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { CONTENT_SECURITY_POLICY } from './content-security-policy.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  // Relative asset URLs: the same build loads from file:// in Electron and from the web host.
  base: './',
  plugins: [
    react(),
    {
      name: 'verbatim-csp',
      transformIndexHtml: (html) =>
        html.replace('<!--csp-->', `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`),
    },
  ],
  build: {
    outDir: path.join(here, '../dist/renderer'),
    emptyOutDir: true,
    sourcemap: true,
    // Electron's Chromium and Debian's are both current; no legacy transforms.
    target: 'chrome120',
  },
});
