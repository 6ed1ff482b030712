/**
 * Job `reconcile` (nightly): compares the Government Contact Center's list of open appeals for the
 * region, and each body's list of open copies (where its adapter can list them), with the gateway's,
 * and writes a report (`reconcile_report` + `reconcile_item`, GraphQL `reconcileReports`):
 * - missing_here: the other side has it open, the gateway does not (or has it closed);
 * - missing_there: the gateway has it open there, the other side does not list it;
 * - status_mismatch: both have it open, in different states.
 * It repairs what is safe to repair and leaves the rest for an operator:
 * - the UCC does not know the appeal's current state → its dead messages are replayed, or the latest
 *   change is sent again (`resend-ucc-status`);
 * - a body does not list a copy the gateway delivered to it → the copy is sent again under a new key
 *   generation (`resend-delivery`);
 * - a body is ahead of the gateway → its statuses are pulled again (`pull-statuses`).
 * A side that cannot be read (not configured, unreachable, no listing) is skipped and named in the report.
 */
import type { EntityManager } from '@mikro-orm/knex';
import type { OpenCopy } from '../../adapters/port.js';
import { adapterFor } from '../../adapters/registry.js';
import { httpCall } from '../../adapters/sev-ovv/client.js';
import { bulkInsert } from '../db/bulk-insert.js';
import {
  Agency,
  Appeal,
  Assignment,
  Delivery,
  type IAgency,
  ReconcileItem,
  ReconcileReport,
  UccMessage,
} from '../db/entities/index.js';
import type { ReconcileKind } from '../db/entities/reconcile.js';
import { newId } from '../db/ids.js';
import { type Orm, refreshStatistics } from '../db/orm.js';
import { resendDelivery } from '../delivery/outbox.js';
import { type AppealState, STATE_RANK } from '../domain/status.js';
import { type JobCounts, recordJobRun } from '../jobs/job-run.js';
import { decodeOpenAppeals } from '../ucc/sim.js';
import { pullAgencyStatuses } from './pull-agency-statuses.js';
import { queueUccMessages, replayUccMessages, UCC_SOURCE } from './push-ucc-statuses.js';

export interface ReconcileDeps {
  orm: Pick<Orm, 'em'>;
  now: () => Date;
  /** The UCC's list of open appeals (`GET`), with its token; null: the UCC side is skipped. */
  ucc: { openUrl: string; token: string | null } | null;
  secret?: (name: string) => string | undefined;
}

/** States after which an appeal (or a copy) is no longer open. */
export const CLOSED_STATES: ReadonlySet<string> = new Set([
  'answered',
  'closed',
  'returned',
  'forwarded',
  'not_subject',
]);

interface Finding {
  side: 'ucc' | 'agency';
  agency: string | null;
  appeal: string | null;
  externalRef: string | null;
  kind: ReconcileKind;
  ours: string | null;
  theirs: string | null;
  repair: string | null;
  detail: string;
}

