/**
 * The compiled executor (src/graphql/executor.ts) answers bad input and its own failures as graphql-js
 * did: a bad variable with graphql-js's message, the variable's path and the scalar's own code; every
 * error with its location in the query; a null where the schema promises a value as an internal
 * error, never blamed on the client.
 */
import { createSchema, createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskError } from '../src/graphql/errors.js';
import { executorPlugins } from '../src/graphql/executor.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const Q = 'query($f: AppealFilter) { appeals(filter: $f) { totalCount } }';

describeEachDatabase('the compiled executor’s errors', (db) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(db);
  });
  afterAll(() => gw?.close());

  it('name the bad variable’s path, with the location of the variable', async () => {
    const { body } = await gw.gql(Q, { f: { status: ['ROUTED', null] } });
    expect(body.errors?.[0]).toMatchObject({
      locations: [{ line: 1, column: 7 }],
      extensions: { code: 'BAD_USER_INPUT', field: 'f.status[1]' },
    });
  });

  it('keep a scalar’s own code and reason for a bad variable', async () => {
    const { body } = await gw.gql(Q, { f: { receivedFrom: 'yesterday' } });
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'INVALID_DATETIME', field: 'f.receivedFrom' });
    expect(body.errors?.[0]?.message).toContain('ISO 8601');
  });

  it('keep the location of an error a resolver raises', async () => {
    const { body } = await gw.gql('{ appeals(filter: { agencyCode: "nope" }) { totalCount } }');
    expect(body.errors?.[0]).toMatchObject({
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'UNKNOWN_AGENCY', field: 'filter.agencyCode' },
    });
  });
});

describe('a null where the schema promises a value', () => {
  it('is an internal error, as without the compiled executor, naming nothing inside', async () => {
    const schema = createSchema({
      typeDefs: 'type Query { broken: String! }',
      resolvers: { Query: { broken: () => null } },
    });
    const answers = [];
    for (const plugins of [[], executorPlugins()]) {
      const yoga = createYoga({ schema, maskedErrors: { maskError }, plugins, logging: false });
      const res = await yoga.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ broken }' }),
      });
      answers.push(((await res.json()) as { errors: { message: string; extensions: unknown }[] }).errors[0]);
    }
    for (const error of answers) {
      expect(error?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
      expect(error?.message).toBe('Unexpected error.');
    }
  });
});
