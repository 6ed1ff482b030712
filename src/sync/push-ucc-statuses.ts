/**
 * Job `push-ucc-statuses`: what happened to the appeals that came from the 1545 line goes back to the
 * Government Contact Center (UCC), as 1207 messages (src/ucc/status-message.ts), through an outbox
 * with the same guarantees as deliveries:
 * - queue: every status event of such an appeal that the UCC must know (appeal-level changes and
 *   those of the responsible body's copy) becomes one `ucc_message` row, keyed by the event
 *   (`ucc:<event id>`), with its content fixed at that moment; events are read since a stored cursor
 *   with an hour's overlap, and the key makes a re-read harmless;
 * - send: due rows are leased and sent in queue order; an appeal's message waits while an earlier
 *   one of the same appeal is still on its way, so the UCC sees each appeal's changes in order;
 * - the UCC unreachable (down, timing out, 5xx, 429): the message is tried again with back-off and
 *   the round stops (everything else waits for the UCC, without spending attempts); a refusal
 *   (`ack_type` 4, another 4xx) is a dead letter at once; 20 failed attempts or 72 hours of trying
 *   make a dead letter too; an operator replays dead letters (GraphQL `replayUccMessages`);
 * - the `msg_id` is derived from the key, so a message sent twice (a lost reply) is applied once.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/knex';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { httpCall } from '../../adapters/sev-ovv/client.js';
import { derivedId, RESULT_CODES } from '../../adapters/sev-ovv/codes.js';
import { bulkInsert } from '../db/bulk-insert.js';
import { Agency, SyncCursor, UccMessage } from '../db/entities/index.js';
import type { UccMessageContent } from '../db/entities/ucc-message.js';
import { newId } from '../db/ids.js';
import { runStatement, selectRows } from '../db/knex-query.js';
import type { Orm } from '../db/orm.js';
import { dueAgain, giveUp, retryDelayMs } from '../delivery/backoff.js';
import { isOutage } from '../delivery/dispatcher.js';
import type { ResultCode } from '../domain/appeal.js';
import { STATUS_EVENTS } from '../domain/status.js';
import { instanceName, type JobCounts, recordJobRun } from '../jobs/job-run.js';
import { decodeUccReply, EDRPOU, encodeUccMessage, kindOf } from '../ucc/status-message.js';

export interface UccEndpoint {
  /** Where status messages are posted (the UCC's `/status`). */
  statusUrl: string;
  token: string | null;
  timeoutMs?: number;
}

export interface PushUccStatusesDeps {
  orm: Pick<Orm, 'em'>;
  now: () => Date;
  ucc: UccEndpoint;
  random?: () => number;
  /** Messages leased per round. Default 500. */
  batchSize?: number;
  /** Who holds the leases. Default: this process. */
  owner?: string;
}

export const ENQUEUE_CURSOR = 'ucc-statuses:queued-until';
/** Events are read again this far behind the cursor: a transaction that committed late is not missed. */
export const ENQUEUE_OVERLAP_MS = 3_600_000;
const LEASE_MS = 120_000;
/** How far back the very first run looks for changes to tell the UCC. */
export const FIRST_LOOKBACK_MS = 7 * 86_400_000;
const EVENT_ORDER = new Map<string, number>(STATUS_EVENTS.map((e, i) => [e, i]));

/** Appeals the UCC sent: only their changes go back. */
export const UCC_SOURCE = 'gov_hotline_1545';

export async function pushUccStatuses(deps: PushUccStatusesDeps) {
  const em = deps.orm.em.fork();
  return recordJobRun(em, 'push-ucc-statuses', deps.now, async (counts) => {
    counts.queued = await enqueueUccMessages(deps.orm.em.fork(), deps.now());
    Object.assign(counts, await sendUccMessages(deps));
  });
}

const asDate = (v: unknown): Date => (v instanceof Date ? v : new Date(v as number | string));
const asJson = (v: unknown): Record<string, string> =>
  (typeof v === 'string' ? JSON.parse(v) : (v ?? {})) as Record<string, string>;

