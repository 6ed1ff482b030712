/**
 * A simulator of a body's own system behind a signed JSON webhook: a real HTTP server on 127.0.0.1
 * (node:http, so `down` can stop listening and resume on the same port) in front of `SimulatedBody`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Simulator, SimulatorFault, SimulatorOptions } from '../simulator.js';
import { PATH, SimulatedBody } from './sim-body.js';

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const HOST = '127.0.0.1';

/** The webhook simulator, which can also lose an appeal (for the reconcile's tests). */
export interface WebhookSimulator extends Simulator {
  forget(appealId: string): void;
}

export async function startSimulator(options: SimulatorOptions): Promise<WebhookSimulator> {
  const secret = randomBytes(32).toString('hex');
  const secretEnv = `WEBHOOK_SECRET_${options.agencyCode}`;
  const slowMs = options.slowMs ?? 5_000;
  const body = new SimulatedBody(secret, options.retryAfterSeconds ?? 30);
  const timers = new Set<NodeJS.Timeout>();
  let current: SimulatorFault | null = null;
  let remaining = Number.POSITIVE_INFINITY;
  let requests = 0;
  let closed = false;

  const server = createServer((req, res) => void serve(req, res));
  // Re-listening after `down` reports a taken port here; the next request then finds nobody home.
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject).listen(0, HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${HOST}:${port}`;

  /** The fault this request meets; `times` counts requests of any kind. */
  function take(): SimulatorFault | null {
    const fault = current;
    if (fault === null || fault === 'down') return null;
    remaining -= 1;
    if (remaining <= 0) current = null;
    return fault;
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests += 1;
    const fault = take();
    const raw = await readBody(req);
    if (raw === null) {
      if (!res.destroyed) res.writeHead(413).end();
      return;
    }
    const target = new URL(req.url ?? '/', url);
    const reply = body.handle(
      {
        method: req.method ?? 'GET',
        path: target.pathname,
        query: target.searchParams,
        header: (name) => headerValue(req.headers[name.toLowerCase()]),
        body: raw,
      },
      fault,
    );
    // The effect is applied already: a late answer, as from a body whose system is overloaded.
    if (fault === 'slow') await new Promise<void>((resolve) => delay(timers, slowMs, resolve));
    if (res.destroyed) return;
    res.writeHead(reply.status, reply.headers).end(req.method === 'HEAD' ? undefined : reply.body);
  }

  return {
    url,
    settings: () => ({
      url: `${url}${PATH}`,
      openUrl: `${url}${PATH}/open`,
      secretEnv,
      // Below `slowMs`, so that `slow` is beyond the adapter's patience.
      timeoutMs: Math.min(2_000, Math.max(100, Math.floor(slowMs / 2))),
    }),
    env: () => ({ [secretEnv]: secret }),
    fault(fault, times) {
      if (closed) return;
      const wasDown = current === 'down';
      current = times !== undefined && times < 1 ? null : fault;
      remaining = times ?? Number.POSITIVE_INFINITY;
      if (current === 'down' && !wasDown) {
        server.close();
        server.closeAllConnections();
      } else if (current !== 'down' && wasDown) {
        server.listen(port, HOST);
      }
    },
    accepted: (key) => body.accepted(key),
    acceptedKeys: () => body.acceptedKeys(),
    requests: () => requests,
    report: (update) => body.report(update),
    forget: (appealId) => body.forget(appealId),
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      if (!server.listening) return;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function delay(timers: Set<NodeJS.Timeout>, ms: number, then: () => void): void {
  const timer = setTimeout(() => {
    timers.delete(timer);
    then();
  }, ms);
  timers.add(timer);
}

/** The request body, or null when it is too large or the client went away. */
async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      // Read to the end even when too large, so that the 413 still reaches the client.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    }
  } catch {
    return null;
  }
  return size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : null;
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
