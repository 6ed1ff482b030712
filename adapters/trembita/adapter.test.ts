import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PURPOSE, RECIPIENT_CODE, samplePayload, sampleUpdate } from './fixtures.js';
import { trembitaAdapter } from './index.js';
import { startSimulator, type TrembitaSimulator } from './sim.js';
import { context, settingsFrom } from './test-support.js';

const KEY = `01JD8Q7X4R2V6T9M3K5N8P1W0Z:${RECIPIENT_CODE}`;
let sim: TrembitaSimulator;

beforeEach(async () => {
  sim = await startSimulator({ agencyCode: RECIPIENT_CODE, slowMs: 1_500, retryAfterSeconds: 7 });
});
afterEach(() => sim.close());

const settings = (over: Parameters<typeof settingsFrom>[1] = {}) => settingsFrom(sim.settings(), over);
const forward = (key = KEY, payload = samplePayload(), s = settings()) =>
  trembitaAdapter.forward(payload, s, key, context(sim.env()));

describe('forward through the simulated security server', () => {
  it('registers the appeal and returns the receipt', async () => {
    const outcome = await forward();
    expect(outcome).toMatchObject({
      ok: true,
      receipt: {
        level: 'registered',
        agencyRef: '00032684-000001',
        registrationNumber: expect.stringMatching(/^ВХ-1\/\d{4}$/),
      },
    });
    const [received] = sim.received();
    expect(received?.payload).toEqual(samplePayload());
    expect(received?.header.purpose).toBe(PURPOSE);
    expect(received?.idempotencyKey).toBe(KEY);
    expect(sim.acceptedKeys()).toEqual([KEY]);
  });

  it('applies the same key once, however often it is sent', async () => {
    const first = await forward();
    const again = await forward();
    const other = await forward(`${KEY}:2`);
    expect(again).toEqual(first);
    expect(other.ok && other.receipt.agencyRef).toBe('00032684-000002');
    expect(sim.accepted(KEY)).toBe(1);
    expect(sim.acceptedKeys()).toEqual([KEY, `${KEY}:2`]);
  });

  it('sends nothing when the settings address another body than the recipient', async () => {
    const outcome = await forward(
      KEY,
      samplePayload(),
      settings({ service: { ...settings().service, memberCode: '37472062' } }),
    );
    expect(outcome).toMatchObject({ ok: false, failure: { retryable: false, code: 'RECIPIENT_MISMATCH' } });
    expect(sim.requests()).toBe(0);
  });

  it('gets a client fault from a security server that does not host the addressed service', async () => {
    const payload = samplePayload({
      recipient: { code: '37472062', name: 'Міністерство інфраструктури України', role: 'responsible' },
    });
    const outcome = await forward(
      KEY,
      payload,
      settings({ service: { ...settings().service, memberCode: '37472062' } }),
    );
    expect(outcome).toMatchObject({ ok: false, failure: { retryable: false, code: 'SOAP_CLIENT_FAULT' } });
    expect(sim.accepted(KEY)).toBe(0);
  });
});

