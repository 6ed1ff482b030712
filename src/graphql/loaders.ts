/**
 * Batched loading per request (DataLoader), so that the number of SQL statements of a query does not
 * grow with its page size: every relation a list's items resolve goes through one loader, which
 * turns the page's look-ups into one `in (…)` query. Loaders read through the request's scoped
 * EntityManager, so a body's filters apply to them as to everything else.
 */
import { Utils, wrap } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import { ownAppealSql } from '../access/scope.js';
import {
  Appeal,
  Applicant,
  AssignmentNote,
  Attachment,
  Delivery,
  type IAppeal,
  type IApplicant,
  type IAssignmentNote,
  type IDelivery,
} from '../db/entities/index.js';
import { marks } from '../db/knex-query.js';
import {
  AGENCY_COLUMNS,
  type AgencyView,
  type AppealView,
  agencyView,
  conversions,
  type StatusChange,
} from '../db/rows.js';
import type { GraphQLContext } from './context.js';

export interface Loaders {
  agency: DataLoader<string, AgencyView | null>;
  appeal: DataLoader<string, IAppeal | null>;
  applicant: DataLoader<string, IApplicant | null>;
  deliveryOfAssignment: DataLoader<string, IDelivery | null>;
  attachmentsOfAppeal: DataLoader<string, { id: string; fileName: string; mimeType: string; size: number }[]>;
  lastEventOfAppeal: DataLoader<string, StatusChange | null>;
  notesOfAssignment: DataLoader<string, IAssignmentNote[]>;
}

const byId = <T extends { id: string }>(rows: readonly T[], ids: readonly string[]) => {
  const map = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => map.get(id) ?? null);
};

function create(ctx: GraphQLContext): Loaders {
  const { em } = ctx;
  const { reader, scopeAgencyId } = ctx.access;
  const c = conversions(reader.dialect);
  return {
    // The directory is not scoped: every principal may see which body a copy is with.
    agency: new DataLoader(async (ids) =>
      byId(
        (
          await reader.all<Record<string, unknown>>(
            `select ${AGENCY_COLUMNS} from agency g where g.id in (${marks(ids.length)})`,
            ids,
          )
        ).map((r) => agencyView(r, c)),
        ids,
      ),
    ),
    appeal: new DataLoader(async (ids) => byId(await em.find(Appeal, { id: { $in: [...ids] } }), ids)),
    applicant: new DataLoader(async (ids) => byId(await em.find(Applicant, { id: { $in: [...ids] } }), ids)),
    deliveryOfAssignment: new DataLoader(async (ids) => {
      const rows = await em.find(Delivery, { assignment: { $in: [...ids] } });
      const map = new Map(rows.map((d) => [d.assignment.id, d]));
      return ids.map((id) => map.get(id) ?? null);
    }),
    attachmentsOfAppeal: new DataLoader(async (ids) => {
      const rows = await em.find(
        Attachment,
        { appeal: { $in: [...ids] } },
        { fields: ['id', 'fileName', 'mimeType', 'size', 'appeal'], orderBy: { fileName: 'asc', id: 'asc' } },
      );
      const map = new Map<string, { id: string; fileName: string; mimeType: string; size: number }[]>();
      for (const r of rows) {
        const list = map.get(r.appeal.id) ?? [];
        list.push({ id: r.id, fileName: r.fileName, mimeType: r.mimeType, size: r.size });
        map.set(r.appeal.id, list);
      }
      return ids.map((id) => map.get(id) ?? []);
    }),
    lastEventOfAppeal: new DataLoader(async (ids) => {
      // The latest change per appeal of the page, in one statement, among the changes this principal
      // may see: for a body, changes of its own appeals that are of the whole appeal or of its own
      // copy (the same restriction as the scoped EntityManager's filter on status events).
      const own = scopeAgencyId !== null;
      const rows = await reader.all<Record<string, unknown>>(
        `select id, appeal_id, event, state, result, origin, occurred_at from (
           select s.id, s.appeal_id, s.event, s.state, s.result, s.origin, s.occurred_at,
             row_number() over (partition by s.appeal_id order by s.occurred_at desc, s.recorded_at desc, s.id desc) as rn
           from status_event s join appeal a on a.id = s.appeal_id
           where s.appeal_id in (${marks(ids.length)})${
             own
               ? ` and ${ownAppealSql('a')} and (s.assignment_id is null or exists (select 1 from assignment x where x.id = s.assignment_id and x.agency_id = ?))`
               : ''
           }
         ) latest where rn = 1`,
        own ? [...ids, scopeAgencyId, scopeAgencyId] : ids,
      );
      const map = new Map<string, StatusChange>();
      for (const r of rows)
        map.set(r.appeal_id as string, {
          id: r.id as string,
          appeal: r.appeal_id as string,
          event: r.event as StatusChange['event'],
          state: r.state as StatusChange['state'],
          result: (r.result ?? null) as StatusChange['result'],
          origin: r.origin as StatusChange['origin'],
          occurredAt: c.date(r.occurred_at),
        });
      return ids.map((id) => map.get(id) ?? null);
    }),
    notesOfAssignment: new DataLoader(async (ids) => {
      const rows = await em.find(
        AssignmentNote,
        { assignment: { $in: [...ids] } },
        { orderBy: { createdAt: 'asc', id: 'asc' } },
      );
      const map = new Map<string, IAssignmentNote[]>();
      for (const r of rows) map.set(r.assignment.id, [...(map.get(r.assignment.id) ?? []), r]);
      return ids.map((id) => map.get(id) ?? []);
    }),
  };
}

const perRequest = new WeakMap<GraphQLContext, Loaders>();

/** This request's loaders (made on first use). */
export function loaders(ctx: GraphQLContext): Loaders {
  let l = perRequest.get(ctx);
  if (!l) {
    l = create(ctx);
    perRequest.set(ctx, l);
  }
  return l;
}

/** Drops this request's loaders and what they hold: the next use makes new ones. */
export function forgetLoaders(ctx: GraphQLContext): void {
  perRequest.delete(ctx);
}

/** An appeal's author: the one already loaded with an entity, else through this request's batched loader. */
export async function authorOf(appeal: AppealView, ctx: GraphQLContext): Promise<IApplicant | null> {
  const ref = appeal.applicant;
  if (!ref) return null;
  return Utils.isEntity<IApplicant>(ref) && wrap(ref).isInitialized()
    ? ref
    : loaders(ctx).applicant.load(ref.id);
}

/** A reference that must resolve (a foreign key): a missing row is a bug, not an empty answer. */
export async function required<T>(value: Promise<T | null>): Promise<T> {
  const found = await value;
  if (found === null) throw new Error('a referenced row is missing');
  return found;
}
