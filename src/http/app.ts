import { createYoga } from 'graphql-yoga';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import type { Orm } from '../db/orm.js';
import type { GraphQLContext, RequestPrincipal } from '../graphql/context.js';
import { maskError } from '../graphql/errors.js';
import { schema } from '../graphql/schema.js';
import type { ParsePool } from '../intake/gov-line/parse-pool.js';
import { NO_UCC, type UccConfig } from '../jobs/registry.js';
import type { Logger } from '../log.js';
import { errorResponse, onError } from './errors.js';
import { mountHealth } from './health.js';
import { mountIntake } from './intake-routes.js';
import { accessLog } from './middleware/access-log.js';
import { authenticate } from './middleware/authenticate.js';

export interface AppDeps {
  orm: Orm;
  log: Logger;
  production: boolean;
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
  /** Largest intake body in bytes (default 64 MiB). */
  intakeMaxBytes?: number;
  /** Worker threads for large gov-line batches; without it they are parsed on the request's thread. */
  parsePool?: ParsePool | null;
  /** Where the UCC is reached, for jobs run through GraphQL (read at each request). */
  ucc?: UccConfig;
}

export const DEFAULT_INTAKE_MAX_BYTES = 64 * 1024 * 1024;

type Env = { Variables: { principal: RequestPrincipal } };

/** The HTTP surface of the gateway. It never listens: `serve` or `app.request()` drive it. */
export function createApp(deps: AppDeps): Hono<Env> {
  const now = deps.now ?? (() => new Date());
  const app = new Hono<Env>();
  app.use(requestId());
  app.use(accessLog({ log: deps.log }));
  app.onError(onError(deps.log));
  app.notFound((c) =>
    errorResponse(c, 404, { code: 'NOT_FOUND', message: `no route ${c.req.method} ${c.req.path}` }),
  );

  mountHealth(app as unknown as Hono, deps.orm);

  // Built once at start-up: building Yoga per request costs more than the request.
  const yoga = createYoga<{ principal: RequestPrincipal }, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: !deps.production,
    landingPage: false,
    maskedErrors: { maskError },
    logging: {
      debug: (...args) => deps.log.debug({ args }, 'yoga'),
      info: (...args) => deps.log.info({ args }, 'yoga'),
      warn: (...args) => deps.log.warn({ args }, 'yoga'),
      error: (...args) => deps.log.error({ args }, 'yoga'),
    },
    context: ({ principal }) => ({
      principal,
      em: deps.orm.em.fork(),
      now: now(),
      log: deps.log,
      ucc: deps.ucc ?? NO_UCC,
    }),
  });

  const auth = authenticate({ orm: deps.orm });
  app.on(
    ['GET', 'POST'],
    '/graphql',
    async (c, next) => {
      // The GraphiQL page itself is public outside production; every operation needs a token.
      if (
        !deps.production &&
        c.req.method === 'GET' &&
        (c.req.header('accept') ?? '').includes('text/html')
      ) {
        return yoga.fetch(c.req.raw, { principal: ANONYMOUS });
      }
      return auth(c, next);
    },
    (c) => yoga.fetch(c.req.raw, { principal: c.get('principal') }),
  );

  mountIntake(app, {
    orm: deps.orm,
    now,
    maxBodyBytes: deps.intakeMaxBytes ?? DEFAULT_INTAKE_MAX_BYTES,
    parsePool: deps.parsePool ?? null,
  });

  return app;
}

const ANONYMOUS: RequestPrincipal = {
  id: '',
  name: 'anonymous',
  role: 'auditor',
  agencyId: null,
  agencyCode: null,
};
