/**
 * Job `pull-agency-statuses`: asks each body whose adapter can list status changes for what changed
 * since its stored cursor, and applies each change to that body's copy through the state machine.
 * - de-duplicated by the body's event id (stored as `<body code>:<event id>` on the status event):
 *   a page read twice changes nothing;
 * - a change that arrives late or out of order (it does not follow from the copy's state) never moves
 *   a status backwards: it is counted and left;
 * - `forward` (the body returns its copy as not competent) goes through the same re-routing as the
 *   GraphQL mutation, with its 5-day forward term;
 * - a change with a code the adapter's mapping table does not know is logged and counted as
 *   `unmapped`, and leaves the status as it is;
 * - pages are applied at once (status-page.ts), a few in one transaction, while the next is fetched;
 *   a few bodies are pulled at the same time;
 * - the cursor moves only after a page is applied; one body's failure does not stop the others.
 */
import type { Adapter, PullOutcome, StatusUpdate, UnmappedStatus } from '../../adapters/port.js';
import { adapterFor } from '../../adapters/registry.js';
import { Agency, Assignment, type IAgency, StatusEvent, SyncCursor } from '../db/entities/index.js';
import type { Orm } from '../db/orm.js';
import { DomainError } from '../domain/errors.js';
import { type JobCounts, recordJobRun } from '../jobs/job-run.js';
import type { Logger } from '../log.js';
import { returnAsNotCompetent } from '../routing/manual.js';
import { applyStatusPage, mayBeAppealId, type Outcome, storedEventId } from './status-page.js';

export interface PullAgencyStatusesDeps {
  orm: Pick<Orm, 'em'>;
  now: () => Date;
  secret?: (name: string) => string | undefined;
  /** Pages per body per run, so one run cannot go on forever. */
  maxPages?: number;
  /** Bodies pulled at the same time; default 4. */
  concurrency?: number;
  /** Where unmapped status codes are reported (a warning each). */
  log?: Logger;
}

export const cursorName = (agencyCode: string) => `agency-statuses:${agencyCode}`;

/** Pages are gathered up to about this many changes before they are written in one transaction. */
const GROUP_UPDATES = 500;

