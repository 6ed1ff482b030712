import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import {
  APPEAL_STATES,
  type AppealState,
  allowedEvents,
  canTransition,
  isOpen,
  isTerminal,
  STATE_LABELS,
  STATE_RANK,
  STATUS_EVENTS,
  type StatusEvent,
  transition,
} from './status.js';

// The agreed table, written out independently of the implementation.
const LEGAL: [AppealState, StatusEvent, AppealState][] = [
  ['registered', 'route', 'routed'],
  ['registered', 'return', 'returned'],
  ['registered', 'forward', 'forwarded'],
  ['registered', 'reject', 'not_subject'],
  ['routed', 'send', 'sent'],
  ['routed', 'deliver', 'delivered'],
  ['routed', 'return', 'returned'],
  ['routed', 'forward', 'forwarded'],
  ['routed', 'reject', 'not_subject'],
  ['sent', 'deliver', 'delivered'],
  ['sent', 'accept', 'under_consideration'],
  ['sent', 'return', 'returned'],
  ['sent', 'forward', 'forwarded'],
  ['sent', 'reject', 'not_subject'],
  ['delivered', 'accept', 'under_consideration'],
  ['delivered', 'answer', 'answered'],
  ['delivered', 'return', 'returned'],
  ['delivered', 'forward', 'forwarded'],
  ['delivered', 'reject', 'not_subject'],
  ['under_consideration', 'extend', 'extended'],
  ['under_consideration', 'answer', 'answered'],
  ['under_consideration', 'return', 'returned'],
  ['under_consideration', 'forward', 'forwarded'],
  ['under_consideration', 'reject', 'not_subject'],
  ['extended', 'answer', 'answered'],
  ['extended', 'return', 'returned'],
  ['extended', 'forward', 'forwarded'],
  ['extended', 'reject', 'not_subject'],
  ['answered', 'close', 'closed'],
  ['answered', 'rework', 'under_consideration'],
  ['closed', 'reopen', 'under_consideration'],
];

const isLegal = (from: AppealState, event: StatusEvent) => LEGAL.some(([f, e]) => f === from && e === event);

function errorOf(fn: () => unknown): DomainError | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  return undefined;
}

const run = (from: AppealState, ...events: StatusEvent[]): AppealState =>
  events.reduce<AppealState>((state, event) => transition(state, event), from);

describe('transition', () => {
  it.each(LEGAL)('%s --%s--> %s', (from, event, to) => {
    expect(transition(from, event)).toBe(to);
    expect(canTransition(from, event)).toBe(true);
  });

  it('refuses every pair outside the table', () => {
    for (const from of APPEAL_STATES) {
      for (const event of STATUS_EVENTS) {
        if (isLegal(from, event)) continue;
        expect(canTransition(from, event), `${from} --${event}`).toBe(false);
        expect(errorOf(() => transition(from, event))?.code).toBe('ILLEGAL_TRANSITION');
      }
    }
  });

  it.each([
    ['closed', 'answer'],
    ['registered', 'answer'],
    ['answered', 'extend'],
    ['extended', 'extend'],
    ['answered', 'return'],
  ] as const)('refuses %s --%s', (from, event) => {
    expect(canTransition(from, event)).toBe(false);
  });

  it('names the state, the event and what is allowed instead', () => {
    const error = errorOf(() => transition('answered', 'extend'));
    expect(error?.message).toContain("'answered'");
    expect(error?.message).toContain("'extend'");
    expect(error?.message).toContain('close, rework');
  });

  it.each(['returned', 'forwarded', 'not_subject'] as const)('%s accepts no event', (state) => {
    expect(allowedEvents(state)).toEqual([]);
    expect(errorOf(() => transition(state, 'reopen'))?.message).toMatch(/none/);
  });

  it('walks the happy path to closed with rising rank', () => {
    const path: StatusEvent[] = ['route', 'send', 'deliver', 'accept', 'extend', 'answer', 'close'];
    let state: AppealState = 'registered';
    for (const event of path) {
      const next = transition(state, event);
      expect(STATE_RANK[next]).toBeGreaterThan(STATE_RANK[state]);
      state = next;
    }
    expect(state).toBe('closed');
  });

  it('loops through rework until the answer is accepted', () => {
    expect(run('under_consideration', 'answer', 'rework', 'answer', 'rework', 'answer', 'close')).toBe(
      'closed',
    );
    expect(run('answered', 'rework')).toBe('under_consideration');
  });

  it('reopens a closed appeal for repeated consideration', () => {
    expect(run('closed', 'reopen', 'answer', 'close')).toBe('closed');
  });
});

describe('state predicates and labels', () => {
  it('allowedEvents agrees with the table', () => {
    for (const state of APPEAL_STATES) {
      const expected = LEGAL.filter(([f]) => f === state).map(([, e]) => e);
      expect([...allowedEvents(state)].sort()).toEqual([...expected].sort());
    }
  });

  it('marks closed and the side exits as terminal', () => {
    expect(APPEAL_STATES.filter(isTerminal)).toEqual(['closed', 'returned', 'forwarded', 'not_subject']);
  });

  it('stops the deadline once an answer exists', () => {
    expect(APPEAL_STATES.filter(isOpen)).toEqual([
      'registered',
      'routed',
      'sent',
      'delivered',
      'under_consideration',
      'extended',
    ]);
  });

  it('labels every state in Ukrainian', () => {
    for (const state of APPEAL_STATES) expect(STATE_LABELS[state]).toMatch(/^[А-ЯІЇЄҐ][а-яіїєґ’ ]+$/);
    expect(STATE_LABELS.forwarded).toBe('Перенаправлено за належністю');
  });

  it('ranks the three side exits with closed', () => {
    expect(STATE_RANK.returned).toBe(STATE_RANK.closed);
    expect(STATE_RANK.forwarded).toBe(7);
    expect(STATE_RANK.not_subject).toBe(7);
  });
});