interface EventRow {
  id: string;
  appeal_id: string;
  event: string;
  state: string;
  result: string | null;
  note: string | null;
  occurred_at: unknown;
  recorded_at: unknown;
  external_id: string | null;
  registration_number: string | null;
  received_at: unknown;
  due_at: unknown;
  origin: unknown;
  copy_code: string | null;
  copy_name: string | null;
  copy_reg: string | null;
  resp_code: string | null;
  resp_name: string | null;
  resp_reg: string | null;
}

/**
 * Queues a message for every status event the UCC has not been told about yet. Answers how many.
 */
export async function enqueueUccMessages(em: EntityManager, now: Date): Promise<number> {
  const cursor = await em.findOne(SyncCursor, { name: ENQUEUE_CURSOR });
  // The first run on a database with history tells the UCC about the last week only, not every past change.
  const since = cursor
    ? new Date(new Date(cursor.cursor).getTime() - ENQUEUE_OVERLAP_MS)
    : new Date(now.getTime() - FIRST_LOOKBACK_MS);
  const platform = em.getPlatform();
  let queued = 0;
  let until: Date | null = null;
  for (;;) {
    const knex = em.getKnex();
    const rows = await selectRows<EventRow>(
      em,
      knex('status_event as se')
        .join('appeal as a', 'a.id', 'se.appeal_id')
        .leftJoin('assignment as c', 'c.id', 'se.assignment_id')
        .leftJoin('agency as ca', 'ca.id', 'c.agency_id')
        .leftJoin('assignment as r', (j) =>
          j.on('r.appeal_id', 'a.id').andOnVal('r.role', 'responsible').andOnNull('r.returned_at'),
        )
        .leftJoin('agency as ra', 'ra.id', 'r.agency_id')
        .leftJoin('ucc_message as m', 'm.status_event_id', 'se.id')
        .select(
          'se.id',
          'se.appeal_id',
          'se.event',
          'se.state',
          'se.result',
          'se.note',
          'se.occurred_at',
          'se.recorded_at',
          'a.external_id',
          'a.registration_number',
          'a.received_at',
          'a.due_at',
          'a.origin',
          'ca.code as copy_code',
          'ca.name as copy_name',
          'c.agency_reg_number as copy_reg',
          'ra.code as resp_code',
          'ra.name as resp_name',
          'r.agency_reg_number as resp_reg',
        )
        .where('a.source', UCC_SOURCE)
        .whereNull('m.id')
        .andWhere('se.recorded_at', '>=', platform.processDateProperty(since) as never)
        .andWhere((w) => w.whereNull('se.assignment_id').orWhere('c.role', 'responsible'))
        .orderBy([
          { column: 'se.recorded_at', order: 'asc' },
          { column: 'se.id', order: 'asc' },
        ])
        .limit(2_000),
    );
    if (!rows.length) break;
    // Two unreturned responsible copies would list an event twice: queue it once.
    const seen = new Set<string>();
    const events = rows.filter((r) => !seen.has(r.id) && seen.add(r.id) !== undefined);
    events.sort(
      (x, y) =>
        asDate(x.recorded_at).getTime() - asDate(y.recorded_at).getTime() ||
        asDate(x.occurred_at).getTime() - asDate(y.occurred_at).getTime() ||
        (EVENT_ORDER.get(x.event) ?? 99) - (EVENT_ORDER.get(y.event) ?? 99),
    );
    queued += await em.transactional((tx) =>
      queueUccMessages(
        tx,
        events.map((r) => {
          const origin = asJson(r.origin);
          const code = r.copy_code ?? r.resp_code;
          const content: UccMessageContent = {
            appealId: r.appeal_id,
            uccNumber: r.external_id,
            uccRegNumber: r.registration_number,
            uccMsgId: origin.msg_id ?? null,
            uccOrgCode: origin.from_org_id ?? null,
            uccOrgName: origin.from_organization ?? null,
            receivedAt: asDate(r.received_at).toISOString(),
            event: r.event,
            state: r.state,
            result: r.result ? RESULT_CODES[r.result as ResultCode] : null,
            note: r.note,
            occurredAt: asDate(r.occurred_at).toISOString(),
            dueAt: asDate(r.due_at).toISOString(),
            executor:
              code && r.event !== 'register'
                ? {
                    code,
                    name: (r.copy_code ? r.copy_name : r.resp_name) ?? code,
                    registrationNumber: (r.copy_code ? r.copy_reg : r.resp_reg) ?? null,
                  }
                : null,
          };
          return { appealId: r.appeal_id, statusEventId: r.id, key: `ucc:${r.id}`, content };
        }),
        now,
      ),
    );
    const last = asDate(rows[rows.length - 1]?.recorded_at);
    if (!until || last > until) until = last;
    if (rows.length < 2_000) break;
  }
  if (until)
    await em.fork().upsert(SyncCursor, { name: ENQUEUE_CURSOR, cursor: until.toISOString(), updatedAt: now });
  return queued;
}

