/**
 * Delivery as a body's IT staff would notice it: every assignment reaches its body once, through a
 * real webhook simulator on loopback; refusals become dead letters with a reason and can be replayed;
 * a body down for a day gets everything once it is back, in order of priority and age, with the
 * back-off schedule kept (fake clock); malformed replies never mark a delivery done; a stale worker
 * cannot overwrite a newer outcome.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Simulator } from '../adapters/simulator.js';
import { startSimulator } from '../adapters/webhook/sim.js';
import { createPrincipal } from '../src/access/tokens.js';
import { Agency, Assignment, AuditEntry, Delivery, type IDelivery } from '../src/db/entities/index.js';
import { claimDue, Dispatcher, type DispatcherOptions } from '../src/delivery/dispatcher.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const SOCIAL = '99923101'; // social protection department: the example rules' body for topic 006

describeEachDatabase('delivery through the outbox', (db) => {
  let gw: TestGateway;
  let sim: Simulator;
  let clock: Date;
  let n = 0;

  beforeAll(async () => {
    gw = await startTestGateway(db);
  });
  afterAll(() => gw.close());

  beforeEach(async () => {
    sim = await startSimulator({ agencyCode: SOCIAL, slowMs: 1_000 });
    await gw.orm.em
      .fork()
      .nativeUpdate(
        Agency,
        { code: SOCIAL },
        { adapterKind: 'webhook', adapterSettings: { ...sim.settings(), timeoutMs: 300, concurrency: 1 } },
      );
    // Whatever earlier tests left due is settled, so each test sees only its own deliveries.
    await gw.orm.em.fork().nativeUpdate(Delivery, { state: { $ne: 'delivered' } }, { state: 'delivered' });
    clock = new Date('2026-11-28T10:00:00Z');
  });
  afterEach(() => sim.close());

  const dispatcher = (extra: Partial<DispatcherOptions> = {}) =>
    new Dispatcher({
      orm: gw.orm,
      owner: 'test',
      now: () => clock,
      random: () => 0.5,
      secret: (name) => sim.env()[name],
      ...extra,
    });

  /** An appeal on social protection (topic 006.02): the rules route it to the department. */
  async function intake(opts: { urgent?: boolean } = {}): Promise<string> {
    n++;
    const res = await gw.post(
      '/intake/regional-line',
      JSON.stringify({
        cardId: `RL-DLV-${db.label}-${n}`,
        registeredAt: '2026-11-27T09:00:00+02:00',
        kind: '3.2',
        topic: '006.02',
        territory: 'UA23060070010069526',
        urgent: opts.urgent ?? false,
        summary: 'Прошу роз’яснити порядок призначення допомоги на дітей одиноким матерям.',
        author: {
          lastName: 'Ткаченко',
          firstName: 'Ірина',
          phone: `+38050777${String(1000 + n).padStart(4, '0')}`,
          address: `м. Запоріжжя, вул. Миру, ${n}`,
        },
      }),
      { contentType: 'application/json' },
    );
    expect(res.body.rejected).toEqual([]);
    return res.body.accepted[0]?.appealId as string;
  }

  const deliveryOf = async (appealId: string): Promise<IDelivery> =>
    gw.orm.em.fork().findOneOrFail(Delivery, { appeal: appealId, agency: { code: SOCIAL } });

  it('forwards an appeal once, keeps the receipt, moves the assignment on and audits the transfer', async () => {
    const id = await intake();
    const before = await deliveryOf(id);
    expect(before).toMatchObject({
      state: 'pending',
      adapterKind: 'webhook',
      idempotencyKey: `${id}:${SOCIAL}`,
    });

    const report = await dispatcher().runOnce();
    expect(report).toMatchObject({ claimed: 1, delivered: 1 });
    const after = await deliveryOf(id);
    expect(after.state).toBe('delivered');
    expect(after.receipt?.level).toBe('registered');
    expect(sim.accepted(after.idempotencyKey)).toBe(1);
    const assignment = await gw.orm.em
      .fork()
      .findOneOrFail(Assignment, { appeal: id, agency: { code: SOCIAL } });
    expect(assignment.status).toBe('delivered');
    expect(assignment.agencyRegNumber).toBe(after.receipt?.registrationNumber);
    const audit = await gw.orm.em.fork().find(AuditEntry, { appealId: id });
    expect(audit).toEqual([
      expect.objectContaining({
        action: `deliver:webhook:${SOCIAL}`,
        fields: ['address', 'firstName', 'lastName', 'phone'],
        purpose: expect.stringContaining('ст. 7'),
      }),
    ]);
    // Nothing more is due: another round sends nothing.
    expect(await dispatcher().runOnce()).toMatchObject({ claimed: 0 });
    expect(sim.requests()).toBe(1);
  });

  it('sends the same idempotency key again after a lost reply, and the body applies it once', async () => {
    const id = await intake();
    sim.fault('slow', 1); // applied, but the reply comes after the adapter's timeout
    expect(await dispatcher().runOnce()).toMatchObject({ retried: 1 });
    const d = await deliveryOf(id);
    expect(d).toMatchObject({ state: 'pending', lastErrorCode: 'TIMEOUT', attempts: 1 });
    clock = new Date(d.nextAttemptAt.getTime() + 1);
    expect(await dispatcher().runOnce()).toMatchObject({ delivered: 1 });
    expect(sim.accepted(d.idempotencyKey)).toBe(1);
  });

  it('turns a permanent refusal into a dead letter with its reason, and delivers it once after a replay', async () => {
    const id = await intake();
    sim.fault('reject');
    expect(await dispatcher().runOnce()).toMatchObject({ dead: 1 });
    const dead = await deliveryOf(id);
    expect(dead.state).toBe('dead');
    expect(dead.deadReason).toMatch(/^refused permanently: HTTP_422/);

    const listed = await gw.gql<{
      deliveries: { id: string; deadReason: string; agency: { code: string } }[];
    }>(`{ deliveries(state: [DEAD], agencyCode: "${SOCIAL}") { id deadReason agency { code } } }`);
    expect(listed.body.data?.deliveries).toEqual([
      { id: dead.id, deadReason: dead.deadReason, agency: { code: SOCIAL } },
    ]);

    sim.fault(null); // the body fixed its side
    const replay = await gw.gql<{ replayDeadDeliveries: { __typename: string; data: number } }>(
      `mutation { replayDeadDeliveries(agencyCode: "${SOCIAL}") {
        __typename
        ... on MutationReplayDeadDeliveriesSuccess { data }
        ... on Problem { code field message } } }`,
    );
    expect(replay.body.errors).toBeUndefined();
    expect(replay.body.data?.replayDeadDeliveries).toEqual({
      __typename: 'MutationReplayDeadDeliveriesSuccess',
      data: 1,
    });
    expect(await dispatcher().runOnce()).toMatchObject({ delivered: 1 });
    expect(sim.accepted(dead.idempotencyKey)).toBe(1);
    expect((await deliveryOf(id)).state).toBe('delivered');
  });

  it('never marks a delivery done on a malformed reply, and never crashes on one', async () => {
    const id = await intake();
    sim.fault('malformed', 3);
    const d = dispatcher();
    for (let round = 0; round < 3; round++) {
      expect(await d.runOnce()).toMatchObject({ retried: 1 });
      const row = await deliveryOf(id);
      expect(row).toMatchObject({ state: 'pending', lastErrorCode: 'MALFORMED_REPLY' });
      clock = new Date(row.nextAttemptAt.getTime() + 1);
    }
    expect(await d.runOnce()).toMatchObject({ delivered: 1 });
    expect(sim.accepted((await deliveryOf(id)).idempotencyKey)).toBe(1);
  });

  it('gets everything to a body that was down for a day, by priority then age, keeping the back-off', async () => {
    const ids = [await intake(), await intake(), await intake({ urgent: true }), await intake()];
    sim.fault('down');
    const d = dispatcher();
    const attemptsAt: number[] = [];
    const end = clock.getTime() + 24 * 3_600_000;
    while (clock.getTime() < end) {
      const r = await d.runOnce();
      if (r.claimed) attemptsAt.push(clock.getTime());
      const next = await gw.orm.em
        .fork()
        .findOneOrFail(
          Delivery,
          { state: 'pending', agency: { code: SOCIAL } },
          { orderBy: { nextAttemptAt: 'asc' } },
        );
      clock = new Date(Math.max(next.nextAttemptAt.getTime(), clock.getTime() + 1));
    }
    // Probes only: 30 s, 1, 2, 4, 8, 16, 32 min, then hourly (random fixed at the middle: no jitter).
    const gaps = attemptsAt.slice(1).map((t, i) => (t - (attemptsAt[i] as number)) / 1000);
    expect(gaps.slice(0, 8)).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600]);
    expect(gaps.slice(8).every((g) => g === 3600)).toBe(true);
    const rows = await Promise.all(ids.map(deliveryOf));
    expect(rows.every((r) => r.state === 'pending')).toBe(true);
    // Only the probe spent attempts; the others waited.
    expect(rows.map((r) => r.attempts).sort((a, b) => b - a)[1]).toBeLessThanOrEqual(1);

    sim.fault(null);
    clock = new Date(Math.max(...rows.map((r) => r.nextAttemptAt.getTime())) + 1);
    expect(await d.runUntilIdle()).toMatchObject({ delivered: 4, dead: 0 });
    const keys = rows.map((r) => r.idempotencyKey);
    expect(sim.acceptedKeys()).toEqual([keys[2], keys[0], keys[1], keys[3]]);
    for (const k of keys) expect(sim.accepted(k)).toBe(1);
  });

  it("checks a body's adapter settings when they are saved, by JSON pointer, and keeps secrets out", async () => {
    const SET = `mutation($c: String!, $k: AdapterKind!, $s: JSON!) {
      setAgencyAdapter(agencyCode: $c, kind: $k, settings: $s) {
        __typename
        ... on MutationSetAgencyAdapterSuccess { data { agency { code adapterKind } problems { pointer message } } }
        ... on Problem { code field message } } }`;
    const bad = await gw.gql<{
      setAgencyAdapter: { __typename: string; data: { agency: unknown; problems: { pointer: string }[] } };
    }>(SET, {
      c: '99923102',
      k: 'WEBHOOK',
      s: { url: 'ftp://health.example', secret: 'plain-text', timeoutMs: 5 },
    });
    expect(bad.body.errors).toBeUndefined();
    expect(bad.body.data?.setAgencyAdapter.__typename).toBe('MutationSetAgencyAdapterSuccess');
    expect(bad.body.data?.setAgencyAdapter.data.agency).toBeNull();
    expect(bad.body.data?.setAgencyAdapter.data.problems.map((p) => p.pointer).sort()).toEqual(
      expect.arrayContaining(['/url', '/secret', '/timeoutMs']),
    );
    expect((await gw.orm.em.fork().findOneOrFail(Agency, { code: '99923102' })).adapterKind).toBe('api');
    const good = await gw.gql<{
      setAgencyAdapter: {
        __typename: string;
        data: { agency: { adapterKind: string }; problems: unknown[] };
      };
    }>(SET, {
      c: '99923102',
      k: 'WEBHOOK',
      s: { url: 'https://health.example/appeals', secretEnv: 'WEBHOOK_SECRET_99923102' },
    });
    expect(good.body.data?.setAgencyAdapter).toEqual({
      __typename: 'MutationSetAgencyAdapterSuccess',
      data: { agency: { code: '99923102', adapterKind: 'WEBHOOK' }, problems: [] },
    });
    // Back as it was, for the other tests.
    await gw.orm.em
      .fork()
      .nativeUpdate(Agency, { code: '99923102' }, { adapterKind: 'api', adapterSettings: {} });
  });

  it('never sends a copy to a body taken off the appeal, and keeps the work of a body that stays', async () => {
    const operator = (await createPrincipal(gw.orm.em.fork(), { name: 'Оператор', role: 'operator' })).token;
    const reroute = (appealId: string, responsible: string, forInformation: string[] = []) =>
      gw.gql<{ rerouteAppeal: { __typename: string; data?: { status: string } } }>(
        `mutation($i: RerouteInput!) { rerouteAppeal(input: $i) {
          __typename
          ... on MutationRerouteAppealSuccess { data { status } }
          ... on Problem { code field message } } }`,
        { i: { appealId, responsible, forInformation, reason: 'уточнення за належністю' } },
        operator,
      );
    // Taken off before its copy went out: cancelled, never sent.
    const away = await intake();
    const awayRes = await reroute(away, '99923104');
    expect(awayRes.body.errors).toBeUndefined();
    expect(awayRes.body.data?.rerouteAppeal.__typename).toBe('MutationRerouteAppealSuccess');
    expect((await deliveryOf(away)).state).toBe('cancelled');
    await dispatcher().runOnce();
    expect(sim.requests()).toBe(0);
    expect((await deliveryOf(away)).state).toBe('cancelled');

    // Stays responsible while a copy for information is added: its delivered copy and progress stay.
    const stays = await intake();
    await dispatcher().runOnce();
    const before = await deliveryOf(stays);
    expect(before.state).toBe('delivered');
    const staysRes = await reroute(stays, SOCIAL, ['99923000']);
    expect(staysRes.body.errors).toBeUndefined();
    expect(staysRes.body.data?.rerouteAppeal.__typename).toBe('MutationRerouteAppealSuccess');
    const assignment = await gw.orm.em
      .fork()
      .findOneOrFail(Assignment, { appeal: stays, agency: { code: SOCIAL } });
    expect(assignment.status).toBe('delivered');
    expect(assignment.reason).toMatch(
      /^вручну \(Оператор\): уточнення за належністю → ДСЗН ОДА; до відома: Запорізька ОВА$/,
    );
    expect(await deliveryOf(stays)).toMatchObject({
      state: 'delivered',
      idempotencyKey: before.idempotencyKey,
    });
    expect(sim.accepted(before.idempotencyKey)).toBe(1);
  });

  it('lets a worker whose lease ran out settle nothing: the newer outcome stands', async () => {
    const id = await intake();
    const em = gw.orm.em.fork();
    // A worker claims the row, then stalls past its lease; another claims it and delivers.
    const [stalled] = await claimDue(em, 'stalled-worker', clock, 1_000, 10);
    expect(stalled?.attempts).toBe(1);
    clock = new Date(clock.getTime() + 5_000);
    expect(await dispatcher().runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    // The stalled worker's late failure must not overwrite the delivery.
    const late = await em
      .fork()
      .nativeUpdate(
        Delivery,
        { id: (await deliveryOf(id)).id, state: 'in_flight', leaseOwner: 'stalled-worker', attempts: 1 },
        { state: 'pending' },
      );
    expect(late).toBe(0);
    expect((await deliveryOf(id)).state).toBe('delivered');
  });
});
