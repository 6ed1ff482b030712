import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallContext, StatusUpdate } from '../port.js';
import type { Simulator } from '../simulator.js';
import { subsidyDelivery } from './fixtures.js';
import { webhookAdapter as adapter, type WebhookSettings } from './index.js';
import { startSimulator } from './sim.js';

let sim: Simulator;
let settings: WebhookSettings;
let ctx: CallContext;

beforeEach(async () => {
  sim = await startSimulator({ agencyCode: '99923101', slowMs: 1_000, retryAfterSeconds: 7 });
  const parsed = adapter.parseSettings({ ...sim.settings(), timeoutMs: 200 });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  settings = parsed.settings;
  ctx = { signal: new AbortController().signal, secret: (name) => sim.env()[name] };
});

afterEach(() => sim.close());

const forward = (key = 'appeal-1:99923101', context = ctx) =>
  adapter.forward(subsidyDelivery, settings, key, context);
const year = new Date().getUTCFullYear();

describe('webhook adapter: forward', () => {
  it('is a pushing adapter of kind webhook', () => {
    expect([adapter.kind, adapter.pushes]).toEqual(['webhook', true]);
  });

  it('gets the body registration number back as the receipt', async () => {
    expect(await forward()).toEqual({
      ok: true,
      receipt: {
        level: 'registered',
        agencyRef: 'wh-1',
        registrationNumber: `ВХ-1/${year}`,
        detail: 'HTTP 201 status=registered id=wh-1',
      },
    });
    expect(sim.accepted('appeal-1:99923101')).toBe(1);
  });

  it('registers an appeal once however often the same key comes', async () => {
    const first = await forward();
    const again = await forward();
    expect(again).toMatchObject({
      ok: true,
      receipt: { registrationNumber: `ВХ-1/${year}`, detail: expect.stringContaining('HTTP 200') },
    });
    expect(first.ok && again.ok && again.receipt.agencyRef === first.receipt.agencyRef).toBe(true);
    expect(await forward('appeal-2:99923101')).toMatchObject({
      ok: true,
      receipt: { registrationNumber: `ВХ-2/${year}` },
    });
    expect(sim.acceptedKeys()).toEqual(['appeal-1:99923101', 'appeal-2:99923101']);
    expect(sim.accepted('appeal-1:99923101')).toBe(1);
  });

  it('fails permanently, without calling, when the secret is not set', async () => {
    const outcome = await forward(undefined, { ...ctx, secret: () => undefined });
    expect(outcome).toEqual({
      ok: false,
      failure: expect.objectContaining({ retryable: false, code: 'SECRET_MISSING' }),
    });
    expect(!outcome.ok && outcome.failure.message).toContain('WEBHOOK_SECRET_99923101');
    expect(sim.requests()).toBe(0);
  });

  it('is refused by the body when signed with the wrong secret', async () => {
    const outcome = await forward(undefined, { ...ctx, secret: () => 'not-the-shared-secret' });
    expect(outcome).toEqual({
      ok: false,
      failure: expect.objectContaining({ retryable: false, code: 'HTTP_401' }),
    });
    expect(sim.acceptedKeys()).toEqual([]);
  });

  it('gives up in time, retryably, when the body is slow; the retry finds the registration', async () => {
    sim.fault('slow', 1);
    const started = performance.now();
    expect(await forward()).toEqual({
      ok: false,
      failure: expect.objectContaining({ retryable: true, code: 'TIMEOUT' }),
    });
    expect(performance.now() - started).toBeLessThan(800);
    expect(await forward()).toMatchObject({ ok: true, receipt: { registrationNumber: `ВХ-1/${year}` } });
    expect(sim.accepted('appeal-1:99923101')).toBe(1);
  });

  it('stops when the gateway cancels the call', async () => {
    const outcome = await forward(undefined, { ...ctx, signal: AbortSignal.abort() });
    expect(outcome).toEqual({
      ok: false,
      failure: expect.objectContaining({ retryable: true, code: 'ABORTED' }),
    });
  });
});

