import type { EntityManager } from '@mikro-orm/knex';
import type { Role } from '../db/entities/principal.js';

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
}
