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
    const from = assignment.status;
    if (!canTransition(from, input.event as Event)) {
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
    assignment.status = transition(from, input.event as Event);
    assignment.updatedAt = now;
    if (input.registrationNumber) assignment.agencyRegNumber = input.registrationNumber;
    tx.create(StatusEvent, {
      id: newId(),
      appeal,
      assignment,
      origin: by.role === 'agency' ? 'agency' : 'operator',
      event: input.event,
      fromState: from,
      state: assignment.status,
      result: input.result ?? null,
      note: input.note ?? null,
      occurredAt: now,
      recordedAt: now,
      externalEventId: null,
    });
    if (assignment.role === 'responsible') {
      if (canTransition(appeal.status, input.event as Event))
        appeal.status = transition(appeal.status, input.event as Event);
      if (dueAt) appeal.dueAt = dueAt;
      if (input.event === 'answer') appeal.result = input.result ?? null;
    }
    return assignment;
  });
}
