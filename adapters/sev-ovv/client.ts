/**
 * Transport to a body's SEV OVV node: plain HTTP with fetch, one call at a time, nothing retried
 * here (the dispatcher owns retries). Every way a call can fail becomes a DeliveryFailure: a refused
 * or broken connection UNREACHABLE, no answer within the deadline TIMEOUT, a non-2xx status by the
 * shared HTTP rules (`httpFailure`), a body too large to be a receipt MALFORMED_REPLY.
 */
import { type DeliveryFailure, httpFailure } from '../port.js';
import { decodeXmlBytes, MAX_XML_CHARS, XmlReadError } from './xml.js';

export interface HttpCall {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** The caller's deadline (CallContext.signal). */
  signal: AbortSignal;
}

export type HttpOutcome =
  | { ok: true; status: number; text: string }
  | { ok: false; failure: DeliveryFailure };

const failure = (retryable: boolean, code: string, message: string): HttpOutcome => ({
  ok: false,
  failure: { retryable, code, message },
});

/** Reads at most MAX_XML_CHARS bytes of the body; null when there is more. */
async function readCapped(response: Response): Promise<Uint8Array | null> {
  if (response.body === null) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    size += next.value.byteLength;
    if (size > MAX_XML_CHARS) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks);
}

function networkFailure(error: unknown, timedOut: boolean, url: string, timeoutMs: number): HttpOutcome {
  if (timedOut) {
    return failure(true, 'TIMEOUT', `The SEV OVV node at ${url} did not answer within ${timeoutMs} ms.`);
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | null)?.code;
  const why = typeof code === 'string' ? code : cause instanceof Error ? cause.message : String(cause);
  return failure(true, 'UNREACHABLE', `The SEV OVV node at ${url} cannot be reached (${why}).`);
}

/** One HTTP exchange; the body comes back decoded by the charset its XML declaration names. */
export async function httpCall(call: HttpCall): Promise<HttpOutcome> {
  const timeout = AbortSignal.timeout(call.timeoutMs);
  const signal = AbortSignal.any([call.signal, timeout]);
  const timedOut = () => timeout.aborted || call.signal.aborted;
  try {
    const response = await fetch(call.url, {
      method: call.method,
      headers: call.headers ?? {},
      body: call.body ?? null,
      signal,
      redirect: 'error',
    });
    const bytes = await readCapped(response);
    if (!response.ok) {
      const snippet =
        bytes === null ? '' : Buffer.from(bytes).toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 200);
      const message = `The SEV OVV node at ${call.url} answered HTTP ${response.status}${snippet ? `: ${snippet}` : ''}.`;
      return {
        ok: false,
        failure: httpFailure(response.status, message, response.headers.get('retry-after')),
      };
    }
    if (bytes === null) {
      return failure(true, 'MALFORMED_REPLY', `The SEV OVV reply is larger than ${MAX_XML_CHARS} bytes.`);
    }
    return { ok: true, status: response.status, text: decodeXmlBytes(bytes) };
  } catch (error) {
    if (error instanceof XmlReadError) {
      return failure(true, 'MALFORMED_REPLY', `The SEV OVV reply cannot be read: ${error.message}.`);
    }
    return networkFailure(error, timedOut(), call.url, call.timeoutMs);
  }
}
