import { Hono, type MiddlewareHandler } from 'hono';
import type { Orm } from '../db/orm.js';
import type { RequestPrincipal } from '../graphql/context.js';
import type { ParsePool } from '../intake/gov-line/parse-pool.js';
import type { UccConfig } from '../jobs/registry.js';
import type { Logger } from '../log.js';
import { mountAttachments } from './attachments.js';
import { errorResponse, onError } from './errors.js';
import { serveGraphQL } from './graphql-route.js';
import { mountHealth } from './health.js';
import { mountIntake } from './intake-routes.js';
import { accessLog } from './middleware/access-log.js';
import { authenticate } from './middleware/authenticate.js';
import { type RateLimitOptions, rateLimit } from './middleware/rate-limit.js';
import { requestId } from './middleware/request-id.js';
import { requestHeader } from './node-request.js';
import { PrincipalCache } from './principal-cache.js';
import { createGatewayYoga } from './yoga.js';

export interface AppDeps {
  orm: Orm;
  log: Logger;
  /** Where the access log goes (see createAccessLogger); the application log when absent. */
  accessLog?: Logger;
  production: boolean;
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
  /** Largest intake body in bytes (default 64 MiB). */
  intakeMaxBytes?: number;
  /** Worker threads for large gov-line batches; without it they are parsed on the request's thread. */
  parsePool?: ParsePool | null;
  /** Where the UCC is reached, for jobs run through GraphQL (read at each request). */
  ucc?: UccConfig;
  /** Per-principal limit on GraphQL requests; absent or null: no limit. */
  graphqlRateLimit?: RateLimitOptions | null;
  /**
   * Bearer tokens → principals. The server passes one that polls for other processes' changes and
   * closes it at shutdown; absent, the app makes one that never polls (it has no shutdown to stop it).
   */
  principals?: PrincipalCache;
}

export const DEFAULT_INTAKE_MAX_BYTES = 64 * 1024 * 1024;

type Env = { Variables: { principal: RequestPrincipal } };

/** The HTTP surface of the gateway. It never listens: `serve` or `app.request()` drive it. */
export function createApp(deps: AppDeps): Hono<Env> {
  const now = deps.now ?? (() => new Date());
  const app = new Hono<Env>();
  app.use(requestId());
  app.use(accessLog({ log: deps.accessLog ?? deps.log }));
  app.onError(onError(deps.log));
  app.notFound((c) =>
    errorResponse(c, 404, { code: 'NOT_FOUND', message: `no route ${c.req.method} ${c.req.path}` }),
  );

  mountHealth(app as unknown as Hono, deps.orm);

  const yoga = createGatewayYoga({ ...deps, now });

  const principals = deps.principals ?? new PrincipalCache({ orm: deps.orm, pollMs: 0, log: deps.log });
  const auth = authenticate({ principals });
  app.on(
    ['GET', 'POST'],
    '/graphql',
    async (c, next) => {
      // The GraphiQL page itself is public outside production; every operation needs a token.
      if (
        !deps.production &&
        c.req.method === 'GET' &&
        (requestHeader(c, 'accept') ?? '').includes('text/html')
      ) {
        return serveGraphQL(c, yoga, ANONYMOUS);
      }
      return auth(c, next);
    },
    deps.graphqlRateLimit ? rateLimit(deps.graphqlRateLimit) : passThrough,
    (c) => serveGraphQL(c, yoga, c.get('principal')),
  );

  mountIntake(app, {
    orm: deps.orm,
    now,
    maxBodyBytes: deps.intakeMaxBytes ?? DEFAULT_INTAKE_MAX_BYTES,
    parsePool: deps.parsePool ?? null,
    principals,
  });

  // Downloads have their own per-principal budget, as large as the API's: no token bulk-copies the files.
  mountAttachments(app, { orm: deps.orm, now, principals, rateLimit: deps.graphqlRateLimit ?? null });

  return app;
}

const passThrough: MiddlewareHandler = (_c, next) => next();

const ANONYMOUS: RequestPrincipal = {
  id: '',
  name: 'anonymous',
  role: 'auditor',
  agencyId: null,
  agencyCode: null,
};
