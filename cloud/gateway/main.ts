// The gateway process: `node dist/cloud/gateway.cjs`, configured from the environment (cloud/README.md).
import { readFileSync } from 'node:fs';
import { configFromEnv } from '../config';
import { BUILT, onShutdown, poolLogger } from '../runtime';
import { keepFilesPrivate } from '../../core/node/private-files';
import { buildGateway } from './app';
import { openGatewayContext } from './context';

// Uploads, working files and logs are the pool's alone.
keepFilesPrivate();
const log = poolLogger('gateway');
const config = configFromEnv();
const keyPath = process.env.VERBATIM_TLS_KEY ?? '';
const certPath = process.env.VERBATIM_TLS_CERT ?? '';
if (!keyPath || !certPath) {
  log.fatal('Set VERBATIM_TLS_KEY and VERBATIM_TLS_CERT to the PEM files of the gateway\'s certificate (npm run cloud makes a local CA and one).');
  process.exit(2);
}
async function main(): Promise<void> {
  const context = await openGatewayContext(config, log);
  const gateway = await buildGateway(context, { tls: { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') }, catalogPath: BUILT.catalogPath });
  const port = Number(process.env.VERBATIM_PORT ?? 8443);
  const host = process.env.VERBATIM_HOST ?? '0.0.0.0';
  await gateway.app.listen({ port, host });
  log.info({ port, host }, 'gateway listening');
  onShutdown(log, async () => {
    await gateway.close();
    await context.close();
  });
}

main().catch((error) => {
  log.fatal({ err: error }, 'could not start');
  process.exit(1);
});
