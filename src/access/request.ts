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
import { selectRows } from '../db/knex-query.js';
import type { Orm } from '../db/orm.js';
import type { AppealState } from '../domain/status.js';
import type { RequestPrincipal } from '../graphql/context.js';
import { scopedEm } from './scope.js';

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
  const roles = new DataLoader<string, BodyRole | null>(async (ids) => {
    if (principal.role !== 'agency' || !principal.agencyId) return ids.map(() => null);
    const em = systemEm();
    const rows = await selectRows<{
      appeal_id: string;
      role: AssignmentRole;
      status: AppealState;
      returned_at: unknown;
    }>(
      em,
      em
        .getKnex()('assignment')
        .select('appeal_id', 'role', 'status', 'returned_at')
        .where('agency_id', principal.agencyId)
        .whereIn('appeal_id', [...ids]),
    );
    const best = new Map<string, BodyRole>();
    for (const r of rows) {
      // A copy given back, or moved to another body by re-routing: the appeal is no longer this body's work.
      const role: BodyRole = r.returned_at == null && r.status !== 'forwarded' ? r.role : 'returned';
      const had = best.get(r.appeal_id);
      if (had === undefined || RANK[role] < RANK[had]) best.set(r.appeal_id, role);
    }
    return ids.map((id) => best.get(id) ?? null);
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
    em: scopedEm(orm, principal),
    systemEm,
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
