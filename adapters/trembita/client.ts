/**
 * Transport to the gateway's local Trembita security server: one SOAP 1.1 POST per call, with a
 * deadline, a cap on the reply size and at most `concurrency` calls in flight per agency service.
 * Never throws for what the network does: a refused connection is UNREACHABLE, a missed deadline TIMEOUT.
 */
import type { DeliveryFailure } from '../port.js';
import type { SoapRequest } from './codec.js';
import { MAX_REPLY_BYTES } from './codec.js';

export type Exchange =
  | { ok: true; status: number; retryAfter: string | null; body: Uint8Array }
  | { ok: false; failure: DeliveryFailure };

export interface CallOptions {
  url: string;
  timeoutMs: number;
  concurrency: number;
  /** Calls with the same key share the concurrency limit (one agency service behind one server). */
  limitKey: string;
  signal: AbortSignal;
}

interface Gate {
  active: number;
  waiting: (() => void)[];
}

const gates = new Map<string, Gate>();

/** Waits for a free slot; rejects when `signal` aborts first. Returns the release function. */
async function acquire(key: string, limit: number, signal: AbortSignal): Promise<() => void> {
  const g = gates.get(key) ?? { active: 0, waiting: [] };
  gates.set(key, g);
  const release = () => {
    const next = g.waiting.shift();
    if (next) next();
    else if (--g.active === 0) gates.delete(key);
  };
  if (g.active < limit) {
    g.active++;
    return release;
  }
  signal.throwIfAborted();
  await new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      g.waiting.splice(g.waiting.indexOf(go), 1);
      reject(signal.reason);
    };
    const go = () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
    g.waiting.push(go);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return release;
}

async function readCapped(response: Response): Promise<Uint8Array | null> {
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    total += value.byteLength;
    if (total > MAX_REPLY_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
}

function networkFailure(error: unknown, url: string, timedOut: boolean, cancelled: boolean): DeliveryFailure {
  if (timedOut || cancelled) {
    const why = timedOut ? 'did not answer in time' : 'was cut off by the gateway deadline';
    return { retryable: true, code: 'TIMEOUT', message: `The Trembita security server at ${url} ${why}.` };
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | null)?.code;
  const why = typeof code === 'string' ? code : cause instanceof Error ? cause.message : String(cause);
  return {
    retryable: true,
    code: 'UNREACHABLE',
    message: `The Trembita security server at ${url} cannot be reached (${why}); check that it is running.`,
  };
}

export async function postSoap(request: SoapRequest, opts: CallOptions): Promise<Exchange> {
  let release: () => void;
  try {
    release = await acquire(opts.limitKey, opts.concurrency, opts.signal);
  } catch (error) {
    return { ok: false, failure: networkFailure(error, opts.url, false, true) };
  }
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = AbortSignal.any([opts.signal, timeout]);
  try {
    const response = await fetch(opts.url, {
      method: 'POST',
      headers: {
        'content-type': 'text/xml; charset=utf-8',
        soapaction: request.soapAction,
        accept: 'text/xml',
      },
      body: request.xml,
      signal,
      redirect: 'error',
    });
    const body = await readCapped(response);
    if (body === null) {
      const message = `The Trembita reply is larger than ${MAX_REPLY_BYTES} bytes.`;
      return { ok: false, failure: { retryable: true, code: 'MALFORMED_REPLY', message } };
    }
    return { ok: true, status: response.status, retryAfter: response.headers.get('retry-after'), body };
  } catch (error) {
    return { ok: false, failure: networkFailure(error, opts.url, timeout.aborted, opts.signal.aborted) };
  } finally {
    release();
  }
}
