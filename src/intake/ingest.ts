/**
 * The common intake path after a line's reader: normalise each readable item, store the good ones in
 * chunks, and answer per item. Rejections name the item (index, external id), the field, a code.
 * Chunks are stored in document order as they become ready, so parsing (possibly in worker threads)
 * and committing overlap.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { prepare } from './normalise.js';
import { type AcceptedAppeal, type Indexed, storeAppeals } from './store.js';
import type { IntakeRejection, Prepared, ReadOutcome } from './types.js';

export interface IntakeReport {
  accepted: AcceptedAppeal[];
  rejected: IntakeRejection[];
}

export const STORE_CHUNK = 500;

export function ingest(
  em: EntityManager,
  outcomes: readonly ReadOutcome[],
  now: Date,
): Promise<IntakeReport> {
  return ingestPrepared(em, [prepare(outcomes)], now);
}

/** Stores chunks of prepared items in the order given, as each becomes ready (possibly from a worker). */
export async function ingestPrepared(
  em: EntityManager,
  chunks: AsyncIterable<Prepared[]> | Iterable<Prepared[]>,
  now: Date,
): Promise<IntakeReport> {
  const accepted: AcceptedAppeal[] = [];
  const rejected: IntakeRejection[] = [];
  let ready: Indexed[] = [];
  const flush = async () => {
    const stored = await storeAppeals(em, ready, now);
    accepted.push(...stored.accepted);
    rejected.push(...stored.rejected);
    ready = [];
  };
  for await (const chunk of chunks) {
    for (const p of chunk) {
      if (p.ok) ready.push({ index: p.index, appeal: p.appeal });
      else rejected.push(p.rejection);
      if (ready.length >= STORE_CHUNK) await flush();
    }
  }
  if (ready.length) await flush();
  return { accepted: accepted.sort(byIndex), rejected: rejected.sort(byIndex) };
}

const byIndex = (a: { index: number }, b: { index: number }) => a.index - b.index;
