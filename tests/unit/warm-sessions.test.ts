import { describe, expect, it } from 'vitest';
import { WarmSessions } from '../../worker/engine/warm-sessions';

function tracker() {
  const log: string[] = [];
  return {
    log,
    open: (name: string) => async () => {
      log.push(`open ${name}`);
      return { name };
    },
    release: async (value: { name: string }) => {
      log.push(`release ${value.name}`);
    },
  };
}

describe('models kept open between jobs', () => {
  it('reuses a key, replaces a kind’s old value (released first), keeps other kinds', async () => {
    const warm = new WarmSessions(60_000);
    const t = tracker();
    const a = await warm.get('whisper', 'base', t.open('base'), t.release);
    expect(await warm.get('whisper', 'base', t.open('base again'), t.release)).toBe(a);
    await warm.get('vad', 'v6', t.open('vad'), t.release);
    await warm.get('whisper', 'tiny', t.open('tiny'), t.release);
    expect(t.log).toEqual(['open base', 'open vad', 'release base', 'open tiny']);
    expect(warm.opened).toBe(3);
    await warm.releaseAll();
    expect(t.log.slice(4).sort()).toEqual(['release tiny', 'release vad']);
    expect(warm.size).toBe(0);
  });

  it('releases everything after the idle period, and not while in use', async () => {
    const warm = new WarmSessions(50);
    const t = tracker();
    await warm.get('vad', 'v6', t.open('vad'), t.release);
    warm.idle();
    await warm.get('vad', 'v6', t.open('vad'), t.release); // a job came: the countdown stops
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(warm.size).toBe(1);
    warm.idle();
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(warm.size).toBe(0);
    expect(t.log).toEqual(['open vad', 'release vad']);
  });

  it('does not keep a failed open: the next job tries again', async () => {
    const warm = new WarmSessions(60_000);
    await expect(warm.get('whisper', 'base', () => Promise.reject(new Error('CUDA is gone')), async () => undefined)).rejects.toThrow('CUDA is gone');
    await Promise.resolve();
    expect(warm.size).toBe(0);
    expect(await warm.get('whisper', 'base', async () => 'opened', async () => undefined)).toBe('opened');
  });
});
