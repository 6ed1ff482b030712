/**
 * Intake over HTTP: the Government hotline (1207 XML) and the regional hotline (JSON). Transport
 * rules live here — who may call, content type, size — and the rest is the common intake path.
 */
import type { Context, Hono } from 'hono';
import type { Orm } from '../db/orm.js';
import type { RequestPrincipal } from '../graphql/context.js';
import type { ParsePool } from '../intake/gov-line/parse-pool.js';
import { type PreparedChunks, prepareGovLineDocument } from '../intake/gov-line/prepare.js';
import { ingestPrepared } from '../intake/ingest.js';
import { loadLocalTopicMap } from '../intake/local-topics.js';
import { prepare } from '../intake/normalise.js';
import { readRegionalLineDocument } from '../intake/regional-line/read.js';
import { UnreadableDocumentError } from '../intake/types.js';
import { errorResponse } from './errors.js';
import { authenticate } from './middleware/authenticate.js';
import { requireRole } from './middleware/require-role.js';
import { BodyTooLargeError, ClientAbortedError, readBody } from './node-request.js';
import type { PrincipalCache } from './principal-cache.js';

export interface IntakeRouteOptions {
  orm: Orm;
  now: () => Date;
  /** Largest accepted body in bytes. */
  maxBodyBytes: number;
  /** Worker threads for large gov-line batches; null parses on the request's thread. */
  parsePool: ParsePool | null;
  /** Bearer tokens → principals, shared with the GraphQL route. */
  principals: PrincipalCache;
}

type Env = { Variables: { principal: RequestPrincipal } };

const XML_TYPES = ['application/xml', 'text/xml'];
const JSON_TYPES = ['application/json'];

export function mountIntake(app: Hono<Env>, opts: IntakeRouteOptions): void {
  const guard = [authenticate({ principals: opts.principals }), requireRole('integration', 'admin')] as const;

  app.post('/intake/gov-line', ...guard, (c) =>
    handle(c, opts, XML_TYPES, async (body) => prepareGovLineDocument(body, opts.parsePool)),
  );
  app.post('/intake/regional-line', ...guard, (c) =>
    handle(c, opts, JSON_TYPES, async (body) => {
      const topicMap = await loadLocalTopicMap(opts.orm.em.fork());
      return [prepare(readRegionalLineDocument(body, topicMap))];
    }),
  );
}

async function handle(
  c: Context,
  opts: IntakeRouteOptions,
  types: string[],
  read: (body: Buffer) => Promise<PreparedChunks>,
): Promise<Response> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!types.includes(type)) {
    return errorResponse(c, 415, {
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: `send Content-Type: ${types.join(' or ')} (got ${type || 'none'})`,
    });
  }
  let body: Buffer;
  try {
    body = await readBody(c, opts.maxBodyBytes);
  } catch (err) {
    if (err instanceof BodyTooLargeError) {
      return errorResponse(c, 413, { code: 'PAYLOAD_TOO_LARGE', message: err.message });
    }
    // Nothing was read into the intake; the answer goes nowhere, and this is no server error.
    if (err instanceof ClientAbortedError) {
      return errorResponse(c, 400, { code: 'REQUEST_ABORTED', message: err.message });
    }
    throw err;
  }
  let chunks: PreparedChunks;
  try {
    chunks = await read(body);
  } catch (err) {
    if (err instanceof UnreadableDocumentError) {
      return errorResponse(c, 400, {
        code: err.code,
        message: err.message,
        ...(err.path ? { field: err.path } : {}),
      });
    }
    throw err;
  }
  const report = await ingestPrepared(opts.orm.em.fork(), chunks, opts.now());
  return c.json(report, 200);
}
