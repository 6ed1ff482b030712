/**
 * Batched loading per request (DataLoader), so that the number of SQL statements of a query does not
 * grow with its page size: every relation a list's items resolve goes through one loader, which
 * turns the page's look-ups into one `in (…)` query. Loaders read through the request's scoped
 * EntityManager, so a body's filters apply to them as to everything else.
 */
import { wrap } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import DataLoader from 'dataloader';
import {
  Agency,
  Appeal,
  Applicant,
  Assignment,
  AssignmentNote,
  Attachment,
  Delivery,
  type IAgency,
  type IAppeal,
  type IApplicant,
  type IAssignment,
  type IAssignmentNote,
  type IDelivery,
  type IStatusEvent,
  StatusEvent,
} from '../db/entities/index.js';
import type { GraphQLContext } from './context.js';

/** What a change of state shows (see StatusChange in appeal.ts), with its appeal's id. */
export type StatusChange = Pick<
  IStatusEvent,
  'id' | 'event' | 'state' | 'result' | 'origin' | 'occurredAt'
> & {
  appeal: string;
};

export interface Loaders {
  agency: DataLoader<string, IAgency | null>;
  appeal: DataLoader<string, IAppeal | null>;
  /** An appeal's copies this principal may see (a body: its own), when the appeal came without them. */
  assignmentsOfAppeal: DataLoader<string, IAssignment[]>;
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

function create(em: EntityManager): Loaders {
  return {
    agency: new DataLoader(async (ids) => byId(await em.find(Agency, { id: { $in: [...ids] } }), ids)),
    appeal: new DataLoader(async (ids) => byId(await em.find(Appeal, { id: { $in: [...ids] } }), ids)),
    applicant: new DataLoader(async (ids) => byId(await em.find(Applicant, { id: { $in: [...ids] } }), ids)),
    assignmentsOfAppeal: new DataLoader(async (ids) => {
      const rows = await em.find(Assignment, { appeal: { $in: [...ids] } });
      const map = new Map<string, IAssignment[]>();
      for (const r of rows) map.set(r.appeal.id, [...(map.get(r.appeal.id) ?? []), r]);
      return ids.map((id) => map.get(id) ?? []);
    }),
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
      // The page's events, newest first; the first seen per appeal is its latest. Read as plain rows
      // of the fields a change shows (no entities: an appeal has several events, only one is shown),
      // through this request's filters, so that a body sees only changes it may see.
      const qb = em
        .createQueryBuilder(StatusEvent, 's')
        .select(['id', 'appeal', 'event', 'state', 'result', 'origin', 'occurredAt'])
        .where({ appeal: { $in: [...ids] } })
        .orderBy({ occurredAt: 'desc', recordedAt: 'desc', id: 'desc' });
      await qb.applyFilters();
      const rows = (await qb.execute('all', true)) as unknown as StatusChange[];
      const map = new Map<string, StatusChange>();
      for (const r of rows) if (!map.has(r.appeal)) map.set(r.appeal, r);
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
    l = create(ctx.em);
    perRequest.set(ctx, l);
  }
  return l;
}

/** An appeal's author: the one already loaded with it, else through this request's batched loader. */
export async function authorOf(appeal: IAppeal, ctx: GraphQLContext): Promise<IApplicant | null> {
  const ref = appeal.applicant;
  if (!ref) return null;
  return wrap(ref).isInitialized() ? ref : loaders(ctx).applicant.load(ref.id);
}

/** A reference that must resolve (a foreign key): a missing row is a bug, not an empty answer. */
export async function required<T>(value: Promise<T | null>): Promise<T> {
  const found = await value;
  if (found === null) throw new Error('a referenced row is missing');
  return found;
}
