import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChangeCoalescer } from '../../core/queue/change-coalescer';

describe('change coalescer', () => {
  afterEach(() => vi.useRealTimers());

  it('sends at most ten updates a second however many changes arrive, losing none', () => {
    vi.useFakeTimers();
    const flushes: number[][] = [];
    const coalescer = new ChangeCoalescer((ids) => flushes.push([...ids]), 100);
    // 1,000 progress changes on three jobs over one second.
    for (let ms = 0; ms < 1_000; ms++) {
      coalescer.mark(ms % 3);
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(200);
    expect(flushes.length).toBeGreaterThanOrEqual(9);
    expect(flushes.length).toBeLessThanOrEqual(11);
    expect(flushes.at(-1)!.sort()).toEqual([0, 1, 2]);
  });

  it('sends the first change at once', () => {
    vi.useFakeTimers();
    const flush = vi.fn();
    new ChangeCoalescer(flush, 100).mark(7);
    vi.advanceTimersByTime(0);
    expect(flush).toHaveBeenCalledWith(new Set([7]));
  });
});
