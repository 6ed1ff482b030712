/**
 * No N+1: the number of SQL statements a page of appeals costs does not grow with the page size,
 * whatever the query asks for on each appeal (applicant, copies with their bodies and deliveries,
 * attachments, linked appeals, the last change), for staff and for a body alike.
 */
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPrincipal } from '../src/access/tokens.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const INBOX = `query($n: Int!) { appeals(first: $n) {
  totalCount
  edges { cursor node {
    id status dueAt overdue summary topicLabel routeExplanation
    applicant { lastName phone }
    assignments { role status agency { code name } delivery { state receiptLevel } }
    attachments { fileName size }
    complaintAbout { code name }
    duplicateOf { id routeExplanation assignments { role agency { code } } }
    repeatOf { id }
    massOf { id assignments { role } }
    lastChange { event state occurredAt }
  } }
  pageInfo { hasNextPage endCursor }
} }`;

describeEachDatabase('batched loading', (db) => {
  let gw: TestGateway;
  let statements = 0;
  let social = '';

  beforeAll(async () => {
    gw = await startTestGateway(db, {
      onQuery: (sql) => {
        // Not counted: a new pooled PostgreSQL connection announcing its encoding (the pool's doing),
        // and the begin/commit around the audit log's batched inserts, whose number follows how the
        // personal-data fields' reads fall into event-loop ticks, not the page size.
        if (!/set names|\bbegin\b|\bcommit\b/i.test(stripVTControlCharacters(sql).slice(0, 20))) statements++;
      },
    });
    social = (
      await createPrincipal(gw.orm.em.fork(), { name: 'ДСЗН', role: 'agency', agencyCode: '99923101' })
    ).token;
    const appeals = Array.from({ length: 45 }, (_, i) => ({
      cardId: `RL-NPLUS1-${String(i).padStart(5, '0')}`,
      registeredAt: '2026-11-20T10:00:00+02:00',
      // Every other one a complaint about some body; twenty authors, so that later appeals of an
      // author on the same topic are linked to the first as duplicates.
      kind: i % 2 ? '3.3' : '3.2',
      ...(i % 2 ? { complaintAbout: ['99923203', '99923204', '99923205', '99923102'][i % 4] } : {}),
      topic: i % 3 === 0 ? '008.01' : '006.02',
      summary: `Звернення № ${i}: прошу перерахувати допомогу та повідомити про результат.`,
      author: {
        lastName: 'Мельник',
        firstName: 'Іван',
        phone: `+38063${String(1_000_000 + (i % 20)).slice(-7)}`,
      },
      ...(i % 2 === 0
        ? {
            attachments: [
              { fileName: `довідка-${i}.pdf`, mimeType: 'application/pdf', contentBase64: 'JVBERi0xLjQK' },
            ],
          }
        : {}),
    }));
    const res = await gw.post('/intake/regional-line', JSON.stringify({ appeals }), {
      contentType: 'application/json',
    });
    expect(res.body.rejected).toEqual([]);
    // The linked fields below have something to load on most appeals of a page.
    expect(res.body.accepted.filter((a) => a.receiptSign === 'duplicate').length).toBeGreaterThanOrEqual(10);
  });
  afterAll(async () => {
    await gw?.close();
  });

  /**
   * The same number of statements for both pages, give or take `slack`. Reads are in flight at once
   * (on PostgreSQL's pool, and on SQLite's read connection beside the ORM's), so whether two waves of
   * loads fall into one event-loop tick or two varies from run to run: one more batch either way,
   * never one per appeal (an N+1 here costs dozens).
   */
  const sameCost = (small: number, large: number, slack = 0) => {
    const jitter = 1;
    expect(large).toBeLessThanOrEqual(small + jitter);
    expect(large).toBeGreaterThanOrEqual(small - slack - jitter);
  };

  const cost = async (n: number, token?: string) => {
    await gw.gql('{ __typename }', {}, token); // the token's look-up is cached after the first request
    statements = 0;
    const res = await gw.gql<{ appeals: { edges: unknown[] } }>(INBOX, { n }, token);
    expect(res.body.errors).toBeUndefined();
    // Every statement is seen, the API's plain-SQL reads (src/db/reader.ts) as well as the ORM's:
    // at least the page, its total, the copies and the last changes.
    expect(statements).toBeGreaterThanOrEqual(4);
    return { statements, rows: res.body.data?.appeals.edges.length ?? 0 };
  };

  it('costs the same statements for 5 appeals as for 40, for staff', async () => {
    const small = await cost(5);
    const large = await cost(40);
    expect([small.rows, large.rows]).toEqual([5, 40]);
    sameCost(small.statements, large.statements);
    expect(large.statements).toBeLessThanOrEqual(20);
  });

  it('and for a body, whose filters ride along in the same statements', async () => {
    const small = await cost(5, social);
    const large = await cost(15, social);
    expect([small.rows, large.rows]).toEqual([5, 15]);
    // The copies of linked appeals outside a small page take one batched look-up more; those inside
    // a larger one came with the page.
    sameCost(small.statements, large.statements, 1);
    expect(small.statements).toBeLessThanOrEqual(20);
  });
});
