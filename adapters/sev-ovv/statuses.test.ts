/** Pulling statuses and health over loopback, and what the simulated node refuses. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallContext, StatusUpdate } from '../port.js';
import { decodeReply, encodeAppeal } from './codec.js';
import { EXAMPLE_NOW, IDEMPOTENCY_KEY, payloadWith, RESPONSIBLE_PAYLOAD } from './fixtures.js';
import { type SevOvvSettings, sevOvvAdapter } from './index.js';
import { type SevOvvSimulator, startSimulator } from './sim.js';

const ctx: CallContext = { signal: new AbortController().signal, secret: () => undefined };
const APPEAL = RESPONSIBLE_PAYLOAD.appealId;

let sim: SevOvvSimulator;
let settings: SevOvvSettings;

beforeEach(async () => {
  sim = await startSimulator({ agencyCode: '99923101', slowMs: 600 });
  const parsed = sevOvvAdapter.parseSettings({ ...sim.settings(), timeoutMs: 200 });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  settings = parsed.settings;
});

afterEach(async () => {
  await sim.close();
});

const update = (n: number, event: StatusUpdate['event'], more: Partial<StatusUpdate> = {}): StatusUpdate => ({
  appealId: APPEAL,
  externalEventId: `dszn-${n}`,
  event,
  occurredAt: `2026-12-0${n}T10:00:00.000Z`,
  result: null,
  registrationNumber: null,
  dueAt: null,
  note: null,
  ...more,
});

describe('sevOvvAdapter.pullStatuses', () => {
  it('pulls what the body reported, in order, and continues from the cursor', async () => {
    await sevOvvAdapter.forward(RESPONSIBLE_PAYLOAD, settings, IDEMPOTENCY_KEY, ctx);
    const first = [
      update(1, 'accept', { registrationNumber: 'Вх-00001', note: 'Прийнято до розгляду.' }),
      update(2, 'answer', { result: 'explained', note: 'Надано роз’яснення щодо перерахунку субсидії.' }),
    ];
    for (const u of first) sim.report(u);
    expect(await sevOvvAdapter.pullStatuses(settings, null, ctx)).toEqual({
      ok: true,
      updates: first,
      unmapped: [],
      cursor: '2',
    });
    expect(await sevOvvAdapter.pullStatuses(settings, '2', ctx)).toEqual({
      ok: true,
      updates: [],
      unmapped: [],
      cursor: '2',
    });
    const later = update(3, 'extend', { dueAt: '2027-01-03T21:59:59.999Z' });
    sim.report(later);
    expect(await sevOvvAdapter.pullStatuses(settings, '2', ctx)).toEqual({
      ok: true,
      updates: [later],
      unmapped: [],
      cursor: '3',
    });
  });

  it.each([
    ['error500', { retryable: true, code: 'HTTP_500' }],
    ['rate_limited', { retryable: true, code: 'HTTP_429', retryAfterMs: 30_000 }],
    ['reject', { retryable: false, code: 'HTTP_403' }],
    ['malformed', { retryable: true, code: 'MALFORMED_REPLY' }],
    ['slow', { retryable: true, code: 'TIMEOUT' }],
  ] as const)('turns the fault %s into %o', async (fault, failure) => {
    sim.report(update(1, 'deliver'));
    sim.fault(fault, 1);
    expect(await sevOvvAdapter.pullStatuses(settings, null, ctx)).toMatchObject({ ok: false, failure });
    expect(await sevOvvAdapter.pullStatuses(settings, null, ctx)).toMatchObject({ ok: true, cursor: '1' });
  });

  it('reports UNREACHABLE while the node is down', async () => {
    sim.fault('down');
    expect(await sevOvvAdapter.pullStatuses(settings, null, ctx)).toMatchObject({
      ok: false,
      failure: { code: 'UNREACHABLE' },
    });
  });
});

describe('sevOvvAdapter.health', () => {
  it('is ok while the node serves its feed, and says why not otherwise', async () => {
    expect(await sevOvvAdapter.health(settings, ctx)).toMatchObject({ ok: true });
    sim.fault('error500', 1);
    const sick = await sevOvvAdapter.health(settings, ctx);
    expect(sick.ok).toBe(false);
    expect(sick.detail).toContain('HTTP_500');
  });
});

describe('the simulated SEV OVV node', () => {
  const post = async (body: string) => {
    const response = await fetch(`${sim.url}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body,
    });
    return decodeReply(await response.text());
  };
  const valid = encodeAppeal(RESPONSIBLE_PAYLOAD, 'raw-key', EXAMPLE_NOW);

  it.each([
    ['a message that is not XML', 'звернення', '1: '],
    ['another standard', valid.replace('standart="1207"', 'standart="1208"'), '2: '],
    ['a receipt instead of a main document', valid.replace('msg_type="1"', 'msg_type="0"'), '3: '],
    [
      'a message for another organisation',
      encodeAppeal(
        payloadWith({ recipient: { ...RESPONSIBLE_PAYLOAD.recipient, code: '99923102' } }),
        'k',
        EXAMPLE_NOW,
      ),
      '5: ',
    ],
    ['a document that is not an appeal', valid.replace('type="2"', 'type="1"'), '6: '],
  ])('answers %s with ack_type 4 and registers nothing', async (_, body, code) => {
    const outcome = await post(body);
    expect(outcome).toMatchObject({ ok: false, failure: { code: 'ACK_REJECTED' } });
    expect(!outcome.ok && outcome.failure.message).toContain(code);
    expect(sim.acceptedKeys()).toEqual([]);
  });

  it('counts a message without an Idempotency-Key by its msg_id', async () => {
    expect(await post(valid)).toMatchObject({ ok: true, receipt: { level: 'registered' } });
    expect(await post(valid)).toMatchObject({ ok: true, receipt: { level: 'registered' } });
    expect(sim.acceptedKeys()).toHaveLength(1);
    expect(sim.settings()).toMatchObject({ orgCode: '99923101', sysId: 'SIM-99923101' });
    expect(sim.env()).toEqual({});
  });
});
