import { describe, expect, it } from 'vitest';
import { INTAKE_LIMITS } from '../types.js';
import { card, read, rejectionOf } from './test-support.js';

const author = (extra: Record<string, unknown>) => ({ lastName: 'Коваленко', ...extra });
const attachment = (contentBase64: string) => ({
  fileName: 'scan.pdf',
  mimeType: 'application/pdf',
  contentBase64,
});
const directLine = { sessionId: 'DL-1', agencyCode: '99923101' };

describe('per-card rejections', () => {
  it.each([
    [
      'FIELD_REQUIRED',
      { registeredAt: undefined },
      '/registeredAt',
      'Required field "registeredAt" is missing',
    ],
    ['FIELD_REQUIRED', { localTopic: undefined }, '/topic', '"topic" (a classifier code) or "localTopic"'],
    [
      'FIELD_REQUIRED',
      { directLine: { agencyCode: '99923101' }, channel: 'direct_line' },
      '/directLine/sessionId',
      'directLine.sessionId',
    ],
    ['WRONG_TYPE', { urgent: 'так' }, '/urgent', '"urgent" must be a boolean, got a string'],
    [
      'WRONG_TYPE',
      { author: author({ phone: 380671234567 }) },
      '/author/phone',
      '"author.phone" must be a string or null',
    ],
    ['UNKNOWN_CODE', { kind: '3.7' }, '/kind', '"kind" must be one of "3.1", "3.2", "3.3"; got "3.7"'],
    ['UNKNOWN_CODE', { kind: 'complaint' }, '/kind', 'got "complaint"'],
    ['UNKNOWN_CODE', { author: author({ sex: 'ж' }) }, '/author/sex', '"author.sex" must be one of'],
    ['INVALID_FORMAT', { registeredAt: '2026-02-16T09:42:11' }, '/registeredAt', 'with a zone offset'],
    ['INVALID_FORMAT', { author: author({ email: 'olena at ukr.net' }) }, '/author/email', 'e-mail address'],
    [
      'INVALID_FORMAT',
      { channel: 'direct_line', directLine: { ...directLine, agencyCode: '3247206' } },
      '/directLine/agencyCode',
      '8-digit EDRPOU',
    ],
    ['UNKNOWN_FIELD', { priority: true }, '/priority', 'Unknown field "priority"'],
    [
      'UNKNOWN_FIELD',
      { coAuthors: [{ lastName: 'Бондар', name: 'Наталія' }] },
      '/coAuthors/0/name',
      '"coAuthors[0].name"',
    ],
    ['UNKNOWN_FIELD', { 'a/b~c': 1 }, '/a~1b~0c', 'Unknown field "a/b~c"'],
    ['TOO_LONG', { summary: 'я'.repeat(INTAKE_LIMITS.maxSummaryChars + 1) }, '/summary', 'longer than 20000'],
    [
      'TOO_LONG',
      { author: author({ address: 'вул. '.repeat(201) }) },
      '/author/address',
      '"author.address" is longer than 1000',
    ],
    ['SCHEMA_VIOLATION', { topic: '006.01' }, '/localTopic', 'either "topic" or "localTopic", not both'],
    ['SCHEMA_VIOLATION', { localTopic: '' }, '/localTopic', '"localTopic" must not be empty'],
    [
      'SCHEMA_VIOLATION',
      { attachments: Array.from({ length: 21 }, () => attachment('')) },
      '/attachments',
      'more than 20',
    ],
    [
      'UNKNOWN_TOPIC',
      { localTopic: undefined, topic: '099.01' },
      '/topic',
      'Unknown classifier topic "099.01"',
    ],
    [
      'UNKNOWN_LOCAL_TOPIC',
      { localTopic: 'Космос' },
      '/localTopic',
      '"Космос" is not in the local-topic mapping; an operator can add it',
    ],
    ['INVALID_KATOTTG', { territory: 'UA2306' }, '/territory', 'not a valid KATOTTG code'],
    ['INVALID_KATOTTG', { territory: 'UA00060070010069526' }, '/territory', 'not a valid KATOTTG code'],
    [
      'UNKNOWN_AUTHOR_CATEGORY',
      { author: author({ categories: ['7.5', '7.99'] }) },
      '/author/categories/1',
      '"7.99"',
    ],
    ['UNKNOWN_SOCIAL_STATUS', { author: author({ socialStatus: '8.99' }) }, '/author/socialStatus', '"8.99"'],
    [
      'ATTACHMENT_INVALID',
      { attachments: [attachment('bm90IGJhc2U2NA=!')] },
      '/attachments/0/contentBase64',
      'not valid base64',
    ],
    [
      'ATTACHMENT_INVALID',
      { attachments: [attachment('YWJj\nZGVm')] },
      '/attachments/0/contentBase64',
      'scan.pdf',
    ],
    ['ATTACHMENT_INVALID', { attachments: [attachment('YWJjZA')] }, '/attachments/0/contentBase64', 'base64'],
    ['INCONSISTENT_CHANNEL', { directLine }, '/channel', '"channel": "direct_line"'],
    ['INCONSISTENT_CHANNEL', { directLine, channel: 'web' }, '/channel', '"channel": "direct_line"'],
  ])('%s: %j', (code, overrides, path, message) => {
    const rejection = rejectionOf(card(overrides));
    expect(rejection).toMatchObject({ index: 0, externalId: 'RL-2026-000123', code, path });
    expect(rejection.message).toContain(message);
  });

  it('ATTACHMENT_TOO_LARGE: decoded size over the limit, and base64 too long for the schema', () => {
    // 13,981,016 characters without padding decode to 10 MiB + 2 bytes.
    const justOver = 'A'.repeat(Math.ceil(INTAKE_LIMITS.maxAttachmentBytes / 3) * 4);
    const tooLong = `${justOver}AAAA`;
    for (const content of [justOver, tooLong]) {
      const rejection = rejectionOf(card({ attachments: [attachment(content)] }));
      expect(rejection).toMatchObject({ code: 'ATTACHMENT_TOO_LARGE', path: '/attachments/0/contentBase64' });
      expect(rejection.message).toContain('larger than 10 MiB');
    }
  });

  it('accepts an attachment of exactly the limit and decodes it', () => {
    const file = Buffer.alloc(INTAKE_LIMITS.maxAttachmentBytes, 7);
    const [outcome] = read(card({ attachments: [attachment(file.toString('base64'))] }));
    expect(outcome?.ok && outcome.item.attachments[0]?.content.equals(file)).toBe(true);
  });

  it('rejects an empty cardId, with no external id to report', () => {
    expect(rejectionOf(card({ cardId: '' }))).toMatchObject({
      externalId: null,
      path: '/cardId',
      code: 'SCHEMA_VIOLATION',
      message: '"cardId" must not be empty',
    });
  });

  it('names the card when it is not an object', () => {
    const [outcome] = read({ appeals: ['RL-1'] });
    expect(outcome).toEqual({
      ok: false,
      rejection: {
        index: 0,
        externalId: null,
        path: '/appeals/0',
        code: 'WRONG_TYPE',
        message: 'The card must be an object, got a string',
      },
    });
  });

  it('reports the first problem and lists the others with their pointers', () => {
    const rejection = rejectionOf(card({ cardId: undefined, kind: '9', author: author({ email: 'x' }) }));
    expect(rejection).toMatchObject({ externalId: null, path: '/cardId', code: 'FIELD_REQUIRED' });
    expect(rejection.message).toContain('also: /kind UNKNOWN_CODE, /author/email INVALID_FORMAT');
  });

  it('does not echo personal data from a badly formatted field', () => {
    const rejection = rejectionOf(card({ author: author({ email: 'olena.kovalenko(at)ukr.net' }) }));
    expect(rejection.message).not.toContain('kovalenko');
  });
});

describe('readable but unlawful cards are not rejected (the law flags them later)', () => {
  it.each([
    ['an empty summary', { summary: '' }],
    ['a null summary', { summary: null }],
    ['no summary at all', { summary: undefined }],
    ['an author without names or address', { author: { phone: '0671234567' } }],
    ['no author (anonymous)', { author: undefined }],
    ['a null author', { author: null }],
    ['a blank territory', { territory: '  ' }],
  ])('%s', (_label, overrides) => {
    expect(read(card(overrides))).toMatchObject([{ ok: true, index: 0 }]);
  });
});
