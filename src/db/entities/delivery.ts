import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { ADAPTER_KINDS, Agency } from './agency.js';
import { Appeal } from './appeal.js';
import { Assignment } from './assignment.js';

/**
 * - pending: due at `nextAttemptAt`;
 * - in_flight: claimed by a dispatcher until `leaseUntil` (a crashed one's rows come back after it);
 * - delivered: the body has it (receipt kept); for `api` bodies at once — they pull through GraphQL;
 * - dead: given up (permanent refusal, 20 attempts or 72 hours) until an operator replays it;
 * - cancelled: the body was taken off the appeal (re-routed) before its copy went out: never sent.
 */
export const DELIVERY_STATES = ['pending', 'in_flight', 'delivered', 'dead', 'cancelled'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export interface DeliveryReceipt {
  level: 'delivered' | 'accepted' | 'registered';
  agencyRef: string | null;
  registrationNumber: string | null;
  detail: string;
}

/** The outbox row of one assignment: what must reach the body, and how far it got. */
export const Delivery = defineEntity({
  name: 'Delivery',
  tableName: 'delivery',
  properties: {
    id: p.uuid().primary(),
    assignment: () => p.manyToOne(Assignment).unique().deleteRule('cascade'),
    appeal: () => p.manyToOne(Appeal).deleteRule('cascade'),
    agency: () => p.manyToOne(Agency),
    adapterKind: p.enum([...ADAPTER_KINDS]),
    /** appeal id + ':' + agency code: the same on every attempt, so the body applies it once. */
    idempotencyKey: p.string().length(100).unique(),
    state: p.enum([...DELIVERY_STATES]),
    /** Urgent or privileged appeals go first. */
    priority: p.boolean(),
    attempts: p.integer(),
    /** Of the attempts, those that found the body unreachable (down, timed out, 5xx, 429). */
    outages: p.integer(),
    /** Since when this delivery has been trying (creation, or the last replay): the 72-hour window. */
    tryingSince: p.datetime(),
    nextAttemptAt: p.datetime(),
    leaseOwner: p.string().length(100).nullable(),
    leaseUntil: p.datetime().nullable(),
    lastAttemptAt: p.datetime().nullable(),
    lastErrorCode: p.string().length(64).nullable(),
    lastError: p.text().nullable(),
    receipt: p.json<DeliveryReceipt>().nullable(),
    deliveredAt: p.datetime().nullable(),
    deadAt: p.datetime().nullable(),
    deadReason: p.text().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
  indexes: [{ properties: ['state', 'nextAttemptAt'] }, { properties: ['agency', 'state'] }],
});
export type IDelivery = InferEntity<typeof Delivery>;
