/**
 * What one event a body reports about its copy does, by the state machine: the rules shared by the
 * GraphQL mutation (one event) and the status pull (a page of them, decided in memory). An event that
 * does not follow from the copy's state is refused (DomainError), never applied half-way. An
 * extension is capped at 45 days in total (Art. 20); an answer carries its result (classifier
 * section 9). When the responsible body's copy moves, the appeal follows; other copies move alone.
 * The copy keeps the body's own work: its last answer (text, when given, result) and the reason of
 * its last extension.
 */
import type { ResultCode } from './appeal.js';
import { extendDueAt } from './deadline.js';
import { DomainError } from './errors.js';
import { type AppealState, canTransition, STATE_LABELS, type StatusEvent, transition } from './status.js';

export const MAX_ANSWER_CHARS = 10_000;
export const MAX_EXTENSION_REASON_CHARS = 2_000;
/** How far ahead of the gateway's clock a body's clock may run. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export interface BodyEventInput {
  event: StatusEvent;
  result?: ResultCode | null;
  dueAt?: Date | null;
  registrationNumber?: string | null;
  note?: string | null;
  /** With `answer`: the answer's text and when the body gave it (required: the caller's default). */
  answerText?: string | null;
  answeredAt?: Date | null;
  /** With `extend`: why the term was extended. */
  reason?: string | null;
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

/** A body's answer as its copy keeps it; the text is null when the body's system sent none. */
export interface CopyAnswer {
  text: string | null;
  answeredAt: Date;
  result: ResultCode;
}

/** What the copy records of the body's work; an absent key leaves the stored value as it is. */
export interface CopyWork {
  answer?: CopyAnswer;
  extensionReason?: string | null;
}

export interface BodyEventEffect {
  /** The copy's state before and after. */
  from: AppealState;
  to: AppealState;
  /** The appeal after the event: the same values as before when the copy does not move it. */
  appeal: { status: AppealState; dueAt: Date; result: ResultCode | null };
  copy: CopyWork;
  /** The status event's note: the answer's text or the extension's reason, then the caller's note. */
  note: string | null;
}

const trimmed = (v: string | null | undefined): string | null => v?.trim() || null;

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
  const work: CopyWork = {};
  let own: string | null = null;
  if (input.event === 'answer') {
    if (!input.result) {
      throw new DomainError('RESULT_REQUIRED', 'an answer needs its result (classifier section 9)', 'result');
    }
    // Both callers default it (the API to now, the pull to the body's time of the change).
    if (!input.answeredAt)
      throw new DomainError('ANSWERED_AT_REQUIRED', 'an answer needs its time', 'answeredAt');
    own = trimmed(input.answerText);
    work.answer = { text: own, answeredAt: input.answeredAt, result: input.result };
  }
  let dueAt: Date | null = null;
  if (input.event === 'extend') {
    if (!input.dueAt)
      throw new DomainError('DUE_DATE_REQUIRED', 'an extension needs the new due date', 'dueAt');
    dueAt = extendDueAt(appeal.receivedAt, appeal.dueAt, input.dueAt);
    own = trimmed(input.reason);
    work.extensionReason = own;
  }
  const to = transition(from, input.event);
  const after = { status: appeal.status, dueAt: appeal.dueAt, result: appeal.result ?? null };
  if (copy.responsible) {
    if (canTransition(appeal.status, input.event)) after.status = transition(appeal.status, input.event);
    if (dueAt) after.dueAt = dueAt;
    if (input.event === 'answer') after.result = input.result ?? null;
  }
  const note = [own, trimmed(input.note)].filter(Boolean).join('\n') || null;
  return { from, to, appeal: after, copy: work, note };
}

/**
 * What a body working the gateway's API must give beyond what the state machine needs: an answer's
 * text, and a time neither ahead of now (but for a little clock skew) nor before the appeal was
 * received; an extension's reason. Fields of another event are refused rather than dropped. The
 * status pull does not apply this: bodies' systems send what they have, and it is recorded as sent.
 */
export function checkApiReport(input: BodyEventInput, receivedAt: Date, now: Date): void {
  const text = trimmed(input.answerText);
  const reason = trimmed(input.reason);
  if (input.event !== 'answer') {
    if (input.answerText != null) notFor(input.event, 'answerText');
    if (input.answeredAt != null) notFor(input.event, 'answeredAt');
  }
  if (input.event !== 'extend' && input.reason != null) notFor(input.event, 'reason');
  if (input.event === 'answer') {
    if (!text) throw new DomainError('ANSWER_TEXT_REQUIRED', 'an answer needs its text', 'answerText');
    if (text.length > MAX_ANSWER_CHARS) {
      throw new DomainError(
        'ANSWER_TEXT_TOO_LONG',
        `an answer's text holds at most ${MAX_ANSWER_CHARS} characters: shorten it`,
        'answerText',
      );
    }
    const at = input.answeredAt;
    if (at && at.getTime() > now.getTime() + CLOCK_SKEW_MS) {
      throw new DomainError(
        'ANSWERED_AT_IN_FUTURE',
        `an answer cannot be dated in the future: ${at.toISOString()} is after now (${now.toISOString()})`,
        'answeredAt',
      );
    }
    if (at && at.getTime() < receivedAt.getTime()) {
      throw new DomainError(
        'ANSWERED_AT_BEFORE_RECEIPT',
        `the answer cannot precede the appeal: ${at.toISOString()} is before its receipt at ${receivedAt.toISOString()}`,
        'answeredAt',
      );
    }
  }
  if (input.event === 'extend') {
    if (!reason)
      throw new DomainError('EXTENSION_REASON_REQUIRED', 'an extension needs its reason (Art. 20)', 'reason');
    if (reason.length > MAX_EXTENSION_REASON_CHARS) {
      throw new DomainError(
        'EXTENSION_REASON_TOO_LONG',
        `an extension's reason holds at most ${MAX_EXTENSION_REASON_CHARS} characters`,
        'reason',
      );
    }
  }
}

function notFor(event: StatusEvent, field: string): never {
  throw new DomainError('NOT_FOR_THIS_EVENT', `${field} does not go with the event ${event}`, field);
}
