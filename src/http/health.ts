import type { Hono } from 'hono';
import type { Orm } from '../db/orm.js';

const CHECK_TIMEOUT_MS = 2_000;

/** `GET /healthz`: 200 when the database answers, 503 when it does not. No token needed. */
export function mountHealth(app: Hono, orm: Orm): void {
  app.get('/healthz', async (c) => {
    const check = await Promise.race([
      orm.checkConnection().catch((err: Error) => ({ ok: false as const, reason: err.message })),
      new Promise<{ ok: false; reason: string }>((resolve) =>
        setTimeout(() => resolve({ ok: false, reason: 'timed out' }), CHECK_TIMEOUT_MS).unref(),
      ),
    ]);
    if (check.ok) return c.json({ status: 'ok', database: 'ok' });
    return c.json(
      { status: 'unavailable', code: 'DATABASE_UNAVAILABLE', message: 'the database does not answer' },
      503,
    );
  });
}