export async function reconcile(deps: ReconcileDeps) {
  const em = deps.orm.em.fork();
  let reportId = '';
  const run = await recordJobRun(em, 'reconcile', deps.now, async (counts) => {
    const report = em.create(ReconcileReport, {
      id: newId(),
      startedAt: deps.now(),
      finishedAt: null,
      counts: {},
      skipped: {},
    });
    await em.flush();
    reportId = report.id;
    const findings: Finding[] = [];
    const skipped: Record<string, string> = {};
    if (deps.ucc) {
      try {
        findings.push(...(await reconcileUcc(deps, deps.ucc, report.id, counts)));
      } catch (err) {
        skipped.ucc = (err as Error).message;
      }
    } else skipped.ucc = 'UCC_OPEN_URL is not configured';
    const agencies = await em
      .fork()
      .find(Agency, { active: true, adapterKind: { $ne: 'api' } }, { orderBy: { code: 'asc' } });
    let pulled: Promise<void> | null = null;
    const pullOnce = () => {
      pulled ??= pullAgencyStatuses({
        orm: deps.orm,
        now: deps.now,
        ...(deps.secret ? { secret: deps.secret } : {}),
      }).then((run) => {
        counts.pulledAgain = 1;
        if (run.outcome === 'failed') skipped.pull = run.error ?? 'status pull failed';
      });
      return pulled;
    };
    for (const agency of agencies) {
      try {
        const found = await reconcileAgency(deps, agency, counts, pullOnce);
        if (found === null) {
          skipped[agency.code] = `its ${agency.adapterKind} system cannot list open copies`;
          continue;
        }
        findings.push(...found);
      } catch (err) {
        skipped[agency.code] = (err as Error).message;
      }
    }
    const tx = deps.orm.em.fork();
    await tx.transactional(async (t) => {
      await bulkInsert(
        t,
        ReconcileItem,
        findings.map((f) => ({ id: newId(), report: report.id, ...f })),
      );
    });
    for (const f of findings) {
      const key = `${f.side}_${f.kind}`;
      counts[key] = (counts[key] ?? 0) + 1;
      if (f.repair) counts.repaired = (counts.repaired ?? 0) + 1;
      else counts.leftForOperator = (counts.leftForOperator ?? 0) + 1;
    }
    counts.skipped = Object.keys(skipped).length;
    // Nightly housekeeping while the gateway is quiet: fresh planner statistics for SQLite.
    await refreshStatistics(deps.orm.em.fork());
    report.finishedAt = deps.now();
    report.counts = { ...counts };
    report.skipped = skipped;
    await em.flush();
  });
  return { ...run, reportId };
}

async function reconcileUcc(
  deps: ReconcileDeps,
  ucc: { openUrl: string; token: string | null },
  reportId: string,
  counts: JobCounts,
): Promise<Finding[]> {
  const got = await httpCall({
    method: 'GET',
    url: ucc.openUrl,
    headers: { accept: 'application/xml', ...(ucc.token ? { authorization: `Bearer ${ucc.token}` } : {}) },
    timeoutMs: 60_000,
    signal: new AbortController().signal,
  });
  if (!got.ok) throw new Error(`UCC open list: ${got.failure.code}: ${got.failure.message}`);
  const theirs = decodeOpenAppeals(got.text);
  counts.uccOpen = theirs.length;
  const em = deps.orm.em.fork();
  const ours = await em.find(
    Appeal,
    { source: UCC_SOURCE },
    { fields: ['id', 'externalId', 'status'], orderBy: { receivedAt: 'asc' } },
  );
  const byNumber = new Map(ours.map((a) => [a.externalId ?? '', a]));
  counts.gatewayOpenFromUcc = ours.filter((a) => !CLOSED_STATES.has(a.status)).length;
  const findings: Finding[] = [];
  const listed = new Set<string>();
  for (const t of theirs) {
    listed.add(t.number);
    const a = byNumber.get(t.number);
    if (!a) {
      findings.push({
        side: 'ucc',
        agency: null,
        appeal: null,
        externalRef: t.number,
        kind: 'missing_here',
        ours: null,
        theirs: t.state,
        repair: null,
        detail: `УКЦ має відкрите звернення ${t.number}, якого немає у шлюзі: перевірте стрічку УКЦ`,
      });
      continue;
    }
    if (t.state === a.status) continue;
    findings.push({
      side: 'ucc',
      agency: null,
      appeal: a.id,
      externalRef: t.number,
      kind: CLOSED_STATES.has(a.status) ? 'missing_here' : 'status_mismatch',
      ours: a.status,
      theirs: t.state,
      repair: await tellUccAgain(em, a.id, a.status, t.state, reportId, deps.now()),
      detail: `УКЦ: «${t.state ?? '—'}», шлюз: «${a.status}»`,
    });
  }
  for (const a of ours) {
    if (CLOSED_STATES.has(a.status) || listed.has(a.externalId ?? '')) continue;
    findings.push({
      side: 'ucc',
      agency: null,
      appeal: a.id,
      externalRef: a.externalId ?? null,
      kind: 'missing_there',
      ours: a.status,
      theirs: null,
      repair: null,
      detail: `звернення відкрите у шлюзі (${a.status}), а УКЦ його не вважає відкритим: потрібне рішення оператора`,
    });
  }
  return findings;
}

