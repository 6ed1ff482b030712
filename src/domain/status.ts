/**
 * The status state machine shared by appeals and their assignments. No official status list of the
 * Government Contact Center (Cabinet resolution No. 976) is published, so this follows the vocabulary
 * observed in the contact centers: registered → sent to the executor → under consideration → (extended) →
 * answered → checked and closed, with the side exits of the Law "Про звернення громадян": returned to the
 * author (Art. 5), forwarded by competence (Art. 7), not subject to consideration (Art. 8).
 */
import { DomainError } from './errors.js';

export const APPEAL_STATES = [
  'registered',
  'routed',
  'sent',
  'delivered',
  'under_consideration',
  'extended',
  'answered',
  'closed',
  'returned',
  'forwarded',
  'not_subject',
] as const;
export type AppealState = (typeof APPEAL_STATES)[number];

export const STATUS_EVENTS = [
  // The appeal's first event: it has no state before, so no transition leads to it.
  'register',
  'route',
  'send',
  'deliver',
  'accept',
  'extend',
  'answer',
  'close',
  'rework',
  'return',
  'forward',
  'reject',
  'reopen',
] as const;
export type StatusEvent = (typeof STATUS_EVENTS)[number];

type Transitions = Partial<Record<StatusEvent, AppealState>>;

/** Until an answer exists, Art. 5, 7 and 8 can still end the case. */
const SIDE_EXITS: Transitions = { return: 'returned', forward: 'forwarded', reject: 'not_subject' };

const TRANSITIONS: Readonly<Record<AppealState, Readonly<Transitions>>> = {
  registered: { route: 'routed', ...SIDE_EXITS },
  // Bodies that pull their work from the gateway's API have no separate 'send' step.
  routed: { send: 'sent', deliver: 'delivered', ...SIDE_EXITS },
  // Some channels report acceptance without a separate delivery receipt.
  sent: { deliver: 'delivered', accept: 'under_consideration', ...SIDE_EXITS },
  // A short-term answer may come straight after delivery.
  delivered: { accept: 'under_consideration', answer: 'answered', ...SIDE_EXITS },
  under_consideration: { extend: 'extended', answer: 'answered', ...SIDE_EXITS },
  // One extension per consideration; deadline.ts caps its date at 45 days (Art. 20).
  extended: { answer: 'answered', ...SIDE_EXITS },
  // The contact center checks the answer: accepted closes it, rejected sends it back for rework.
  answered: { close: 'closed', rework: 'under_consideration' },
  // Repeated consideration is an explicit, audited event, never a silent status edit.
  closed: { reopen: 'under_consideration' },
  returned: {},
  forwarded: {},
  not_subject: {},
};

const TERMINAL: ReadonlySet<AppealState> = new Set(['closed', 'returned', 'forwarded', 'not_subject']);

export function allowedEvents(state: AppealState): StatusEvent[] {
  return Object.keys(TRANSITIONS[state] ?? {}) as StatusEvent[];
}

export function canTransition(from: AppealState, event: StatusEvent): boolean {
  return TRANSITIONS[from]?.[event] !== undefined;
}

export function transition(from: AppealState, event: StatusEvent): AppealState {
  const to = TRANSITIONS[from]?.[event];
  if (to === undefined) {
    const allowed = allowedEvents(from);
    const instead = allowed.length > 0 ? allowed.join(', ') : 'none (final state)';
    throw new DomainError(
      'ILLEGAL_TRANSITION',
      `Event '${event}' is not allowed in state '${from}'; allowed: ${instead}`,
    );
  }
  return to;
}

/** Closed counts as terminal although 'reopen' leaves it: only an explicit decision does that. */
export function isTerminal(state: AppealState): boolean {
  return TERMINAL.has(state);
}

/** Whether the Art. 20 deadline still runs: an answer awaiting verification stops the clock. */
export function isOpen(state: AppealState): boolean {
  return !isTerminal(state) && state !== 'answered';
}

export const STATE_LABELS: Readonly<Record<AppealState, string>> = {
  registered: 'Зареєстровано',
  routed: 'Розподілено',
  sent: 'Надіслано виконавцю',
  delivered: 'Доставлено',
  under_consideration: 'На розгляді',
  extended: 'Термін розгляду продовжено',
  answered: 'Надано відповідь',
  closed: 'Закрито',
  returned: 'Повернуто',
  forwarded: 'Перенаправлено за належністю',
  not_subject: 'Не підлягає розгляду',
};

/** Progress order for "never move backwards" checks on receipts that arrive out of order. */
export const STATE_RANK: Readonly<Record<AppealState, number>> = {
  registered: 0,
  routed: 1,
  sent: 2,
  delivered: 3,
  under_consideration: 4,
  extended: 5,
  answered: 6,
  closed: 7,
  returned: 7,
  forwarded: 7,
  not_subject: 7,
};
