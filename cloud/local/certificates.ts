// A certificate authority of the pool's own and a server certificate it signs, made with the
// system's openssl: real TLS for a pool on one machine, and for the tests, without a public CA.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ServerCertificate {
  /** PEM files: the CA clients trust (VERBATIM_POOL_CA), and the server's key and certificate. */
  caPath: string;
  keyPath: string;
  certPath: string;
  ca: string;
  key: string;
  cert: string;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: 'pipe' });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (failure.code === 'ENOENT') throw new Error('openssl was not found: install it (Debian: apt-get install openssl), or give the gateway a certificate.', { cause: error });
    throw new Error(`openssl ${args[0]} failed: ${failure.stderr?.toString() ?? failure.message}`, { cause: error });
  }
}

/** Made once per folder and kept: clients that trust the CA keep trusting the pool across restarts. */
export function localCertificate(dir: string, hosts: readonly string[] = ['localhost', '127.0.0.1', '::1']): ServerCertificate {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = (name: string) => path.join(dir, name);
  if (!existsSync(file('ca.pem'))) {
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca-key.pem'], dir);
    openssl(['req', '-x509', '-new', '-key', 'ca-key.pem', '-sha256', '-days', '3650', '-subj', '/CN=Verbatim pool local CA', '-out', 'ca.pem'], dir);
  }
  if (!existsSync(file('server.pem'))) {
    const names = hosts.map((host) => (/^[\d.]+$|:/.test(host) ? `IP:${host}` : `DNS:${host}`)).join(',');
    writeFileSync(
      file('server.ext'),
      `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${names}\n`,
    );
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'server-key.pem'], dir);
    openssl(['req', '-new', '-key', 'server-key.pem', '-subj', `/CN=${hosts[0]}`, '-out', 'server.csr'], dir);
    openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-days', '825', '-sha256', '-extfile', 'server.ext', '-out', 'server.pem'], dir);
  }
  return {
    caPath: file('ca.pem'),
    keyPath: file('server-key.pem'),
    certPath: file('server.pem'),
    ca: readFileSync(file('ca.pem'), 'utf8'),
    key: readFileSync(file('server-key.pem'), 'utf8'),
    cert: readFileSync(file('server.pem'), 'utf8'),
  };
}
