/**
 * The explicit list of agency adapters, by the kind an agency names in its settings. The gateway
 * reaches adapters only through here; the shared contract tests run every adapter listed.
 */
import { apiAdapter } from './api/index.js';
import type { Adapter } from './port.js';
import { sevOvvAdapter } from './sev-ovv/index.js';
import { trembitaAdapter } from './trembita/index.js';
import { webhookAdapter } from './webhook/index.js';

export type AdapterKind = Adapter['kind'];

const ADAPTERS: Partial<Record<AdapterKind, Adapter<unknown>>> = {
  api: apiAdapter as Adapter<unknown>,
  'sev-ovv': sevOvvAdapter as Adapter<unknown>,
  trembita: trembitaAdapter as Adapter<unknown>,
  webhook: webhookAdapter as Adapter<unknown>,
};

export function adapterFor(kind: AdapterKind): Adapter<unknown> | undefined {
  return ADAPTERS[kind];
}

export function registeredAdapters(): Adapter<unknown>[] {
  return Object.values(ADAPTERS).filter((a): a is Adapter<unknown> => a !== undefined);
}
