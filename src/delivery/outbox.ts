/**
 * The transactional outbox: one delivery row per assignment, written in the same transaction as the
 * assignment itself, with a stable idempotency key (appeal id + agency code) that every attempt
 * sends. Bodies that work the gateway's API get nothing pushed: their row is delivered at once.
 */

import type { EntityManager } from '@mikro-orm/knex';
import { adapterFor } from '../../adapters/registry.js';
import type { AdapterKind } from '../db/entities/agency.js';
import type { DeliveryReceipt } from '../db/entities/delivery.js';
import { Delivery } from '../db/entities/index.js';
import { newId } from '../db/ids.js';

export const API_RECEIPT: DeliveryReceipt = {
  level: 'delivered',
  agencyRef: null,
  registrationNumber: null,
  detail: 'available to the body through the gateway API',
};

export function idempotencyKey(appealId: string, agencyCode: string): string {
  return `${appealId}:${agencyCode}`;
}

export function deliveryRow(input: {
  assignmentId: string;
  appealId: string;
  agencyId: string;
  agencyCode: string;
  adapterKind: AdapterKind;
  priority: boolean;
  now: Date;
}): Record<string, unknown> {
  const pushes = adapterFor(input.adapterKind)?.pushes ?? true;
  return {
    id: newId(),
    assignment: input.assignmentId,
    appeal: input.appealId,
    agency: input.agencyId,
    adapterKind: input.adapterKind,
    idempotencyKey: idempotencyKey(input.appealId, input.agencyCode),
    state: pushes ? 'pending' : 'delivered',
    priority: input.priority,
    attempts: 0,
    outages: 0,
    tryingSince: input.now,
    nextAttemptAt: input.now,
    leaseOwner: null,
    leaseUntil: null,
    lastAttemptAt: null,
    lastErrorCode: null,
    lastError: null,
    receipt: pushes ? null : API_RECEIPT,
    deliveredAt: pushes ? null : input.now,
    deadAt: null,
    deadReason: null,
    createdAt: input.now,
    updatedAt: input.now,
  };
}

/**
 * A body taken off an appeal: its copy, if not yet out, is never sent (nor replayed).
 */
export async function cancelDelivery(em: EntityManager, assignmentId: string, now: Date): Promise<void> {
  await em.nativeUpdate(
    Delivery,
    { assignment: assignmentId, state: { $in: ['pending', 'in_flight', 'dead'] } },
    { state: 'cancelled', leaseOwner: null, leaseUntil: null, updatedAt: now },
  );
}

/**
 * A body given the appeal again (or in another role): its copy goes out again, under a new key
 * generation, so that the body applies it as a new message rather than as a repeat of the old one.
 */
export async function resendDelivery(
  em: EntityManager,
  assignmentId: string,
  adapterKind: AdapterKind,
  now: Date,
): Promise<void> {
  const d = await em.findOne(Delivery, { assignment: assignmentId });
  if (!d) return;
  const pushes = adapterFor(adapterKind)?.pushes ?? true;
  const [base, generation] = d.idempotencyKey.split('#');
  em.assign(d, {
    adapterKind,
    idempotencyKey: `${base}#${Number(generation ?? 1) + 1}`,
    state: pushes ? 'pending' : 'delivered',
    attempts: 0,
    outages: 0,
    tryingSince: now,
    nextAttemptAt: now,
    leaseOwner: null,
    leaseUntil: null,
    receipt: pushes ? null : API_RECEIPT,
    deliveredAt: pushes ? null : now,
    deadAt: null,
    deadReason: null,
    lastErrorCode: null,
    lastError: null,
    updatedAt: now,
  });
}
