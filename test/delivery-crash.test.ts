/**
 * A dispatcher killed mid-batch: SIGKILL the dispatcher process in the middle of a batch, restart
 * it, and every assignment is delivered, with the simulator counting exactly one accepted effect per
 * key. The dispatcher runs in a real child process (`support/dispatch-child.ts`) on a real database
 * file (and a scratch PostgreSQL database when PG_URL is set); the webhook simulator runs here.
 *
 * The kill point is exact: the dispatcher reaches the simulator through a loopback relay, and the
 * relay kills the child the moment the simulator has applied the KILL_AT-th effect, before that reply
 * leaves, so at least one effect is applied that the dispatcher never heard of, and the rest of the
 * round's claims are left in flight.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as wait } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Simulator } from '../adapters/simulator.js';
import { startSimulator } from '../adapters/webhook/sim.js';
import { PATH } from '../adapters/webhook/sim-body.js';
import type { DatabaseTarget } from '../src/db/database-url.js';
import { Agency, Assignment, Delivery } from '../src/db/entities/index.js';
import { describeEachDatabase, type TestDatabase } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { killLeftovers, track, within } from './support/processes.js';

const SOCIAL = '99923101'; // social protection department: the example rules' body for topic 006
const CHILD = fileURLToPath(new URL('./support/dispatch-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const APPEALS = 200;
const BATCH = 20;
const LEASE_MS = 2_000;
/** Mid-way through the third round (effects 41–60): two rounds settled, ten claims not yet sent. */
const KILL_AT = 50;

/** The caller's environment without anything that would point the child elsewhere. */
const BASE_ENV: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !['DATABASE_URL', 'LOG_LEVEL'].includes(key)),
);