describe('faults of the agency side', () => {
  it.each([
    ['error500', true, 'SOAP_SERVER_FAULT', 0],
    ['reject', false, 'SOAP_CLIENT_FAULT', 0],
    ['malformed', true, 'MALFORMED_REPLY', 1],
  ] as const)('%s → %s', async (fault, retryable, code, applied) => {
    sim.fault(fault);
    expect(await forward()).toMatchObject({ ok: false, failure: { retryable, code } });
    expect(sim.accepted(KEY)).toBe(applied);
  });

  it('rate_limited → retryable HTTP_429 with the wait asked for', async () => {
    sim.fault('rate_limited');
    expect(await forward()).toEqual({
      ok: false,
      failure: {
        retryable: true,
        code: 'HTTP_429',
        message: 'The Trembita security server answered HTTP 429.',
        retryAfterMs: 7_000,
      },
    });
  });

  it('duplicate_receipt → still a receipt, marked as a duplicate, applied once', async () => {
    sim.fault('duplicate_receipt');
    const outcome = await forward();
    expect(outcome).toMatchObject({ ok: true, receipt: { level: 'registered' } });
    expect(outcome.ok && outcome.receipt.detail).toContain('duplicate');
    expect(sim.accepted(KEY)).toBe(1);
  });

  it('slow → TIMEOUT; the retry after it gets the receipt of the one effect', async () => {
    sim.fault('slow', 1);
    expect(await forward(KEY, samplePayload(), settings({ timeoutMs: 200 }))).toMatchObject({
      ok: false,
      failure: { retryable: true, code: 'TIMEOUT' },
    });
    expect(await forward()).toMatchObject({ ok: true, receipt: { agencyRef: '00032684-000001' } });
    expect(sim.accepted(KEY)).toBe(1);
  });

  it('malformed once, then the retry reads the receipt of the same effect', async () => {
    sim.fault('malformed', 1);
    expect((await forward()).ok).toBe(false);
    expect(await forward()).toMatchObject({ ok: true, receipt: { agencyRef: '00032684-000001' } });
    expect(sim.accepted(KEY)).toBe(1);
    expect(sim.requests()).toBe(2);
  });

  it('down → UNREACHABLE, and works again on the same address once cleared', async () => {
    sim.fault('down');
    expect(await forward()).toMatchObject({ ok: false, failure: { retryable: true, code: 'UNREACHABLE' } });
    expect(await trembitaAdapter.health(settings(), context())).toMatchObject({ ok: false });
    expect(sim.requests()).toBe(0);
    sim.fault(null);
    expect(await forward()).toMatchObject({ ok: true });
    expect(sim.accepted(KEY)).toBe(1);
  });

  it('down for a number of requests drops those connections', async () => {
    sim.fault('down', 2);
    expect(await forward()).toMatchObject({ ok: false, failure: { code: 'UNREACHABLE' } });
    expect(await forward()).toMatchObject({ ok: false, failure: { code: 'UNREACHABLE' } });
    expect(await forward()).toMatchObject({ ok: true });
    expect(sim.accepted(KEY)).toBe(1);
  });

  it('keeps to the concurrency setting', async () => {
    const busy = await startSimulator({ agencyCode: RECIPIENT_CODE, slowMs: 150 });
    try {
      busy.fault('slow');
      const s = settingsFrom(busy.settings(), { concurrency: 2 });
      const keys = [1, 2, 3, 4, 5, 6].map((n) => `${KEY}:${n}`);
      const outcomes = await Promise.all(
        keys.map((key) => trembitaAdapter.forward(samplePayload(), s, key, context())),
      );
      expect(outcomes.every((o) => o.ok)).toBe(true);
      expect(busy.maxInFlight()).toBe(2);
      expect(busy.acceptedKeys().sort()).toEqual(keys.sort());
    } finally {
      await busy.close();
    }
  });
});

describe('plain HTTP answers', () => {
  let server: Server;
  let reply: { status: number; type: string; body: string };
  beforeEach(async () => {
    server = createServer((_req, res) => {
      res.writeHead(reply.status, { 'content-type': reply.type });
      res.end(reply.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each([
    [503, 'text/html', '<html>Service Unavailable</html>', true, 'HTTP_503'],
    [404, 'text/plain', 'Not Found', false, 'HTTP_404'],
    [500, 'text/plain', 'Internal Server Error', true, 'HTTP_500'],
    [200, 'text/html', '<html><body>proxy login</body></html>', true, 'MALFORMED_REPLY'],
  ])('HTTP %i → %s', async (status, type, body, retryable, code) => {
    reply = { status, type, body };
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    expect(await forward(KEY, samplePayload(), settings({ securityServerUrl: url }))).toMatchObject({
      ok: false,
      failure: { retryable, code },
    });
  });
});

describe('status changes and health', () => {
  it('pulls the reported changes page by page and keeps the cursor when nothing is new', async () => {
    const first = sampleUpdate({ event: 'accept', result: null, externalEventId: 'EV-1' });
    sim.report(first);
    const page1 = await trembitaAdapter.pullStatuses(settings(), null, context());
    expect(page1).toEqual({ ok: true, updates: [first], unmapped: [], cursor: '1' });
    const second = sampleUpdate({ externalEventId: 'EV-2' });
    sim.report(second);
    expect(await trembitaAdapter.pullStatuses(settings(), '1', context())).toEqual({
      ok: true,
      updates: [second],
      unmapped: [],
      cursor: '2',
    });
    expect(await trembitaAdapter.pullStatuses(settings(), '2', context())).toEqual({
      ok: true,
      updates: [],
      unmapped: [],
      cursor: '2',
    });
  });

  it('reports an unknown cursor as the client fault it is', async () => {
    expect(await trembitaAdapter.pullStatuses(settings(), '99', context())).toMatchObject({
      ok: false,
      failure: { code: 'SOAP_CLIENT_FAULT' },
    });
  });

  it('is healthy when the service answers, and says why when it does not', async () => {
    expect(await trembitaAdapter.health(settings(), context())).toMatchObject({ ok: true });
    sim.fault('error500');
    const sick = await trembitaAdapter.health(settings(), context());
    expect(sick.ok).toBe(false);
    expect(sick.detail).toContain('SOAP_SERVER_FAULT');
  });
});
