// Where the pool's address, token and CA come from. The token is a secret: the desktop keeps it
// with Electron's safeStorage (electron/main), the web host and CLI in a file only the user can
// read; the environment (VERBATIM_POOL_URL, VERBATIM_POOL_TOKEN, VERBATIM_POOL_CA) overrides both,
// as `npm run cloud`'s pool.env gives them.
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Settings } from '../../contracts/domain';
import { JobError } from '../errors';

/** Keeps one secret. Implementations: FileSecretStore here, safeStorage in Electron's main process. */
export interface SecretStore {
  read(): string | null;
  write(secret: string | null): void;
}

/** The secret in a file of mode 0600; a file others could read is tightened before it is trusted. */
export class FileSecretStore implements SecretStore {
  constructor(private readonly file: string) {}

  read(): string | null {
    let mode: number;
    try {
      mode = statSync(this.file).mode;
    } catch {
      return null;
    }
    if (mode & 0o077) chmodSync(this.file, 0o600);
    return readFileSync(this.file, 'utf8').trim() || null;
  }

  write(secret: string | null): void {
    if (secret === null) {
      rmSync(this.file, { force: true });
      return;
    }
    mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileSync(this.file, `${secret}\n`, { mode: 0o600 });
    chmodSync(this.file, 0o600);
  }
}

export interface PoolConnectionConfig {
  url: string | null;
  token: string | null;
  tokenFrom: 'saved' | 'environment' | 'missing';
  caPath: string | null;
}

/** The connection in force: the environment's values where set, else the user's. */
export function poolConnectionConfig(settings: Settings, env: NodeJS.ProcessEnv, secrets: SecretStore): PoolConnectionConfig {
  const envToken = env.VERBATIM_POOL_TOKEN?.trim() || null;
  const saved = envToken ? null : secrets.read();
  return {
    url: env.VERBATIM_POOL_URL?.trim() || settings.poolUrl,
    token: envToken ?? saved,
    tokenFrom: envToken ? 'environment' : saved ? 'saved' : 'missing',
    caPath: env.VERBATIM_POOL_CA?.trim() || settings.poolCaPath,
  };
}

/** The CA file's PEM, or a sentence saying why it cannot be used. */
export function readCa(caPath: string | null): string | null {
  if (!caPath) return null;
  let pem: string;
  try {
    pem = readFileSync(caPath, 'utf8');
  } catch (error) {
    throw new JobError(`The pool's CA file “${caPath}” cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`, 'invalid-setting');
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new JobError(`The pool's CA file “${caPath}” is not a PEM certificate.`, 'invalid-setting');
  }
  return pem;
}
