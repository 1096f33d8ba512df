import { describe, expect, it } from 'vitest';
import { Database } from '../../core/library/database';
import { SettingsStore } from '../../core/library/settings-store';
import { RateMeter } from '../../core/queue/rate-meter';

describe('a measured rate', () => {
  it('starts at the fallback, follows recent jobs, and survives a restart', () => {
    const settings = new SettingsStore(new Database(':memory:'));
    const meter = new RateMeter(settings, 'speed', 5);
    expect(meter.rate).toBe(5);
    for (let i = 0; i < 20; i++) meter.record(100, 10);
    expect(meter.rate).toBeCloseTo(10, 1);
    expect(new RateMeter(settings, 'speed', 5).rate).toBe(meter.rate);
  });

  it('a job finished ahead beside the one before (no wall time of its own) does not make the machine look a thousand times faster', () => {
    const meter = new RateMeter(new SettingsStore(new Database(':memory:')), 'speed', 4);
    // One job does four files' work in 8 s; the three it carried finish in 10 ms each: 20 s of audio in 8 s.
    for (let round = 0; round < 10; round++) {
      meter.record(5, 8);
      for (let i = 0; i < 3; i++) meter.record(5, 0.01);
    }
    expect(meter.rate).toBeGreaterThan(1.5);
    expect(meter.rate).toBeLessThan(6);
  });

  it('reads a rate stored by an earlier version', () => {
    const settings = new SettingsStore(new Database(':memory:'));
    settings.set('speed', 7.5);
    expect(new RateMeter(settings, 'speed', 5).rate).toBeCloseTo(7.5, 9);
  });
});
