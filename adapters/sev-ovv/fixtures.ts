/**
 * Delivery payloads for the SEV OVV tests and examples: one appeal from the Government hotline 1545
 * about a stopped housing subsidy, routed by the Zaporizhzhia oblast contact center. EDRPOU codes
 * 999231xx/999239xx are the seed's placeholders (src/seed/zaporizhzhia.ts); the territory is the
 * real KATOTTG code of the city of Zaporizhzhia.
 */
import type { DeliveryPayload, PayloadAttachment } from '../port.js';

/** A one-page PDF (a minimal file, with its Ukrainian title in a comment). */
const PDF_BYTES = Buffer.from(
  '%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n' +
    '% Довідка про склад сім’ї\ntrailer <</Root 1 0 R>>\n%%EOF\n',
  'utf8',
);

export const ATTACHMENT: PayloadAttachment = {
  fileName: 'Довідка про склад сім’ї.pdf',
  mimeType: 'application/pdf',
  contentBase64: PDF_BYTES.toString('base64'),
};

export const ATTACHMENT_BYTES = PDF_BYTES;

/** The fixed clock of the examples: 20 November 2026, 11:40:05 Kyiv time. */
export const EXAMPLE_NOW = new Date('2026-11-20T09:40:05.000Z');

export const IDEMPOTENCY_KEY = '01936b2e-5c3a-7d41-9a8e-2f6c1b7d4e01:99923101';

/** To the responsible body, with everything the law lets it see, and the file. */
export const RESPONSIBLE_PAYLOAD: DeliveryPayload = {
  appealId: '01936b2e-5c3a-7d41-9a8e-2f6c1b7d4e01',
  registrationNumber: 'ЗОКЦ-2026/015234',
  source: 'gov_hotline_1545',
  externalId: '1545-2026-0412345',
  receivedAt: '2026-11-20T07:15:00.000Z',
  dueAt: '2026-12-20T21:59:59.999Z',
  kind: 'application',
  subject: 'individual',
  topicCode: '006.01',
  topicLabel: 'Житлові субсидії',
  territoryCode: 'UA23060070010069526',
  summary:
    'Припинили виплату житлової субсидії з жовтня без пояснень. Прошу перевірити підстави та відновити виплату «з дати припинення».',
  urgent: false,
  priority: true,
  nonDisclosure: false,
  author: {
    lastName: 'Коваленко',
    firstName: 'Олена',
    patronymic: 'Петрівна',
    phone: '+380671234567',
    email: 'o.kovalenko@ukr.net',
    address: '69001, Запорізька обл., м. Запоріжжя, вул. Соборна, буд. 12, кв. 5',
    categories: ['7.6', '7.9'],
    socialStatus: '8.1',
    sex: 'female',
  },
  coAuthors: [],
  attachments: [ATTACHMENT],
  recipient: {
    code: '99923101',
    name: 'Департамент соціального захисту населення Запорізької обласної державної адміністрації',
    role: 'responsible',
  },
  sender: { code: '99923900', name: 'Запорізький обласний контактний центр' },
  routing: {
    reason: 'Тема 006.01 «Житлові субсидії»: відповідальний — департамент соціального захисту населення',
    ruleId: 'zp-006-01-subsidies',
    ruleSetVersion: 3,
  },
  purpose: 'Розгляд звернення за належністю (ст. 7 Закону України «Про звернення громадян»)',
};

/** A copy for information to the city council: no contacts, no address, no files (port.ts). */
export const INFORMATION_PAYLOAD: DeliveryPayload = {
  ...RESPONSIBLE_PAYLOAD,
  author: {
    ...(RESPONSIBLE_PAYLOAD.author as NonNullable<DeliveryPayload['author']>),
    phone: null,
    email: null,
    address: null,
  },
  attachments: [],
  recipient: { code: '99923301', name: 'Запорізька міська рада', role: 'for_information' },
  routing: {
    reason: 'Територія м. Запоріжжя: копія до відома міській раді',
    ruleId: 'zp-city-copy',
    ruleSetVersion: 3,
  },
  purpose: 'Інформування органу місцевого самоврядування про звернення (копія до відома)',
};

export const INFORMATION_KEY = '01936b2e-5c3a-7d41-9a8e-2f6c1b7d4e01:99923301';

/** A payload like RESPONSIBLE_PAYLOAD, with some fields replaced. */
export const payloadWith = (changes: Partial<DeliveryPayload>): DeliveryPayload => ({
  ...RESPONSIBLE_PAYLOAD,
  ...changes,
});
