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
    const { status, body } = await gw.gql(Q, { f: { status: ['ROUTED', null] } });
    expect(status).toBe(400);
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

  it('refuse a null for a variable that stands where a value is required, though it has a default', async () => {
    // A required argument, and a required list item inside an input: graphql-js refuses both.
    for (const [query, variables, field] of [
      [
        'query($id: ID = "00000000-0000-4000-8000-000000000000") { appeal(id: $id) { id } }',
        { id: null },
        'id',
      ],
      [
        'query($s: AppealStatus = ROUTED) { appeals(filter: { status: [$s] }) { totalCount } }',
        { s: null },
        's',
      ],
    ] as const) {
      const { status, body } = await gw.gql(query, variables);
      expect(status, query).toBe(400);
      expect(body.data, query).toBeUndefined();
      expect(body.errors?.[0]?.extensions, query).toEqual({ code: 'BAD_USER_INPUT', field });
    }
    // Left out, the default stands.
    const { body } = await gw.gql(
      'query($s: AppealStatus = ROUTED) { appeals(filter: { status: [$s] }) { totalCount } }',
      {},
    );
    expect(body.errors).toBeUndefined();
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
