/**
 * The directory of bodies as routing sees it: codes, names and parents for rules, reasons and the law,
 * database ids for assignments, and the contact center's triage queue (the active body of kind
 * `contact_center` with the lowest code) that the `triage` target stands for.
 */
import type { EntityManager } from '@mikro-orm/knex';
import type { AdapterKind } from '../db/entities/agency.js';
import { Agency } from '../db/entities/index.js';
import type { DirectoryEntry } from '../domain/routing/types.js';

export interface RoutingDirectory {
  entries: ReadonlyMap<string, DirectoryEntry>;
  idByCode: ReadonlyMap<string, string>;
  /** How each body is reached (`api`, `sev-ovv`, `trembita`, `webhook`). */
  adapterByCode: ReadonlyMap<string, AdapterKind>;
  /** Codes rules may name: active bodies only. */
  activeCodes: ReadonlySet<string>;
  /** The triage queue's code, or null when the directory has none. */
  triageCode: string | null;
}

export async function loadDirectory(em: EntityManager): Promise<RoutingDirectory> {
  const agencies = await em.find(Agency, {}, { orderBy: { code: 'asc' } });
  const codeById = new Map(agencies.map((a) => [a.id, a.code]));
  const entries = new Map<string, DirectoryEntry>();
  const idByCode = new Map<string, string>();
  const adapterByCode = new Map<string, AdapterKind>();
  const activeCodes = new Set<string>();
  let triageCode: string | null = null;
  for (const a of agencies) {
    entries.set(a.code, {
      code: a.code,
      name: a.name,
      shortName: a.shortName ?? null,
      parentCode: a.parent ? (codeById.get(a.parent.id) ?? null) : null,
    });
    idByCode.set(a.code, a.id);
    adapterByCode.set(a.code, a.adapterKind);
    if (a.active) activeCodes.add(a.code);
    if (a.active && a.kind === 'contact_center' && triageCode === null) triageCode = a.code;
  }
  return {
    entries,
    idByCode,
    adapterByCode,
    activeCodes,
    triageCode,
  };
}
