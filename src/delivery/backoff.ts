/**
 * When to try a delivery again, and when to give up. Back-off: min(30 s × 2^(n−1), 1 h) with ±20 %
 * jitter after the n-th failed attempt, never sooner than the body's Retry-After. A delivery is given
 * up (dead letter) after 20 attempts the body refused or 72 hours of trying, or at once when the
 * failure is permanent (attempts that found the body unreachable count toward the 72 hours only).
 */
export const BASE_DELAY_MS = 30_000;
export const MAX_DELAY_MS = 3_600_000;
export const MAX_ATTEMPTS = 20;
export const MAX_TRYING_MS = 72 * 3_600_000;
const JITTER = 0.2;

/** Delay after the `attempt`-th failure (1-based); `random` in [0, 1). */
export function retryDelayMs(attempt: number, random: number, retryAfterMs?: number): number {
  const base = Math.min(BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1), MAX_DELAY_MS);
  const jittered = Math.round(base * (1 - JITTER + 2 * JITTER * random));
  return Math.max(jittered, retryAfterMs ?? 0);
}

export type GiveUpReason = 'permanent' | 'attempts' | 'window';

export function giveUp(input: {
  retryable: boolean;
  attempts: number;
  tryingSince: Date;
  nextAttemptAt: Date;
}): GiveUpReason | null {
  if (!input.retryable) return 'permanent';
  if (input.attempts >= MAX_ATTEMPTS) return 'attempts';
  if (input.nextAttemptAt.getTime() - input.tryingSince.getTime() > MAX_TRYING_MS) return 'window';
  return null;
}

/**
 * The outbox fields of a dead letter made due again by a replay (a delivery's or a UCC message's):
 * pending now, with its attempts, outages and 72-hour window restarted.
 */
export function dueAgain(now: Date) {
  return {
    state: 'pending' as const,
    attempts: 0,
    outages: 0,
    tryingSince: now,
    nextAttemptAt: now,
    deadAt: null,
    deadReason: null,
    updatedAt: now,
  };
}
