import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
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
  plugins: [ErrorsPlugin, ScopeAuthPlugin, RelayPlugin],
  // Mutations answer what to fix as a typed result (`... on Problem`), see `Problem` below.
  errors: { defaultTypes: [DomainError] },
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

/**
 * What a mutation answers instead of its result when the request cannot be carried out: every
 * mutation's type is a union of its success (`Mutation<Name>Success { data }`) and `Problem`.
 * Errors outside the caller's reach (an internal failure) stay in the response's `errors`.
 */
builder.objectType(DomainError, {
  name: 'Problem',
  description:
    'Why a mutation was not carried out, and what to fix: a stable code, a message and the input field it concerns.',
  fields: (t) => ({
    code: t.exposeString('code', {
      description:
        'Stable machine code, e.g. DEADLINE_EXTENSION_TOO_LONG, RESULT_REQUIRED, FORBIDDEN, NOT_FOUND.',
    }),
    message: t.exposeString('message'),
    field: t.string({
      nullable: true,
      description:
        'Path of the offending argument from its root (e.g. input.dueAt, input.author.phone, reason); null when no single field is at fault.',
      resolve: (e) => e.path ?? null,
    }),
  }),
});
