/**
 * The dispatcher: claims due deliveries with a lease, forwards each through its body's adapter, and
 * settles the attempt — delivered (receipt kept, the assignment marked delivered), retried later with
 * back-off, or given up as a dead letter. Guarantees:
 * - a claim is a lease (`leaseOwner`, `leaseUntil`) and bumps `attempts`; PostgreSQL claims with
 *   `FOR UPDATE SKIP LOCKED`, so several dispatchers share the work; SQLite has one writer and one
 *   dispatcher;
 * - an attempt is settled only if its lease and attempt number still hold: a worker that lost its
 *   lease (it stalled, another took over) cannot overwrite the newer outcome;
 * - a dispatcher that dies leaves its rows `in_flight`; they are claimed again when the lease runs
 *   out, and the same idempotency key makes the body apply the appeal once;
 * - at most `concurrency` calls per body at a time (its adapter settings, default 4);
 * - a body that is unreachable (down, timing out, 5xx, 429) is probed by one delivery at a time: the
 *   others wait, without spending attempts, until the probe's next try (a circuit breaker per body);
 *   such outages count toward the 72-hour window but not toward the 20 attempts, which are for a
 *   body that answers and fails — so a body down for a day gets everything once it is back;
 * - every transfer writes an audit entry with its purpose and the personal fields it carried.
 * Urgent and privileged appeals go first, then the oldest.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { DeliveryFailure, ForwardOutcome } from '../../adapters/port.js';
import { adapterFor } from '../../adapters/registry.js';
import { bulkInsert } from '../db/bulk-insert.js';
import type { DeliveryReceipt } from '../db/entities/delivery.js';
import { Agency, AuditEntry, Delivery, StatusEvent } from '../db/entities/index.js';
import { newId } from '../db/ids.js';
import { runStatement, selectRows } from '../db/knex-query.js';
import type { Orm } from '../db/orm.js';
import { canTransition, transition } from '../domain/status.js';
import { dueAgain, giveUp, retryDelayMs } from './backoff.js';
import { type LoadedDelivery, loadDeliveries } from './load.js';
import { buildPayload } from './payload.js';

export interface DispatcherOptions {
  orm: Orm;
  /** Who holds the leases (host + pid, or a test's name). */
  owner: string;
  now?: () => Date;
  random?: () => number;
  /** How long a claim lasts before another dispatcher may take the row. Default 2 minutes. */
  leaseMs?: number;
  /** Rows claimed per round. Default 1,000. */
  batchSize?: number;
  /** Secrets named in adapter settings. Default: process.env. */
  secret?: (name: string) => string | undefined;
  signal?: AbortSignal;
  /** Called after each attempt with its duration (load, forward, settle), for benchmarks and metrics. */
  onAttempt?: (ms: number) => void;
}

export interface DispatchReport {
  claimed: number;
  delivered: number;
  retried: number;
  dead: number;
  /** Settled by someone else meanwhile (this worker's lease was gone). */
  stale: number;
}

const DEFAULT_CONCURRENCY = 4;
/** Rows claimed per round: large rounds keep every body's connections busy between claims. */
const DEFAULT_BATCH = 1_000;

interface Claimed {
  id: string;
  attempts: number;
  agencyId: string;
  /** When the lease was taken or last renewed (ms). */
  leasedAt: number;
}

function dbDate(em: EntityManager, d: Date): unknown {
  return em.getPlatform().processDateProperty(d);
}

/** Failures that say the body is not there right now, rather than that it refused. */
export function isOutage(f: DeliveryFailure): boolean {
  return (
    f.retryable &&
    (f.code === 'UNREACHABLE' ||
      f.code === 'TIMEOUT' ||
      f.code === 'HTTP_429' ||
      f.code === 'SOAP_SERVER_FAULT' ||
      /^HTTP_5\d\d$/.test(f.code))
  );
}

