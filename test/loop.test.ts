/**
 * The whole loop on a fake clock, through real simulators on loopback: the UCC publishes appeals →
 * the gateway pulls them from its feed, routes them and forwards each copy through the body's own
 * system (webhook, SEV OVV, Trembita, or the gateway's API) → the bodies accept and answer → the
 * gateway pulls their statuses → the results go back to the UCC. Outages on the way (a body down,
 * the UCC down) cost time on the clock, never a message. The UCC must end with the right result,
 * answer and executor for every appeal.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Simulator } from '../adapters/simulator.js';
import { startSimulatorOf } from '../adapters/simulators.js';
import { Agency, Appeal, Assignment, Delivery } from '../src/db/entities/index.js';
import { Dispatcher } from '../src/delivery/dispatcher.js';
import { pullGovLine } from '../src/jobs/pull-gov-line.js';
import { createLogger } from '../src/log.js';
import { pullAgencyStatuses } from '../src/sync/pull-agency-statuses.js';
import { pushUccStatuses } from '../src/sync/push-ucc-statuses.js';
import { startUccSimulator, type UccSimulator } from '../src/ucc/sim.js';
import { describeEachDatabase } from './support/databases.js';
import { NOW, reportStatus, startTestGateway, type TestGateway } from './support/gateway.js';
import { uccHeader } from './support/ucc.js';

/** Topic → the body the example rules give it (territory: the city of Zaporizhzhia), and how it is reached. */
const BODIES = [
  { topic: '006.02', code: '99923101', kind: 'webhook', result: '9.3', gql: 'EXPLAINED' },
  { topic: '009.01', code: '99923301', kind: 'sev-ovv', result: '9.1', gql: 'RESOLVED_POSITIVELY' },
  { topic: '008.01', code: '99923102', kind: 'trembita', result: '9.2', gql: 'REFUSED' },
  { topic: '015.01', code: '99923103', kind: 'api', result: '9.1', gql: 'RESOLVED_POSITIVELY' },
] as const;
const RESULT_NAMES = {
  '9.1': 'resolved_positively',
  '9.2': 'refused',
  '9.3': 'explained',
} as const;
const PER_BODY = 3;