describe('webhook adapter: faults', () => {
  it.each([
    ['error500', true, 'HTTP_500'],
    ['reject', false, 'HTTP_422'],
  ] as const)('%s fails with retryable=%s, %s', async (fault, retryable, code) => {
    sim.fault(fault);
    expect(await forward()).toEqual({ ok: false, failure: expect.objectContaining({ retryable, code }) });
    expect(sim.acceptedKeys()).toEqual([]);
  });

  it('passes on the body message of a refusal to the operator', async () => {
    sim.fault('reject');
    const outcome = await forward();
    expect(!outcome.ok && outcome.failure.message).toBe(
      'The body answered the delivery with HTTP 422: Звернення не може бути прийняте системою органу',
    );
  });

  it('honours Retry-After when rate limited', async () => {
    sim.fault('rate_limited');
    expect(await forward()).toEqual({
      ok: false,
      failure: expect.objectContaining({ retryable: true, code: 'HTTP_429', retryAfterMs: 7_000 }),
    });
  });

  it('takes a 409 carrying the receipt as done, the effect applied once', async () => {
    sim.fault('duplicate_receipt');
    const outcome = await forward();
    expect(outcome).toMatchObject({
      ok: true,
      receipt: { level: 'registered', registrationNumber: `ВХ-1/${year}` },
    });
    expect(outcome.ok && outcome.receipt.detail).toContain('409');
    await forward();
    expect(sim.accepted('appeal-1:99923101')).toBe(1);
  });

  it('never takes a malformed reply as done, neither non-JSON nor the wrong shape', async () => {
    sim.fault('malformed', 2);
    for (const _ of [1, 2])
      expect(await forward()).toEqual({
        ok: false,
        failure: expect.objectContaining({ retryable: true, code: 'MALFORMED_REPLY' }),
      });
    expect(await forward()).toMatchObject({ ok: true, receipt: { registrationNumber: `ВХ-1/${year}` } });
    expect(sim.accepted('appeal-1:99923101')).toBe(1);
  });

  it('limits a fault to the given number of requests', async () => {
    sim.fault('error500', 2);
    expect((await forward()).ok).toBe(false);
    expect((await forward()).ok).toBe(false);
    expect((await forward()).ok).toBe(true);
    expect(sim.requests()).toBe(3);
  });

  it('is unreachable while the body is down, and works again on the same URL once it is back', async () => {
    sim.fault('down');
    expect(await forward()).toEqual({
      ok: false,
      failure: expect.objectContaining({ retryable: true, code: 'UNREACHABLE' }),
    });
    expect((await adapter.health(settings, ctx)).ok).toBe(false);
    sim.fault(null);
    expect(await forward()).toMatchObject({ ok: true, receipt: { registrationNumber: `ВХ-1/${year}` } });
    expect(sim.requests()).toBe(1);
  });
});

describe('webhook adapter: statuses and health', () => {
  const update = (n: number, event: StatusUpdate['event']): StatusUpdate => ({
    appealId: subsidyDelivery.appealId,
    externalEventId: `ev-${n}`,
    event,
    occurredAt: `2026-02-1${n}T09:00:00.000Z`,
    result: event === 'answer' ? 'explained' : null,
    registrationNumber: `ВХ-1/${year}`,
    dueAt: null,
    note: event === 'answer' ? 'Надано роз’яснення щодо порядку перерахунку субсидії' : null,
  });

  it('returns each reported update once, the cursor moving on', async () => {
    sim.report(update(6, 'deliver'));
    sim.report(update(7, 'accept'));
    const first = await adapter.pullStatuses(settings, null, ctx);
    expect(first).toEqual({
      ok: true,
      updates: [update(6, 'deliver'), update(7, 'accept')],
      unmapped: [],
      cursor: expect.any(String),
    });
    if (!first.ok) return;
    expect(await adapter.pullStatuses(settings, first.cursor, ctx)).toEqual({
      ok: true,
      updates: [],
      unmapped: [],
      cursor: first.cursor,
    });

    sim.report(update(8, 'answer'));
    const second = await adapter.pullStatuses(settings, first.cursor, ctx);
    expect(second).toMatchObject({ ok: true, updates: [update(8, 'answer')] });
    expect(second.ok && second.cursor).not.toBe(first.cursor);
  });

  it('refuses a malformed feed and loses nothing by it', async () => {
    sim.report(update(6, 'deliver'));
    sim.fault('malformed', 2);
    for (const _ of [1, 2])
      expect(await adapter.pullStatuses(settings, null, ctx)).toEqual({
        ok: false,
        failure: expect.objectContaining({ retryable: true, code: 'MALFORMED_REPLY' }),
      });
    expect(await adapter.pullStatuses(settings, null, ctx)).toMatchObject({
      ok: true,
      updates: [update(6, 'deliver')],
    });
  });

  it('maps a failing feed like a failing delivery', async () => {
    sim.fault('rate_limited', 1);
    expect(await adapter.pullStatuses(settings, null, ctx)).toEqual({
      ok: false,
      failure: expect.objectContaining({ retryable: true, code: 'HTTP_429', retryAfterMs: 7_000 }),
    });
  });

  it('lists the body’s open copies for the reconcile, with their state, until answered', async () => {
    expect(await adapter.listOpen?.(settings, ctx)).toEqual({ ok: true, items: [] });
    expect((await forward()).ok).toBe(true);
    expect(await adapter.listOpen?.(settings, ctx)).toEqual({
      ok: true,
      items: [{ appealId: subsidyDelivery.appealId, state: 'delivered', externalRef: null }],
    });
    sim.report(update(7, 'accept'));
    expect(await adapter.listOpen?.(settings, ctx)).toMatchObject({
      items: [{ state: 'under_consideration' }],
    });
    sim.report(update(8, 'answer'));
    expect(await adapter.listOpen?.(settings, ctx)).toEqual({ ok: true, items: [] });
    // A body whose settings name no open list cannot be compared: the reconcile skips it.
    expect(await adapter.listOpen?.({ ...settings, openUrl: null }, ctx)).toBeNull();
    sim.fault('error500', 1);
    expect(await adapter.listOpen?.(settings, ctx)).toMatchObject({
      ok: false,
      failure: { code: 'HTTP_500' },
    });
  });

  it('reports health from the body', async () => {
    expect(await adapter.health(settings, ctx)).toEqual({
      ok: true,
      detail: `HTTP 200 from ${settings.url}/health`,
    });
    sim.fault('error500', 1);
    expect(await adapter.health(settings, ctx)).toMatchObject({
      ok: false,
      detail: expect.stringContaining('HTTP 500'),
    });
    expect((await adapter.health(settings, { ...ctx, secret: () => undefined })).detail).toContain(
      'SECRET_MISSING',
    );
  });
});