/** Takes up to `limit` due rows (or rows whose lease ran out) and leases them to `owner`. */
export async function claimDue(
  em: EntityManager,
  owner: string,
  now: Date,
  leaseMs: number,
  limit: number,
  skipAgencies: readonly string[] = [],
) {
  return em.transactional(async (tx) => {
    const at = dbDate(tx, now);
    let q = tx
      .getKnex()('delivery')
      .select('id', 'attempts', 'agency_id')
      .where((w) => {
        w.where((p) => p.where('state', 'pending').andWhere('next_attempt_at', '<=', at as never)).orWhere(
          (l) => l.where('state', 'in_flight').andWhere('lease_until', '<', at as never),
        );
      })
      .orderBy([
        { column: 'priority', order: 'desc' },
        { column: 'created_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(limit);
    if (skipAgencies.length) q = q.whereNotIn('agency_id', [...skipAgencies]);
    if (tx.getDriver() instanceof PostgreSqlDriver) q = q.forUpdate().skipLocked();
    const rows = await selectRows<{ id: string; attempts: number; agency_id: string }>(tx, q);
    if (!rows.length) return [];
    // One statement leases them all; inside this transaction nobody else can have changed them.
    const leased = await runStatement(
      tx,
      `update delivery set state = 'in_flight', lease_owner = ?, lease_until = ?, attempts = attempts + 1,
        last_attempt_at = ?, updated_at = ? where id in (${rows.map(() => '?').join(', ')})`,
      [owner, new Date(now.getTime() + leaseMs), now, now, ...rows.map((r) => r.id)],
    );
    if (leased !== rows.length) throw new Error(`leased ${leased} of ${rows.length} claimed deliveries`);
    const claimed: Claimed[] = rows.map((r) => ({
      id: r.id,
      attempts: r.attempts + 1,
      agencyId: r.agency_id,
      leasedAt: now.getTime(),
    }));
    return claimed;
  });
}

/**
 * One dispatcher: rounds of claim → forward → settle. It remembers which bodies are unreachable
 * (until the probe's next try), so a round skips them instead of spending attempts.
 */
export class Dispatcher {
  private readonly openUntil = new Map<string, number>();

  constructor(private readonly opts: DispatcherOptions) {}

  /** One round: claim what is due, forward it, settle every attempt. */
  async runOnce(): Promise<DispatchReport> {
    const opts = this.opts;
    const now = opts.now ?? (() => new Date());
    const at = now().getTime();
    for (const [agency, until] of this.openUntil) if (until <= at) this.openUntil.delete(agency);
    const report: DispatchReport = { claimed: 0, delivered: 0, retried: 0, dead: 0, stale: 0 };
    const claimed = await claimDue(
      opts.orm.em.fork(),
      opts.owner,
      now(),
      opts.leaseMs ?? 120_000,
      opts.batchSize ?? DEFAULT_BATCH,
      [...this.openUntil.keys()],
    );
    report.claimed = claimed.length;
    if (!claimed.length) return report;
    // Everything the round needs, loaded once: the rows with their appeals, applicants and files.
    const em = opts.orm.em.fork();
    const byId = await loadDeliveries(
      em,
      claimed.map((c) => c.id),
    );
    const sender = await em.findOne(
      Agency,
      { kind: 'contact_center', active: true },
      { orderBy: { code: 'asc' } },
    );
    const from = { code: sender?.code ?? '', name: sender?.name ?? 'контакт-центр' };
    const settler = new Settler(opts);
    const byAgency = new Map<string, Claimed[]>();
    for (const c of claimed) byAgency.set(c.agencyId, [...(byAgency.get(c.agencyId) ?? []), c]);
    await Promise.all(
      [...byAgency.entries()].map(async ([agencyId, rows]) => {
        const settings = (byId.get(rows[0]?.id ?? '')?.agency.adapterSettings ?? {}) as {
          concurrency?: number;
        };
        const limit = Math.max(1, Math.min(64, Number(settings.concurrency) || DEFAULT_CONCURRENCY));
        let next = 0;
        const worker = async () => {
          while (next < rows.length) {
            if (this.openUntil.has(agencyId)) {
              // The body is down: hand the rest back untouched, due when the probe tries again.
              const rest = rows.splice(next);
              await release(opts, rest, new Date(this.openUntil.get(agencyId) as number), now());
              report.retried += rest.length;
              return;
            }
            const row = rows[next++] as Claimed;
            const delivery = byId.get(row.id);
            if (!delivery) continue; // settled by someone else between claim and load
            if ((await holdLease(opts, row, now())) !== 'held') {
              // The lease ran out and another dispatcher may have the row: this worker must not send it.
              report.stale++;
              continue;
            }
            if (delivery.assignment.status === 'forwarded') {
              // The body was taken off the appeal after the claim: its copy is cancelled unsent.
              await withdraw(opts, row, now());
              report.stale++;
              continue;
            }
            const started = performance.now();
            const { outcome, sentFields } = await forwardOne(opts, delivery, from);
            const planned = plan(delivery, row.attempts, outcome, opts, now());
            if (planned.outageUntil) this.openUntil.set(agencyId, planned.outageUntil.getTime());
            const result = await settler.settle({
              delivery,
              attempts: row.attempts,
              outcome,
              sentFields,
              planned,
            });
            opts.onAttempt?.(performance.now() - started);
            report[result]++;
          }
        };
        await Promise.all(Array.from({ length: Math.min(limit, rows.length) }, worker));
      }),
    );
    return report;
  }

  /** Rounds until a round finds less than a full batch due (or `maxRounds`); the totals. */
  async runUntilIdle(maxRounds = 1_000): Promise<DispatchReport> {
    const total: DispatchReport = { claimed: 0, delivered: 0, retried: 0, dead: 0, stale: 0 };
    for (let round = 0; round < maxRounds && !this.opts.signal?.aborted; round++) {
      const r = await this.runOnce();
      for (const k of Object.keys(total) as (keyof DispatchReport)[]) total[k] += r[k];
      if (r.claimed < (this.opts.batchSize ?? DEFAULT_BATCH)) break;
    }
    return total;
  }
}

/** One round with a fresh dispatcher (no memory of unreachable bodies). */
export function dispatchOnce(opts: DispatcherOptions): Promise<DispatchReport> {
  return new Dispatcher(opts).runOnce();
}

export function dispatchUntilIdle(opts: DispatcherOptions, maxRounds = 1_000): Promise<DispatchReport> {
  return new Dispatcher(opts).runUntilIdle(maxRounds);
}

/**
 * Before a send: a lease past half its time is renewed, but only if this worker still holds it (same
 * owner, same attempt); a row whose lease ran out may be another dispatcher's by now.
 */
async function holdLease(opts: DispatcherOptions, row: Claimed, now: Date): Promise<'held' | 'lost'> {
  const leaseMs = opts.leaseMs ?? 120_000;
  if (now.getTime() - row.leasedAt < leaseMs / 2) return 'held';
  const renewed = await runStatement(
    opts.orm.em.fork(),
    `update delivery set lease_until = ? where id = ? and state = 'in_flight' and lease_owner = ? and attempts = ?`,
    [new Date(now.getTime() + leaseMs), row.id, opts.owner, row.attempts],
  );
  if (renewed !== 1) return 'lost';
  row.leasedAt = now.getTime();
  return 'held';
}

/** The assignment was withdrawn (re-routed away) after the claim: the copy is cancelled unsent. */
async function withdraw(opts: DispatcherOptions, row: Claimed, now: Date): Promise<void> {
  await runStatement(
    opts.orm.em.fork(),
    `update delivery set state = 'cancelled', lease_owner = null, lease_until = null, updated_at = ?
      where id = ? and state = 'in_flight' and lease_owner = ? and attempts = ?`,
    [now, row.id, opts.owner, row.attempts],
  );
}

/** Gives claimed rows back without counting the attempt. */
async function release(opts: DispatcherOptions, rows: Claimed[], nextAttemptAt: Date, now: Date) {
  const em = opts.orm.em.fork();
  for (const r of rows) {
    await em.nativeUpdate(
      Delivery,
      { id: r.id, state: 'in_flight', leaseOwner: opts.owner, attempts: r.attempts },
      {
        state: 'pending',
        attempts: r.attempts - 1,
        leaseOwner: null,
        leaseUntil: null,
        nextAttemptAt,
        updatedAt: now,
      },
    );
  }
}

async function forwardOne(
  opts: DispatcherOptions,
  delivery: LoadedDelivery,
  sender: { code: string; name: string },
): Promise<{ outcome: ForwardOutcome; sentFields: string[] }> {
  const adapter = adapterFor(delivery.adapterKind);
  if (!adapter) {
    return {
      outcome: fail(true, 'ADAPTER_UNAVAILABLE', `no adapter of kind ${delivery.adapterKind} is installed`),
      sentFields: [],
    };
  }
  const parsed = adapter.parseSettings(delivery.agency.adapterSettings);
  if (!parsed.ok) {
    const problems = parsed.problems.map((p) => `${p.pointer || '/'} ${p.message}`).join('; ');
    return {
      outcome: fail(
        false,
        'SETTINGS_INVALID',
        `the body's ${delivery.adapterKind} settings are invalid: ${problems}`,
      ),
      sentFields: [],
    };
  }
  const built = buildPayload({
    appeal: delivery.appeal,
    applicant: delivery.applicant,
    attachments: delivery.attachments,
    assignment: delivery.assignment,
    recipient: delivery.agency,
    sender,
  });
  try {
    const outcome = await adapter.forward(built.payload, parsed.settings, delivery.idempotencyKey, {
      signal: opts.signal ?? new AbortController().signal,
      secret: opts.secret ?? ((name) => process.env[name]),
    });
    return { outcome, sentFields: built.sentFields };
  } catch (err) {
    // Adapters should not throw; if one does, the attempt failed and may pass later.
    return { outcome: fail(true, 'ADAPTER_ERROR', (err as Error).message), sentFields: built.sentFields };
  }
}

function fail(retryable: boolean, code: string, message: string): ForwardOutcome {
  return { ok: false, failure: { retryable, code, message } };
}

type Result = 'delivered' | 'retried' | 'dead' | 'stale';

interface Planned {
  now: Date;
  /** For a failure: when to try again, whether to give up and why, the outage count after it. */
  nextAttemptAt: Date | null;
  deadReason: string | null;
  outages: number;
  /** The body is unreachable until then: its other rows wait. */
  outageUntil: Date | null;
}

/** What an attempt's outcome means for its row (pure apart from the random jitter). */
function plan(
  delivery: LoadedDelivery,
  attempts: number,
  outcome: ForwardOutcome,
  opts: DispatcherOptions,
  now: Date,
): Planned {
  if (outcome.ok)
    return { now, nextAttemptAt: null, deadReason: null, outages: delivery.outages, outageUntil: null };
  const failure: DeliveryFailure = outcome.failure;
  const delay = retryDelayMs(attempts, (opts.random ?? Math.random)(), failure.retryAfterMs);
  const nextAttemptAt = new Date(now.getTime() + delay);
  const outage = isOutage(failure);
  const outages = delivery.outages + (outage ? 1 : 0);
  const reason = giveUp({
    retryable: failure.retryable,
    attempts: attempts - outages,
    tryingSince: delivery.tryingSince,
    nextAttemptAt,
  });
  const last = `${failure.code}: ${failure.message}`;
  const deadReason =
    reason === null
      ? null
      : reason === 'permanent'
        ? `refused permanently: ${last}`
        : reason === 'attempts'
          ? `gave up after ${attempts - outages} refused attempts; last: ${last}`
          : `gave up after 72 hours of trying; last: ${last}`;
  return {
    now,
    nextAttemptAt,
    deadReason,
    outages,
    outageUntil: outage && deadReason === null ? nextAttemptAt : null,
  };
}

interface Settlement {
  delivery: LoadedDelivery;
  attempts: number;
  outcome: ForwardOutcome;
  sentFields: string[];
  planned: Planned;
}

/**
 * Group commit: attempts that finish while a settling transaction runs are settled together in the
 * next one. Each row is still settled only if its lease and attempt number hold.
 */
class Settler {
  private queue: { item: Settlement; resolve: (r: Result) => void; reject: (e: unknown) => void }[] = [];
  private running = false;

  constructor(private readonly opts: DispatcherOptions) {}

  settle(item: Settlement): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length) {
        const batch = this.queue;
        this.queue = [];
        try {
          const results = await settleAll(
            this.opts,
            batch.map((b) => b.item),
          );
          for (const [i, b] of batch.entries()) b.resolve(results[i] as Result);
        } catch (err) {
          for (const b of batch) b.reject(err);
        }
      }
    } finally {
      this.running = false;
    }
  }
}