/**
 * The UCC does not know the appeal's current state. Its dead messages are replayed (not those a
 * later delivered message supersedes); else, when the UCC is behind by the state order, the latest
 * change is sent once more — once per change, under a key made from that change's event. Null: left
 * for an operator (the UCC is ahead, names a state the gateway does not know, was told again
 * already, or was told nothing yet and the regular push will tell it).
 */
async function tellUccAgain(
  em: EntityManager,
  appealId: string,
  ours: string,
  theirs: string | null,
  reportId: string,
  now: Date,
): Promise<string | null> {
  const messages = await em.find(UccMessage, { appeal: appealId }, { orderBy: { seq: 'desc' } });
  if (!messages.length || messages.some((m) => m.state === 'pending' || m.state === 'in_flight')) return null;
  if ((await replayUccMessages(em, now, { appealId })).replayed > 0) return 'replay-ucc-message';
  const theirRank = theirs === null ? undefined : STATE_RANK[theirs as AppealState];
  const ourRank = STATE_RANK[ours as AppealState];
  if (theirRank === undefined || ourRank === undefined || theirRank >= ourRank) return null;
  const last = messages.find((m) => m.state === 'delivered');
  if (!last) return null;
  const base = `ucc:${last.statusEvent?.id ?? last.id}:again:`;
  if (messages.some((m) => m.idempotencyKey.startsWith(base))) return null;
  await em.transactional((tx) =>
    queueUccMessages(
      tx,
      [
        {
          appealId,
          statusEventId: last.statusEvent?.id ?? null,
          key: `${base}${reportId}`,
          content: last.content,
        },
      ],
      now,
    ),
  );
  return 'resend-ucc-status';
}

/** Copies the body may have lost: not yet accepted (once accepted, it plainly had them). */
const RESENDABLE = new Set(['routed', 'sent', 'delivered']);
/** A copy delivered this recently may not be on the body's list yet. */
const SETTLING_MS = 10 * 60_000;

/**
 * One body: null when its adapter cannot list open copies. The gateway's side is read before the
 * body's list is asked for; before anything is sent again, the body's statuses are pulled (once per
 * reconcile, `pullOnce`), so that a copy answered but not yet pulled is not taken for a lost one.
 */
