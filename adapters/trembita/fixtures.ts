/**
 * Delivery payloads for the Trembita adapter's tests and example messages: a collective complaint from
 * Zaporizhzhia forwarded to the Ministry of Internal Affairs (a real EDRPOU code, 00032684) by the
 * oblast contact center. Names, phones and addresses are invented.
 */
import type { DeliveryPayload, StatusUpdate } from '../port.js';

export const RECIPIENT_CODE = '00032684';
export const SENDER_CODE = '99923900';
export const PURPOSE = 'розгляд звернення громадянина (Закон «Про звернення громадян», ст. 7)';

export function samplePayload(overrides: Partial<DeliveryPayload> = {}): DeliveryPayload {
  return {
    appealId: '01JD8Q7X4R2V6T9M3K5N8P1W0Z',
    registrationNumber: 'ЗП-2025/004217',
    source: 'gov_hotline_1545',
    externalId: 'UCC-1545-7781234',
    receivedAt: '2025-03-14T07:42:10.000Z',
    dueAt: '2025-04-13T20:59:59.000Z',
    kind: 'complaint',
    subject: 'collective',
    topicCode: '012.03',
    topicLabel: 'Діяльність органів Національної поліції',
    territoryCode: 'UA23060070010069526',
    summary:
      'Мешканці буд. 12 по вул. Соборній скаржаться, що на виклики 102 щодо нічного шуму ' +
      'патруль не приїжджає; просять перевірити реагування та вжити заходів. Апостроф: м\u2019ясо, "лапки" & <теги>.',
    urgent: false,
    priority: true,
    nonDisclosure: false,
    author: {
      lastName: 'Коваленко',
      firstName: 'Олена',
      patronymic: 'Іванівна',
      phone: '+380671234567',
      email: 'o.kovalenko@example.com',
      address: 'м. Запоріжжя, вул. Соборна, 12, кв. 45',
      categories: ['7.5', '7.13'],
      socialStatus: '8.1',
      sex: 'female',
    },
    coAuthors: [
      {
        lastName: 'Шевчук',
        firstName: 'Андрій',
        patronymic: null,
        phone: null,
        email: null,
        address: null,
        categories: [],
        socialStatus: null,
        sex: null,
      },
    ],
    attachments: [
      {
        fileName: 'скарга-підписи.pdf',
        mimeType: 'application/pdf',
        contentBase64: Buffer.from('%PDF-1.4 підписи мешканців').toString('base64'),
      },
    ],
    recipient: { code: RECIPIENT_CODE, name: 'Міністерство внутрішніх справ України', role: 'responsible' },
    sender: { code: SENDER_CODE, name: 'Запорізький обласний контактний центр' },
    routing: {
      reason: 'Скарга на дії поліції: до центрального органу, а не до органу, дії якого оскаржуються (ст. 7)',
      ruleId: 'complaint-police',
      ruleSetVersion: 12,
    },
    purpose: PURPOSE,
    ...overrides,
  };
}

/** An anonymous copy for information: every personal field withheld. */
export function minimalPayload(): DeliveryPayload {
  return samplePayload({
    appealId: '01JD8Q9A0B1C2D3E4F5G6H7J8K',
    registrationNumber: null,
    externalId: null,
    kind: 'proposal',
    subject: 'anonymous',
    territoryCode: null,
    urgent: true,
    priority: false,
    author: null,
    coAuthors: [],
    attachments: [],
    recipient: {
      code: RECIPIENT_CODE,
      name: 'Міністерство внутрішніх справ України',
      role: 'for_information',
    },
    routing: { reason: null, ruleId: null, ruleSetVersion: null },
  });
}

export function sampleUpdate(overrides: Partial<StatusUpdate> = {}): StatusUpdate {
  return {
    appealId: '01JD8Q7X4R2V6T9M3K5N8P1W0Z',
    externalEventId: 'MVS-EV-000981',
    event: 'answer',
    occurredAt: '2025-03-28T10:15:00.000Z',
    result: 'explained',
    registrationNumber: 'МВС-11/2025-3390',
    dueAt: null,
    note: 'Надано роз\u2019яснення; патрулювання району посилено.',
    ...overrides,
  };
}
