import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Agency } from './agency.js';
import { Appeal } from './appeal.js';

/** Which side's list was compared with the gateway's. */
export const RECONCILE_SIDES = ['ucc', 'agency'] as const;
/**
 * - missing_here: the other side has it open, the gateway does not know it (or has it closed);
 * - missing_there: the gateway has it open there, the other side does not list it;
 * - status_mismatch: both have it, in different states.
 */
export const RECONCILE_KINDS = ['missing_here', 'missing_there', 'status_mismatch'] as const;
export type ReconcileKind = (typeof RECONCILE_KINDS)[number];

/** One nightly comparison: what was compared and what was found. */
export const ReconcileReport = defineEntity({
  name: 'ReconcileReport',
  tableName: 'reconcile_report',
  properties: {
    id: p.uuid().primary(),
    startedAt: p.datetime(),
    finishedAt: p.datetime().nullable(),
    /** Per side: how many open items each list had, how many differed, how many were repaired. */
    counts: p.json<Record<string, number>>(),
    /** Sides that could not be compared (unreachable, no listing), with why. */
    skipped: p.json<Record<string, string>>(),
  },
  indexes: [{ properties: ['startedAt'] }],
});
export type IReconcileReport = InferEntity<typeof ReconcileReport>;

/** One difference: repaired by the job itself, or left for an operator. */
export const ReconcileItem = defineEntity({
  name: 'ReconcileItem',
  tableName: 'reconcile_item',
  properties: {
    id: p.uuid().primary(),
    report: () => p.manyToOne(ReconcileReport).deleteRule('cascade'),
    side: p.enum([...RECONCILE_SIDES]),
    agency: () => p.manyToOne(Agency).nullable(),
    appeal: () => p.manyToOne(Appeal).nullable().deleteRule('set null'),
    /** The other side's reference (the UCC's number, the body's appeal reference). */
    externalRef: p.string().length(200).nullable(),
    kind: p.enum([...RECONCILE_KINDS]),
    ours: p.string().length(32).nullable(),
    theirs: p.string().length(32).nullable(),
    /** What the job did: resend-delivery, resend-ucc-status, pull-statuses; null: left for an operator. */
    repair: p.string().length(64).nullable(),
    detail: p.text(),
  },
  indexes: [{ properties: ['report', 'kind'] }],
});
export type IReconcileItem = InferEntity<typeof ReconcileItem>;
