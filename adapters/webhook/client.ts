/**
 * Transport for the webhook adapter: one signed HTTP(S) request with a deadline, over node:http(s)
 * with keep-alive connections.
 * Whatever the network does comes back as a value: the reply (any status) or a retryable failure.
 */
import http from 'node:http';
import https from 'node:https';
import type { DeliveryFailure } from '../port.js';
import { signatureHeaders } from './codec.js';

export interface SignedRequest {
  method: 'GET' | 'POST';
  url: string;
  /** Sent (and signed) as is; the empty string for GET. */
  body: string;
  headers?: Record<string, string>;
  secret: string;
  timeoutMs: number;
  /** The caller's cancellation or deadline; the request also gives up after `timeoutMs`. */
  signal: AbortSignal;
}

export interface HttpReply {
  status: number;
  headers: Headers;
  text: string;
}

export type Sent = { ok: true; reply: HttpReply } | { ok: false; failure: DeliveryFailure };

// Keep-alive connections per scheme: a body gets many deliveries in a row.
const AGENTS = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 256 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 256 }),
};

export async function sendSigned(req: SignedRequest): Promise<Sent> {
  const signal = AbortSignal.any([req.signal, AbortSignal.timeout(req.timeoutMs)]);
  const body = Buffer.from(req.body, 'utf8');
  const headers: Record<string, string | number> = {
    Accept: 'application/json',
    ...(req.method === 'POST' ? { 'Content-Type': 'application/json', 'Content-Length': body.length } : {}),
    ...req.headers,
    ...signatureHeaders(req.secret, req.body, Date.now()),
  };
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return { ok: false, failure: { retryable: false, code: 'BAD_URL', message: `not a URL: ${req.url}` } };
  }
  const transport = url.protocol === 'https:' ? https : http;
  const agent = AGENTS[url.protocol as keyof typeof AGENTS];
  return new Promise<Sent>((resolve) => {
    const failed = (err: unknown) => resolve({ ok: false, failure: transportFailure(err, req, signal) });
    const send = (retried: boolean) => {
      // node:http, not fetch: it follows no redirect (a 3xx carries the signed appeal nowhere), and it
      // costs a fraction of fetch's CPU per request. The deadline covers reading the reply too.
      const outgoing = transport.request(url, { method: req.method, headers, agent, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', failed);
        res.on('end', () => {
          const replyHeaders = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (v !== undefined) replyHeaders.set(k, Array.isArray(v) ? v.join(', ') : v);
          }
          resolve({
            ok: true,
            reply: {
              status: res.statusCode ?? 0,
              headers: replyHeaders,
              text: Buffer.concat(chunks).toString('utf8'),
            },
          });
        });
      });
      outgoing.on('error', (err: NodeJS.ErrnoException) => {
        // A kept-alive socket the body's server closed as it went idle, just as this request took it:
        // the request goes once more on a new connection (Node's documented remedy) instead of
        // counting as an outage that holds back all of the body's copies. Should the first one have
        // reached the body after all, the repeat carries the same idempotency key and is applied once.
        if (!retried && outgoing.reusedSocket && err.code === 'ECONNRESET' && !signal.aborted) send(true);
        else failed(err);
      });
      outgoing.end(req.method === 'POST' ? body : undefined);
    };
    send(false);
  });
}

function transportFailure(err: unknown, req: SignedRequest, signal: AbortSignal): DeliveryFailure {
  const where = new URL(req.url).origin;
  const reason = signal.reason as { name?: string } | undefined;
  if (signal.aborted && (reason?.name === 'TimeoutError' || !req.signal.aborted))
    return {
      retryable: true,
      code: 'TIMEOUT',
      message: `No answer from ${where} in time (timeout ${req.timeoutMs} ms)`,
    };
  if (req.signal.aborted)
    return { retryable: true, code: 'ABORTED', message: `The call to ${where} was cancelled by the gateway` };
  const e = err as
    | { code?: string; message?: string; cause?: { code?: string; message?: string } }
    | undefined;
  const why = e?.code ?? e?.cause?.code ?? e?.message ?? String(err);
  return { retryable: true, code: 'UNREACHABLE', message: `Cannot reach ${where}: ${why}` };
}
