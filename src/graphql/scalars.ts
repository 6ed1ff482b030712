import { Kind, valueFromASTUntyped } from 'graphql';
import { DomainError } from '../domain/errors.js';
import { builder } from './builder.js';

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !ISO_WITH_ZONE.test(value) || Number.isNaN(Date.parse(value))) {
    throw new DomainError(
      'INVALID_DATETIME',
      'expected an ISO 8601 date-time with a zone, e.g. 2026-11-20T09:15:00+02:00',
    );
  }
  return new Date(value);
}

builder.scalarType('DateTime', {
  description: 'An instant, ISO 8601 with a zone offset; the gateway answers in UTC.',
  serialize: (value) => value.toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : null),
});

builder.scalarType('JSON', {
  description: 'A JSON value (used for routing ruleset documents, see schema/routing/ruleset.schema.json).',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});