describeEachDatabase('the whole loop, UCC to bodies and back', (db) => {
  let gw: TestGateway;
  let ucc: UccSimulator;
  const sims = new Map<string, Simulator>();
  let clock = new Date(NOW);
  const tick = (minutes: number) => {
    clock = new Date(clock.getTime() + minutes * 60_000);
  };
  const now = () => clock;
  const secret = (name: string) => {
    for (const s of sims.values()) if (s.env()[name]) return s.env()[name];
    return undefined;
  };
  const uccEndpoint = () => ({ statusUrl: ucc.statusUrl, token: 'ucc-token' });
  const expected = new Map<string, { code: string; result: string; answer: string }>();

  beforeAll(async () => {
    gw = await startTestGateway(db);
    ucc = await startUccSimulator({ token: 'ucc-token' });
    const em = gw.orm.em.fork();
    for (const b of BODIES) {
      if (b.kind === 'api') continue;
      const sim = await startSimulatorOf(b.kind, { agencyCode: b.code });
      sims.set(b.code, sim);
      await em.nativeUpdate(
        Agency,
        { code: b.code },
        { adapterKind: b.kind, adapterSettings: { ...sim.settings(), timeoutMs: 2_000 } },
      );
    }
  });
  afterAll(async () => {
    for (const s of sims.values()) await s.close();
    await ucc?.close();
    await gw?.close();
  });

  it('takes every appeal from the UCC feed and routes it to its body', async () => {
    let n = 0;
    for (const b of BODIES) {
      for (let i = 0; i < PER_BODY; i++) {
        n++;
        const id = `UCC-L-${String(n).padStart(3, '0')}`;
        ucc.publish(
          uccHeader({
            id,
            topic: b.topic,
            phone: `+38067300${String(n).padStart(4, '0')}`,
            lastName: `Петренко${n}`,
          }),
        );
        expected.set(id, {
          code: b.code,
          result: b.result,
          answer: `Відповідь органу ${b.code} на звернення ${id}.`,
        });
      }
    }
    const pulled = await pullGovLine({
      orm: gw.orm,
      log: createLogger('silent'),
      now,
      feed: { feedUrl: ucc.feedUrl, token: 'ucc-token' },
    });
    expect(pulled.counts).toMatchObject({ created: BODIES.length * PER_BODY, rejected: 0 });
    const em = gw.orm.em.fork();
    for (const [id, e] of expected) {
      const appeal = await em.findOneOrFail(Appeal, { source: 'gov_hotline_1545', externalId: id });
      const responsible = await em.findOneOrFail(
        Assignment,
        { appeal, role: 'responsible' },
        { populate: ['agency'] },
      );
      expect(responsible.agency.code, id).toBe(e.code);
    }
  });

  it('forwards every copy through its body’s system; a body down costs time, not a message', async () => {
    sims.get('99923102')?.fault('down', 1);
    const dispatcher = new Dispatcher({ orm: gw.orm, owner: 'loop-test', now, random: () => 0.5, secret });
    tick(1);
    const first = await dispatcher.runUntilIdle();
    expect(first.retried).toBeGreaterThan(0);
    tick(10);
    await dispatcher.runUntilIdle();
    const em = gw.orm.em.fork();
    const pushed = await em.find(Delivery, { adapterKind: { $ne: 'api' } });
    expect(pushed.length).toBeGreaterThanOrEqual(PER_BODY * 3);
    expect(pushed.filter((d) => d.state !== 'delivered')).toEqual([]);
    for (const [code, sim] of sims) {
      const keys = sim.acceptedKeys();
      expect(keys.length, code).toBeGreaterThanOrEqual(PER_BODY);
      for (const k of keys) expect(sim.accepted(k), k).toBe(1);
    }
  });

  it('brings every body’s acceptance and answer back, and every result to the UCC', async () => {
    tick(60);
    const em = gw.orm.em.fork();
    let seq = 0;
    for (const [id, e] of expected) {
      const appeal = await em.findOneOrFail(Appeal, { source: 'gov_hotline_1545', externalId: id });
      const sim = sims.get(e.code);
      const reg = `ВХ-${e.code.slice(-3)}/${id.slice(-3)}`;
      if (!sim) {
        // The api body works the gateway's own GraphQL.
        const copy = await em.findOneOrFail(Assignment, { appeal, role: 'responsible' });
        const name = BODIES.find((b) => b.code === e.code)?.gql;
        for (const i of [
          { event: 'DELIVER', registrationNumber: reg },
          { event: 'ACCEPT' },
          { event: 'ANSWER', result: name, answerText: e.answer },
        ]) {
          await reportStatus(gw, copy.id, i, id);
        }
        continue;
      }
      const at = (m: number) => new Date(clock.getTime() + m * 60_000).toISOString();
      const base = { appealId: appeal.id, dueAt: null, note: null, result: null };
      sim.report({
        ...base,
        externalEventId: `ev-${++seq}`,
        event: 'accept',
        occurredAt: at(1),
        registrationNumber: reg,
      });
      sim.report({
        ...base,
        externalEventId: `ev-${++seq}`,
        event: 'answer',
        occurredAt: at(2),
        registrationNumber: reg,
        result: RESULT_NAMES[e.result as keyof typeof RESULT_NAMES],
        note: e.answer,
      });
    }
    tick(5);
    const pulled = await pullAgencyStatuses({ orm: gw.orm, now, secret });
    expect(pulled.outcome, pulled.error ?? '').toBe('succeeded');
    expect(pulled.counts.applied).toBeGreaterThanOrEqual(PER_BODY * 3 * 2);

    // The UCC is down for the first push: nothing is lost, the next run on the clock delivers it all.
    ucc.failStatusNext(1);
    const down = await pushUccStatuses({ orm: gw.orm, now, ucc: uccEndpoint() });
    expect(down.counts).toMatchObject({ sent: 0, retried: 1 });
    tick(5);
    const up = await pushUccStatuses({ orm: gw.orm, now, ucc: uccEndpoint() });
    expect(up.counts).toMatchObject({ dead: 0, retried: 0 });

    for (const [id, e] of expected) {
      const view = ucc.appeals.get(id);
      expect(view, id).toMatchObject({
        state: 'answered',
        result: e.result,
        answerText: e.answer,
        executor: e.code,
        executorRegNumber: `ВХ-${e.code.slice(-3)}/${id.slice(-3)}`,
      });
      expect(view?.events[0], id).toBe('register');
      expect(view?.events.at(-1), id).toBe('answer');
    }
    // Each message applied once, in order, nothing left behind.
    expect(new Set(ucc.applied.keys()).size).toBe(ucc.applied.size);
    expect((await pushUccStatuses({ orm: gw.orm, now, ucc: uccEndpoint() })).counts).toMatchObject({
      queued: 0,
      claimed: 0,
    });
  });
});
