// Where the pool's address, token and CA come from, and how the token is kept where no keychain is.
import { statSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSecretStore, poolConnectionConfig, readCa } from '../../core/offload/pool-credentials';
import { scratchDir } from '../helpers/media';

const settings = { poolUrl: 'https://saved.example:8443', poolCaPath: '/saved/ca.pem' } as Parameters<typeof poolConnectionConfig>[0];

describe('pool credentials', () => {
  it('keeps the token in a file only its owner can read, tightening one others could', () => {
    const file = path.join(scratchDir('secrets'), 'pool-token');
    const store = new FileSecretStore(file);
    expect(store.read()).toBeNull();
    store.write('vbt_abcdefgh_secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(store.read()).toBe('vbt_abcdefgh_secret');
    chmodSync(file, 0o644);
    expect(store.read()).toBe('vbt_abcdefgh_secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    store.write(null);
    expect(store.read()).toBeNull();
  });

  it('takes the environment over what was saved, and says where the token came from', () => {
    const store = new FileSecretStore(path.join(scratchDir('secrets'), 'pool-token'));
    expect(poolConnectionConfig(settings, {}, store)).toEqual({ url: 'https://saved.example:8443', token: null, tokenFrom: 'missing', caPath: '/saved/ca.pem' });
    store.write('vbt_saved000_x');
    expect(poolConnectionConfig(settings, {}, store)).toMatchObject({ token: 'vbt_saved000_x', tokenFrom: 'saved' });
    const env = { VERBATIM_POOL_URL: 'https://env.example', VERBATIM_POOL_TOKEN: 'vbt_env00000_y', VERBATIM_POOL_CA: '/env/ca.pem' };
    expect(poolConnectionConfig(settings, env, store)).toEqual({ url: 'https://env.example', token: 'vbt_env00000_y', tokenFrom: 'environment', caPath: '/env/ca.pem' });
  });

  it('says plainly when the CA file is missing or not a certificate', () => {
    const dir = scratchDir('secrets');
    expect(() => readCa(path.join(dir, 'nope.pem'))).toThrow(/cannot be read: ENOENT/);
    writeFileSync(path.join(dir, 'bad.pem'), 'hello');
    expect(() => readCa(path.join(dir, 'bad.pem'))).toThrow(/is not a PEM certificate/);
    expect(readCa(null)).toBeNull();
  });
});
