import { expect } from 'vitest';
import { ensureAdminToken } from '../../src/access/tokens.js';
import { migrate, type Orm, openOrm } from '../../src/db/orm.js';
import { createApp } from '../../src/http/app.js';
import { seedLocalTopics } from '../../src/intake/local-topics.js';
import { createLogger } from '../../src/log.js';
import { loadSeed } from '../../src/seed/load-seed.js';
import { seedRuleSet } from '../../src/seed/rules.js';
import { ZAPORIZHZHIA_AGENCIES } from '../../src/seed/zaporizhzhia.js';
import type { TestDatabase } from './databases.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
/** A fixed "now" so deadlines and overdue filters are deterministic. */
export const NOW = new Date('2026-11-28T10:00:00Z');

export interface TestGateway {
  orm: Orm;
  app: ReturnType<typeof createApp>;
  /** POST a GraphQL operation with the admin token (or another). */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<{ status: number; body: { data?: T; errors?: GraphQLErrorBody[] } }>;
  /** POST a raw body to an intake route with a token (the admin's by default). */
  post(
    path: string,
    body: string | Buffer,
    opts?: { token?: string | null; contentType?: string },
  ): Promise<{ status: number; body: IntakeBody }>;
  close(): Promise<void>;
}

export interface IntakeBody {
  code?: string;
  message?: string;
  field?: string;
  accepted: {
    index: number;
    externalId: string;
    appealId: string;
    outcome: string;
    receiptSign: string;
    linkedTo: string | null;
    flags: string[];
  }[];
  rejected: { index: number; externalId: string | null; path: string; code: string; message: string }[];
}

export interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: string; field?: string; [k: string]: unknown };
}

/** A migrated, seeded gateway on a fresh database, driven in-process through `app.request()`. */
export async function startTestGateway(
  db: TestDatabase,
  opts: { onQuery?: (sql: string) => void; intakeMaxBytes?: number; rules?: boolean } = {},
) {
  const created = await db.create();
  const orm = await openOrm(created.target, opts.onQuery ? { onQuery: opts.onQuery } : {});
  await migrate(orm);
  await loadSeed(orm.em.fork(), ZAPORIZHZHIA_AGENCIES);
  await seedLocalTopics(orm.em.fork());
  // The example rules, live as version 1 (as a fresh server publishes them), unless a test wants none.
  if (opts.rules !== false) await seedRuleSet(orm.em.fork(), NOW);
  await ensureAdminToken(orm.em.fork(), ADMIN_TOKEN);
  const app = createApp({
    orm,
    log: createLogger('silent'),
    production: false,
    now: () => NOW,
    ...(opts.intakeMaxBytes ? { intakeMaxBytes: opts.intakeMaxBytes } : {}),
  });
  const gateway: TestGateway = {
    orm,
    app,
    async gql(query, variables, token = ADMIN_TOKEN) {
      const res = await app.request('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as never };
    },
    async post(path, body, { token = ADMIN_TOKEN, contentType } = {}) {
      const res = await app.request(path, {
        method: 'POST',
        headers: {
          ...(contentType ? { 'content-type': contentType } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: typeof body === 'string' ? body : new Uint8Array(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : {}) as IntakeBody };
    },
    async close() {
      await orm.close(true);
      await created.drop();
    },
  };
  return gateway;
}

const REPORT_STATUS = `mutation($i: ReportStatusInput!) {
  reportAssignmentStatus(input: $i) {
    __typename
    ... on MutationReportAssignmentStatusSuccess { data { id status } }
    ... on Problem { code field message }
  }
}`;

/**
 * A body reports a step of its copy through GraphQL (`input`: event, result, answerText, dueAt,
 * reason, …) with the admin token, and the step must be taken: no GraphQL error and no Problem
 * (`label` names the case).
 */
export async function reportStatus(
  gw: TestGateway,
  assignmentId: string,
  input: Record<string, unknown>,
  label?: string,
): Promise<void> {
  const res = await gw.gql<{ reportAssignmentStatus: { __typename: string } }>(REPORT_STATUS, {
    i: { assignmentId, ...input },
  });
  expect(res.body, label).not.toHaveProperty('errors');
  expect(res.body.data?.reportAssignmentStatus, label).toMatchObject({
    __typename: 'MutationReportAssignmentStatusSuccess',
  });
}
