/**
 * Government hotline intake over HTTP: the law's flags on 1207 messages, the per-item refusals the
 * common path raises for them (bad e-mail, unknown direct-line body), the size cap, and hostile names
 * that reach the XML parser itself.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Appeal } from '../src/db/entities/index.js';
import { elementParser } from '../src/intake/gov-line/safe-xml.js';
import { batch, message, person } from '../src/intake/gov-line/test-support.js';
import { firstElement, type XmlElement } from '../src/intake/gov-line/xml-node.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const XML = 'application/xml';

describeEachDatabase('intake from the Government hotline: flags, refusals, limits', (db) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(db, { intakeMaxBytes: 64 * 1024 });
  });
  afterAll(() => gw.close());

  const send = (body: string) => gw.post('/intake/gov-line', body, { contentType: XML });
  const doc = (id: string, parts: Parameters<typeof message>[0] = {}) =>
    message({ ...parts, header: { msg_id: `msg-${id}` }, document: { idnumber: id, ...parts.document } });

  it('stores and flags 1207 messages that fall short of the law (Art. 5, Art. 8)', async () => {
    const { status, body } = await send(
      batch(
        doc('GL-F-ANON', { authors: '', card: { subject: '5.3' } }),
        doc('GL-F-NONAME', { authors: person({ name: { firstname: null } }) }),
        doc('GL-F-NOADDR', { authors: person({ address: null }) }),
        doc('GL-F-NOESSENCE', { document: { annotation: null } }),
        doc('GL-F-OK'),
      ),
    );
    expect(status).toBe(200);
    expect(body.rejected).toEqual([]);
    expect(body.accepted.map((a) => [a.externalId, a.flags])).toEqual([
      ['GL-F-ANON', ['ART8_ANONYMOUS']],
      ['GL-F-NONAME', ['ART5_NO_NAME']],
      ['GL-F-NOADDR', ['ART5_NO_ADDRESS']],
      ['GL-F-NOESSENCE', ['ART5_NO_ESSENCE']],
      ['GL-F-OK', []],
    ]);
    const stored = await gw.orm.em
      .fork()
      .find(Appeal, { externalId: { $like: 'GL-F-%' } }, { orderBy: { externalId: 'asc' } });
    expect(stored.map((a) => [a.externalId, a.flags])).toEqual([
      ['GL-F-ANON', ['ART8_ANONYMOUS']],
      ['GL-F-NOADDR', ['ART5_NO_ADDRESS']],
      ['GL-F-NOESSENCE', ['ART5_NO_ESSENCE']],
      ['GL-F-NONAME', ['ART5_NO_NAME']],
      ['GL-F-OK', []],
    ]);
  });

  it('refuses alone a message with a bad e-mail contact or an unknown direct-line body', async () => {
    const { status, body } = await send(
      batch(
        doc('GL-R-EMAIL', { authors: person({ contacts: [['п', 'olena.kovalenko(at)ukr.net']] }) }),
        doc('GL-R-BODY', {
          expansionExtra:
            '<DirectLine session="ВЗГ-2026-11-20" agency="99999999" official="Іваненко І. І."/>',
        }),
        doc('GL-R-OK'),
        doc(`GL-R-LONG-${'9'.repeat(130)}`),
      ),
    );
    expect(status).toBe(200);
    expect(body.accepted.map((a) => a.externalId)).toEqual(['GL-R-OK']);
    expect(body.rejected.map((r) => [r.index, r.externalId?.slice(0, 10), r.code, r.path])).toEqual([
      [0, 'GL-R-EMAIL', 'INVALID_EMAIL', 'author.email'],
      [1, 'GL-R-BODY', 'UNKNOWN_AGENCY', 'directLine.agencyCode'],
      // Longer than its column: refused alone on every database (PostgreSQL would refuse the insert).
      [3, 'GL-R-LONG-', 'FIELD_TOO_LONG', 'externalId'],
    ]);
    expect(body.rejected[2]?.message).toBe('externalId is 140 characters long; at most 128 can be stored');
    expect(await gw.orm.em.fork().count(Appeal, { externalId: { $in: ['GL-R-EMAIL', 'GL-R-BODY'] } })).toBe(
      0,
    );
  });

  it('answers 413 to a body over the cap and stores nothing of it', async () => {
    const many = Array.from({ length: 100 }, (_, i) => doc(`GL-BIG-${i}`));
    const { status, body } = await send(batch(...many));
    expect(status).toBe(413);
    expect(body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await gw.orm.em.fork().count(Appeal, { externalId: { $like: 'GL-BIG-%' } })).toBe(0);
  });

  it('keeps element and attribute names such as __proto__ off the objects it builds', async () => {
    // Inside a message, where the XML parser builds the tree (the batch scan refuses them around it).
    const hostile = doc('GL-PROTO', {
      document: Object.fromEntries([
        ['__proto__', 'x'],
        ['constructor', 'y'],
      ]),
      expansionExtra: '<__proto__ polluted="1"><constructor prototype="2"/></__proto__><prototype/>',
    });
    const { status, body } = await send(hostile);
    expect(status).toBe(200);
    expect(body.accepted.map((a) => a.externalId)).toEqual(['GL-PROTO']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.prototype).not.toHaveProperty('prototype');
    // And the tree the reader maps: the names renamed, every object without a prototype.
    const tree = elementParser()(hostile);
    const document = firstElement(tree, 'Document') as XmlElement;
    const expansion = firstElement(tree, 'Expansion') as XmlElement;
    // (sax itself drops an attribute named __proto__: it lands on its attribute object's prototype slot.)
    expect(Object.keys(document.$ ?? {})).toContain('_x_constructor');
    expect(Object.keys(document.$ ?? {})).not.toContain('__proto__');
    expect(Object.keys(expansion)).toEqual(expect.arrayContaining(['_x___proto__', '_x_prototype']));
    expect([tree, document, expansion, document.$].map((o) => Object.getPrototypeOf(o))).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });
});
