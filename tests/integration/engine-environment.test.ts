// The engine reads other people's files, so it is the process an attacker would try to make talk: it is started
// with none of its host's secrets (database URLs, tokens, proxy passwords), only what runs programs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { childProcessSpawner } from '../../core/node/child-process-worker';
import { workerUser } from '../helpers/core';
import { workerEntry } from '../helpers/media';

describe('the engine process environment', () => {
  it('holds PATH and the locale, and none of the host\'s secrets', async () => {
    const secrets = {
      VERBATIM_DATABASE_URL: 'postgres://verbatim:hunter2@127.0.0.1/verbatim',
      VERBATIM_REDIS_URL: 'redis://:hunter2@127.0.0.1:6379',
      VERBATIM_POOL_TOKEN: `vbt_abcdefgh_${'s'.repeat(32)}`,
      VERBATIM_METRICS_TOKEN: 'hunter2-metrics',
      HTTPS_PROXY: 'http://user:hunter2@proxy.example:3128',
      AWS_SECRET_ACCESS_KEY: 'hunter2-aws',
    };
    const before = { ...process.env };
    Object.assign(process.env, secrets);
    const handle = childProcessSpawner(workerEntry, workerUser)();
    try {
      const environ = readFileSync(`/proc/${handle.pid}/environ`, 'utf8').split('\0').filter(Boolean);
      const names = environ.map((entry) => entry.slice(0, entry.indexOf('=')));
      expect(names).toContain('PATH');
      for (const name of Object.keys(secrets)) expect(names, name).not.toContain(name);
      expect(environ.join('\n')).not.toContain('hunter2');
    } finally {
      handle.kill();
      process.env = before;
    }
  });
});