const HELD = `where id = ? and state = 'in_flight' and lease_owner = ? and attempts = ?`;

/** Records the outcomes, each only if this worker still holds that row's lease for that attempt. */
async function settleAll(opts: DispatcherOptions, items: Settlement[]): Promise<Result[]> {
  return opts.orm.em.fork().transactional(async (tx) => {
    const events: Record<string, unknown>[] = [];
    const audits: Record<string, unknown>[] = [];
    const appealsDelivered: string[] = [];
    const results: Result[] = [];
    for (const { delivery, attempts, outcome, sentFields, planned } of items) {
      const now = planned.now;
      const held = [delivery.id, opts.owner, attempts];
      if (outcome.ok) {
        const receipt: DeliveryReceipt = outcome.receipt;
        const updated = await runStatement(
          tx,
          `update delivery set state = 'delivered', receipt = ?, delivered_at = ?, lease_owner = null,
            lease_until = null, last_error_code = null, last_error = null, updated_at = ? ${HELD}`,
          [JSON.stringify(receipt), now, now, ...held],
        );
        if (updated !== 1) {
          results.push('stale');
          continue;
        }
        if (await markDelivered(tx, delivery, receipt, now, events))
          appealsDelivered.push(delivery.appeal.id);
        audits.push({
          id: newId(),
          principalId: null,
          principalName: `dispatcher:${opts.owner}`,
          action: `deliver:${delivery.adapterKind}:${delivery.agency.code}`,
          appealId: delivery.appeal.id,
          fields: sentFields,
          purpose: 'розгляд звернення за належністю (ст. 7 Закону «Про звернення громадян»)',
          at: now,
        });
        results.push('delivered');
        continue;
      }
      const error = [outcome.failure.code, outcome.failure.message.slice(0, 2000), planned.outages, now];
      if (planned.deadReason) {
        const updated = await runStatement(
          tx,
          `update delivery set state = 'dead', dead_at = ?, dead_reason = ?, lease_owner = null, lease_until = null,
            last_error_code = ?, last_error = ?, outages = ?, updated_at = ? ${HELD}`,
          [now, planned.deadReason.slice(0, 2000), ...error, ...held],
        );
        results.push(updated === 1 ? 'dead' : 'stale');
        continue;
      }
      const updated = await runStatement(
        tx,
        `update delivery set state = 'pending', next_attempt_at = ?, lease_owner = null, lease_until = null,
          last_error_code = ?, last_error = ?, outages = ?, updated_at = ? ${HELD}`,
        [planned.nextAttemptAt, ...error, ...held],
      );
      results.push(updated === 1 ? 'retried' : 'stale');
    }
    if (appealsDelivered.length) {
      // The responsible body has its copy: the appeal is delivered (if it was not further already).
      await runStatement(
        tx,
        `update appeal set status = 'delivered' where status in ('routed', 'sent')
          and id in (${appealsDelivered.map(() => '?').join(', ')})`,
        appealsDelivered,
      );
    }
    await bulkInsert(tx, StatusEvent, events);
    await bulkInsert(tx, AuditEntry, audits);
    return results;
  });
}