interface Dispatching {
  child: ChildProcess;
  /** The child's JSON lines so far (one per round, and its start and end). */
  lines: Record<string, unknown>[];
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startDispatcher(target: DatabaseTarget, owner: string, env: Record<string, string>): Dispatching {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: ROOT,
    env: {
      ...BASE_ENV,
      ...env,
      DISPATCH_DATABASE: JSON.stringify(target),
      DISPATCH_OWNER: owner,
      DISPATCH_LEASE_MS: String(LEASE_MS),
      DISPATCH_BATCH_SIZE: String(BATCH),
      DISPATCH_DEADLINE_MS: '30000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  createInterface({ input: child.stdout as NonNullable<typeof child.stdout>, crlfDelay: Infinity }).on(
    'line',
    (l) => lines.push(JSON.parse(l) as Record<string, unknown>),
  );
  const exited = once(child, 'close').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  return { child, lines, stderr: () => stderr, exited };
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const HOP_BY_HOP = ['host', 'connection', 'keep-alive', 'transfer-encoding'];
const endToEnd = (headers: IncomingHttpHeaders) =>
  Object.fromEntries(Object.entries(headers).filter(([k]) => !HOP_BY_HOP.includes(k)));

/**
 * A transparent loopback relay to `upstream`. Once the upstream has answered a request (for the
 * simulator: its effect is applied), `lose(key)` decides whether the reply reaches the caller or is
 * lost with the connection.
 */
async function startRelay(upstream: string, lose: (idempotencyKey: string) => boolean) {
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const body = await readAll(req);
        const reply = await new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>(
          (resolve, reject) => {
            const out = request(
              new URL(req.url ?? '/', upstream),
              {
                method: req.method ?? 'GET',
                headers: { ...endToEnd(req.headers), 'content-length': body.length },
              },
              (r) => {
                readAll(r).then(
                  (b) => resolve({ status: r.statusCode ?? 502, headers: r.headers, body: b }),
                  reject,
                );
              },
            );
            out.on('error', reject).end(body);
          },
        );
        const key = req.headers['idempotency-key'];
        if (lose(typeof key === 'string' ? key : '')) {
          req.socket.destroy();
          return;
        }
        res.writeHead(reply.status, endToEnd(reply.headers)).end(reply.body);
      } catch {
        req.socket.destroy();
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject).listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Where the gateway's database is, for the child (the ORM's own configuration says it). */
function targetOf(gw: TestGateway, label: TestDatabase['label']): DatabaseTarget {
  const dbName = gw.orm.config.get('dbName') as string;
  return label === 'sqlite'
    ? { kind: 'sqlite', path: dbName }
    : { kind: 'postgresql', url: gw.orm.config.get('clientUrl') as string, dbName };
}

/** A lawful regional-hotline card on social protection (topic 006.02): routed to the department. */
function card(label: string, n: number): Record<string, unknown> {
  return {
    cardId: `RL-CRASH-${label}-${n}`,
    registeredAt: '2026-11-27T09:00:00+02:00',
    kind: '3.2',
    topic: '006.02',
    territory: 'UA23060070010069526',
    summary: `Прошу роз’яснити порядок призначення допомоги на дітей одиноким матерям (звернення ${n}).`,
    author: {
      lastName: 'Ткаченко',
      firstName: 'Ірина',
      phone: `+38050888${String(1000 + n).padStart(4, '0')}`,
      address: `м. Запоріжжя, вул. Миру, ${n}`,
    },
  };
}

describeEachDatabase('delivery survives a dispatcher killed mid-batch', (db) => {
  let gw: TestGateway;
  let sim: Simulator;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let ormOpen = true;
  /** The child the relay kills, while it is armed. */
  let victim: ChildProcess | null = null;
  let killedAt: number | null = null;
  /** Keys whose effect the simulator applied but whose reply the killed dispatcher never got. */
  const lost: string[] = [];

  const closeOrm = async () => {
    await gw.orm.close(true);
    ormOpen = false;
  };
  const openOrm = async () => {
    await gw.orm.connect();
    ormOpen = true;
  };

  beforeAll(async () => {
    gw = await startTestGateway(db);
    sim = await startSimulator({ agencyCode: SOCIAL });
    relay = await startRelay(sim.url, (key) => {
      if (!victim) return false;
      if (killedAt === null && sim.acceptedKeys().length < KILL_AT) return false;
      if (killedAt === null) {
        victim.kill('SIGKILL');
        killedAt = sim.acceptedKeys().length;
      }
      lost.push(key);
      return true;
    });
  });

  afterAll(async () => {
    await killLeftovers();
    await relay?.close();
    await sim?.close();
    if (gw) {
      if (!ormOpen) await openOrm();
      await gw.close();
    }
  });

  const socialDeliveries = () =>
    gw.orm.em
      .fork()
      .find(Delivery, { agency: { code: SOCIAL } }, { orderBy: { createdAt: 'asc', id: 'asc' } });

  it('delivers every assignment once after a SIGKILL in the middle of a batch and a restart', async ({
    annotate,
  }) => {
    const started = performance.now();
    await gw.orm.em.fork().nativeUpdate(
      Agency,
      { code: SOCIAL },
      {
        adapterKind: 'webhook',
        adapterSettings: { ...sim.settings(), url: `${relay.url}${PATH}`, concurrency: 4 },
      },
    );
    const intake = await gw.post(
      '/intake/regional-line',
      JSON.stringify({ appeals: Array.from({ length: APPEALS }, (_, i) => card(db.label, i + 1)) }),
      { contentType: 'application/json' },
    );
    expect(intake.status).toBe(200);
    expect(intake.body.rejected).toEqual([]);
    expect(intake.body.accepted).toHaveLength(APPEALS);
    const before = await socialDeliveries();
    expect(before).toHaveLength(APPEALS);
    expect(before.every((d) => d.state === 'pending' && d.adapterKind === 'webhook')).toBe(true);
    const target = targetOf(gw, db.label);
    await closeOrm(); // the children own the database from here on
    const intakeMs = performance.now() - started;

    // First dispatcher: killed by the relay once the simulator has applied KILL_AT effects.
    const first = startDispatcher(target, 'crash-first', sim.env());
    victim = first.child;
    const firstExit = await within(first.exited, 30_000, 'the first dispatcher neither died nor finished');
    victim = null;
    const firstMs = performance.now() - started - intakeMs;
    expect(firstExit, first.stderr()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(killedAt).toBeGreaterThanOrEqual(KILL_AT);
    expect(lost.length).toBeGreaterThanOrEqual(1);

    await openOrm();
    const atKill = await socialDeliveries();
    const count = (rows: typeof atKill, state: string) => rows.filter((d) => d.state === state).length;
    const deliveredAtKill = count(atKill, 'delivered');
    const inFlightAtKill = atKill.filter((d) => d.state === 'in_flight');
    // Killed mid-batch: a real part delivered, not all; claims left in flight; the lost replies'
    // effects are applied at the body but not recorded here.
    expect(deliveredAtKill).toBeGreaterThanOrEqual(2 * BATCH);
    expect(deliveredAtKill).toBeLessThan(KILL_AT);
    expect(inFlightAtKill.length).toBeGreaterThanOrEqual(1);
    expect(inFlightAtKill.every((d) => d.leaseOwner === 'crash-first')).toBe(true);
    const byKey = new Map(atKill.map((d) => [d.idempotencyKey, d]));
    for (const key of lost) expect(byKey.get(key)?.state).toBe('in_flight');
    const appliedUnrecorded = sim.acceptedKeys().filter((k) => byKey.get(k)?.state !== 'delivered').length;
    expect(appliedUnrecorded).toBeGreaterThanOrEqual(lost.length);

    // The second dispatcher may take over the first one's claims once their leases ran out.
    const leasesOut = Date.now() + LEASE_MS + 5_000;
    while (
      (await gw.orm.em.fork().count(Delivery, { state: 'in_flight', leaseUntil: { $gte: new Date() } })) > 0
    ) {
      if (Date.now() > leasesOut) throw new Error('the first dispatcher’s leases never ran out');
      await wait(50);
    }
    await closeOrm();
    const leaseWaitMs = performance.now() - started - intakeMs - firstMs;

    const second = startDispatcher(target, 'crash-second', sim.env());
    const secondExit = await within(second.exited, 30_000, 'the second dispatcher did not finish');
    expect(secondExit, second.stderr()).toEqual({ code: 0, signal: null });
    expect(second.lines.at(-1)).toMatchObject({ done: true, dead: 0, stale: 0 });
    await openOrm();
    const secondMs = performance.now() - started - intakeMs - firstMs - leaseWaitMs;

    // Every assignment delivered, each key's effect applied exactly once, nothing left in flight.
    const after = await socialDeliveries();
    expect(after).toHaveLength(APPEALS);
    expect(after.filter((d) => d.state !== 'delivered')).toEqual([]);
    expect(await gw.orm.em.fork().count(Delivery, { state: { $in: ['in_flight', 'pending'] } })).toBe(0);
    const keys = after.map((d) => d.idempotencyKey);
    for (const key of keys) expect(sim.accepted(key), key).toBe(1);
    const accepted = sim.acceptedKeys();
    expect(new Set(accepted).size).toBe(accepted.length);
    expect([...accepted].sort()).toEqual([...keys].sort());
    // A re-sent key got the body's first receipt back: one registration number per appeal.
    expect(new Set(after.map((d) => d.receipt?.registrationNumber)).size).toBe(APPEALS);
    // Exactly the rows left in flight were taken over (a second attempt); the rest went once.
    const takenOver = new Set(inFlightAtKill.map((d) => d.id));
    for (const d of after) expect(d.attempts, d.idempotencyKey).toBe(takenOver.has(d.id) ? 2 : 1);
    const assignments = await gw.orm.em.fork().find(Assignment, { agency: { code: SOCIAL } });
    expect(assignments).toHaveLength(APPEALS);
    expect(assignments.every((a) => a.status === 'delivered')).toBe(true);

    await annotate(
      `${db.label}: killed at ${killedAt} effects applied; at the kill ${deliveredAtKill} delivered, ` +
        `${inFlightAtKill.length} in flight (${lost.length} replies lost, ${appliedUnrecorded} applied but unrecorded), ` +
        `${count(atKill, 'pending')} pending; ${sim.requests()} requests for ${accepted.length} effects; ` +
        `second dispatcher ${JSON.stringify(second.lines.at(-1))}; ms: intake ${Math.round(intakeMs)}, ` +
        `first ${Math.round(firstMs)}, leases ${Math.round(leaseWaitMs)}, second ${Math.round(secondMs)}, ` +
        `total ${Math.round(performance.now() - started)}`,
    );
  }, 60_000);
});
