/**
 * A Trembita security server with one body's appeal service behind it, on 127.0.0.1: SOAP 1.1 over
 * HTTP as X-Road Message Protocol v4.0 has it, with switchable faults for tests, benchmarks and the demo.
 * Effects are counted per idempotency key, which travels in the body (`deliveryKey`): security servers
 * forward no HTTP headers but Content-Type and SOAPAction.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Simulator, SimulatorFault, SimulatorOptions } from '../simulator.js';
import { MAX_REQUEST_BYTES } from './provider.js';
import { AppealService, type ReceivedAppeal } from './sim-service.js';

export interface TrembitaSimulator extends Simulator {
  /** Every appeal the service registered, as it read them. */
  received(): ReceivedAppeal[];
  /** The most requests it ever handled at once. */
  maxInFlight(): number;
}

const XML = 'text/xml; charset=utf-8';

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    req.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(total > MAX_REQUEST_BYTES ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const SERVER_FAULT = {
  code: 'soap:Server.ServerProxy.ServiceFailed',
  message: 'Internal error of the service',
  detail: null,
};
const CLIENT_FAULT = {
  code: 'soap:Client.AppealRefused',
  message: 'Звернення не може бути прийняте до розгляду',
  detail: null,
};
const malformedReply = `<?xml version="1.0" encoding="UTF-8"?>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><registerAppealResponse`;

export async function startSimulator(options: SimulatorOptions): Promise<TrembitaSimulator> {
  const slowMs = options.slowMs ?? 5_000;
  const retryAfterSeconds = options.retryAfterSeconds ?? 30;
  const service = new AppealService(options.agencyCode);
  const timers = new Set<NodeJS.Timeout>();
  let current: { fault: SimulatorFault; left: number | null } | null = null;
  let requests = 0;
  let inFlight = 0;
  let maxInFlight = 0;

  const takeFault = (): SimulatorFault | null => {
    if (!current) return null;
    const { fault } = current;
    if (current.left !== null && --current.left <= 0) current = null;
    return fault;
  };

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': XML, ...headers });
    res.end(body);
  };

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    fault: SimulatorFault | null,
  ): Promise<void> {
    if (fault === 'down') return void req.socket.destroy();
    const raw = await readBody(req);
    if (req.method !== 'POST') return send(res, 405, '', { 'content-type': 'text/plain', allow: 'POST' });
    if (raw === null) return send(res, 413, '', { 'content-type': 'text/plain' });
    if (fault === 'rate_limited') {
      return send(res, 429, 'Too many requests', {
        'content-type': 'text/plain',
        'retry-after': String(retryAfterSeconds),
      });
    }
    if (fault === 'error500' || fault === 'reject') {
      return send(res, 500, service.fault(raw, fault === 'reject' ? CLIENT_FAULT : SERVER_FAULT));
    }
    const reply = service.handle(raw, new Date(), fault === 'duplicate_receipt');
    const body = fault === 'malformed' && reply.status === 200 ? malformedReply : reply.xml;
    if (fault !== 'slow') return send(res, reply.status, body);
    const timer = setTimeout(() => {
      timers.delete(timer);
      send(res, reply.status, body);
    }, slowMs);
    timers.add(timer);
  }

  const server = createServer((req, res) => {
    requests++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    handle(req, res, takeFault()).catch(() => res.destroy());
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
  const url = `http://127.0.0.1:${port}/`;
  let listening = true;

  const stopListening = () => {
    listening = false;
    server.close();
    server.closeAllConnections();
  };

  return {
    url,
    settings: () => ({
      securityServerUrl: url,
      instance: 'SEVDEIR-TEST',
      client: { memberClass: 'GOV', memberCode: '99923900', subsystemCode: 'APPEAL_GATEWAY' },
      service: {
        memberClass: 'GOV',
        memberCode: options.agencyCode,
        subsystemCode: 'APPEALS',
        serviceVersion: 'v1',
      },
      userId: 'UA/gateway',
      timeoutMs: 2_000,
      concurrency: 4,
    }),
    env: () => ({}),
    fault(fault, times) {
      current = fault === null ? null : { fault, left: times ?? null };
      // Without a count, `down` is a stopped server: connections are refused until the fault is cleared.
      if (fault === 'down' && times === undefined) {
        if (listening) stopListening();
      } else if (!listening) {
        listening = true;
        listen(port).catch(() => {
          listening = false;
        });
      }
    },
    accepted: (key) => service.accepted(key),
    acceptedKeys: () => [...service.keys],
    requests: () => requests,
    report(update) {
      service.updates.push(update);
    },
    received: () => [...service.received],
    maxInFlight: () => maxInFlight,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      if (!listening) return;
      listening = false;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

export type { ReceivedAppeal } from './sim-service.js';
