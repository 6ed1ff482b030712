import { describe, expect, it } from 'vitest';
import { giveUp, MAX_DELAY_MS, retryDelayMs } from './backoff.js';

describe('back-off', () => {
  it('doubles from 30 s, capped at one hour, within ±20 %', () => {
    expect([1, 2, 3, 4, 7, 8, 20].map((n) => retryDelayMs(n, 0.5))).toEqual([
      30_000,
      60_000,
      120_000,
      240_000,
      1_920_000,
      MAX_DELAY_MS,
      MAX_DELAY_MS,
    ]);
    expect(retryDelayMs(1, 0)).toBe(24_000);
    expect(retryDelayMs(1, 0.999_999)).toBe(36_000);
    expect(retryDelayMs(9, 0)).toBe(2_880_000);
  });

  it('waits at least as long as the body asked (Retry-After)', () => {
    expect(retryDelayMs(1, 0.5, 120_000)).toBe(120_000);
    expect(retryDelayMs(6, 0.5, 5_000)).toBe(960_000);
  });

  it('gives up at once on a permanent failure, after 20 attempts, or after 72 hours of trying', () => {
    const since = new Date('2026-11-20T00:00:00Z');
    const at = (h: number) => new Date(since.getTime() + h * 3_600_000);
    expect(giveUp({ retryable: false, attempts: 1, tryingSince: since, nextAttemptAt: at(0) })).toBe(
      'permanent',
    );
    expect(giveUp({ retryable: true, attempts: 19, tryingSince: since, nextAttemptAt: at(10) })).toBeNull();
    expect(giveUp({ retryable: true, attempts: 20, tryingSince: since, nextAttemptAt: at(10) })).toBe(
      'attempts',
    );
    expect(giveUp({ retryable: true, attempts: 5, tryingSince: since, nextAttemptAt: at(72) })).toBeNull();
    expect(giveUp({ retryable: true, attempts: 5, tryingSince: since, nextAttemptAt: at(72.1) })).toBe(
      'window',
    );
  });
});