/**
 * Adds messages to the end of the queue inside the caller's transaction; each key is queued once
 * (its `msg_id` derives from it).
 */
export async function queueUccMessages(
  tx: EntityManager,
  items: readonly {
    appealId: string;
    statusEventId: string | null;
    key: string;
    content: UccMessageContent;
  }[],
  now: Date,
): Promise<number> {
  if (!items.length) return 0;
  // One queue writer at a time (PostgreSQL; SQLite has one writer anyway): `seq` and the keys stay unique.
  if (tx.getDriver() instanceof PostgreSqlDriver) {
    await tx
      .getConnection()
      .execute(
        "select pg_advisory_xact_lock(hashtext('ucc_message_queue'))",
        [],
        'all',
        tx.getTransactionContext(),
      );
  }
  const taken = new Set(
    (
      await selectRows<{ idempotency_key: string }>(
        tx,
        tx
          .getKnex()('ucc_message')
          .select('idempotency_key')
          .whereIn(
            'idempotency_key',
            items.map((i) => i.key),
          ),
      )
    ).map((r) => r.idempotency_key),
  );
  const fresh = items.filter((i) => !taken.has(i.key));
  if (!fresh.length) return 0;
  const [{ max } = { max: 0 }] = await selectRows<{ max: number | string | null }>(
    tx,
    tx.getKnex()('ucc_message').max('seq as max'),
  );
  let seq = Number(max ?? 0);
  await bulkInsert(
    tx,
    UccMessage,
    fresh.map((i) => ({
      id: newId(),
      seq: ++seq,
      appeal: i.appealId,
      statusEvent: i.statusEventId,
      idempotencyKey: i.key,
      msgId: derivedId(i.key),
      kind: kindOf(i.content.event, i.content.state),
      content: i.content,
      state: 'pending',
      attempts: 0,
      outages: 0,
      tryingSince: now,
      nextAttemptAt: now,
      leaseOwner: null,
      leaseUntil: null,
      lastAttemptAt: null,
      lastErrorCode: null,
      lastError: null,
      deliveredAt: null,
      deadAt: null,
      deadReason: null,
      createdAt: now,
      updatedAt: now,
    })),
  );
  return fresh.length;
}

export interface UccSendReport {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
}

interface Claimed {
  id: string;
  attempts: number;
  outages: number;
  msgId: string;
  kind: 'receipt' | 'answer';
  content: UccMessageContent;
  tryingSince: Date;
}

/** Leases the due messages whose appeal has nothing earlier still on its way, in queue order. */
async function claim(em: EntityManager, owner: string, now: Date, limit: number): Promise<Claimed[]> {
  return em.transactional(async (tx) => {
    const at = tx.getPlatform().processDateProperty(now) as never;
    let q = tx
      .getKnex()('ucc_message as m')
      .select('m.id', 'm.attempts', 'm.outages', 'm.msg_id', 'm.kind', 'm.content', 'm.trying_since')
      .where((w) =>
        w
          .where((p) => p.where('m.state', 'pending').andWhere('m.next_attempt_at', '<=', at))
          .orWhere((l) => l.where('m.state', 'in_flight').andWhere('m.lease_until', '<', at)),
      )
      .whereNotExists((e) =>
        e
          .select(tx.getKnex().raw('1'))
          .from('ucc_message as e')
          .whereRaw('e.appeal_id = m.appeal_id')
          .andWhereRaw('e.seq < m.seq')
          .whereIn('e.state', ['pending', 'in_flight']),
      )
      .orderBy('m.seq', 'asc')
      .limit(limit);
    if (tx.getDriver() instanceof PostgreSqlDriver) q = q.forUpdate('m').skipLocked();
    const rows = await selectRows<{
      id: string;
      attempts: number;
      outages: number;
      msg_id: string;
      kind: 'receipt' | 'answer';
      content: unknown;
      trying_since: unknown;
    }>(tx, q);
    if (!rows.length) return [];
    await runStatement(
      tx,
      `update ucc_message set state = 'in_flight', lease_owner = ?, lease_until = ?, updated_at = ?
        where id in (${rows.map(() => '?').join(', ')})`,
      [owner, new Date(now.getTime() + LEASE_MS), now, ...rows.map((r) => r.id)],
    );
    return rows.map((r) => ({
      id: r.id,
      attempts: Number(r.attempts),
      outages: Number(r.outages),
      msgId: r.msg_id,
      kind: r.kind,
      content: (typeof r.content === 'string' ? JSON.parse(r.content) : r.content) as UccMessageContent,
      tryingSince: asDate(r.trying_since),
    }));
  });
}

