import { GraphQLError } from 'graphql';
import { DomainError } from '../domain/errors.js';

/**
 * Yoga's error mask, the one place errors leave the API:
 * - a DomainError (thrown by a resolver or a scalar) keeps its stable `code` and names the bad field;
 * - GraphQL's own request errors (syntax, validation, variable coercion) pass, with a code;
 * - anything else becomes "Unexpected error." with INTERNAL_SERVER_ERROR, never a stack.
 */
export function maskError(error: unknown, message: string): Error {
  const domain = findDomainError(error);
  if (domain) {
    const gql = error instanceof GraphQLError ? error : null;
    const coerced = gql && gql.message !== domain.message;
    return new GraphQLError(coerced ? gql.message : domain.message, {
      ...(gql ? { nodes: gql.nodes, source: gql.source, positions: gql.positions, path: gql.path } : {}),
      extensions: {
        ...(gql?.extensions ?? {}),
        code: domain.code,
        ...fieldOf(domain.path ?? (coerced ? variablePath(gql.message) : undefined)),
      },
    });
  }
  // Already ours (masked once, or raised with a code): as it is.
  if (error instanceof GraphQLError && typeof error.extensions?.code === 'string') return error;
  // The compiled executor's own failure to complete a value (a null in a non-null field) carries a
  // path but no original error: ours, not the client's — masked like any other, as graphql-js wraps
  // the same as a plain Error. (Its other path-carrying errors, a null argument, are the client's.)
  const executorOwn =
    error instanceof GraphQLError &&
    error.path != null &&
    error.originalError == null &&
    error.message.startsWith('Cannot return null for non-nullable field');
  if (isOriginalGraphQLError(error) && !executorOwn) {
    // Variable coercion (unknown enum value, wrong type): the client's input, not our fault.
    return new GraphQLError(error.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      extensions: {
        ...(error.extensions ?? {}),
        code: 'BAD_USER_INPUT',
        ...fieldOf(variablePath(error.message)),
      },
    });
  }
  return new GraphQLError(message, {
    ...(error instanceof GraphQLError
      ? { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path }
      : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
}

function findDomainError(error: unknown): DomainError | null {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof DomainError) return current;
    current = current instanceof GraphQLError ? current.originalError : null;
  }
  return null;
}

function isOriginalGraphQLError(error: unknown): error is GraphQLError {
  if (!(error instanceof GraphQLError)) return false;
  return error.originalError == null || isOriginalGraphQLError(error.originalError);
}

/** `Variable "$filter" got invalid value "LOST" at "filter.status[0]"` → filter.status[0]. */
function variablePath(message: string): string | undefined {
  const m = /^Variable "\$([^"]+)" got invalid value .*? at "([^"]+)"/.exec(message);
  if (m) return m[2];
  return /^Variable "\$([^"]+)"/.exec(message)?.[1];
}

function fieldOf(path: string | undefined): { field?: string } {
  return path ? { field: path } : {};
}
