/** The adapter against its simulator over real loopback HTTP: receipts, idempotency, every fault. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readGovLineDocument } from '../../src/intake/gov-line/read.js';
import type { CallContext, ForwardOutcome } from '../port.js';
import { msgIdFor } from './codec.js';
import { ATTACHMENT_BYTES, IDEMPOTENCY_KEY, INFORMATION_PAYLOAD, RESPONSIBLE_PAYLOAD } from './fixtures.js';
import { type SevOvvSettings, sevOvvAdapter } from './index.js';
import { type SevOvvSimulator, startSimulator } from './sim.js';

const ctx = (signal = new AbortController().signal): CallContext => ({ signal, secret: () => undefined });

let sim: SevOvvSimulator;
let settings: SevOvvSettings;

function settingsFor(s: SevOvvSimulator, changes: Record<string, unknown> = {}): SevOvvSettings {
  const parsed = sevOvvAdapter.parseSettings({ ...s.settings(), ...changes });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.settings;
}

const forward = (key = IDEMPOTENCY_KEY, payload = RESPONSIBLE_PAYLOAD, s = settings) =>
  sevOvvAdapter.forward(payload, s, key, ctx());

const registeredAs = (outcome: ForwardOutcome) =>
  outcome.ok ? outcome.receipt.registrationNumber : outcome.failure.code;

beforeEach(async () => {
  sim = await startSimulator({
    agencyCode: '99923101',
    agencyName: RESPONSIBLE_PAYLOAD.recipient.name,
    slowMs: 600,
    retryAfterSeconds: 17,
  });
  settings = settingsFor(sim, { timeoutMs: 200 });
});

afterEach(async () => {
  await sim.close();
});

describe('sevOvvAdapter.forward', () => {
  it('delivers the appeal and reads the registration receipt', async () => {
    const outcome = await forward();
    expect(outcome).toMatchObject({
      ok: true,
      receipt: { level: 'registered', registrationNumber: 'Вх-00001' },
    });
    expect(outcome.ok && outcome.receipt.detail).toContain('ack_type=3');
    expect(sim.accepted(IDEMPOTENCY_KEY)).toBe(1);
  });

  it('sends a message the node stores with its Cyrillic text, codes and file intact', async () => {
    await forward();
    const [message] = sim.messages();
    const [read] = readGovLineDocument(message ?? '');
    expect(read).toMatchObject({
      ok: true,
      item: {
        summary: RESPONSIBLE_PAYLOAD.summary,
        author: { lastName: 'Коваленко', firstName: 'Олена', patronymic: 'Петрівна' },
        origin: { to_org_id: '99923101', to_sys_id: 'SIM-99923101', msg_id: msgIdFor(IDEMPOTENCY_KEY) },
      },
    });
    expect(
      read?.ok && Buffer.compare(read.item.attachments[0]?.content ?? Buffer.alloc(0), ATTACHMENT_BYTES),
    ).toBe(0);
  });

  it('delivers one key once: a repeat gets the same RegNumber and changes nothing', async () => {
    const first = await forward();
    const again = await forward();
    const other = await forward('01936b2e-5c3a-7d41-9a8e-2f6c1b7d4e02:99923101');
    expect([registeredAs(first), registeredAs(again), registeredAs(other)]).toEqual([
      'Вх-00001',
      'Вх-00001',
      'Вх-00002',
    ]);
    expect(sim.accepted(IDEMPOTENCY_KEY)).toBe(1);
    expect(sim.acceptedKeys()).toEqual([IDEMPOTENCY_KEY, '01936b2e-5c3a-7d41-9a8e-2f6c1b7d4e02:99923101']);
  });

  it('refuses a delivery for another body than the one these settings address, without calling it', async () => {
    const outcome = await forward('k', INFORMATION_PAYLOAD);
    expect(outcome).toMatchObject({ ok: false, failure: { retryable: false, code: 'RECIPIENT_MISMATCH' } });
    expect(sim.requests()).toBe(0);
  });

  it.each([
    ['error500', { retryable: true, code: 'HTTP_500' }],
    ['rate_limited', { retryable: true, code: 'HTTP_429', retryAfterMs: 17_000 }],
    ['reject', { retryable: false, code: 'ACK_REJECTED' }],
    ['malformed', { retryable: true, code: 'MALFORMED_REPLY' }],
  ] as const)('turns the fault %s into %o and applies nothing', async (fault, failure) => {
    sim.fault(fault, 1);
    expect(await forward()).toMatchObject({ ok: false, failure });
    expect(sim.accepted(IDEMPOTENCY_KEY)).toBe(0);
    expect(registeredAs(await forward())).toBe('Вх-00001');
    expect(sim.accepted(IDEMPOTENCY_KEY)).toBe(1);
  });

  it('takes a receipt that claims a duplicate as the registration it is, counted once', async () => {
    sim.fault('duplicate_receipt', 1);
    const outcome = await forward();
    expect(outcome).toMatchObject({
      ok: true,
      receipt: { level: 'registered', registrationNumber: 'Вх-00001' },
    });
    expect(outcome.ok && outcome.receipt.detail).toContain('уже зареєстровано');
    expect(registeredAs(await forward())).toBe('Вх-00001');
    expect(sim.accepted(IDEMPOTENCY_KEY)).toBe(1);
  });

  it('gives up on a slow node with TIMEOUT; the retry finds the message already registered', async () => {
    sim.fault('slow');
    expect(await forward()).toMatchObject({ ok: false, failure: { retryable: true, code: 'TIMEOUT' } });
    sim.fault(null);
    expect(registeredAs(await forward())).toBe('Вх-00001');
    expect(sim.accepted(IDEMPOTENCY_KEY)).toBe(1);
  });

  it('reports TIMEOUT when the caller’s deadline passes first', async () => {
    sim.fault('slow');
    const slowSettings = settingsFor(sim, { timeoutMs: 5_000 });
    const outcome = await sevOvvAdapter.forward(
      RESPONSIBLE_PAYLOAD,
      slowSettings,
      'k',
      ctx(AbortSignal.timeout(100)),
    );
    expect(outcome).toMatchObject({ ok: false, failure: { code: 'TIMEOUT' } });
  });

  it('reports UNREACHABLE while the node is down and delivers on the same URL once it is back', async () => {
    const url = sim.url;
    expect(registeredAs(await forward('warm-up'))).toBe('Вх-00001');
    sim.fault('down');
    expect(await forward()).toMatchObject({ ok: false, failure: { retryable: true, code: 'UNREACHABLE' } });
    expect(await sevOvvAdapter.health(settings, ctx())).toMatchObject({ ok: false });
    sim.fault(null);
    expect(sim.url).toBe(url);
    expect(registeredAs(await forward())).toBe('Вх-00002');
    expect(sim.accepted(IDEMPOTENCY_KEY)).toBe(1);
  });

  it('applies a fault to as many requests as `times` says, then answers normally', async () => {
    sim.fault('error500', 2);
    const outcomes = [await forward(), await forward(), await forward()];
    expect(outcomes.map((o) => (o.ok ? o.receipt.level : o.failure.code))).toEqual([
      'HTTP_500',
      'HTTP_500',
      'registered',
    ]);
    expect(sim.requests()).toBe(3);
  });
});
