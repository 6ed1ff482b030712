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
import type { Orm } from '../db/orm.js';
import { resendDelivery } from '../delivery/outbox.js';
import { type AppealState, STATE_RANK } from '../domain/status.js';
import { type JobCounts, recordJobRun } from '../jobs/job-run.js';
import { decodeOpenAppeals } from '../ucc/sim.js';
import { pullAgencyStatuses } from './pull-agency-statuses.js';
import { queueUccMessages, UCC_SOURCE } from './push-ucc-statuses.js';

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
    const pullAgain: string[] = [];
    for (const agency of agencies) {
      try {
        const found = await reconcileAgency(deps, agency, counts);
        if (found === null) {
          skipped[agency.code] = `its ${agency.adapterKind} system cannot list open copies`;
          continue;
        }
        findings.push(...found);
        if (found.some((f) => f.repair === 'pull-statuses')) pullAgain.push(agency.code);
      } catch (err) {
        skipped[agency.code] = (err as Error).message;
      }
    }
    if (pullAgain.length) {
      const pulled = await pullAgencyStatuses({
        orm: deps.orm,
        now: deps.now,
        ...(deps.secret ? { secret: deps.secret } : {}),
      });
      counts.pulledAgain = pullAgain.length;
      if (pulled.outcome === 'failed') skipped.pull = pulled.error ?? 'status pull failed';
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
      repair: await tellUccAgain(em, a.id, reportId, deps.now()),
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
 * The UCC does not know the appeal's current state: replay its dead messages, or send the latest
 * change again under a new key. Null when there is nothing the UCC was told about it yet (the
 * regular push will tell it).
 */
async function tellUccAgain(em: EntityManager, appealId: string, reportId: string, now: Date) {
  const messages = await em.find(UccMessage, { appeal: appealId }, { orderBy: { seq: 'desc' } });
  if (!messages.length || messages.some((m) => m.state === 'pending' || m.state === 'in_flight')) return null;
  const dead = messages.filter((m) => m.state === 'dead');
  if (dead.length) {
    await em.nativeUpdate(
      UccMessage,
      { id: { $in: dead.map((m) => m.id) } },
      {
        state: 'pending',
        attempts: 0,
        outages: 0,
        tryingSince: now,
        nextAttemptAt: now,
        deadAt: null,
        deadReason: null,
        updatedAt: now,
      },
    );
    return 'replay-ucc-message';
  }
  const last = messages[0];
  if (!last) return null;
  await em.transactional((tx) =>
    queueUccMessages(
      tx,
      [
        {
          appealId,
          statusEventId: last.statusEvent?.id ?? null,
          key: `${last.idempotencyKey}:again:${reportId}`,
          content: last.content,
        },
      ],
      now,
    ),
  );
  return 'resend-ucc-status';
}

/** One body: null when its adapter cannot list open copies. */
async function reconcileAgency(
  deps: ReconcileDeps,
  agency: IAgency,
  counts: JobCounts,
): Promise<Finding[] | null> {
  const adapter = adapterFor(agency.adapterKind);
  if (!adapter?.listOpen) return null;
  const parsed = adapter.parseSettings(agency.adapterSettings);
  if (!parsed.ok) throw new Error(`invalid ${agency.adapterKind} settings`);
  const listed = await adapter.listOpen(parsed.settings, {
    signal: new AbortController().signal,
    secret: deps.secret ?? ((name) => process.env[name]),
  });
  if (listed === null) return null;
  if (!listed.ok) throw new Error(`${listed.failure.code}: ${listed.failure.message}`);
  counts.agencyOpen = (counts.agencyOpen ?? 0) + listed.items.length;
  const em = deps.orm.em.fork();
  const copies = await em.find(Assignment, { agency: agency.id }, { fields: ['id', 'status', 'appeal'] });
  const deliveries = await em.find(
    Delivery,
    { agency: agency.id },
    { fields: ['id', 'state', 'assignment'] },
  );
  const deliveryOf = new Map(deliveries.map((d) => [d.assignment.id, d]));
  const byAppeal = new Map(copies.map((c) => [c.appeal.id, c]));
  const theirs = new Map<string, OpenCopy>(listed.items.map((i) => [i.appealId, i]));
  const findings: Finding[] = [];
  const base = { side: 'agency' as const, agency: agency.id };
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
    const ahead = (STATE_RANK[item.state as AppealState] ?? -1) > STATE_RANK[copy.status];
    findings.push({
      ...base,
      appeal: item.appealId,
      externalRef: item.externalRef,
      kind: 'status_mismatch',
      ours: copy.status,
      theirs: item.state,
      repair: ahead ? 'pull-statuses' : null,
      detail: ahead
        ? `орган далі за шлюз: «${item.state}» проти «${copy.status}», статуси запитано знову`
        : `шлюз далі за орган: «${copy.status}» проти «${item.state}»`,
    });
  }
  for (const copy of copies) {
    if (CLOSED_STATES.has(copy.status) || theirs.has(copy.appeal.id)) continue;
    const delivery = deliveryOf.get(copy.id);
    if (delivery?.state !== 'delivered') continue; // still on its way (or dead: the outbox reports it)
    await em.transactional((tx) => resendDelivery(tx, copy.id, agency.adapterKind, deps.now()));
    findings.push({
      ...base,
      appeal: copy.appeal.id,
      externalRef: null,
      kind: 'missing_there',
      ours: copy.status,
      theirs: null,
      repair: 'resend-delivery',
      detail: 'орган не має копії, яку шлюз йому доставив: копію надіслано знову',
    });
  }
  return findings;
}
