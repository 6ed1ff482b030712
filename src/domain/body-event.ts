/**
 * What one event a body reports about its copy does, by the state machine: the rules shared by the
 * GraphQL mutation (one event) and the status pull (a page of them, decided in memory). An event that
 * does not follow from the copy's state is refused (DomainError), never applied half-way. An
 * extension is capped at 45 days in total (Art. 20); an answer carries its result (classifier
 * section 9). When the responsible body's copy moves, the appeal follows; other copies move alone.
 */
import type { ResultCode } from './appeal.js';
import { extendDueAt } from './deadline.js';
import { DomainError } from './errors.js';
import { type AppealState, canTransition, STATE_LABELS, type StatusEvent, transition } from './status.js';

export interface BodyEventInput {
  event: StatusEvent;
  result?: ResultCode | null;
  dueAt?: Date | null;
  registrationNumber?: string | null;
  note?: string | null;
}

export interface CopyFacts {
  status: AppealState;
  /** The responsible body's copy moves the appeal. */
  responsible: boolean;
}

export interface AppealFacts {
  status: AppealState;
  receivedAt: Date;
  dueAt: Date;
  result?: ResultCode | null;
}

export interface BodyEventEffect {
  /** The copy's state before and after. */
  from: AppealState;
  to: AppealState;
  /** The appeal after the event: the same values as before when the copy does not move it. */
  appeal: { status: AppealState; dueAt: Date; result: ResultCode | null };
}

export function bodyEventEffect(
  copy: CopyFacts,
  appeal: AppealFacts,
  input: BodyEventInput,
): BodyEventEffect {
  const from = copy.status;
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
  let dueAt: Date | null = null;
  if (input.event === 'extend') {
    if (!input.dueAt)
      throw new DomainError('DUE_DATE_REQUIRED', 'an extension needs the new due date', 'dueAt');
    dueAt = extendDueAt(appeal.receivedAt, appeal.dueAt, input.dueAt);
  }
  const to = transition(from, input.event);
  const after = { status: appeal.status, dueAt: appeal.dueAt, result: appeal.result ?? null };
  if (copy.responsible) {
    if (canTransition(appeal.status, input.event)) after.status = transition(appeal.status, input.event);
    if (dueAt) after.dueAt = dueAt;
    if (input.event === 'answer') after.result = input.result ?? null;
  }
  return { from, to, appeal: after };
}
