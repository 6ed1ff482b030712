/**
 * The status feeds of the status-sync benchmark: per body, blocks of its copies go through deliver →
 * accept → (every fourth) extend → answer, each phase for the whole block before the next, as a busy
 * office works. Among them: every 50th change sent twice (a duplicate), every 100th copy's delivery
 * reported again after its answer (late: ignored, never backwards), every 200th change about an appeal
 * the gateway does not have (unknown). Stops at exactly `total` changes and says what the job must count.
 */
import type { StatusUpdate } from '../../adapters/port.js';

type Outcome = 'applied' | 'duplicates' | 'ignored' | 'unknown';
const BLOCK = 500;
const START = Date.parse('2026-11-27T10:00:00Z');

export function feedFor(copies: Map<string, string[]>, total: number) {
  const feeds = new Map<string, StatusUpdate[]>([...copies.keys()].map((code) => [code, []]));
  const expected: Record<Outcome | 'updates', number> = {
    updates: 0,
    applied: 0,
    duplicates: 0,
    ignored: 0,
    unknown: 0,
  };
  let seq = 0;
  let applied = 0;
  const push = (code: string, u: Omit<StatusUpdate, 'occurredAt'>, outcome: Outcome): boolean => {
    if (expected.updates >= total) return false;
    const at = ++seq;
    feeds.get(code)?.push({ ...u, occurredAt: new Date(START + at * 1000).toISOString() });
    expected.updates++;
    expected[outcome]++;
    if (outcome === 'applied' && at % 50 === 0) push(code, u, 'duplicates');
    if (outcome === 'applied' && ++applied % 200 === 0) {
      const appealId = `00000000-0000-4000-8000-${String(at).padStart(12, '0')}`;
      push(code, { ...u, appealId, externalEventId: `unknown-${at}` }, 'unknown');
    }
    return true;
  };
  const base = { result: null, registrationNumber: null, dueAt: null, note: null };
  for (let from = 0; expected.updates < total; from += BLOCK) {
    let any = false;
    for (const [code, ids] of copies) {
      const block = ids.slice(from, from + BLOCK).map((appealId, k) => ({ appealId, n: from + k }));
      any ||= block.length > 0;
      const id = (n: number, what: string) => `${code}-${n}-${what}`;
      for (const { appealId, n } of block)
        push(code, { ...base, appealId, externalEventId: id(n, 'deliver'), event: 'deliver' }, 'applied');
      for (const { appealId, n } of block) {
        const registrationNumber = `ВХ-${n}/2026`;
        push(
          code,
          { ...base, appealId, externalEventId: id(n, 'accept'), event: 'accept', registrationNumber },
          'applied',
        );
      }
      for (const { appealId, n } of block.filter((c) => c.n % 4 === 0)) {
        const dueAt = '2027-01-05T10:00:00.000Z';
        push(
          code,
          { ...base, appealId, externalEventId: id(n, 'extend'), event: 'extend', dueAt },
          'applied',
        );
      }
      for (const { appealId, n } of block) {
        const answer = { ...base, appealId, event: 'answer' as const, result: 'explained' as const };
        push(code, { ...answer, externalEventId: id(n, 'answer'), note: 'Надано роз’яснення' }, 'applied');
        if (n % 100 === 0)
          push(code, { ...base, appealId, externalEventId: id(n, 'late'), event: 'deliver' }, 'ignored');
      }
    }
    if (!any) throw new Error(`only ${expected.updates} changes for ${total}: seed more appeals`);
  }
  return { feeds, expected };
}
