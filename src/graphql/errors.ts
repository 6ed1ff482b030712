import { GraphQLError } from 'graphql';
import { DomainError } from '../domain/errors.js';

/**
 * Yoga's error mask: a DomainError becomes a GraphQL error with its stable `code` and the path of
 * the bad argument; errors that already carry a code pass; anything else is masked, never a stack.
 */
export function maskError(error: unknown, message: string): Error {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof DomainError) {
    return new GraphQLError(original.message, {
      ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {}),
      extensions: { code: original.code, ...(original.path ? { field: original.path } : {}) },
    });
  }
  if (error instanceof GraphQLError && !error.originalError) return error;
  if (
    error instanceof GraphQLError &&
    typeof error.extensions?.code === 'string' &&
    error.originalError instanceof GraphQLError
  ) {
    return error;
  }
  return new GraphQLError(message, {
    ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
}
