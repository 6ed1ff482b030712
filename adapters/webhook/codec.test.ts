import { describe, expect, it } from 'vitest';
import delivery from '../../schema/webhook/examples/delivery.json' with { type: 'json' };
import receipt from '../../schema/webhook/examples/receipt.json' with { type: 'json' };
import feed from '../../schema/webhook/examples/status-feed.json' with { type: 'json' };
import {
  decodeReceipt,
  decodeStatusFeed,
  encodeDelivery,
  encodeStatusFeed,
  STATUS_CODES,
  sign,
  signatureHeaders,
  verifySignature,
} from './codec.js';
import { subsidyDelivery } from './fixtures.js';

const malformed = {
  ok: false,
  failure: expect.objectContaining({ retryable: true, code: 'MALFORMED_REPLY' }),
};

describe('delivery body', () => {
  it('is the documented JSON, field for field and in order, Cyrillic as UTF-8 text', () => {
    const body = encodeDelivery(subsidyDelivery);
    expect(body).toBe(JSON.stringify(delivery));
    expect(body).toContain('"label":"Житлові субсидії"');
  });

  it('carries no author for an anonymous appeal', () => {
    const body = JSON.parse(encodeDelivery({ ...subsidyDelivery, subject: 'anonymous', author: null }));
    expect(body.appeal.author).toBeNull();
  });
});

describe('signature', () => {
  const secret = 'zp-social-2026-secret';
  const timestamp = '1771227731';
  const body = '{"appeal":{"summary":"Прошу перерахувати житлову субсидію"}}';
  // Computed independently: printf '%s' "$timestamp.$body" | openssl dgst -sha256 -hmac "$secret"
  const known = 'sha256=33ceedd70af1f42bd5e7a8cc5396b5999b9706eb546175e9262cf15f2d79a33b';

  it('is HMAC-SHA256 over "<timestamp>.<body>" as UTF-8, in lower-case hex', () => {
    expect(sign(secret, timestamp, body)).toBe(known);
    expect(sign(secret, timestamp, Buffer.from(body, 'utf8'))).toBe(known);
  });

  it('puts the timestamp in Unix seconds beside the signature', () => {
    expect(signatureHeaders(secret, body, 1_771_227_731_999)).toEqual({
      'X-Gateway-Timestamp': timestamp,
      'X-Gateway-Signature': known,
    });
  });

  it('verifies only the same body, secret and a fresh timestamp', () => {
    const now = 1_771_227_731_000;
    expect(verifySignature(secret, timestamp, body, known, now)).toBe(true);
    expect(verifySignature(secret, timestamp, body.replace('субсидію', 'субсидiю'), known, now)).toBe(false);
    expect(verifySignature('another-secret', timestamp, body, known, now)).toBe(false);
    expect(verifySignature(secret, timestamp, body, known, now + 301_000)).toBe(false);
    expect(verifySignature(secret, undefined, body, known, now)).toBe(false);
    expect(verifySignature(secret, timestamp, body, undefined, now)).toBe(false);
    expect(verifySignature(secret, timestamp, body, known.toUpperCase(), now)).toBe(false);
  });
});

describe('receipt reply', () => {
  it('reads the documented example', () => {
    expect(decodeReceipt(JSON.stringify(receipt), 'HTTP 201')).toEqual({
      ok: true,
      value: {
        level: 'registered',
        agencyRef: 'dszn-2026-004512',
        registrationNumber: 'ВХ-4512/2026',
        detail: 'HTTP 201 status=registered id=dszn-2026-004512',
      },
    });
  });

  it('reads the lower levels, where the id and number may be absent', () => {
    expect(decodeReceipt('{"status":"delivered"}', 'HTTP 202')).toEqual({
      ok: true,
      value: {
        level: 'delivered',
        agencyRef: null,
        registrationNumber: null,
        detail: 'HTTP 202 status=delivered',
      },
    });
    expect(
      decodeReceipt('{"status":"accepted","id":"A-1","registrationNumber":null}', 'HTTP 200'),
    ).toMatchObject({
      ok: true,
      value: { level: 'accepted', agencyRef: 'A-1' },
    });
  });

  it.each([
    ['not JSON', '<html><body>OK</body></html>', '/ is not JSON'],
    ['empty', '', '/ is not JSON'],
    ['an array', '[]', '/ must be an object'],
    ['an unknown status', '{"status":"done"}', '/status must be one of delivered, accepted, registered'],
    ['no status', '{"id":"A-1"}', '/status must be one of'],
    ['a numeric id', '{"status":"accepted","id":17}', '/id must be a non-empty string'],
    ['registered without a number', '{"status":"registered","id":"A-1"}', '/registrationNumber is required'],
  ])('refuses %s as a retryable MALFORMED_REPLY', (_, text, problem) => {
    const outcome = decodeReceipt(text, 'HTTP 200');
    expect(outcome).toEqual(malformed);
    expect(!outcome.ok && outcome.failure.message).toContain(problem);
  });
});

