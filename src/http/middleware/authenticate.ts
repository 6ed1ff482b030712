import type { MiddlewareHandler } from 'hono';
import { findPrincipalByToken } from '../../access/tokens.js';
import type { Orm } from '../../db/orm.js';
import type { RequestPrincipal } from '../../graphql/context.js';
import { errorResponse } from '../errors.js';

export interface AuthenticateOptions {
  orm: Orm;
}

/**
 * Bearer token → principal, looked up by the token's SHA-256. No token or an unknown or revoked
 * one ends the request with 401 and a JSON error.
 */
export function authenticate({
  orm,
}: AuthenticateOptions): MiddlewareHandler<{ Variables: { principal: RequestPrincipal } }> {
  return async function authenticateMiddleware(c, next) {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) {
      c.header('WWW-Authenticate', 'Bearer realm="appeal-gateway"');
      return errorResponse(c, 401, {
        code: 'UNAUTHENTICATED',
        message: 'send Authorization: Bearer <token>',
      });
    }
    const found = await findPrincipalByToken(orm.em.fork(), match[1]);
    if (!found) {
      c.header('WWW-Authenticate', 'Bearer realm="appeal-gateway", error="invalid_token"');
      return errorResponse(c, 401, { code: 'INVALID_TOKEN', message: 'the token is unknown or revoked' });
    }
    c.set('principal', {
      id: found.id,
      name: found.name,
      role: found.role,
      agencyId: found.agency?.id ?? null,
      agencyCode: found.agency?.code ?? null,
    });
    await next();
  };
}
