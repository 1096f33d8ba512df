// The pool's settings and job identity: plain functions over plain data.
import { describe, expect, it } from 'vitest';
import { JobOptions } from '../../contracts/cloud-api';
import { configFromEnv } from '../../cloud/config';
import { idempotencyKey } from '../../cloud/gateway/jobs-routes';

describe('pool settings', () => {
  it('default to the seed design: 60 requests a minute and 1,000 an hour per token, 3 attempts, 30 s locks', () => {
    const config = configFromEnv({});
    expect(config).toMatchObject({ ratePerMinute: 60, ratePerHour: 1000, attempts: 3, lockMs: 30_000, gpuClass: 'default', workerMetricsPort: null });
  });

  it('name the variable that is wrong', () => {
    expect(() => configFromEnv({ VERBATIM_DATABASE_URL: 'nonsense' })).toThrow('VERBATIM_DATABASE_URL is not valid');
    expect(() => configFromEnv({ VERBATIM_ATTEMPTS: 'three' })).toThrow('VERBATIM_ATTEMPTS must be a number, not "three".');
    expect(() => configFromEnv({ VERBATIM_GPU_CLASS: 'A100 80GB' })).toThrow('VERBATIM_GPU_CLASS is not valid');
  });
});

describe('job identity', () => {
  const audio = 'a'.repeat(64);
  it('is the same for the same tenant, audio and options, defaults filled in or written out', () => {
    const short = JobOptions.parse({ model: 'whisper-tiny' });
    const long = JobOptions.parse({ model: 'whisper-tiny', language: null, task: 'transcribe', diarization: 'auto', speakers: { exact: null, min: null, max: null }, priority: 'normal' });
    expect(idempotencyKey('t1', audio, short)).toBe(idempotencyKey('t1', audio, long));
  });

  it('differs when any of them differs', () => {
    const options = JobOptions.parse({ model: 'whisper-tiny' });
    const keys = new Set([
      idempotencyKey('t1', audio, options),
      idempotencyKey('t2', audio, options),
      idempotencyKey('t1', 'b'.repeat(64), options),
      idempotencyKey('t1', audio, JobOptions.parse({ model: 'whisper-base' })),
      idempotencyKey('t1', audio, JobOptions.parse({ model: 'whisper-tiny', speakers: { exact: 2, min: null, max: null } })),
    ]);
    expect(keys.size).toBe(5);
  });
});