async function reconcileAgency(
  deps: ReconcileDeps,
  agency: IAgency,
  counts: JobCounts,
  pullOnce: () => Promise<void>,
): Promise<Finding[] | null> {
  const adapter = adapterFor(agency.adapterKind);
  if (!adapter?.listOpen) return null;
  const parsed = adapter.parseSettings(agency.adapterSettings);
  if (!parsed.ok) throw new Error(`invalid ${agency.adapterKind} settings`);
  const em = deps.orm.em.fork();
  const listedAt = deps.now();
  const copies = await em.find(
    Assignment,
    { agency: agency.id },
    { fields: ['id', 'status', 'role', 'appeal'] },
  );
  const deliveries = await em.find(
    Delivery,
    { agency: agency.id },
    { fields: ['id', 'state', 'assignment', 'deliveredAt'] },
  );
  const listed = await adapter.listOpen(parsed.settings, {
    signal: new AbortController().signal,
    secret: deps.secret ?? ((name) => process.env[name]),
  });
  if (listed === null) return null;
  if (!listed.ok) throw new Error(`${listed.failure.code}: ${listed.failure.message}`);
  counts.agencyOpen = (counts.agencyOpen ?? 0) + listed.items.length;
  const deliveryOf = new Map(deliveries.map((d) => [d.assignment.id, d]));
  const byAppeal = new Map(copies.map((c) => [c.appeal.id, c]));
  const theirs = new Map<string, OpenCopy>(listed.items.map((i) => [i.appealId, i]));
  const findings: Finding[] = [];
  const base = { side: 'agency' as const, agency: agency.id };
  const ahead: { appealId: string; copyId: string; ours: string; theirs: string; ref: string | null }[] = [];
  for (const item of listed.items) {
    const copy = byAppeal.get(item.appealId);
    if (!copy || CLOSED_STATES.has(copy.status)) {
      findings.push({
        ...base,
        appeal: copy ? item.appealId : null,
        externalRef: item.externalRef ?? item.appealId,
        kind: 'missing_here',
        ours: copy?.status ?? null,
        theirs: item.state,
        repair: null,
        detail: copy
          ? `орган вважає копію відкритою (${item.state ?? '—'}), у шлюзі вона «${copy.status}»`
          : `орган має звернення ${item.appealId}, якого шлюз йому не передавав`,
      });
      continue;
    }
    if (!item.state || item.state === copy.status) continue;
    if ((STATE_RANK[item.state as AppealState] ?? -1) > STATE_RANK[copy.status]) {
      ahead.push({
        appealId: item.appealId,
        copyId: copy.id,
        ours: copy.status,
        theirs: item.state,
        ref: item.externalRef,
      });
      continue;
    }
    findings.push({
      ...base,
      appeal: item.appealId,
      externalRef: item.externalRef,
      kind: 'status_mismatch',
      ours: copy.status,
      theirs: item.state,
      repair: null,
      detail: `шлюз далі за орган: «${copy.status}» проти «${item.state}»`,
    });
  }
  const lost = copies.filter((copy) => {
    if (CLOSED_STATES.has(copy.status) || theirs.has(copy.appeal.id)) return false;
    const d = deliveryOf.get(copy.id);
    // Still on its way, dead (the outbox reports it), or delivered too recently to be listed yet.
    return d?.state === 'delivered' && (d.deliveredAt?.getTime() ?? 0) <= listedAt.getTime() - SETTLING_MS;
  });
  if (!ahead.length && !lost.length) return findings;

  await pullOnce();
  const fresh = new Map(
    (
      await deps.orm.em
        .fork()
        .find(Assignment, { id: { $in: [...ahead.map((a) => a.copyId), ...lost.map((c) => c.id)] } })
    ).map((c) => [c.id, c]),
  );
  for (const a of ahead) {
    const now = fresh.get(a.copyId)?.status ?? a.ours;
    const caughtUp = STATE_RANK[now as AppealState] >= (STATE_RANK[a.theirs as AppealState] ?? 0);
    findings.push({
      ...base,
      appeal: a.appealId,
      externalRef: a.ref,
      kind: 'status_mismatch',
      ours: a.ours,
      theirs: a.theirs,
      repair: caughtUp ? 'pull-statuses' : null,
      detail: caughtUp
        ? `орган був далі за шлюз («${a.theirs}» проти «${a.ours}»): статуси запитано знову, тепер «${now}»`
        : `орган далі за шлюз («${a.theirs}» проти «${now}»), але його стрічка статусів цього не містить`,
    });
  }
  for (const copy of lost) {
    const now = fresh.get(copy.id)?.status ?? copy.status;
    const finding = { ...base, appeal: copy.appeal.id, externalRef: null, theirs: null };
    if (!RESENDABLE.has(now) || copy.role === 'for_information') {
      // It moved on (the pull just brought the body's acceptance or answer), or it is only a copy
      // for information, which a body may drop from its list: nothing was lost.
      if (now !== copy.status) {
        findings.push({
          ...finding,
          kind: 'status_mismatch',
          ours: copy.status,
          repair: 'pull-statuses',
          detail: `орган уже не вважає копію відкритою: статуси запитано знову, тепер «${now}»`,
        });
      }
      continue;
    }
    const before = await em.count(ReconcileItem, {
      agency: agency.id,
      appeal: copy.appeal.id,
      repair: 'resend-delivery',
    });
    if (before > 0) {
      findings.push({
        ...finding,
        kind: 'missing_there',
        ours: now,
        repair: null,
        detail: 'орган знову не має копії, яку шлюз уже надсилав повторно: потрібне рішення оператора',
      });
      continue;
    }
    await em.transactional((tx) => resendDelivery(tx, copy.id, agency.adapterKind, deps.now()));
    findings.push({
      ...finding,
      kind: 'missing_there',
      ours: now,
      repair: 'resend-delivery',
      detail: 'орган не має копії, яку шлюз йому доставив: копію надіслано знову',
    });
  }
  return findings;
}
