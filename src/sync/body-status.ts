/**
 * Status changes a body reports itself: the way in for bodies that work the gateway's API (the
 * `api` adapter pushes nothing and pulls nothing). Only the state machine moves a status, by the
 * rules of domain/body-event.ts that the status pull applies too; a report through the API must also
 * carry an answer's text and an extension's reason (`checkApiReport`), which the copy keeps.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { Appeal, Assignment, AssignmentNote, type IAssignment, StatusEvent } from '../db/entities/index.js';
import { newId } from '../db/ids.js';
import type { ResultCode } from '../domain/appeal.js';
import { type BodyEventInput, bodyEventEffect, checkApiReport } from '../domain/body-event.js';
import { DomainError } from '../domain/errors.js';
import type { StatusEvent as Event } from '../domain/status.js';
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
  answerText?: string | null;
  /** When the body gave its answer; now when absent. */
  answeredAt?: Date | null;
  reason?: string | null;
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
    const answeredAt = input.event === 'answer' ? (input.answeredAt ?? now) : input.answeredAt;
    await applyBodyEvent(
      tx,
      assignment,
      { ...input, answeredAt },
      {
        origin: by.role === 'agency' ? 'agency' : 'operator',
        occurredAt: now,
        recordedAt: now,
        externalEventId: null,
      },
    );
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
 * Applies one event of a body to its copy inside the caller's transaction, by the state machine
 * (rules in domain/body-event.ts): refused (DomainError) when it does not follow from the copy's state.
 */
export async function applyBodyEvent(
  tx: EntityManager,
  assignment: IAssignment,
  input: BodyEventInput & { event: Event },
  at: EventOrigin,
): Promise<void> {
  const appeal = await tx.findOneOrFail(Appeal, { id: assignment.appeal.id });
  const copy = { status: assignment.status, responsible: assignment.role === 'responsible' };
  const effect = bodyEventEffect(copy, appeal, input);
  // Reported through the API, so held to its rules (the status pull, status-page.ts, records what it gets).
  checkApiReport(input, appeal.receivedAt, at.recordedAt);
  assignment.status = effect.to;
  assignment.updatedAt = at.recordedAt;
  if (input.registrationNumber) assignment.agencyRegNumber = input.registrationNumber;
  const { answer, extensionReason } = effect.copy;
  if (answer) {
    assignment.answerText = answer.text;
    assignment.answeredAt = answer.answeredAt;
    assignment.answerResult = answer.result;
  }
  if (extensionReason !== undefined) assignment.extensionReason = extensionReason;
  tx.create(StatusEvent, {
    id: newId(),
    appeal,
    assignment,
    origin: at.origin,
    event: input.event,
    fromState: effect.from,
    state: effect.to,
    result: input.result ?? null,
    note: effect.note,
    occurredAt: at.occurredAt,
    recordedAt: at.recordedAt,
    externalEventId: at.externalEventId,
  });
  Object.assign(appeal, effect.appeal);
}

export const MAX_NOTE_CHARS = 4_000;

/**
 * A body records its own registration number of its copy and/or adds a note, without changing the
 * copy's status. Another body's copy is answered as not found.
 */
export async function annotateAssignment(
  em: EntityManager,
  input: { assignmentId: string; note?: string | null; registrationNumber?: string | null },
  by: RequestPrincipal,
  now: Date,
): Promise<IAssignment> {
  const note = input.note?.trim() ?? '';
  const registrationNumber = input.registrationNumber?.trim() ?? '';
  if (!note && !registrationNumber)
    throw new DomainError('NOTHING_TO_RECORD', 'give a note, a registration number, or both', 'note');
  if (note.length > MAX_NOTE_CHARS)
    throw new DomainError('NOTE_TOO_LONG', `a note holds at most ${MAX_NOTE_CHARS} characters`, 'note');
  if (registrationNumber.length > 64)
    throw new DomainError(
      'REGISTRATION_NUMBER_TOO_LONG',
      'a registration number holds at most 64 characters',
      'registrationNumber',
    );
  return em.transactional(async (tx) => {
    const assignment = await tx.findOne(Assignment, { id: input.assignmentId }, { populate: ['agency'] });
    if (!assignment || (by.role === 'agency' && by.agencyId !== assignment.agency.id)) {
      throw new DomainError('NOT_FOUND', `no assignment ${input.assignmentId}`, 'assignmentId');
    }
    if (registrationNumber) {
      assignment.agencyRegNumber = registrationNumber;
      assignment.updatedAt = now;
    }
    if (note) {
      tx.create(AssignmentNote, {
        id: newId(),
        assignment,
        appeal: assignment.appeal,
        principalId: by.id || null,
        authorName: by.name,
        text: note,
        createdAt: now,
      });
    }
    return assignment;
  });
}
