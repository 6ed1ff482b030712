/**
 * Two gateway processes on one PostgreSQL database, as an operator scales the gateway out: both run
 * every job each second while appeals arrive through both HTTP ports and the UCC's feed. Each slot
 * of each job runs on exactly one instance (node-cron's run coordinator, `job_slot` claims), no job
 * runs on both at once, both instances take a share of the slots, and no body nor the UCC sees
 * anything applied twice. Real `gateway serve` processes, a real webhook body simulator and UCC
 * simulator on loopback; skipped without PG_URL.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { createInterface } from 'node:readline';
import { setTimeout as pause } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../adapters/simulator.js';
import { startSimulator } from '../adapters/webhook/sim.js';
import { ensureAdminToken } from '../src/access/tokens.js';
import { Agency, Appeal, Delivery, JobRun, JobSlot, UccMessage } from '../src/db/entities/index.js';
import type { IJobRun } from '../src/db/entities/job-run.js';
import { migrate, type Orm, openOrm } from '../src/db/orm.js';
import { seedLocalTopics } from '../src/intake/local-topics.js';
import { loadSeed } from '../src/seed/load-seed.js';
import { seedRuleSet } from '../src/seed/rules.js';
import { ZAPORIZHZHIA_AGENCIES } from '../src/seed/zaporizhzhia.js';
import { startUccSimulator, type UccSimulator } from '../src/ucc/sim.js';
import { postgresDatabase } from './support/databases.js';
import { killLeftovers, track, within } from './support/processes.js';
import { uccHeader } from './support/ucc.js';

const PG_URL = process.env.PG_URL;
const GATEWAY = fileURLToPath(new URL('../bin/gateway.js', import.meta.url));
const ADMIN_TOKEN = 'two-instances-admin-token-0123456789';
const UCC_TOKEN = 'two-instances-ucc-token';
const WAVES = 5;
/** Per wave: appeals through the regional line (alternating ports) and through the UCC's feed. */
const REGIONAL_PER_WAVE = 60;
const GOV_PER_WAVE = 10;
/** Social protection (topic 006) and health (topic 008) in the example rules. */
const BODIES = ['99923101', '99923102'];
/** Jobs that record a JobRun (the dispatcher's rounds are counted in deliveries instead). */
const RECORDED_JOBS = ['pull-gov-line', 'pull-agency-statuses', 'push-ucc-statuses', 'overdue-scan'];

/** The caller's environment without anything that would point a gateway elsewhere. */
const BASE_ENV: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) => !/^(DATABASE_URL|PORT|HOST|LOG_LEVEL|GATEWAY_|UCC_|GOV_LINE_|[A-Z_]+_SCHEDULE)/.test(key),
  ),
);

