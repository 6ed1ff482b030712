/**
 * Transport for the webhook adapter: one signed HTTP(S) request with a deadline, over `fetch`.
 * Whatever the network does comes back as a value: the reply (any status) or a retryable failure.
 */
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

export async function sendSigned(req: SignedRequest): Promise<Sent> {
  const signal = AbortSignal.any([req.signal, AbortSignal.timeout(req.timeoutMs)]);
  const headers: Record<string, string> = {
    Accept: 'application/json',
    ...(req.method === 'POST' ? { 'Content-Type': 'application/json' } : {}),
    ...req.headers,
    ...signatureHeaders(req.secret, req.body, Date.now()),
  };
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers,
      body: req.method === 'POST' ? req.body : undefined,
      signal,
      // A redirect would carry the signed appeal somewhere the settings do not name: a 3xx is a refusal.
      redirect: 'manual',
    });
    // The body is read under the same deadline: a reply that stalls half-way is a timeout too.
    return { ok: true, reply: { status: res.status, headers: res.headers, text: await res.text() } };
  } catch (err) {
    return { ok: false, failure: transportFailure(err, req) };
  }
}

function transportFailure(err: unknown, req: SignedRequest): DeliveryFailure {
  const where = new URL(req.url).origin;
  if (err instanceof Error && err.name === 'TimeoutError')
    return {
      retryable: true,
      code: 'TIMEOUT',
      message: `No answer from ${where} in time (timeout ${req.timeoutMs} ms)`,
    };
  if (req.signal.aborted)
    return { retryable: true, code: 'ABORTED', message: `The call to ${where} was cancelled by the gateway` };
  const cause =
    err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  const why = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  return { retryable: true, code: 'UNREACHABLE', message: `Cannot reach ${where}: ${why}` };
}
