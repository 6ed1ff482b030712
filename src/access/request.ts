/**
 * What one GraphQL request may see and what it must leave in the audit trail:
 * - `em`: the scoped EntityManager (scope.ts), `systemEm()` the unscoped one for the domain's work;
 * - `bodyRole(appealId)`: for a body, its role on the appeal (batched per request), or null when the
 *   appeal is not its own — the type-level check of every Appeal object;
 * - `personalData(appealId)`: whether this principal sees the author's personal data in clear, and
 *   why (Law No. 2297-VI: only who needs it for the appeal);
 * - `auditRead(...)`: records a read of unmasked personal data (who, which appeal, which fields, when,
 *   purpose), batched per request into one insert; the data is returned only after it is written.
 */
import type { EntityManager } from '@mikro-orm/knex';
import DataLoader from 'dataloader';
import { bulkInsert } from '../db/bulk-insert.js';
import type { AssignmentRole } from '../db/entities/assignment.js';
import { AuditEntry } from '../db/entities/index.js';
import { newId } from '../db/ids.js';
import { marks } from '../db/knex-query.js';
import type { Orm } from '../db/orm.js';
import { type SqlReader, sqlReader } from '../db/reader.js';
import { ASSIGNMENT_COLUMNS, type AssignmentView, assignmentView, conversions } from '../db/rows.js';
import type { RequestPrincipal } from '../graphql/context.js';
import { scopeAgencyOf, scopedEm } from './scope.js';

/** A body's role on an appeal; `returned` when it gave its copy back or the appeal was re-routed away from it. */
export type BodyRole = AssignmentRole | 'returned';

/** How much of the author's personal data a principal sees on one appeal. */
export interface PersonalDataAccess {
  /** Names, contacts, address and attachments in clear. */
  clear: boolean;
  /** Even in clear, name and address withheld when the author asked for non-disclosure (Art. 10)? */
  honourNonDisclosure: boolean;
  /** Why it is read, for the audit trail. */
  purpose: string;
}

export interface RequestAccess {
  em: EntityManager;
  systemEm: () => EntityManager;
  /** Plain-SQL reads (src/db/reader.ts); what goes through it must be restricted with `scopeAgencyId`. */
  reader: SqlReader;
  /** The body this principal's reads are restricted to (scope.ts `scopeAgencyOf`); null for staff. */
  scopeAgencyId: string | null;
  /** An appeal's copies this principal may see (a body: its own), batched per request. */
  copiesOf(appealId: string): Promise<AssignmentView[]>;
  /** Drops what this request has read so far (copies, roles): a mutation may have changed it. */
  forget(): void;
  bodyRole(appealId: string): Promise<BodyRole | null>;
  personalData(appealId: string): Promise<PersonalDataAccess>;
  auditRead(appealId: string, fields: readonly string[], purpose: string): Promise<void>;
}

const RANK: Record<BodyRole, number> = { responsible: 0, co_executor: 1, for_information: 2, returned: 3 };

/**
 * Whether the author's files go out in clear: they carry the author's name and address, so beyond
 * `clear` the non-disclosure rule of the identity fields (Art. 10) applies to them as well.
 */
export function filesInClear(access: PersonalDataAccess, nonDisclosure: boolean): boolean {
  return access.clear && !(access.honourNonDisclosure && nonDisclosure);
}

/** The longest purpose a client may give for a read (audit_entry.purpose is varchar(200)). */
export const MAX_PURPOSE_LENGTH = 200;

export const PURPOSE_CONTACT_CENTER =
  'опрацювання звернення контакт-центром (ст. 7 Закону «Про звернення громадян»)';
export const PURPOSE_BODY = 'розгляд звернення органом (ст. 7 Закону «Про звернення громадян»)';

export function requestAccess(
  orm: Pick<Orm, 'em'>,
  principal: RequestPrincipal,
  now: () => Date,
): RequestAccess {
  const systemEm = () => orm.em.fork();
  const em = scopedEm(orm, principal);
  const reader = sqlReader(em);
  const scopeAgencyId = scopeAgencyOf(principal);
  const c = conversions(reader.dialect);
  // The copies of a page's appeals in one statement: for a body its own copies only (the same
  // restriction as the scoped EntityManager's filter), for staff all of them.
  const copies = new DataLoader<string, AssignmentView[]>(async (ids) => {
    const own = scopeAgencyId !== null;
    const rows = await reader.all<Record<string, unknown>>(
      `select ${ASSIGNMENT_COLUMNS} from assignment s where s.appeal_id in (${marks(ids.length)})` +
        (own ? ' and s.agency_id = ?' : ''),
      own ? [...ids, scopeAgencyId] : ids,
    );
    const byAppeal = new Map<string, AssignmentView[]>();
    for (const r of rows) {
      const view = assignmentView(r, c);
      const list = byAppeal.get(view.appeal.id);
      if (list) list.push(view);
      else byAppeal.set(view.appeal.id, [view]);
    }
    return ids.map((id) => byAppeal.get(id) ?? []);
  });
  const roles = new DataLoader<string, BodyRole | null>(async (ids) => {
    const agencyId = principal.role === 'agency' ? principal.agencyId : null;
    if (!agencyId) return ids.map(() => null);
    // From the same copies a page shows (one statement for both), but counted only where the copy's
    // own body is this principal's: the check holds even if the copies were read too widely.
    const lists = await copies.loadMany(ids);
    return lists.map((list) => {
      if (list instanceof Error) throw list;
      let best: BodyRole | null = null;
      for (const r of list) {
        if (r.agency.id !== agencyId) continue;
        // A copy given back, or moved to another body by re-routing: the appeal is no longer this body's work.
        const role: BodyRole = r.returnedAt == null && r.status !== 'forwarded' ? r.role : 'returned';
        if (best === null || RANK[role] < RANK[best]) best = role;
      }
      return best;
    });
  });
  const audits = new DataLoader<{ appealId: string; fields: readonly string[]; purpose: string }, true>(
    async (reads) => {
      const at = now();
      await systemEm().transactional((tx) =>
        bulkInsert(
          tx,
          AuditEntry,
          reads.map((r) => ({
            id: newId(),
            principalId: principal.id || null,
            principalName: principal.name,
            action: 'read-personal-data',
            appealId: r.appealId,
            fields: [...r.fields],
            purpose: r.purpose,
            at,
          })),
        ),
      );
      return reads.map(() => true as const);
    },
    { cache: false },
  );
  return {
    em,
    systemEm,
    reader,
    scopeAgencyId,
    copiesOf: (appealId) => copies.load(appealId),
    forget() {
      copies.clearAll();
      roles.clearAll();
    },
    bodyRole: (appealId) => roles.load(appealId),
    async personalData(appealId) {
      switch (principal.role) {
        case 'admin':
        case 'operator':
          return { clear: true, honourNonDisclosure: false, purpose: PURPOSE_CONTACT_CENTER };
        case 'agency': {
          const role = await roles.load(appealId);
          // The responsible body and co-executors need the author to answer; copies for information
          // and a body that gave its copy back do not. Only the responsible body sees through Art. 10.
          return {
            clear: role === 'responsible' || role === 'co_executor',
            honourNonDisclosure: role !== 'responsible',
            purpose: PURPOSE_BODY,
          };
        }
        default:
          return { clear: false, honourNonDisclosure: true, purpose: '' };
      }
    },
    async auditRead(appealId, fields, purpose) {
      if (fields.length) await audits.load({ appealId, fields, purpose });
    },
  };
}
