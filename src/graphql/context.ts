import type { EntityManager } from '@mikro-orm/knex';
import type { RequestAccess } from '../access/request.js';
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
  /**
   * A fork of the EntityManager for this request only, scoped to the principal (src/access/scope.ts):
   * for a body, every query through it sees only that body's appeals and copies.
   */
  em: EntityManager;
  /**
   * An unscoped fork, for the domain's own reads and writes once a resolver has authorized the call
   * (re-routing must see every copy of an appeal). What it loads is never returned as is: reload
   * the result through `em`.
   */
  systemEm: () => EntityManager;
  /** Per-request access checks and the personal-data audit (src/access/request.ts). */
  access: RequestAccess;
  principal: RequestPrincipal;
  now: Date;
  log: Logger;
  /** Where the UCC is reached, for jobs run by hand. */
  ucc: UccConfig;
}
