/**
 * Status changes a body reports itself: the way in for bodies that work the gateway's API (the
 * `api` adapter pushes nothing and pulls nothing). Only the state machine moves a status: an event
 * that does not follow from the copy's state is refused, never applied half-way. An extension is
 * capped at 45 days in total (Art. 20); an answer carries its result (classifier section 9). When
 * the responsible body's copy moves, the appeal follows; other copies move on their own.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { Appeal, Assignment, type IAssignment, StatusEvent } from '../db/entities/index.js';
import { newId } from '../db/ids.js';
import type { ResultCode } from '../domain/appeal.js';
import { extendDueAt } from '../domain/deadline.js';
import { DomainError } from '../domain/errors.js';
import { canTransition, type StatusEvent as Event, STATE_LABELS, transition } from '../domain/status.js';
import type { RequestPrincipal } from '../graphql/context.js';

export const BODY_EVENTS = ['deliver', 'accept', 'extend', 'answer'] as const;
export type BodyEvent = (typeof BODY_EVENTS)[number];

export interface BodyStatusInput {
  assignmentId: string;
  event: BodyEvent;
  result?: ResultCode | null;
  dueAt?: Date | null;
  registrationNumber?: string | null;
  note?: string | null;
}

export async function reportBodyStatus(
  em: EntityManager,
  input: BodyStatusInput,
  by: RequestPrincipal,
  now: Date,
): Promise<IAssignment> {
  return em.transactional(async (tx) => {
    const assignment = await tx.findOne(
      Assignment,
      { id: input.assignmentId },
      { populate: ['agency', 'appeal'] },
    );
    if (!assignment || (by.role === 'agency' && by.agencyId !== assignment.agency.id)) {
      // Another body's copy: as if it did not exist.
      throw new DomainError('NOT_FOUND', `no assignment ${input.assignmentId}`, 'assignmentId');
    }
    await applyBodyEvent(tx, assignment, input, {
      origin: by.role === 'agency' ? 'agency' : 'operator',
      occurredAt: now,
      recordedAt: now,
      externalEventId: null,
    });
    return assignment;
  });
}

export interface EventOrigin {
  origin: 'agency' | 'operator';
  occurredAt: Date;
  recordedAt: Date;
  /** The body's id of the change, for de-duplication; null for changes made here. */
  externalEventId: string | null;
}

/**
 * Applies one event of a body to its copy inside the caller's transaction, by the state machine:
 * refused (DomainError) when it does not follow from the copy's state.
 */
export async function applyBodyEvent(
  tx: EntityManager,
  assignment: IAssignment,
  input: Omit<BodyStatusInput, 'assignmentId' | 'event'> & { event: Event },
  at: EventOrigin,
): Promise<void> {
  const from = assignment.status;
  if (!canTransition(from, input.event)) {
    throw new DomainError(
      'INVALID_TRANSITION',
      `the copy is "${STATE_LABELS[from]}"; the event ${input.event} does not follow from it`,
      'event',
    );
  }
  if (input.event === 'answer' && !input.result) {
    throw new DomainError('RESULT_REQUIRED', 'an answer needs its result (classifier section 9)', 'result');
  }
  const appeal = await tx.findOneOrFail(Appeal, { id: assignment.appeal.id });
  let dueAt: Date | null = null;
  if (input.event === 'extend') {
    if (!input.dueAt)
      throw new DomainError('DUE_DATE_REQUIRED', 'an extension needs the new due date', 'dueAt');
    dueAt = extendDueAt(appeal.receivedAt, appeal.dueAt, input.dueAt);
  }
  assignment.status = transition(from, input.event);
  assignment.updatedAt = at.recordedAt;
  if (input.registrationNumber) assignment.agencyRegNumber = input.registrationNumber;
  tx.create(StatusEvent, {
    id: newId(),
    appeal,
    assignment,
    origin: at.origin,
    event: input.event,
    fromState: from,
    state: assignment.status,
    result: input.result ?? null,
    note: input.note ?? null,
    occurredAt: at.occurredAt,
    recordedAt: at.recordedAt,
    externalEventId: at.externalEventId,
  });
  if (assignment.role === 'responsible') {
    if (canTransition(appeal.status, input.event)) appeal.status = transition(appeal.status, input.event);
    if (dueAt) appeal.dueAt = dueAt;
    if (input.event === 'answer') appeal.result = input.result ?? null;
  }
}