describe('status feed reply', () => {
  it('reads the documented example, times normalised to UTC', () => {
    const outcome = decodeStatusFeed(JSON.stringify(feed));
    expect(outcome).toEqual({
      ok: true,
      value: {
        cursor: 'eyJhZnRlciI6OTEyMDR9',
        unmapped: [],
        updates: [
          expect.objectContaining({
            externalEventId: 'dszn-ev-90817',
            event: 'accept',
            occurredAt: '2026-02-16T09:05:00.000Z',
          }),
          {
            appealId: '0195f3a2-7c1e-7b4a-9d2e-3f6a1c8b5e47',
            externalEventId: 'dszn-ev-91204',
            event: 'answer',
            occurredAt: '2026-02-27T12:30:00.000Z',
            result: 'resolved_positively',
            registrationNumber: 'ВХ-4512/2026',
            dueAt: null,
            note: 'Субсидію перераховано за січень, кошти надійдуть у березні',
          },
        ],
      },
    });
  });

  it('reads back what the simulator writes', () => {
    const update = {
      appealId: 'a-1',
      externalEventId: 'e-1',
      event: 'extend' as const,
      occurredAt: '2026-03-01T08:00:00.000Z',
      result: null,
      registrationNumber: null,
      dueAt: '2026-04-02T21:59:59.999Z',
      note: 'Продовжено до 45 днів (ст. 20)',
    };
    expect(decodeStatusFeed(encodeStatusFeed([update], '1'))).toEqual({
      ok: true,
      value: { updates: [update], unmapped: [], cursor: '1' },
    });
  });

  const item = feed.updates[1];
  it.each([
    ['no updates array', { cursor: 'x' }, '/updates must be an array'],
    [
      'an event that is not a code',
      { updates: [{ ...item, event: 7 }] },
      '/updates/0/event must be a non-empty',
    ],
    [
      'an unmapped code without an event id',
      { updates: [{ ...item, event: 'archived', eventId: null }] },
      '/updates/0/eventId',
    ],
    [
      'a time without a zone',
      { updates: [{ ...item, occurredAt: '2026-02-27T14:30:00' }] },
      '/updates/0/occurredAt',
    ],
    ['a missing event id', { updates: [item, { ...item, eventId: undefined }] }, '/updates/1/eventId'],
    [
      'an unknown result',
      { updates: [{ ...item, result: 'позитивно' }] },
      '/updates/0/result must be one of',
    ],
    [
      'an extension without a date',
      { updates: [{ ...item, event: 'extend' }] },
      '/updates/0/dueAt is required',
    ],
    ['a numeric cursor', { updates: [], cursor: 7 }, '/cursor must be a non-empty string'],
  ])('refuses the whole page for %s', (_, reply, problem) => {
    const outcome = decodeStatusFeed(JSON.stringify(reply));
    expect(outcome).toEqual(malformed);
    expect(!outcome.ok && outcome.failure.message).toContain(problem);
  });
});

describe('status codes', () => {
  it('maps every code of the feed to the gateway event of the same name, and nothing else', () => {
    const events = ['deliver', 'accept', 'extend', 'answer', 'forward', 'reject', 'return'];
    expect(STATUS_CODES).toEqual(Object.fromEntries(events.map((e) => [e, e])));
    expect(Object.hasOwn(STATUS_CODES, 'constructor')).toBe(false);
  });

  it('returns an item with an unmapped code apart, and still reads the rest of the page', () => {
    const [accepted, answered] = feed.updates;
    const reply = {
      updates: [
        accepted,
        { ...answered, eventId: 'dszn-ev-91300', event: 'archived' },
        { ...answered, eventId: 'dszn-ev-91301', event: 'constructor', appealId: null },
        answered,
      ],
      cursor: 'c-2',
    };
    const outcome = decodeStatusFeed(JSON.stringify(reply));
    if (!outcome.ok) return expect.fail(outcome.failure.message);
    expect(outcome.value.updates.map((u) => u.externalEventId)).toEqual(['dszn-ev-90817', 'dszn-ev-91204']);
    expect(outcome.value.unmapped).toEqual([
      { externalEventId: 'dszn-ev-91300', code: 'archived', appealId: answered?.appealId },
      { externalEventId: 'dszn-ev-91301', code: 'constructor', appealId: null },
    ]);
    expect(outcome.value.cursor).toBe('c-2');
  });
});
