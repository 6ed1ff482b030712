import type { MiddlewareHandler } from 'hono';
import type { RequestPrincipal } from '../../graphql/context.js';
import { errorResponse } from '../errors.js';
import { requestHeader } from '../node-request.js';
import type { PrincipalCache } from '../principal-cache.js';

export interface AuthenticateOptions {
  principals: PrincipalCache;
}

/**
 * Bearer token → principal, looked up by the token's SHA-256 (through a short-lived cache). No token
 * or an unknown or revoked one ends the request with 401 and a JSON error.
 */
export function authenticate({
  principals,
}: AuthenticateOptions): MiddlewareHandler<{ Variables: { principal: RequestPrincipal } }> {
  return async function authenticateMiddleware(c, next) {
    const header = requestHeader(c, 'authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) {
      c.header('WWW-Authenticate', 'Bearer realm="appeal-gateway"');
      return errorResponse(c, 401, {
        code: 'UNAUTHENTICATED',
        message: 'send Authorization: Bearer <token>',
      });
    }
    const principal = await principals.lookup(match[1]);
    if (!principal) {
      c.header('WWW-Authenticate', 'Bearer realm="appeal-gateway", error="invalid_token"');
      return errorResponse(c, 401, { code: 'INVALID_TOKEN', message: 'the token is unknown or revoked' });
    }
    c.set('principal', principal);
    await next();
  };
}
