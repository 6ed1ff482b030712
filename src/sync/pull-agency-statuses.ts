/**
 * Job `pull-agency-statuses`: asks each body whose adapter can list status changes for what changed
 * since its stored cursor, and applies each change to that body's copy through the state machine.
 * - de-duplicated by the body's event id (stored as `<body code>:<event id>` on the status event):
 *   a page read twice changes nothing;
 * - a change that arrives late or out of order (it does not follow from the copy's state) never moves
 *   a status backwards: it is counted and left;
 * - `forward` (the body returns its copy as not competent) goes through the same re-routing as the
 *   GraphQL mutation, with its 5-day forward term;
 * - the cursor moves only after a page is applied; one body's failure does not stop the others.
 */
import type { EntityManager } from '@mikro-orm/knex';
import type { StatusUpdate } from '../../adapters/port.js';
import { adapterFor } from '../../adapters/registry.js';
import { Agency, Assignment, type IAgency, StatusEvent, SyncCursor } from '../db/entities/index.js';
import type { Orm } from '../db/orm.js';
import { DomainError } from '../domain/errors.js';
import { type JobCounts, recordJobRun } from '../jobs/job-run.js';
import { returnAsNotCompetent } from '../routing/manual.js';
import { applyBodyEvent } from './body-status.js';

export interface PullAgencyStatusesDeps {
  orm: Pick<Orm, 'em'>;
  now: () => Date;
  secret?: (name: string) => string | undefined;
  /** Pages per body per run, so one run cannot go on forever. */
  maxPages?: number;
}

export const cursorName = (agencyCode: string) => `agency-statuses:${agencyCode}`;

export async function pullAgencyStatuses(deps: PullAgencyStatusesDeps) {
  const em = deps.orm.em.fork();
  return recordJobRun(em, 'pull-agency-statuses', deps.now, async (counts) => {
    Object.assign(counts, {
      agencies: 0,
      pages: 0,
      updates: 0,
      applied: 0,
      duplicates: 0,
      ignored: 0,
      unknown: 0,
      failedAgencies: 0,
    });
    const agencies = await em
      .fork()
      .find(Agency, { active: true, adapterKind: { $ne: 'api' } }, { orderBy: { code: 'asc' } });
    const failures: string[] = [];
    for (const agency of agencies) {
      try {
        await pullOne(deps, agency, counts);
      } catch (err) {
        counts.failedAgencies = (counts.failedAgencies ?? 0) + 1;
        failures.push(`${agency.code}: ${(err as Error).message}`);
      }
    }
    if (failures.length) throw new Error(`status pull failed for ${failures.join('; ')}`);
  });
}

async function pullOne(deps: PullAgencyStatusesDeps, agency: IAgency, counts: JobCounts): Promise<void> {
  const adapter = adapterFor(agency.adapterKind);
  if (!adapter) return;
  const parsed = adapter.parseSettings(agency.adapterSettings);
  if (!parsed.ok) throw new Error(`invalid ${agency.adapterKind} settings`);
  counts.agencies = (counts.agencies ?? 0) + 1;
  for (let page = 0; page < (deps.maxPages ?? 20); page++) {
    const stored = await deps.orm.em.fork().findOne(SyncCursor, { name: cursorName(agency.code) });
    const after = stored?.cursor ?? null;
    const pulled = await adapter.pullStatuses(parsed.settings, after, {
      signal: new AbortController().signal,
      secret: deps.secret ?? ((name) => process.env[name]),
    });
    if (!pulled.ok) throw new Error(`${pulled.failure.code}: ${pulled.failure.message}`);
    counts.pages = (counts.pages ?? 0) + 1;
    for (const update of pulled.updates) {
      counts.updates = (counts.updates ?? 0) + 1;
      const outcome = await applyUpdate(deps, agency, update);
      counts[outcome] = (counts[outcome] ?? 0) + 1;
    }
    if (pulled.cursor !== null && pulled.cursor !== after) {
      await deps.orm.em
        .fork()
        .upsert(SyncCursor, { name: cursorName(agency.code), cursor: pulled.cursor, updatedAt: deps.now() });
    }
    if (!pulled.updates.length || pulled.cursor === null || pulled.cursor === after) return;
  }
}

type Outcome = 'applied' | 'duplicates' | 'ignored' | 'unknown';

async function applyUpdate(deps: PullAgencyStatusesDeps, agency: IAgency, u: StatusUpdate): Promise<Outcome> {
  const eventId = `${agency.code}:${u.externalEventId}`;
  const em = deps.orm.em.fork();
  if (await em.count(StatusEvent, { externalEventId: eventId })) return 'duplicates';
  const assignment = await em.findOne(
    Assignment,
    { appeal: u.appealId, agency: agency.id },
    { populate: ['agency', 'appeal'] },
  );
  if (!assignment) return 'unknown';
  const now = deps.now();
  try {
    if (u.event === 'forward') {
      const body = {
        id: 'sync',
        name: `sync:${agency.code}`,
        role: 'agency' as const,
        agencyId: agency.id,
        agencyCode: agency.code,
      };
      await returnAsNotCompetent(
        em,
        { assignmentId: assignment.id, reason: u.note?.trim() || 'не в компетенції органу' },
        body,
        now,
      );
      // The body's event id marks the change as seen, so a re-read is a duplicate.
      await em
        .fork()
        .nativeUpdate(
          StatusEvent,
          { assignment: assignment.id, event: 'forward', externalEventId: null },
          { externalEventId: eventId },
        );
      return 'applied';
    }
    await em.transactional(async (tx) =>
      applyBodyEvent(
        tx,
        await tx.findOneOrFail(Assignment, { id: assignment.id }, { populate: ['agency', 'appeal'] }),
        {
          event: u.event,
          result: u.result,
          dueAt: u.dueAt ? new Date(u.dueAt) : null,
          registrationNumber: u.registrationNumber,
          note: u.note,
        },
        { origin: 'agency', occurredAt: new Date(u.occurredAt), recordedAt: now, externalEventId: eventId },
      ),
    );
    return 'applied';
  } catch (err) {
    // Late, repeated or out of order: never backwards. Anything else is a real failure.
    if (err instanceof DomainError) return 'ignored';
    throw err;
  }
}
