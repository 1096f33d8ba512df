// Where a built pool process finds what it needs, and how it logs: one JSON line per event (pino),
// with secrets redacted wherever they could appear.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Bundles live in dist/cloud/; the engine in dist/worker/, the model catalog and VAD in resources/. */
export const BUILT = {
  engineEntry: path.join(here, '../worker/worker-main.cjs'),
  resourcesDir: path.join(here, '../../resources'),
  catalogPath: path.join(here, '../../resources/models/catalog.json'),
};

export function poolLogger(name: string, level = process.env.VERBATIM_LOG_LEVEL ?? 'info'): pino.Logger {
  return pino({
    name,
    level,
    redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.token', 'token', 'databaseUrl', 'redisUrl'], censor: '[redacted]' },
  });
}

/** Ends the process cleanly on SIGTERM/SIGINT (Kubernetes and Ctrl-C), once. */
export function onShutdown(log: pino.Logger, stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'shutting down');
      stop().then(
        () => process.exit(0),
        (error) => {
          log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}
