import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Appeal } from './appeal.js';
import { StatusEvent } from './status-event.js';

/** The outbox states, as for deliveries (no `cancelled`: what happened is always reported). */
export const UCC_MESSAGE_STATES = ['pending', 'in_flight', 'delivered', 'dead'] as const;
export type UccMessageState = (typeof UCC_MESSAGE_STATES)[number];

/** 1207 message types the gateway sends to the UCC: receipts (0) and answer documents (3). */
export const UCC_MESSAGE_KINDS = ['receipt', 'answer'] as const;
export type UccMessageKind = (typeof UCC_MESSAGE_KINDS)[number];

/** What the message says, fixed when it is queued, so every attempt sends the same bytes. */
export interface UccMessageContent {
  appealId: string;
  /** The UCC's document id of the appeal (`Document@idnumber`, the appeal's external id). */
  uccNumber: string | null;
  /** The UCC's registration number (`RegNumber`) and the msg_id of the message that brought it. */
  uccRegNumber: string | null;
  uccMsgId: string | null;
  uccOrgCode: string | null;
  uccOrgName: string | null;
  receivedAt: string;
  event: string;
  state: string;
  result: string | null;
  note: string | null;
  occurredAt: string;
  dueAt: string;
  /** The responsible body at the time of the change, when there was one. */
  executor: { code: string; name: string; registrationNumber: string | null } | null;
}

/**
 * The outbox towards the Government Contact Center: one row per status change of an appeal that came
 * from the 1545 line, sent in order with retries, back-off and dead letters like deliveries.
 */
export const UccMessage = defineEntity({
  name: 'UccMessage',
  tableName: 'ucc_message',
  properties: {
    id: p.uuid().primary(),
    /** Queue order: messages go out in it, so the UCC sees an appeal's changes in the order they happened. */
    seq: p.integer().unique(),
    appeal: () => p.manyToOne(Appeal).deleteRule('cascade'),
    statusEvent: () => p.manyToOne(StatusEvent).nullable().deleteRule('set null'),
    /** `ucc:<status event id>`: queued once, whatever reads the event again. */
    idempotencyKey: p.string().length(100).unique(),
    /** `Header@msg_id`, derived from the key: the UCC de-duplicates by it. */
    msgId: p.string().length(36).unique(),
    kind: p.enum([...UCC_MESSAGE_KINDS]),
    content: p.json<UccMessageContent>(),
    state: p.enum([...UCC_MESSAGE_STATES]),
    attempts: p.integer(),
    outages: p.integer(),
    tryingSince: p.datetime(),
    nextAttemptAt: p.datetime(),
    leaseOwner: p.string().length(100).nullable(),
    leaseUntil: p.datetime().nullable(),
    lastAttemptAt: p.datetime().nullable(),
    lastErrorCode: p.string().length(64).nullable(),
    lastError: p.text().nullable(),
    deliveredAt: p.datetime().nullable(),
    deadAt: p.datetime().nullable(),
    deadReason: p.text().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
  indexes: [
    { properties: ['state', 'seq'] },
    { properties: ['appeal', 'createdAt'] },
    { properties: ['statusEvent'] },
  ],
});
export type IUccMessage = InferEntity<typeof UccMessage>;
