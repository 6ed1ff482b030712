/** A delivery for the webhook tests: a pensioner in Zaporizhzhia asks about her housing subsidy. */
import type { DeliveryPayload } from '../port.js';

export const subsidyDelivery: DeliveryPayload = {
  appealId: '0195f3a2-7c1e-7b4a-9d2e-3f6a1c8b5e47',
  registrationNumber: 'ЗП-123/2026',
  source: 'regional_hotline',
  externalId: 'RL-2026-000123',
  receivedAt: '2026-02-16T07:42:11.000Z',
  dueAt: '2026-03-18T21:59:59.999Z',
  kind: 'application',
  subject: 'individual',
  topicCode: '006.01',
  topicLabel: 'Житлові субсидії',
  territoryCode: 'UA23060070010069526',
  summary:
    'Прошу перерахувати житлову субсидію на опалювальний сезон: у січні нарахування не надійшло, ' +
    'хоча довідку про доходи подано до управління соцзахисту вчасно.',
  urgent: false,
  priority: true,
  nonDisclosure: false,
  author: {
    lastName: 'Коваленко',
    firstName: 'Галина',
    patronymic: 'Петрівна',
    phone: '+380671234567',
    email: null,
    address: 'м. Запоріжжя, вул. Соборна, 101, кв. 12',
    categories: ['7.6'],
    socialStatus: '8.1',
    sex: 'female',
  },
  coAuthors: [],
  attachments: [
    { fileName: 'довідка-про-доходи.pdf', mimeType: 'application/pdf', contentBase64: 'JVBERi0xLjQK' },
  ],
  recipient: {
    code: '99923101',
    name: 'Департамент соціального захисту населення Запорізької обласної державної адміністрації',
    role: 'responsible',
  },
  sender: { code: '99923900', name: 'Запорізький обласний контактний центр' },
  routing: {
    reason: 'Соціальний захист: субсидії, допомоги, ВПО, ветерани, особи з інвалідністю.',
    ruleId: 'social-protection',
    ruleSetVersion: 1,
  },
  purpose: 'розгляд звернення громадянина (Закон «Про звернення громадян», ст. 7)',
};
