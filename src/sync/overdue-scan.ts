/**
 * Job `overdue-scan`: the deadline watch (Art. 20). Open appeals whose responsible body has passed
 * the due time are overdue; those due within `nearDays` are near due. An overdue appeal is escalated
 * once to the responsible body's parent, as a copy for information (with its delivery), so the body
 * above knows; a body without a parent in the directory is not escalated. `deadlineSummary` gives
 * the same counts per body at any moment.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { Assignment, Delivery } from '../db/entities/index.js';
import { newId } from '../db/ids.js';
import { selectRows } from '../db/knex-query.js';
import type { Orm } from '../db/orm.js';
import { deliveryRow } from '../delivery/outbox.js';
import { KYIV_ZONE } from '../domain/deadline.js';
import { APPEAL_STATES, isOpen } from '../domain/status.js';
import { recordJobRun } from '../jobs/job-run.js';
import { loadDirectory } from '../routing/directory.js';

const OPEN_STATES = APPEAL_STATES.filter(isOpen);
const DAY = 86_400_000;
export const NEAR_DUE_DAYS = 3;
export const ESCALATION_RULE_ID = 'overdue-escalation';

const kyivDay = new Intl.DateTimeFormat('uk-UA', {
  timeZone: KYIV_ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

export interface DeadlineCount {
  agencyId: string;
  overdue: number;
  nearDue: number;
}

/** Open appeals per responsible body: past their due time, and due within `nearDays`. */
export async function deadlineSummary(
  em: EntityManager,
  now: Date,
  nearDays = NEAR_DUE_DAYS,
): Promise<DeadlineCount[]> {
  const at = em.getPlatform().processDateProperty(now) as Date;
  const soon = em.getPlatform().processDateProperty(new Date(now.getTime() + nearDays * DAY)) as Date;
  const rows = await selectRows<{ agency_id: string; overdue: number | string; near_due: number | string }>(
    em,
    em
      .getKnex()('assignment as s')
      .join('appeal as a', 'a.id', 's.appeal_id')
      .where('s.role', 'responsible')
      .whereNot('s.status', 'forwarded')
      .whereIn('a.status', OPEN_STATES)
      .where('a.due_at', '<', soon)
      .groupBy('s.agency_id')
      .select('s.agency_id')
      .select(em.getKnex().raw('sum(case when a.due_at < ? then 1 else 0 end) as overdue', [at]))
      .select(em.getKnex().raw('sum(case when a.due_at >= ? then 1 else 0 end) as near_due', [at])),
  );
  return rows.map((r) => ({
    agencyId: r.agency_id,
    overdue: Number(r.overdue),
    nearDue: Number(r.near_due),
  }));
}

export async function overdueScan(deps: { orm: Pick<Orm, 'em'>; now: () => Date; nearDays?: number }) {
  const em = deps.orm.em.fork();
  return recordJobRun(em, 'overdue-scan', deps.now, async (counts) => {
    const now = deps.now();
    const summary = await deadlineSummary(em.fork(), now, deps.nearDays);
    counts.overdue = summary.reduce((n, s) => n + s.overdue, 0);
    counts.nearDue = summary.reduce((n, s) => n + s.nearDue, 0);
    counts.escalated = 0;
    const directory = await loadDirectory(em.fork());
    const codeById = new Map([...directory.idByCode].map(([code, id]) => [id, code]));
    const late = await em.fork().find(
      Assignment,
      {
        role: 'responsible',
        status: { $ne: 'forwarded' },
        appeal: { status: { $in: OPEN_STATES }, dueAt: { $lt: now } },
      },
      { populate: ['appeal', 'appeal.assignments'], limit: 5_000 },
    );
    for (const a of late) {
      const code = codeById.get(a.agency.id);
      const parentCode = code ? directory.entries.get(code)?.parentCode : null;
      const parentId = parentCode ? directory.idByCode.get(parentCode) : undefined;
      if (!code || !parentCode || !parentId) continue;
      if (a.appeal.assignments.getItems().some((x) => x.agency.id === parentId)) continue; // escalated before
      const body = directory.entries.get(code);
      const parent = directory.entries.get(parentCode);
      const reason = `прострочено: строк розгляду минув ${kyivDay.format(a.appeal.dueAt)}, відповіді від ${
        body?.shortName ?? body?.name ?? code
      } немає → до відома ${parent?.shortName ?? parent?.name ?? parentCode}`;
      await em.fork().transactional(async (tx) => {
        const assignment = tx.create(Assignment, {
          id: newId(),
          appeal: a.appeal.id,
          agency: parentId,
          role: 'for_information',
          status: 'routed',
          ruleSetVersion: null,
          ruleId: ESCALATION_RULE_ID,
          reason,
          createdAt: now,
          updatedAt: now,
        });
        tx.create(
          Delivery,
          deliveryRow({
            assignmentId: assignment.id,
            appealId: a.appeal.id,
            agencyId: parentId,
            agencyCode: parentCode,
            adapterKind: directory.adapterByCode.get(parentCode) ?? 'api',
            priority: true,
            now,
          }) as never,
        );
      });
      counts.escalated++;
    }
  });
}
