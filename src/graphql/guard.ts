import type { Role } from '../db/entities/principal.js';
import { DomainError } from '../domain/errors.js';
import type { GraphQLContext } from './context.js';

/** Mutations' role check until field-level scopes arrive with the access issue. */
export function requireRole(ctx: GraphQLContext, ...roles: Role[]): void {
  if (!roles.includes(ctx.principal.role)) {
    throw new DomainError(
      'FORBIDDEN',
      `role ${ctx.principal.role} may not do this; it needs one of: ${roles.join(', ')}`,
    );
  }
}
