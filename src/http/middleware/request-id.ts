import type { MiddlewareHandler } from 'hono';
import { nodeBindings, requestHeader } from '../node-request.js';

export interface RequestIdOptions {
  /** Header read from the caller and echoed on the answer. */
  headerName?: string;
  limitLength?: number;
}

/**
 * `X-Request-Id`: the caller's own id when it is short and plain, otherwise a new UUID; set on the
 * context as `requestId` and echoed on the answer. Hono's `requestId()` does the same, but reads
 * and writes the header through full WHATWG `Headers` objects, which cost the GraphQL route more
 * than this whole middleware.
 */
export function requestId({
  headerName = 'X-Request-Id',
  limitLength = 255,
}: RequestIdOptions = {}): MiddlewareHandler {
  return function requestIdMiddleware(c, next) {
    let id = requestHeader(c, headerName);
    if (!id || id.length > limitLength || /[^\w\-=]/.test(id)) id = crypto.randomUUID();
    c.set('requestId' as never, id as never);
    // Under node the header goes on the node response, whoever writes it (Hono or Yoga itself).
    const node = nodeBindings(c);
    if (node) node.outgoing.setHeader(headerName, id);
    else c.header(headerName, id);
    return next();
  };
}
