/**
 * The GraphQL endpoint (graphql-yoga over the Pothos schema), built once at start-up: building it
 * per request costs more than the request. `createApp` mounts it behind authentication; the mount
 * benchmark serves the very same instance on plain node:http as its baseline.
 */
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { requestAccess } from '../access/request.js';
import type { Orm } from '../db/orm.js';
import type { GraphQLContext, RequestPrincipal } from '../graphql/context.js';
import { maskError } from '../graphql/errors.js';
import { executorPlugins } from '../graphql/executor.js';
import { limitPlugins } from '../graphql/limits.js';
import { schema } from '../graphql/schema.js';
import { NO_UCC, type UccConfig } from '../jobs/registry.js';
import type { Logger } from '../log.js';

export interface YogaDeps {
  orm: Orm;
  log: Logger;
  production: boolean;
  now: () => Date;
  ucc?: UccConfig | undefined;
}

/** What the HTTP layer hands Yoga for each request: who is asking, already authenticated. */
export interface ServerContext {
  principal: RequestPrincipal;
}

export type GatewayYoga = YogaServerInstance<ServerContext, GraphQLContext>;

export function createGatewayYoga(deps: YogaDeps): GatewayYoga {
  return createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: !deps.production,
    landingPage: false,
    maskedErrors: { maskError },
    plugins: [...limitPlugins({ production: deps.production }), ...executorPlugins()],
    logging: {
      debug: (...args) => deps.log.debug({ args }, 'yoga'),
      info: (...args) => deps.log.info({ args }, 'yoga'),
      warn: (...args) => deps.log.warn({ args }, 'yoga'),
      error: (...args) => deps.log.error({ args }, 'yoga'),
    },
    context: ({ principal }) => {
      const access = requestAccess(deps.orm, principal, deps.now);
      return {
        principal,
        em: access.em,
        systemEm: access.systemEm,
        access,
        now: deps.now(),
        log: deps.log,
        ucc: deps.ucc ?? NO_UCC,
      };
    },
  });
}