/** Sends what is due, round after round, until nothing is due or the UCC is unreachable. */
export async function sendUccMessages(deps: PushUccStatusesDeps): Promise<UccSendReport & JobCounts> {
  const report = { claimed: 0, sent: 0, retried: 0, dead: 0 };
  // Each run holds its own leases: a run by hand beside the scheduled one is another owner.
  const owner = deps.owner ?? `${instanceName()}:${randomUUID().slice(0, 8)}`;
  const random = deps.random ?? Math.random;
  const em = deps.orm.em.fork();
  const sender = await em.findOne(
    Agency,
    { kind: 'contact_center', active: true },
    { orderBy: { code: 'asc' } },
  );
  // Without its own EDRPOU code the gateway cannot write a 1207 message: a configuration error, not
  // a reason to spend the messages' attempts.
  if (!sender || !EDRPOU.test(sender.code)) {
    throw new Error(
      'no active contact_center body with an 8-digit EDRPOU code in the directory: nothing sent',
    );
  }
  const from = { code: sender.code, name: sender.name };
  for (;;) {
    const claimed = await claim(deps.orm.em.fork(), owner, deps.now(), deps.batchSize ?? 500);
    report.claimed += claimed.length;
    if (!claimed.length) return report;
    for (let i = 0; i < claimed.length; i++) {
      const m = claimed[i] as Claimed;
      // Renew the lease before the call, so that a long round never sends a row whose lease ran out.
      const held = await deps.orm.em
        .fork()
        .transactional((tx) =>
          runStatement(
            tx,
            `update ucc_message set lease_until = ? where id = ? and lease_owner = ? and state = 'in_flight'`,
            [new Date(deps.now().getTime() + LEASE_MS), m.id, owner],
          ),
        );
      if (held !== 1) continue; // taken over meanwhile: not ours to send
      const outcome = await sendOne(deps, m, from);
      const now = deps.now();
      const settle = deps.orm.em.fork();
      const HELD = 'where id = ? and lease_owner = ? and state = ?';
      const lease = [m.id, owner, 'in_flight'];
      if (outcome.ok) {
        await runStatement(
          settle,
          `update ucc_message set state = 'delivered', attempts = attempts + 1, delivered_at = ?, last_attempt_at = ?,
            lease_owner = null, lease_until = null, last_error_code = null, last_error = null, updated_at = ? ${HELD}`,
          [now, now, now, ...lease],
        );
        report.sent++;
        continue;
      }
      const outage = isOutage({ retryable: outcome.retryable, code: outcome.code, message: outcome.message });
      const attempts = m.attempts + (outage ? 0 : 1);
      const nextAttemptAt = new Date(
        now.getTime() + retryDelayMs(Math.max(1, attempts + m.outages), random()),
      );
      const reason = giveUp({
        retryable: outcome.retryable,
        attempts,
        tryingSince: m.tryingSince,
        nextAttemptAt,
      });
      if (reason) {
        await runStatement(
          settle,
          `update ucc_message set state = 'dead', attempts = ?, outages = ?, dead_at = ?, dead_reason = ?, last_attempt_at = ?,
            last_error_code = ?, last_error = ?, lease_owner = null, lease_until = null, updated_at = ? ${HELD}`,
          [
            attempts,
            m.outages + (outage ? 1 : 0),
            now,
            reason,
            now,
            outcome.code,
            outcome.message,
            now,
            ...lease,
          ],
        );
        report.dead++;
        continue;
      }
      await runStatement(
        settle,
        `update ucc_message set state = 'pending', attempts = ?, outages = ?, next_attempt_at = ?, last_attempt_at = ?,
          last_error_code = ?, last_error = ?, lease_owner = null, lease_until = null, updated_at = ? ${HELD}`,
        [
          attempts,
          m.outages + (outage ? 1 : 0),
          nextAttemptAt,
          now,
          outcome.code,
          outcome.message,
          now,
          ...lease,
        ],
      );
      report.retried++;
      if (outage) {
        // The UCC is not there: the rest of the round waits for it, untouched.
        const rest = claimed.slice(i + 1).map((r) => r.id);
        if (rest.length) {
          await runStatement(
            settle,
            `update ucc_message set state = 'pending', next_attempt_at = ?, lease_owner = null, lease_until = null, updated_at = ?
              where lease_owner = ? and state = 'in_flight' and id in (${rest.map(() => '?').join(', ')})`,
            [nextAttemptAt, now, owner, ...rest],
          );
        }
        return report;
      }
    }
  }
}

