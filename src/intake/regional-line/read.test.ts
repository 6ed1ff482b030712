import { describe, expect, it } from 'vitest';
import { INTAKE_LIMITS, UnreadableDocumentError } from '../types.js';
import { readRegionalLineDocument } from './read.js';
import { card, read, stubTopicMap } from './test-support.js';

function unreadable(body: string | Buffer): UnreadableDocumentError {
  try {
    readRegionalLineDocument(body, stubTopicMap);
  } catch (e) {
    if (e instanceof UnreadableDocumentError) return e;
    throw e;
  }
  throw new Error('expected the document to be refused');
}

describe('documents that cannot be read at all', () => {
  it.each([
    ['{\n  "cardId": "RL-1",\n  kind: "3.2"\n}', 'unexpected "k" at line 3, column 3 (position 24)'],
    ['{"appeals": [{"cardId": "RL-1"},]}', 'unexpected "]" at line 1, column 33 (position 32)'],
    [
      '{"cardId": "Коваленко Олена, Соборна 101" "kind": 1}',
      'unexpected "\\"" at line 1, column 43 (position 42)',
    ],
    ['{"summary": "два\nрядки"}', 'unexpected "\\n" at line 1, column 17 (position 16)'],
    ['{"cardId": "RL-1"', 'the document ends too early at line 1, column 18 (position 17)'],
    ['', 'the document ends too early at line 1, column 1 (position 0)'],
    ['{"a": 1} {"b": 2}', 'unexpected "{" at line 1, column 10 (position 9)'],
  ])('JSON_MALFORMED with the position: %j', (body, where) => {
    const error = unreadable(body);
    expect(error.code).toBe('JSON_MALFORMED');
    expect(error.message).toBe(`The document is not valid JSON: ${where}`);
  });

  it('does not quote the document back in the message', () => {
    expect(unreadable('{"cardId": "Коваленко Олена" x}').message).not.toContain('Коваленко');
  });

  it('refuses bytes that are not UTF-8 as JSON_MALFORMED', () => {
    const cp1251 = Buffer.concat([
      Buffer.from('{"summary": "'),
      Buffer.from([0xcf, 0xf0, 0xee]),
      Buffer.from('"}'),
    ]);
    expect(unreadable(cp1251)).toMatchObject({
      code: 'JSON_MALFORMED',
      message: expect.stringContaining('UTF-8'),
    });
  });

  it('reads a UTF-8 buffer, with or without a byte-order mark', () => {
    const json = JSON.stringify(card());
    for (const body of [Buffer.from(json), Buffer.from(`\uFEFF${json}`), `\uFEFF${json}`]) {
      expect(readRegionalLineDocument(body, stubTopicMap)).toMatchObject([{ ok: true }]);
    }
  });

  it.each([
    ['an array', '[{"cardId": "RL-1"}]', 'wrap the cards as {"appeals": [...]}'],
    ['a string', '"RL-1"', 'one appeal card (an object) or {"appeals": [...]}'],
    ['null', 'null', 'one appeal card'],
    ['a number', '42', 'one appeal card'],
    ['appeals not an array', '{"appeals": {"0": {}}}', '"appeals" must be an array'],
    ['a batch with other keys', '{"appeals": [], "sentAt": "2026-01-01"}', 'unknown: "sentAt"'],
  ])('JSON_WRONG_ROOT for %s', (_label, body, message) => {
    const error = unreadable(body);
    expect(error.code).toBe('JSON_WRONG_ROOT');
    expect(error.message).toContain(message);
  });

  it('BATCH_TOO_LARGE above the limit, before any card is checked', () => {
    const body = `{"appeals": [${Array(INTAKE_LIMITS.maxItemsPerBatch + 1)
      .fill('{}')
      .join(',')}]}`;
    const error = unreadable(body);
    expect(error).toMatchObject({ code: 'BATCH_TOO_LARGE', path: '/appeals' });
    expect(error.message).toBe('The batch has 20001 cards; at most 20000 per document');
  });

  it('reads a batch of exactly the limit', () => {
    const body = `{"appeals": [${Array(INTAKE_LIMITS.maxItemsPerBatch).fill(JSON.stringify(card())).join(',')}]}`;
    const outcomes = readRegionalLineDocument(body, stubTopicMap);
    expect(outcomes).toHaveLength(INTAKE_LIMITS.maxItemsPerBatch);
    expect(outcomes.every((o) => o.ok)).toBe(true);
  });

  it('reads an empty batch as no items', () => {
    expect(read({ appeals: [] })).toEqual([]);
  });
});

describe('batches', () => {
  it('keeps the good cards with their indexes and rejects the bad ones with document pointers', () => {
    const outcomes = read({
      appeals: [
        card({ cardId: 'A' }),
        card({ cardId: 'B', author: { phone: 380671234567 } }),
        card({ cardId: 'C', localTopic: 'Опалення' }),
        card({ cardId: 'D', territory: 'UA99' }),
        card({ cardId: 'E', topic: '009.01', localTopic: undefined }),
      ],
    });
    expect(
      outcomes.map((o) => (o.ok ? [o.index, o.item.externalId] : [o.rejection.index, o.rejection.code])),
    ).toEqual([
      [0, 'A'],
      [1, 'WRONG_TYPE'],
      [2, 'C'],
      [3, 'INVALID_KATOTTG'],
      [4, 'E'],
    ]);
    expect(outcomes[1]).toMatchObject({
      ok: false,
      rejection: { externalId: 'B', path: '/appeals/1/author/phone' },
    });
    expect(outcomes[3]).toMatchObject({
      ok: false,
      rejection: { externalId: 'D', path: '/appeals/3/territory' },
    });
  });

  it('uses card-relative pointers for a single card', () => {
    expect(read(card({ author: { phone: 1 } }))).toMatchObject([
      { ok: false, rejection: { path: '/author/phone' } },
    ]);
  });
});

describe('prototype pollution', () => {
  it('rejects __proto__ in a card as an unknown field and pollutes nothing', () => {
    const good = JSON.stringify(card());
    const body = `{"appeals": [${good}, ${good.replace('{', '{"__proto__": {"polluted": 1}, ')}]}`;
    const outcomes = readRegionalLineDocument(body, stubTopicMap);
    expect(outcomes[0]?.ok).toBe(true);
    expect(outcomes[1]).toMatchObject({
      ok: false,
      rejection: { path: '/appeals/1/__proto__', code: 'UNKNOWN_FIELD' },
    });
    expect(({} as Record<string, unknown>).polluted).toBe(undefined);
  });

  it('refuses __proto__ or constructor beside "appeals"', () => {
    expect(unreadable('{"appeals": [], "__proto__": {"polluted": 1}}').code).toBe('JSON_WRONG_ROOT');
    expect(unreadable('{"appeals": [], "constructor": {"prototype": {"polluted": 1}}}').code).toBe(
      'JSON_WRONG_ROOT',
    );
    expect(({} as Record<string, unknown>).polluted).toBe(undefined);
  });

  it('treats a nested __proto__ in the author as an unknown field', () => {
    const body = JSON.stringify(card()).replace('"lastName"', '"__proto__": {"polluted": 1}, "lastName"');
    expect(readRegionalLineDocument(body, stubTopicMap)).toMatchObject([
      { ok: false, rejection: { path: '/author/__proto__', code: 'UNKNOWN_FIELD' } },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBe(undefined);
  });
});