const add = (counts: JobCounts, key: string, n = 1) => {
  counts[key] = (counts[key] ?? 0) + n;
};

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
      unmapped: 0,
      failedAgencies: 0,
    });
    const agencies = await em
      .fork()
      .find(Agency, { active: true, adapterKind: { $ne: 'api' } }, { orderBy: { code: 'asc' } });
    const failures: string[] = [];
    // Bodies are independent (each has its own cursor): while one body's page is decoded or written,
    // another's is on the wire. Writes still take turns on SQLite's one connection.
    const queue = [...agencies];
    const worker = async () => {
      for (let agency = queue.shift(); agency; agency = queue.shift()) {
        try {
          await pullOne(deps, agency, counts);
        } catch (err) {
          add(counts, 'failedAgencies');
          failures.push(`${agency.code}: ${(err as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, deps.concurrency ?? 4) }, worker));
    failures.sort();
    if (failures.length) throw new Error(`status pull failed for ${failures.join('; ')}`);
  });
}

async function pullOne(deps: PullAgencyStatusesDeps, agency: IAgency, counts: JobCounts): Promise<void> {
  const adapter = adapterFor(agency.adapterKind) as Adapter | undefined;
  if (!adapter) return;
  const parsed = adapter.parseSettings(agency.adapterSettings);
  if (!parsed.ok) throw new Error(`invalid ${agency.adapterKind} settings`);
  add(counts, 'agencies');
  const ctx = {
    signal: new AbortController().signal,
    secret: deps.secret ?? ((name: string) => process.env[name]),
  };
  const fetch = (cursor: string | null): Promise<PullOutcome> => {
    const pulling = adapter.pullStatuses(parsed.settings, cursor, ctx);
    pulling.catch(() => {}); // awaited below; a page read ahead and never awaited must not go unhandled
    return pulling;
  };
  const maxPages = deps.maxPages ?? 20;
  const stored = await deps.orm.em.fork().findOne(SyncCursor, { name: cursorName(agency.code) });
  let after = stored?.cursor ?? null;
  let next = fetch(after);
  let pages = 0;
  let more = true;
  while (more && pages < maxPages) {
    // A few pages, each read while the one before is handled, applied together: fewer commits.
    const group = { updates: [] as StatusUpdate[], unmapped: [] as UnmappedStatus[] };
    let cursor = after;
    let failure: string | null = null;
    do {
      const pulled = await next;
      if (!pulled.ok) {
        failure = `${pulled.failure.code}: ${pulled.failure.message}`;
        more = false;
        break;
      }
      pages++;
      add(counts, 'pages');
      more =
        pulled.updates.length + pulled.unmapped.length > 0 &&
        pulled.cursor !== null &&
        pulled.cursor !== cursor;
      group.updates.push(...pulled.updates);
      group.unmapped.push(...pulled.unmapped);
      cursor = pulled.cursor ?? cursor;
      if (more && pages < maxPages) next = fetch(cursor);
    } while (more && pages < maxPages && group.updates.length < GROUP_UPDATES);
    await applyPage(deps, agency, group.updates, counts);
    reportUnmapped(deps, agency, group.unmapped, counts);
    // The cursor moves only past what is applied: a failed page is read again next time.
    if (cursor !== null && cursor !== after) {
      await deps.orm.em
        .fork()
        .upsert(SyncCursor, { name: cursorName(agency.code), cursor, updatedAt: deps.now() });
    }
    after = cursor;
    if (failure) throw new Error(failure);
  }
}

/** In the feed's order: runs of ordinary changes at once, each `forward` on its own between them. */
async function applyPage(
  deps: PullAgencyStatusesDeps,
  agency: IAgency,
  updates: readonly StatusUpdate[],
  counts: JobCounts,
): Promise<void> {
  let run: StatusUpdate[] = [];
  const tally = (outcomes: Outcome[]) => {
    add(counts, 'updates', outcomes.length);
    for (const o of outcomes) add(counts, o);
  };
  const flush = async () => {
    if (run.length) tally(await applyStatusPage(deps.orm.em.fork(), agency, run, deps.now()));
    run = [];
  };
  for (const u of updates) {
    if (u.event !== 'forward') {
      run.push(u);
      continue;
    }
    await flush();
    tally([await applyForward(deps, agency, u)]);
  }
  await flush();
}

function reportUnmapped(
  deps: PullAgencyStatusesDeps,
  agency: IAgency,
  unmapped: readonly UnmappedStatus[],
  counts: JobCounts,
): void {
  add(counts, 'updates', unmapped.length);
  add(counts, 'unmapped', unmapped.length);
  for (const u of unmapped) {
    deps.log?.warn(
      {
        agency: agency.code,
        adapter: agency.adapterKind,
        externalEventId: u.externalEventId,
        code: u.code,
        appealId: u.appealId,
      },
      'status code not in the adapter’s mapping table: change not applied, status left as it was',
    );
  }
}

/** The body returns its copy as not competent: the same Art. 7 re-routing as the GraphQL mutation. */
async function applyForward(
  deps: PullAgencyStatusesDeps,
  agency: IAgency,
  u: StatusUpdate,
): Promise<Outcome> {
  const eventId = storedEventId(agency, u);
  const em = deps.orm.em.fork();
  if (await em.count(StatusEvent, { externalEventId: eventId })) return 'duplicates';
  if (!mayBeAppealId(u.appealId)) return 'unknown';
  const assignment = await em.findOne(Assignment, { appeal: u.appealId, agency: agency.id });
  if (!assignment) return 'unknown';
  const body = {
    id: 'sync',
    name: `sync:${agency.code}`,
    role: 'agency' as const,
    agencyId: agency.id,
    agencyCode: agency.code,
  };
  try {
    const reason = u.note?.trim() || 'не в компетенції органу';
    await returnAsNotCompetent(em, { assignmentId: assignment.id, reason }, body, deps.now());
  } catch (err) {
    // Late, repeated or out of order: never backwards. Anything else is a real failure.
    if (err instanceof DomainError) return 'ignored';
    throw err;
  }
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
