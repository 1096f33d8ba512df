// The pool token in the app: encrypted with the OS keychain through Electron's safeStorage
// (Keychain, DPAPI, libsecret/kwallet), the ciphertext in a 0600 file in the library.
import { safeStorage } from 'electron';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SecretStore } from '../../core/offload/pool-credentials';
import { JobError } from '../../core/errors';

export class SafeStorageSecretStore implements SecretStore {
  constructor(private readonly file: string) {}

  read(): string | null {
    let sealed: Buffer;
    try {
      sealed = readFileSync(this.file);
    } catch {
      return null;
    }
    return safeStorage.isEncryptionAvailable() ? safeStorage.decryptString(sealed) : null;
  }

  write(secret: string | null): void {
    if (secret === null) {
      rmSync(this.file, { force: true });
      return;
    }
    if (!safeStorage.isEncryptionAvailable()) {
      throw new JobError('This system has no keychain to keep the pool token in; set VERBATIM_POOL_TOKEN in the environment instead.', 'no-keychain');
    }
    mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileSync(this.file, safeStorage.encryptString(secret), { mode: 0o600 });
  }
}
