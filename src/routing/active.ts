/**
 * The routing in force: the published ruleset compiled against the current directory, cached per
 * database and rebuilt when either changes (two one-row queries decide that). Without a published
 * ruleset everything goes to the triage queue, with a reason that says so.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { RuleSet } from '../db/entities/index.js';
import { selectRows } from '../db/knex-query.js';
import { nameOf } from '../domain/routing/law.js';
import { createRouter, type Router, type RoutingResult } from '../domain/routing/router.js';
import {
  type RoutedTarget,
  type RoutingInput,
  type RuleSetDocument,
  TRIAGE,
} from '../domain/routing/types.js';
import { loadDirectory, type RoutingDirectory } from './directory.js';

export interface ActiveRouting {
  /** The published version, or null when none is published. */
  version: number | null;
  directory: RoutingDirectory;
  router: Router;
  /** Routes and resolves `triage` to the queue's code; null when there is nowhere to send it. */
  route(input: RoutingInput): RoutingResult | null;
}

const FALLBACK: RuleSetDocument = {
  name: 'без опублікованих правил',
  rules: [],
  default: { responsible: TRIAGE },
};

const cache = new WeakMap<object, { key: string; routing: ActiveRouting }>();

export async function publishedRuleSet(em: EntityManager) {
  return em.findOne(RuleSet, { state: 'published' });
}

export function buildRouting(
  version: number | null,
  doc: RuleSetDocument,
  directory: RoutingDirectory,
): ActiveRouting {
  const queue = directory.triageCode;
  // Reasons name the queue itself: TRIAGE reads as the contact center's body.
  const entries = new Map(directory.entries);
  const queueEntry = queue === null ? undefined : directory.entries.get(queue);
  if (queueEntry) entries.set(TRIAGE, queueEntry);
  const router = createRouter(doc, entries);
  const resolved = new Map<RoutingResult, RoutingResult | null>();
  const resolve = (r: RoutingResult): RoutingResult | null => {
    if (!r.targets.some((t) => t.agencyCode === TRIAGE)) return r;
    if (queue === null) return null;
    const targets: RoutedTarget[] = r.targets.map((t) =>
      t.agencyCode === TRIAGE ? { ...t, agencyCode: queue } : t,
    );
    const reason =
      version === null
        ? `немає опублікованих правил маршрутизації → ${nameOf(directory.entries, queue)}`
        : r.reason;
    return { ruleId: r.ruleId, targets, reason };
  };
  return {
    version,
    directory,
    router,
    route(input) {
      const r = router.route(input);
      let out = resolved.get(r);
      if (out === undefined) {
        out = resolve(r);
        // Plain matches are the same object every time: resolve each once.
        if (resolved.size < 10_000) resolved.set(r, out);
      }
      return out;
    },
  };
}

/**
 * What the cached routing depends on, read as plain rows (it runs for every intake chunk): the
 * published version and every body's state — not a maximum of timestamps, since two edits may
 * commit out of order.
 */
async function routingKey(em: EntityManager): Promise<string> {
  const knex = em.getKnex();
  const [published] = await selectRows<{ version: number; updated_at: unknown }>(
    em,
    knex('rule_set').select('version', 'updated_at').where('state', 'published'),
  );
  const bodies = await selectRows<{ id: string; updated_at: unknown; adapter_kind: string; active: unknown }>(
    em,
    knex('agency').select('id', 'updated_at', 'adapter_kind', 'active').orderBy('id'),
  );
  const stamp = (v: unknown) => (v instanceof Date ? v.getTime() : String(v));
  return [
    published ? `${published.version}@${stamp(published.updated_at)}` : '-',
    ...bodies.map((b) => `${b.id}/${stamp(b.updated_at)}/${b.adapter_kind}/${String(b.active)}`),
  ].join(',');
}

export async function activeRouting(em: EntityManager): Promise<ActiveRouting> {
  const key = await routingKey(em);
  const slot = em.getConnection();
  const hit = cache.get(slot);
  if (hit && hit.key === key) return hit.routing;
  const published = await publishedRuleSet(em);
  const directory = await loadDirectory(em);
  const routing = buildRouting(published?.version ?? null, published?.document ?? FALLBACK, directory);
  cache.set(slot, { key, routing });
  return routing;
}
