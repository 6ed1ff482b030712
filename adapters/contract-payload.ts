/**
 * The delivery the shared contract tests (contract.test.ts) send through every pushing adapter: an
 * individual complaint from the Government hotline 1545 about a stopped housing subsidy, routed by
 * the Zaporizhzhia oblast contact center to the body a simulator plays. Nothing adapter-specific:
 * each adapter must carry it as it is. Codes 999231xx/999239xx are the seed's placeholders; the
 * territory is the real KATOTTG code of the city of Zaporizhzhia; people are invented.
 */
import type { DeliveryPayload, StatusUpdate } from './port.js';

export const CONTRACT_AGENCY_CODE = '99923101';
export const CONTRACT_SENDER_CODE = '99923900';

/** A responsible-body delivery addressed to `recipientCode`, with everything the law lets it see. */
export function contractPayload(
  recipientCode: string = CONTRACT_AGENCY_CODE,
  overrides: Partial<DeliveryPayload> = {},
): DeliveryPayload {
  return {
    appealId: '0196a1c4-2b7e-7f10-8c3d-5e9a0b4f6d21',
    registrationNumber: 'ЗОКЦ-2026/020417',
    source: 'gov_hotline_1545',
    externalId: '1545-2026-0598812',
    receivedAt: '2026-03-02T08:05:41.000Z',
    dueAt: '2026-04-01T20:59:59.999Z',
    kind: 'complaint',
    subject: 'individual',
    topicCode: '006.01',
    topicLabel: 'Житлові субсидії',
    territoryCode: 'UA23060070010069526',
    summary:
      'З лютого припинено виплату житлової субсидії без письмового повідомлення. Прошу перевірити ' +
      'рішення управління соцзахисту та поновити виплату «з дати припинення»; довідку додаю.',
    urgent: false,
    priority: true,
    nonDisclosure: false,
    author: {
      lastName: 'Мельник',
      firstName: 'Ганна',
      patronymic: 'Степанівна',
      phone: '+380662345678',
      email: 'h.melnyk@example.com',
      address: '69063, Запорізька обл., м. Запоріжжя, просп. Соборний, буд. 158, кв. 21',
      categories: ['7.6'],
      socialStatus: '8.1',
      sex: 'female',
    },
    coAuthors: [],
    attachments: [
      {
        fileName: 'довідка-про-доходи.pdf',
        mimeType: 'application/pdf',
        contentBase64: Buffer.from('%PDF-1.4\n% Довідка про доходи\n%%EOF\n', 'utf8').toString('base64'),
      },
    ],
    recipient: {
      code: recipientCode,
      name: 'Департамент соціального захисту населення Запорізької обласної державної адміністрації',
      role: 'responsible',
    },
    sender: { code: CONTRACT_SENDER_CODE, name: 'Запорізький обласний контактний центр' },
    routing: {
      reason: 'Тема 006.01 «Житлові субсидії»: відповідальний — департамент соціального захисту населення',
      ruleId: 'zp-006-01-subsidies',
      ruleSetVersion: 4,
    },
    purpose: 'Розгляд звернення за належністю (ст. 7 Закону України «Про звернення громадян»)',
    ...overrides,
  };
}

/** Two status changes a body reports about the contract payload's appeal: registered, then answered. */
export function contractUpdates(appealId: string = contractPayload().appealId): StatusUpdate[] {
  return [
    {
      appealId,
      externalEventId: 'CONTRACT-EV-0001',
      event: 'accept',
      occurredAt: '2026-03-02T09:12:00.000Z',
      result: null,
      registrationNumber: 'Вх-00417',
      dueAt: null,
      note: 'Зареєстровано.',
    },
    {
      appealId,
      externalEventId: 'CONTRACT-EV-0002',
      event: 'answer',
      occurredAt: '2026-03-20T13:45:00.000Z',
      result: 'resolved_positively',
      registrationNumber: 'Вх-00417',
      dueAt: null,
      note: 'Виплату субсидії поновлено з дати припинення.',
    },
  ];
}
