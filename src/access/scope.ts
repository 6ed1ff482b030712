/**
 * The first line of a body's isolation, where the data is read: every request gets its own
 * EntityManager, and for an `agency` principal that EntityManager carries filters bound to its body,
 * so that every query through it — lists, single lookups, counts, populated and lazily loaded
 * relations — sees only that body's appeals and, of those, only its own copies and deliveries.
 * An `integration` principal (intake only) sees no appeal at all. Staff roles see everything.
 * An applicant is reached only through its appeal. The second line is at the fields (scope-auth,
 * src/graphql/builder.ts).
 */
import { type FilterQuery, raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import {
  Appeal,
  Assignment,
  AssignmentNote,
  Attachment,
  Delivery,
  type IStatusEvent,
  StatusEvent,
  UccMessage,
} from '../db/entities/index.js';
import type { Orm } from '../db/orm.js';
import type { RequestPrincipal } from '../graphql/context.js';

/** No appeal has this id: the condition that matches nothing. */
const NOTHING = '00000000-0000-0000-0000-000000000000';

export const AGENCY_SCOPE = 'agencyScope';

/**
 * The body whose appeals alone this principal may read, or null for staff (everything). An agency
 * principal without a body (should not exist) sees nothing, like an integration: bound to no body.
 */
export function scopeAgencyOf(principal: RequestPrincipal): string | null {
  if (principal.role === 'agency') return principal.agencyId || NOTHING;
  if (principal.role === 'integration') return NOTHING;
  return null;
}

/**
 * The condition "the appeal aliased `alias` has a copy for the body bound to the one `?`": what makes
 * an appeal a body's own, for the ORM's filter below and for the API's plain-SQL reads alike.
 */
export function ownAppealSql(alias: string): string {
  return `exists (select 1 from assignment own where own.appeal_id = ${alias}.id and own.agency_id = ?)`;
}

/** An EntityManager for one request of this principal. */
export function scopedEm(orm: Pick<Orm, 'em'>, principal: RequestPrincipal): EntityManager {
  const em = orm.em.fork();
  const agency = scopeAgencyOf(principal);
  if (agency !== null) restrictToAgency(em, agency);
  return em;
}

/** Adds the body's filters to `em` (and to every fork made from it afterwards). */
export function restrictToAgency(em: EntityManager, agencyId: string): void {
  const mine = { assignments: { agency: agencyId } };
  // EXISTS on the copy's (appeal_id, agency_id) index rather than a join of the collection: a join
  // makes the page query group and sort all of the body's appeals before it can take one page;
  // EXISTS lets the database walk the (received_at, id) index newest first and stop after a page.
  em.addFilter(
    `${AGENCY_SCOPE}:appeal`,
    () => ({
      [raw((alias: string) => ownAppealSql(alias), [agencyId])]: [],
    }),
    Appeal,
  );
  em.addFilter(`${AGENCY_SCOPE}:attachment`, () => ({ appeal: mine }), Attachment);
  em.addFilter(`${AGENCY_SCOPE}:assignment`, () => ({ agency: agencyId }), Assignment);
  em.addFilter(`${AGENCY_SCOPE}:delivery`, () => ({ agency: agencyId }), Delivery);
  em.addFilter(`${AGENCY_SCOPE}:note`, () => ({ assignment: { agency: agencyId } }), AssignmentNote);
  const ownEvents: FilterQuery<IStatusEvent> = {
    appeal: mine,
    $or: [{ assignment: null }, { assignment: { agency: agencyId } }],
  };
  em.addFilter(`${AGENCY_SCOPE}:status-event`, () => ownEvents, StatusEvent);
  em.addFilter(`${AGENCY_SCOPE}:ucc-message`, () => ({ id: NOTHING }), UccMessage);
}
