import type { MiddlewareHandler } from 'hono';
import type { Role } from '../../db/entities/principal.js';
import type { RequestPrincipal } from '../../graphql/context.js';
import { errorResponse } from '../errors.js';

/** 403 unless the authenticated principal holds one of `roles`. Runs after `authenticate`. */
export function requireRole(
  ...roles: Role[]
): MiddlewareHandler<{ Variables: { principal: RequestPrincipal } }> {
  return async function requireRoleMiddleware(c, next) {
    const principal = c.get('principal');
    if (!roles.includes(principal.role)) {
      return errorResponse(c, 403, {
        code: 'FORBIDDEN',
        message: `role ${principal.role} may not do this; it needs one of: ${roles.join(', ')}`,
      });
    }
    await next();
  };
}
