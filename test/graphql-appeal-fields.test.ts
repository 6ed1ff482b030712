/**
 * A page of appeals reads only the columns its query shows (src/db/rows.ts FIELD_COLUMNS): every field
 * of the type Appeal, asked for alone on a page, must answer exactly what the single look-up (the
 * whole appeal, as an entity) answers for it — for staff and for a body. A field whose columns were
 * listed wrong, or a new field missing from the list, shows here.
 */
import {
  type GraphQLField,
  type GraphQLObjectType,
  getNamedType,
  isLeafType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPrincipal } from '../src/access/tokens.js';
import { schema } from '../src/graphql/schema.js';
import { describeEachDatabase } from './support/databases.js';
import { ADMIN_TOKEN, startTestGateway, type TestGateway } from './support/gateway.js';

const APPEAL = schema.getType('Appeal') as GraphQLObjectType;

const callable = (f: GraphQLField<unknown, unknown>) => f.args.every((a) => !isNonNullType(a.type));

/** A field as a selection: a leaf as it is, an object with its own leaf fields one level down. */
function selection(f: GraphQLField<unknown, unknown>): string {
  const type = getNamedType(f.type);
  if (isLeafType(type)) return f.name;
  if (!isObjectType(type)) return `${f.name} { __typename }`;
  const leaves = Object.values(type.getFields()).filter(
    (g) => callable(g) && isLeafType(getNamedType(g.type)),
  );
  return `${f.name} { __typename ${leaves.map((g) => g.name).join(' ')} }`;
}

const FIELDS = Object.values(APPEAL.getFields()).filter(callable);

describeEachDatabase('an appeal page’s columns', (db) => {
  let gw: TestGateway;
  let body = '';

  beforeAll(async () => {
    gw = await startTestGateway(db);
    body = (await createPrincipal(gw.orm.em.fork(), { name: 'ДСЗН', role: 'agency', agencyCode: '99923101' }))
      .token;
    const appeals = Array.from({ length: 8 }, (_, i) => ({
      cardId: `RL-FIELDS-${i}`,
      registeredAt: `2026-11-2${i % 5}T10:00:00+02:00`,
      kind: i % 2 ? '3.3' : '3.2',
      ...(i % 2 ? { complaintAbout: '99923203' } : {}),
      topic: '006.02',
      territory: 'UA23060070010069526',
      summary: `Звернення № ${i}: прошу перерахувати допомогу та повідомити про результат.`,
      author: { lastName: 'Мельник', firstName: 'Іван', phone: `+380631000${String(100 + (i % 3))}` },
      ...(i % 3 === 0
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
  });
  afterAll(() => gw?.close());

  it('has fields to check', () => {
    expect(FIELDS.length).toBeGreaterThan(30);
  });

  for (const who of ['staff', 'body'] as const) {
    it.each(FIELDS.map((f) => [f.name, f] as const))(
      `${who}: %s on a page equals the single look-up`,
      async (_n, f) => {
        const token = who === 'staff' ? ADMIN_TOKEN : body;
        const page = await gw.gql<{ appeals: { edges: { node: Record<string, unknown> }[] } }>(
          `{ appeals(first: 8) { edges { node { id ${selection(f)} } } } }`,
          {},
          token,
        );
        expect(page.body.errors).toBeUndefined();
        const nodes = page.body.data?.appeals.edges.map((e) => e.node) ?? [];
        // Staff see all eight; the body its own (the complaints about another body went elsewhere too).
        expect(nodes.length).toBe(who === 'staff' ? 8 : 4);
        for (const node of nodes) {
          const one = await gw.gql<{ appeal: Record<string, unknown> }>(
            `query($id: ID!) { appeal(id: $id) { id ${selection(f)} } }`,
            { id: node.id },
            token,
          );
          expect(one.body.errors).toBeUndefined();
          expect(node, f.name).toEqual(one.body.data?.appeal);
        }
      },
    );
  }
});
