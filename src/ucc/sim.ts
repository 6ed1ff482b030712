/**
 * A simulator of the Government Contact Center (UCC) for tests and the demo: a real HTTP server on
 * loopback that serves a feed of 1207 appeal messages (`GET /feed?after=&limit=`) and accepts status
 * messages (`POST /status`). Faults can be injected to test retries.
 */
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';

export interface UccSimulator {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  feedUrl: string;
  /** Adds 1207 `<Header>` messages (raw XML) to the feed, in order. */
  publish(...headers: string[]): void;
  /** The next `n` feed requests answer 503. */
  failNext(n: number): void;
  /** Status messages the gateway posted, as raw XML. */
  received: string[];
  /** How many feed requests came in. */
  feedRequests: number;
  close(): Promise<void>;
}

export async function startUccSimulator(opts: { token?: string } = {}): Promise<UccSimulator> {
  const messages: string[] = [];
  let failures = 0;
  const app = new Hono();
  const sim: Omit<UccSimulator, 'url' | 'feedUrl' | 'close'> = {
    publish: (...headers) => messages.push(...headers),
    failNext: (n) => {
      failures = n;
    },
    received: [],
    feedRequests: 0,
  };
  const authorised = (header: string | undefined) => !opts.token || header === `Bearer ${opts.token}`;

  app.get('/feed', (c) => {
    sim.feedRequests++;
    if (!authorised(c.req.header('authorization'))) return c.text('unauthorised', 401);
    if (failures > 0) {
      failures--;
      return c.text('temporarily unavailable', 503);
    }
    const after = Number(c.req.query('after') ?? 0);
    const limit = Math.min(Number(c.req.query('limit') ?? 100), 1000);
    const start = Number.isInteger(after) && after > 0 ? after : 0;
    const page = messages.slice(start, start + limit);
    const cursor = String(start + page.length);
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<AppealBatch cursor="${cursor}">\n${page.join('\n')}\n</AppealBatch>\n`;
    return c.body(xml, 200, { 'content-type': 'application/xml; charset=utf-8' });
  });

  app.post('/status', async (c) => {
    if (!authorised(c.req.header('authorization'))) return c.text('unauthorised', 401);
    sim.received.push(await c.req.text());
    return c.body('<Ack ok="1"/>', 200, { 'content-type': 'application/xml' });
  });

  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  return Object.assign(sim, {
    url,
    feedUrl: `${url}/feed`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  });
}