/** Starts `gateway serve` and resolves once it logs "gateway listening" with its port. */
async function startInstance(env: NodeJS.ProcessEnv) {
  const child = track(
    spawn(process.execPath, [GATEWAY, 'serve'], {
      env: { ...BASE_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = once(child, 'close').then(([code]) => code as number | null);
  const port = await within(
    new Promise<number>((resolve, reject) => {
      createInterface({ input: child.stdout as NonNullable<typeof child.stdout> }).on('line', (line) => {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === 'gateway listening') resolve(entry.port as number);
      });
      void exited.then((code) => reject(new Error(`serve exited (${code}) before listening: ${stderr}`)));
    }),
    30_000,
    'no "gateway listening" line from serve',
  );
  return { child, name: `${hostname()}:${child.pid}`, port, logs, exited };
}

/** Polls `check` until it answers true; fails with `what` and the `state` then after `ms`. */
async function until(
  check: () => Promise<boolean>,
  ms: number,
  what: string,
  state: () => Promise<unknown>,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`${what} (after ${ms} ms); state: ${JSON.stringify(await state(), null, 1)}`);
    await pause(100);
  }
}

function regionalAppeal(n: number) {
  return {
    cardId: `RL-2I-${n}`,
    registeredAt: '2026-11-27T09:00:00+02:00',
    kind: '3.2',
    topic: n % 3 === 0 ? '008.01' : '006.02',
    territory: 'UA23060070010069526',
    urgent: false,
    summary: 'Прошу роз’яснити порядок призначення допомоги на дітей одиноким матерям.',
    author: {
      lastName: 'Ткаченко',
      firstName: 'Ірина',
      phone: `+38050${String(1_000_000 + n).padStart(7, '0')}`,
      address: `м. Запоріжжя, вул. Миру, ${n}`,
    },
  };
}

const describePg = PG_URL ? describe : describe.skip;
if (!PG_URL) console.warn('two-instances suite SKIPPED: set PG_URL=postgres://user@host:port/db to run it');

describePg(`two gateway instances on one PostgreSQL database${PG_URL ? '' : ' [PG_URL not set]'}`, () => {
  let orm: Orm;
  let drop: () => Promise<void>;
  /** The two bodies the appeals' topics route to, each behind its own webhook simulator. */
  const bodies = new Map<string, Simulator>();
  let ucc: UccSimulator;
  let instances: Awaited<ReturnType<typeof startInstance>>[] = [];

  beforeAll(async () => {
    const created = await postgresDatabase(PG_URL ?? '').create();
    drop = created.drop;
    orm = await openOrm(created.target);
    await migrate(orm);
    await loadSeed(orm.em.fork(), ZAPORIZHZHIA_AGENCIES);
    await seedLocalTopics(orm.em.fork());
    await seedRuleSet(orm.em.fork());
    await ensureAdminToken(orm.em.fork(), ADMIN_TOKEN);
    for (const code of BODIES) {
      const sim = await startSimulator({ agencyCode: code });
      bodies.set(code, sim);
      await orm.em.fork().nativeUpdate(
        Agency,
        { code },
        // Patient: a reply slowed by a loaded machine must not become a retry 30 s later.
        { adapterKind: 'webhook', adapterSettings: { ...sim.settings(), timeoutMs: 15_000, concurrency: 4 } },
      );
    }
    ucc = await startUccSimulator({ token: UCC_TOKEN });
    if (created.target.kind !== 'postgresql') throw new Error('expected PostgreSQL');
    const env = {
      ...Object.assign({}, ...[...bodies.values()].map((b) => b.env())),
      DATABASE_URL: created.target.url,
      PORT: '0',
      HOST: '127.0.0.1',
      GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN,
      LOG_LEVEL: 'info',
      DELIVERY_SCHEDULE: '* * * * * *',
      AGENCY_STATUS_SCHEDULE: '* * * * * *',
      OVERDUE_SCAN_SCHEDULE: '*/2 * * * * *',
      RECONCILE_SCHEDULE: '0 0 1 1 *',
      GOV_LINE_FEED_URL: ucc.feedUrl,
      GOV_LINE_FEED_SCHEDULE: '* * * * * *',
      UCC_STATUS_URL: ucc.statusUrl,
      UCC_STATUS_SCHEDULE: '* * * * * *',
      UCC_TOKEN,
    };
    instances = await Promise.all([startInstance(env), startInstance(env)]);
  }, 60_000);

  afterAll(async () => {
    await killLeftovers();
    for (const sim of bodies.values()) await sim.close();
    await ucc?.close();
    await orm?.close(true);
    await drop?.();
  });

  /** What the gateways are doing, for a wait that timed out. */
  async function state() {
    const knex = orm.em.fork().getKnex();
    const late = (table: string) =>
      knex(table)
        .whereNot('state', 'delivered')
        .limit(10)
        .select('state', 'attempts', 'last_error', 'next_attempt_at');
    return {
      appeals: await knex('appeal').select('source').count('* as n').groupBy('source'),
      undelivered: await late('delivery'),
      unsent: await late('ucc_message'),
      unfinishedClaims: await knex('job_slot').whereNull('finished_at').select('key', 'instance'),
      lastClaims: await knex('job_slot').orderBy('claimed_at', 'desc').limit(6).pluck('key'),
      logged: instances.flatMap((i) => i.logs.filter((l) => (l.level as number) >= 40)),
    };
  }

  /** Appeals `from`..`to`-1 through the regional line, in batches of 10 alternating between the ports. */
  async function submit(from: number, to: number): Promise<void> {
    const batches: number[][] = [];
    for (let n = from; n < to; n += 10)
      batches.push(Array.from({ length: Math.min(10, to - n) }, (_, i) => n + i));
    await Promise.all(
      batches.map(async (batch, b) => {
        const res = await fetch(`http://127.0.0.1:${instances[b % 2]?.port}/intake/regional-line`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
          body: JSON.stringify({ appeals: batch.map(regionalAppeal) }),
        });
        const reply = (await res.json()) as { accepted?: unknown[]; rejected?: unknown[] };
        expect([res.status, reply.rejected, reply.accepted?.length]).toEqual([200, [], batch.length]);
      }),
    );
  }

  it('runs each slot on one instance, shares the slots, and applies nothing twice', async () => {
    const started = Date.now();
    // Waves of appeals, each waiting for the previous to reach its bodies: the work spans many slots.
    for (let wave = 0; wave < WAVES; wave++) {
      ucc.publish(
        ...Array.from({ length: GOV_PER_WAVE }, (_, i) => {
          const n = wave * GOV_PER_WAVE + i;
          return uccHeader({
            id: `2I-${n}`,
            phone: `+38067${String(2_000_000 + n)}`,
            lastName: `Гуменюк${n}`,
          });
        }),
      );
      await submit(wave * REGIONAL_PER_WAVE, (wave + 1) * REGIONAL_PER_WAVE);
      const govAppeals = (wave + 1) * GOV_PER_WAVE;
      await until(
        async () =>
          (await orm.em.fork().count(Appeal, { source: 'gov_hotline_1545' })) === govAppeals &&
          (await orm.em.fork().count(Delivery, { state: { $ne: 'delivered' } })) === 0,
        20_000,
        `wave ${wave}: appeals pulled and every copy delivered`,
        state,
      );
    }
    // A push that started after the last delivery has queued every status event; all of it is sent.
    const delivered = new Date();
    const pushedSince = {
      job: 'push-ucc-statuses',
      startedAt: { $gt: delivered },
      outcome: 'succeeded',
    } as const;
    await until(
      async () =>
        (await orm.em.fork().count(JobRun, pushedSince)) > 0 &&
        (await orm.em.fork().count(UccMessage, { state: { $ne: 'delivered' } })) === 0,
      20_000,
      'every status message sent to the UCC',
      state,
    );
    const stopAt = Date.now();
    for (const i of instances) i.child.kill('SIGTERM');
    const codes = await within(Promise.all(instances.map((i) => i.exited)), 15_000, 'instances did not stop');
    expect(codes).toEqual([0, 0]);

    const em = orm.em.fork();
    const runs = await em.find(JobRun, {}, { orderBy: { startedAt: 'asc' } });
    const claims = await em.find(JobSlot, {}, { orderBy: { claimedAt: 'asc' } });
    const names = instances.map((i) => i.name);
    const split = names.map((name) => {
      const mine = claims.filter((c) => c.instance === name);
      const jobs = [...new Set(claims.map((c) => c.job))].sort();
      return `${name}: ${jobs.map((job) => `${job} ${mine.filter((c) => c.job === job).length}`).join(', ')}`;
    });
    console.info(`two instances, ${stopAt - started} ms of work; slots claimed:\n  ${split.join('\n  ')}`);
    const errors = instances.flatMap((i) => i.logs.filter((l) => (l.level as number) >= 50));
    if (errors.length) console.info('errors logged by the instances:', errors);
    const brief = (r: IJobRun) => `${r.slot ?? r.job} on ${r.instance}: ${r.outcome} ${r.error ?? ''}`;

    // (1) Each slot ran once, on the instance that claimed it, and both instances claimed slots.
    const scheduled = runs.filter((r) => r.slot !== null);
    const runsOf = new Map<string, IJobRun[]>();
    for (const r of scheduled) runsOf.set(r.slot as string, [...(runsOf.get(r.slot as string) ?? []), r]);
    expect([...runsOf.values()].filter((r) => r.length > 1).map((r) => r.map(brief))).toEqual([]);
    expect(new Set(claims.map((c) => c.instance))).toEqual(new Set(names));
    const claimOf = new Map(claims.map((c) => [c.key, c]));
    expect(
      scheduled.filter((r) => claimOf.get(r.slot as string)?.instance !== r.instance).map(brief),
    ).toEqual([]);

    // (2) Every claim finished — shutdown waits for the runs going at SIGTERM, so no claim is left to
    // block the job on the other instances — and each claim of a job that records its runs has its
    // one run, succeeded.
    expect(claims.filter((c) => c.finishedAt == null).map((c) => c.key)).toEqual([]);
    expect(
      claims
        .filter((c) => RECORDED_JOBS.includes(c.job))
        .filter((c) => runsOf.get(c.key)?.[0]?.outcome !== 'succeeded')
        .map((c) => `${c.key}: ${runsOf.get(c.key)?.map(brief) ?? 'no run'}`),
    ).toEqual([]);
    expect(scheduled.length).toBe(runs.length); // nothing ran by hand
    // No job ran on both instances at once: each run starts after the job's previous run finished.
    for (const job of RECORDED_JOBS) {
      const ofJob = scheduled.filter((r) => r.job === job);
      expect(ofJob.length, job).toBeGreaterThan(0);
      const overlaps = ofJob.filter(
        (r, i) => i > 0 && r.startedAt.getTime() < (ofJob[i - 1]?.finishedAt?.getTime() ?? Infinity),
      );
      expect(overlaps.map(brief), job).toEqual([]);
    }

    // (3) Every copy of every appeal reached its body once.
    expect(await em.count(Appeal, {})).toBe(WAVES * (REGIONAL_PER_WAVE + GOV_PER_WAVE));
    const deliveries = await em.find(Delivery, {}, { populate: ['agency'] });
    expect(deliveries.length).toBeGreaterThanOrEqual(WAVES * (REGIONAL_PER_WAVE + GOV_PER_WAVE));
    const applied = (d: (typeof deliveries)[0]) => bodies.get(d.agency.code)?.accepted(d.idempotencyKey) ?? 0;
    expect(
      deliveries
        .filter((d) => d.state !== 'delivered' || applied(d) !== 1)
        .map((d) => `${d.idempotencyKey}: ${d.state}, applied ${applied(d)} times`),
    ).toEqual([]);
    const appliedKeys = [...bodies.values()].flatMap((b) => b.acceptedKeys());
    expect(appliedKeys.sort()).toEqual(deliveries.map((d) => d.idempotencyKey).sort());

    // (4) The UCC applied each status message once; a message posted twice was one the gateway retried.
    const messages = await em.find(UccMessage, {});
    expect(messages.length).toBeGreaterThanOrEqual(WAVES * GOV_PER_WAVE);
    expect([...ucc.applied.keys()].sort()).toEqual(messages.map((m) => m.msgId).sort());
    const posted = ucc.received.map((xml) => /<Header\b[^>]*\smsg_id="([^"]+)"/.exec(xml)?.[1]);
    const repeated = posted.filter((id, i) => posted.indexOf(id) !== i);
    const retried = new Set(messages.filter((m) => m.attempts > 1).map((m) => m.msgId));
    expect(repeated.filter((id) => !retried.has(id as string))).toEqual([]);
  }, 90_000);
});
