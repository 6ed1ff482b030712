import type { EntityManager } from '@mikro-orm/knex';
import type { Role } from '../db/entities/principal.js';
import type { UccConfig } from '../jobs/registry.js';
import type { Logger } from '../log.js';

/** Who is asking, as the request sees it (not an entity: it outlives no request). */
export interface RequestPrincipal {
  id: string;
  name: string;
  role: Role;
  agencyId: string | null;
  agencyCode: string | null;
}

export interface GraphQLContext {
  /** A fork of the EntityManager for this request only. */
  em: EntityManager;
  principal: RequestPrincipal;
  now: Date;
  log: Logger;
  /** Where the UCC is reached, for jobs run by hand. */
  ucc: UccConfig;
}
