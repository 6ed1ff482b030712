import type { EntityManager } from '@mikro-orm/core';
import { Agency, type IAgency } from '../db/entities/index.js';
import { newId } from '../db/ids.js';
import { normalizeKatottg } from '../domain/katottg.js';
import type { SeedAgency } from './zaporizhzhia.js';

export interface SeedReport {
  created: number;
  unchanged: number;
}

/**
 * Loads a seed directory idempotently: bodies are matched by code; missing ones are created
 * (parents first), existing ones are left as operators may have changed them.
 */
export async function loadSeed(em: EntityManager, seed: readonly SeedAgency[]): Promise<SeedReport> {
  return em.transactional(async (tx) => {
    const existing = await tx.find(Agency, { code: { $in: seed.map((s) => s.code) } });
    const byCode = new Map<string, IAgency>(existing.map((a) => [a.code, a]));
    let created = 0;
    for (const s of seed) {
      if (byCode.has(s.code)) continue;
      const parent = s.parentCode ? byCode.get(s.parentCode) : null;
      if (s.parentCode && !parent)
        throw new Error(`seed: parent ${s.parentCode} of ${s.code} must come first`);
      const row = tx.create(Agency, {
        id: newId(),
        code: s.code,
        name: s.name,
        shortName: s.shortName,
        kind: s.kind,
        parent: parent ?? null,
        territories: s.territories.map((t) => normalizeKatottg(t)),
        adapterKind: 'api',
        adapterSettings: {},
        codeIsPlaceholder: s.codeIsPlaceholder,
        active: true,
      });
      byCode.set(s.code, row);
      created++;
    }
    return { created, unchanged: seed.length - created };
  });
}
