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
  // Not an async function: a request whose principal is already known passes straight on, without a
  // promise of its own (the GraphQL route's hot path).
  return function authenticateMiddleware(c, next) {
    const header = requestHeader(c, 'authorization') ?? '';
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    const known = token ? principals.known(token) : undefined;
    if (known) {
      c.set('principal', known);
      return next();
    }
    if (!token) {
      c.header('WWW-Authenticate', 'Bearer realm="appeal-gateway"');
      return Promise.resolve(
        errorResponse(c, 401, { code: 'UNAUTHENTICATED', message: 'send Authorization: Bearer <token>' }),
      );
    }
    // biome-ignore lint/suspicious/noConfusingVoidType: Hono's next() resolves to void, a refusal to a Response.
    return principals.lookup(token).then((principal): Promise<Response | void> | Response => {
      if (!principal) {
        c.header('WWW-Authenticate', 'Bearer realm="appeal-gateway", error="invalid_token"');
        return errorResponse(c, 401, { code: 'INVALID_TOKEN', message: 'the token is unknown or revoked' });
      }
      c.set('principal', principal);
      return next();
    });
  };
}
