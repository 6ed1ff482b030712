import type { MiddlewareHandler } from 'hono';
import type { RequestPrincipal } from '../../graphql/context.js';
import { errorResponse } from '../errors.js';

export interface RateLimitOptions {
  /** Sustained requests per minute per principal. */
  perMinute: number;
  /** Requests a principal may make at once after being idle (the bucket's size). */
  burst: number;
  /** Milliseconds; tests pass a fake one. */
  clock?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets full again are dropped past this many principals, so memory stays bounded. */
const PRUNE_ABOVE = 10_000;

/**
 * A token bucket per authenticated principal; runs after `authenticate`. An empty bucket answers
 * 429 with `Retry-After` (seconds) and `code: RATE_LIMITED`. In memory, per process: the limit is
 * per instance, which is what protects that instance's database connections. (hono-rate-limiter
 * counts fixed windows, has no burst, and reads the wall clock, so tests would have to sleep.)
 */
export function rateLimit({
  perMinute,
  burst,
  clock = Date.now,
}: RateLimitOptions): MiddlewareHandler<{ Variables: { principal: RequestPrincipal } }> {
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, Bucket>();
  const refill = (b: Bucket, now: number) => {
    b.tokens = Math.min(burst, b.tokens + (now - b.at) * perMs);
    b.at = now;
  };
  // Not an async function: a request within its budget passes on without a promise of its own.
  return function rateLimitMiddleware(c, next) {
    const now = clock();
    const key = c.get('principal').id;
    let bucket = buckets.get(key);
    if (!bucket) {
      if (buckets.size >= PRUNE_ABOVE) prune(buckets, now, refill, burst);
      bucket = { tokens: burst, at: now };
      buckets.set(key, bucket);
    } else refill(bucket, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return next();
    }
    const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    c.header('Retry-After', String(retryAfter));
    return Promise.resolve(
      errorResponse(c, 429, {
        code: 'RATE_LIMITED',
        message: `more than ${perMinute} requests a minute from this token; retry in ${retryAfter} s`,
      }),
    );
  };
}

function prune(
  buckets: Map<string, Bucket>,
  now: number,
  refill: (b: Bucket, now: number) => void,
  burst: number,
): void {
  for (const [key, b] of buckets) {
    refill(b, now);
    if (b.tokens >= burst) buckets.delete(key);
  }
}
