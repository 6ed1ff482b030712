import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { DomainError } from '../domain/errors.js';
import type { GraphQLContext } from './context.js';

/**
 * Scopes of the second line of access control (the first is the scoped EntityManager, see
 * src/access/scope.ts): checked on query fields and on every object of a guarded type.
 * - staff: admin or operator (the contact center);
 * - reader: staff or auditor (reads without acting);
 * - body: an agency principal bound to its body;
 * - admin.
 */
export interface AuthScopes {
  admin: boolean;
  staff: boolean;
  reader: boolean;
  body: boolean;
}

/** Configures Pothos; defines no types (each lives in its own file). */
export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  AuthScopes: AuthScopes;
  Scalars: { DateTime: { Input: Date; Output: Date }; JSON: { Input: unknown; Output: unknown } };
  DefaultFieldNullability: false;
}>({
  plugins: [ScopeAuthPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    // Unauthorized reads answer FORBIDDEN with the stable code, like every other refusal.
    unauthorizedError: (_parent, ctx, _info, result) =>
      new DomainError('FORBIDDEN', `role ${ctx.principal.role} may not read this (${result.message})`),
    authScopes: (ctx) => {
      const role = ctx.principal.role;
      return {
        admin: role === 'admin',
        staff: role === 'admin' || role === 'operator',
        reader: role === 'admin' || role === 'operator' || role === 'auditor',
        body: role === 'agency' && ctx.principal.agencyId !== null,
      };
    },
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
});

builder.queryType({});
builder.mutationType({});