async function sendOne(
  deps: PushUccStatusesDeps,
  m: Claimed,
  from: { code: string; name: string },
): Promise<{ ok: true } | { ok: false; retryable: boolean; code: string; message: string }> {
  let xml: string;
  try {
    xml = encodeUccMessage(m.kind, m.msgId, m.content, from);
  } catch (err) {
    return { ok: false, retryable: false, code: 'ENCODE_FAILED', message: (err as Error).message };
  }
  const got = await httpCall({
    method: 'POST',
    url: deps.ucc.statusUrl,
    headers: {
      'content-type': 'application/xml; charset=utf-8',
      ...(deps.ucc.token ? { authorization: `Bearer ${deps.ucc.token}` } : {}),
    },
    body: xml,
    timeoutMs: deps.ucc.timeoutMs ?? 10_000,
    signal: new AbortController().signal,
  });
  if (!got.ok) return { ok: false, ...got.failure };
  const reply = decodeUccReply(got.text, m.msgId);
  return reply.ok ? { ok: true } : reply;
}

/**
 * Makes dead messages due again (one, all of an appeal's, or all); attempts and the 72-hour window
 * restart. A dead message whose appeal has a later message delivered is not replayed — the UCC knows
 * a newer state, and the old one arriving last would move it backwards — and is marked superseded.
 */
export async function replayUccMessages(
  em: EntityManager,
  now: Date,
  which: { id?: string; appealId?: string } = {},
): Promise<{ replayed: number; superseded: number }> {
  const dead = await em.find(
    UccMessage,
    {
      state: 'dead',
      deadReason: { $ne: 'superseded' },
      ...(which.id ? { id: which.id } : {}),
      ...(which.appealId ? { appeal: which.appealId } : {}),
    },
    { fields: ['id', 'seq', 'appeal'] },
  );
  if (!dead.length) return { replayed: 0, superseded: 0 };
  const appeals = [...new Set(dead.map((m) => m.appeal.id))];
  const latest = new Map<string, number>();
  for (let i = 0; i < appeals.length; i += 500) {
    const rows = await selectRows<{ appeal_id: string; seq: number | string }>(
      em,
      em
        .getKnex()('ucc_message')
        .select('appeal_id')
        .max('seq as seq')
        .where('state', 'delivered')
        .whereIn('appeal_id', appeals.slice(i, i + 500))
        .groupBy('appeal_id'),
    );
    for (const r of rows) latest.set(r.appeal_id, Number(r.seq));
  }
  const stale = dead.filter((m) => (latest.get(m.appeal.id) ?? -1) > m.seq).map((m) => m.id);
  const due = dead.filter((m) => !stale.includes(m.id)).map((m) => m.id);
  if (stale.length) {
    await em.nativeUpdate(UccMessage, { id: { $in: stale } }, { deadReason: 'superseded', updatedAt: now });
  }
  if (due.length) {
    await em.nativeUpdate(UccMessage, { id: { $in: due } }, dueAgain(now));
  }
  return { replayed: due.length, superseded: stale.length };
}
