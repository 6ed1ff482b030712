/** Shared by the regional-line tests: a stub local-topic table and a valid card to vary. */
import type { IntakeRejection, ReadOutcome } from '../types.js';
import { localTopicMapOf } from './local-topics.js';
import { readRegionalLineDocument } from './read.js';

export const stubTopicMap = localTopicMapOf([
  { localTopic: 'Субсидії', topicCode: '006.01' },
  { localTopic: 'Пенсійне забезпечення', topicCode: '006.02' },
  { localTopic: 'Опалення', topicCode: '009.01' },
]);

/** A readable card; a key set to `undefined` is left out of the JSON. */
export function card(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cardId: 'RL-2026-000123',
    registeredAt: '2026-02-16T09:42:11+02:00',
    kind: '3.2',
    localTopic: 'Субсидії',
    territory: 'UA23060070010069526',
    summary: 'Прошу перерахувати субсидію.',
    author: { lastName: 'Коваленко', firstName: 'Олена', patronymic: 'Петрівна', phone: '+380 67 123 45 67' },
    ...overrides,
  };
}

export function read(doc: unknown): ReadOutcome[] {
  return readRegionalLineDocument(JSON.stringify(doc), stubTopicMap);
}

/** The rejection of a one-card document; fails the test when the card was accepted. */
export function rejectionOf(doc: unknown): IntakeRejection {
  const [outcome] = read(doc);
  if (!outcome || outcome.ok) throw new Error(`expected a rejection, got ${JSON.stringify(outcome)}`);
  return outcome.rejection;
}
