/**
 * A simulator of one body's SEV OVV node for tests and the demo: a real HTTP server on 127.0.0.1
 * that takes POSTed 1207 messages at `/messages` (answering with 1207 receipts, sim-node.ts) and
 * serves the status feed at `GET /feed?after=&limit=`. Faults (adapters/simulator.ts) apply to every
 * request; `times` counts the requests a fault answers, except for `down`: refused connections never
 * reach the server, so `down` lasts until the fault is cleared or replaced, and the server then
 * listens again on the same port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Simulator, SimulatorFault, SimulatorOptions } from '../simulator.js';
import { SimulatedNode } from './sim-node.js';

export interface SevOvvSimulator extends Simulator {
  /** The 1207 messages the node took in (well-formed and addressed to it), as received. */
  messages(): string[];
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;
const BROKEN_XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Header standart="1207" version="1.5"><Acknowledgement ack_type="3"';

async function readBody(req: IncomingMessage): Promise<Uint8Array | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  const type = body.startsWith('<?xml') ? 'application/xml; charset=utf-8' : 'text/plain; charset=utf-8';
  res.writeHead(status, { 'content-type': type, ...headers }).end(body);
}

export async function startSimulator(
  options: SimulatorOptions & { agencyName?: string },
): Promise<SevOvvSimulator> {
  const { agencyCode, slowMs = 5_000, retryAfterSeconds = 30 } = options;
  const sysId = `SIM-${agencyCode}`;
  const name = options.agencyName ?? `Виконавчий орган ${agencyCode}`;
  const node = new SimulatedNode({ code: agencyCode, name, sysId, system: 'СЕВ ОВВ (імітатор)' });
  let fault: { kind: SimulatorFault; left: number | null } | null = null;
  let requests = 0;
  const timers = new Set<NodeJS.Timeout>();

  /** The fault for this request, counting it against `times`. */
  function takeFault(): SimulatorFault | null {
    if (fault === null || fault.kind === 'down') return null;
    const kind = fault.kind;
    if (fault.left !== null && --fault.left <= 0) fault = null;
    return kind;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests++;
    const active = takeFault();
    const url = new URL(req.url ?? '/', 'http://sim');
    const bytes = req.method === 'POST' ? await readBody(req) : new Uint8Array();
    const reply = (status: number, body: string, headers?: Record<string, string>) => {
      if (active !== 'slow') return send(res, status, body, headers);
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) send(res, status, body, headers);
      }, slowMs);
      timers.add(timer);
    };
    if (active === 'error500') return reply(500, 'Внутрішня помилка вузла СЕВ ОВВ (імітація).');
    if (active === 'rate_limited') {
      return reply(429, 'Забагато запитів.', { 'retry-after': String(retryAfterSeconds) });
    }
    if (active === 'malformed') return reply(200, BROKEN_XML);
    if (req.method === 'POST' && url.pathname === '/messages') {
      if (bytes === null) return reply(413, 'Повідомлення завелике.');
      const key = req.headers['idempotency-key'];
      const mode = active === 'reject' ? 'reject' : active === 'duplicate_receipt' ? 'duplicate' : 'normal';
      return reply(200, node.receive(bytes, typeof key === 'string' ? decodeURIComponent(key) : null, mode));
    }
    if (req.method === 'GET' && url.pathname === '/feed') {
      if (active === 'reject') return reply(403, 'Доступ до стрічки статусів заборонено.');
      const after = Number(url.searchParams.get('after') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 100);
      const ok = (n: number) => Number.isInteger(n) && n >= 0;
      if (!ok(after) || !ok(limit)) return reply(400, 'after і limit мають бути невід’ємними цілими.');
      return reply(200, node.feedPage(after, Math.min(limit, 1000)));
    }
    return reply(404, 'Немає такого ресурсу.');
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, `Збій імітатора: ${String(error)}`);
    });
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  let relisten: Promise<void> = Promise.resolve();

  const stop = () => {
    server.close();
    server.closeAllConnections();
  };

  return {
    url: base,
    settings: () => ({
      url: `${base}/messages`,
      orgCode: agencyCode,
      sysId,
      timeoutMs: 2_000,
      concurrency: 4,
    }),
    env: () => ({}),
    fault(kind, times) {
      const wasDown = fault?.kind === 'down';
      fault = kind === null ? null : { kind, left: times ?? null };
      if (kind === 'down' && !wasDown) stop();
      // listen() binds before it returns for an IP address, so the next request finds the port open.
      if (kind !== 'down' && wasDown) relisten = listen(port).catch(() => undefined);
    },
    accepted: (key) => node.accepted(key),
    acceptedKeys: () => node.acceptedKeys(),
    requests: () => requests,
    report: (update) => node.report(update),
    messages: () => [...node.messages],
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await relisten;
      if (!server.listening) return;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
