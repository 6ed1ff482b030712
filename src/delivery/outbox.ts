/**
 * The transactional outbox: one delivery row per assignment, written in the same transaction as the
 * assignment itself, with a stable idempotency key (appeal id + agency code) that every attempt
 * sends. Bodies that work the gateway's API get nothing pushed: their row is delivered at once.
 */
import { adapterFor } from '../../adapters/registry.js';
import type { AdapterKind } from '../db/entities/agency.js';
import type { DeliveryReceipt } from '../db/entities/delivery.js';
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
