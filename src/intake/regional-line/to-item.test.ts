import { describe, expect, it } from 'vitest';
import type { IntakeItem } from '../types.js';
import { card, read } from './test-support.js';

function itemOf(doc: unknown): IntakeItem {
  const [outcome] = read(doc);
  if (!outcome?.ok) throw new Error(`expected an item, got ${JSON.stringify(outcome)}`);
  return outcome.item;
}

describe('mapping a card to an intake item', () => {
  it('maps every field of a direct-line card', () => {
    const item = itemOf(
      card({
        channel: 'direct_line',
        registrationNumber: 'ЗП-123/2026',
        kind: '3.3',
        receiptSign: '2.2',
        receiptForm: '1.1.1',
        urgent: true,
        nonDisclosure: true,
        author: {
          lastName: 'Коваленко',
          firstName: 'Олена',
          patronymic: 'Петрівна',
          phone: '067 123-45-67',
          email: 'Olena@Example.com',
          address: 'м. Запоріжжя, вул. Соборна, 101',
          categories: ['7.5', '7.13'],
          socialStatus: '8.1',
          sex: '4.2',
        },
        coAuthors: [{ lastName: 'Бондар', firstName: 'Наталія' }],
        subject: '5.1',
        directLine: { sessionId: 'DL-7', agencyCode: '00032684', officialName: null },
      }),
    );
    expect(item).toEqual({
      source: 'direct_line',
      externalId: 'RL-2026-000123',
      registrationNumber: 'ЗП-123/2026',
      receivedAt: new Date('2026-02-16T07:42:11Z'),
      kind: 'complaint',
      subject: 'individual',
      receiptSign: 'repeated',
      receiptForm: 'phone',
      topicCode: '006.01',
      territoryCode: 'UA23060070010069526',
      summary: 'Прошу перерахувати субсидію.',
      urgent: true,
      nonDisclosure: true,
      author: {
        lastName: 'Коваленко',
        firstName: 'Олена',
        patronymic: 'Петрівна',
        phone: '067 123-45-67',
        email: 'Olena@Example.com',
        address: 'м. Запоріжжя, вул. Соборна, 101',
        categories: ['7.5', '7.13'],
        socialStatus: '8.1',
        sex: 'female',
      },
      coAuthors: [
        {
          lastName: 'Бондар',
          firstName: 'Наталія',
          patronymic: null,
          phone: null,
          email: null,
          address: null,
          categories: [],
          socialStatus: null,
          sex: null,
        },
      ],
      attachments: [],
      directLine: { sessionId: 'DL-7', agencyCode: '00032684', officialName: null },
      complaintAbout: null,
      origin: { cardId: 'RL-2026-000123', channel: 'direct_line', localTopic: 'Субсидії' },
    });
  });

  it.each([
    [undefined, 'regional_hotline'],
    ['regional_hotline', 'regional_hotline'],
    ['web', 'web'],
    ['other', 'other'],
  ])('channel %s → source %s', (channel, source) => {
    expect(itemOf(card({ channel })).source).toBe(source);
  });

  it.each([
    ['collective when co-authors are given', { coAuthors: [{ lastName: 'Бондар' }] }, 'collective'],
    ['individual otherwise', { coAuthors: [] }, 'individual'],
    ['as given', { subject: '5.3', author: null }, 'anonymous'],
  ])('subject: %s', (_label, overrides, subject) => {
    expect(itemOf(card(overrides)).subject).toBe(subject);
  });

  it('takes a classifier topic as is and a local topic through the mapping, whatever its spelling', () => {
    expect(itemOf(card({ localTopic: undefined, topic: '009.01' })).topicCode).toBe('009.01');
    expect(itemOf(card({ localTopic: '  пенсійне   ЗАБЕЗПЕЧЕННЯ ' })).topicCode).toBe('006.02');
  });

  it('leaves an anonymous card without author and defaults', () => {
    const item = itemOf({ cardId: 'X', registeredAt: '2026-02-16T09:42:11Z', kind: '3.1', topic: '024' });
    expect(item).toMatchObject({
      author: null,
      coAuthors: [],
      summary: null,
      territoryCode: null,
      urgent: false,
    });
    expect(item).toMatchObject({
      receiptSign: null,
      receiptForm: null,
      registrationNumber: null,
      directLine: null,
    });
  });
});
