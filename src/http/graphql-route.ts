/**
 * `GET|POST /graphql` behind Hono's middleware (request id, access log, authentication, rate limit).
 *
 * Under @hono/node-server the request is handed to Yoga as the raw node request and response:
 * going through `yoga.fetch(c.req.raw)` made @hono/node-server build a full WHATWG Request (body
 * stream and all) and then copy Yoga's Response back through a stream reader, which halved the
 * endpoint's throughput. Yoga writes the answer itself and Hono is told it has been sent. Anywhere
 * else (`app.request()` in tests, other runtimes) the fetch path is used; both answer the same.
 */
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context } from 'hono';
import type { RequestPrincipal } from '../graphql/context.js';
import { nodeBindings } from './node-request.js';
import type { GatewayYoga } from './yoga.js';

const REQUEST_ID_HEADER = 'X-Request-Id';

export async function serveGraphQL(
  c: Context,
  yoga: GatewayYoga,
  principal: RequestPrincipal,
): Promise<Response> {
  const node = nodeBindings(c);
  if (node) {
    // The request id header is already on the node response (see middleware/request-id.ts).
    await yoga.handle(node.incoming, node.outgoing, { principal });
    return RESPONSE_ALREADY_SENT;
  }
  const res = await yoga.fetch(c.req.raw, { principal });
  const requestId = c.get('requestId' as never) as string | undefined;
  if (requestId) res.headers.set(REQUEST_ID_HEADER, requestId);
  return res;
}

/** The status a response went out with, also when it was written straight to the node response. */
export function sentStatus(c: Context): number {
  if (c.res === RESPONSE_ALREADY_SENT) return nodeBindings(c)?.outgoing.statusCode ?? c.res.status;
  return c.res.status;
}