/**
 * The body has its copy: the assignment moves on, with the body's registration number. Answers
 * whether it is the responsible body's copy that moved (then the appeal is delivered too).
 */
async function markDelivered(
  tx: EntityManager,
  delivery: LoadedDelivery,
  receipt: DeliveryReceipt,
  now: Date,
  events: Record<string, unknown>[],
): Promise<boolean> {
  const assignment = delivery.assignment;
  const from = assignment.status;
  if (!canTransition(from, 'deliver')) {
    if (receipt.registrationNumber) {
      await runStatement(tx, 'update assignment set agency_reg_number = ? where id = ?', [
        receipt.registrationNumber,
        assignment.id,
      ]);
    }
    return false;
  }
  const to = transition(from, 'deliver');
  const moved = await runStatement(
    tx,
    'update assignment set status = ?, updated_at = ?, agency_reg_number = coalesce(?, agency_reg_number) where id = ? and status = ?',
    [to, now, receipt.registrationNumber, assignment.id, from],
  );
  if (moved !== 1) return false;
  events.push({
    id: newId(),
    appeal: delivery.appeal.id,
    assignment: assignment.id,
    origin: 'agency',
    event: 'deliver',
    fromState: from,
    state: to,
    result: null,
    note: `${delivery.agency.shortName ?? delivery.agency.name}: ${receipt.detail}${receipt.registrationNumber ? `, № ${receipt.registrationNumber}` : ''}`,
    occurredAt: now,
    recordedAt: now,
    externalEventId: `delivery:${delivery.id}:delivered`,
  });
  return assignment.role === 'responsible';
}

/** Makes dead letters due again (one, or all of a body's); the 72-hour window and attempts restart. */
export async function replayDeadLetters(
  em: EntityManager,
  where: { id: string } | { agencyCode: string },
  now: Date,
): Promise<number> {
  const filter =
    'id' in where
      ? { id: where.id, state: 'dead' as const }
      : { agency: { code: where.agencyCode }, state: 'dead' as const };
  const dead = await em.find(Delivery, filter, { fields: ['id'] });
  if (!dead.length) return 0;
  return em.nativeUpdate(Delivery, { id: { $in: dead.map((d) => d.id) }, state: 'dead' }, dueAgain(now));
}
