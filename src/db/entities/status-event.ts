import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { RESULTS } from '../../domain/appeal.js';
import { APPEAL_STATES, STATUS_EVENTS } from '../../domain/status.js';
import { Appeal } from './appeal.js';
import { Assignment } from './assignment.js';

export const EVENT_ORIGINS = ['gateway', 'agency', 'ucc', 'operator'] as const;

/** One change of state, appended never edited. `externalEventId` is the de-duplication key. */
export const StatusEvent = defineEntity({
  name: 'StatusEvent',
  tableName: 'status_event',
  properties: {
    id: p.uuid().primary(),
    appeal: () => p.manyToOne(Appeal).deleteRule('cascade'),
    assignment: () => p.manyToOne(Assignment).nullable().deleteRule('cascade'),
    origin: p.enum([...EVENT_ORIGINS]),
    event: p.enum([...STATUS_EVENTS]),
    fromState: p.enum([...APPEAL_STATES]).nullable(),
    state: p.enum([...APPEAL_STATES]),
    result: p.enum([...RESULTS]).nullable(),
    note: p.text().nullable(),
    occurredAt: p.datetime(),
    recordedAt: p.datetime().onCreate(() => new Date()),
    externalEventId: p.string().length(200).nullable().unique(),
  },
  indexes: [{ properties: ['appeal', 'occurredAt'] }],
});
export type IStatusEvent = InferEntity<typeof StatusEvent>;
