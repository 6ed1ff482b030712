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

/** The size of an operators' list (`first`), its default when absent, refused outside 1–max. */
export function listSize(first: number | null | undefined, fallback: number, max = 500): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > max)
    throw new DomainError('PAGE_SIZE_OUT_OF_RANGE', `first must be 1–${max}`, 'first');
  return size;
}

/**
 * Runs the work of a mutation whose arguments are one `input` object, naming the field of a refusal
 * from the arguments' root as every such mutation does (`input.dueAt`, like `submitAppeal`'s
 * `input.author.phone`): the domain names fields of its own input (`dueAt`).
 */
export async function inInput<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof DomainError && err.path && !/^input(\.|$)/.test(err.path)) {
      throw new DomainError(err.code, err.message, `input.${err.path}`);
    }
    throw err;
  }
}
