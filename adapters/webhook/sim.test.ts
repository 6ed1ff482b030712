import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../simulator.js';
import { encodeDelivery, signatureHeaders } from './codec.js';
import { subsidyDelivery } from './fixtures.js';
import { startSimulator } from './sim.js';

let sim: Simulator;
let secret: string;
const body = encodeDelivery(subsidyDelivery);

beforeEach(async () => {
  sim = await startSimulator({ agencyCode: '99923101' });
  secret = sim.env().WEBHOOK_SECRET_99923101 ?? '';
});

afterEach(() => sim.close());

function post(headers: Record<string, string>, payload = body) {
  return fetch(`${sim.url}/appeals`, { method: 'POST', headers, body: payload });
}

describe('webhook simulator', () => {
  it('points its settings at itself and names the secret by variable only', () => {
    expect(sim.settings()).toEqual({
      url: `${sim.url}/appeals`,
      openUrl: `${sim.url}/appeals/open`,
      secretEnv: 'WEBHOOK_SECRET_99923101',
      timeoutMs: 2_000,
    });
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses an unsigned or badly signed request with 401', async () => {
    const unsigned = await post({ 'Idempotency-Key': 'k-1' });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ error: { code: 'BAD_SIGNATURE' } });
    const forged = signatureHeaders(secret, body.replace('Коваленко', 'Петренко'), Date.now());
    expect((await post({ 'Idempotency-Key': 'k-1', ...forged })).status).toBe(401);
    const stale = signatureHeaders(secret, body, Date.now() - 10 * 60_000);
    expect((await post({ 'Idempotency-Key': 'k-1', ...stale })).status).toBe(401);
    expect(sim.acceptedKeys()).toEqual([]);
  });

  it('needs an Idempotency-Key and a delivery body', async () => {
    const noKey = await post(signatureHeaders(secret, body, Date.now()));
    expect(noKey.status).toBe(400);
    expect(await noKey.json()).toMatchObject({ error: { code: 'IDEMPOTENCY_KEY_MISSING' } });
    const junk = '{"hello":"світ"}';
    expect(
      (await post({ 'Idempotency-Key': 'k-1', ...signatureHeaders(secret, junk, Date.now()) }, junk)).status,
    ).toBe(400);
    expect(sim.acceptedKeys()).toEqual([]);
  });

  it('answers the same receipt for the same key, 201 then 200, applied once', async () => {
    const headers = () => ({ 'Idempotency-Key': 'k-1', ...signatureHeaders(secret, body, Date.now()) });
    const first = await post(headers());
    const second = await post(headers());
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(await second.text()).toBe(await first.text());
    expect(sim.accepted('k-1')).toBe(1);
    expect(sim.accepted('k-2')).toBe(0);
  });

  it('serves health to a HEAD as well, and counts every request', async () => {
    const res = await fetch(`${sim.url}/appeals/health`, {
      method: 'HEAD',
      headers: signatureHeaders(secret, '', Date.now()),
    });
    expect(res.status).toBe(200);
    expect(
      (await fetch(`${sim.url}/nowhere`, { headers: signatureHeaders(secret, '', Date.now()) })).status,
    ).toBe(404);
    await post({});
    expect(sim.requests()).toBe(3);
  });

  it('refuses a cursor it never gave', async () => {
    const res = await fetch(`${sim.url}/appeals/statuses?after=5`, {
      headers: signatureHeaders(secret, '', Date.now()),
    });
    expect(res.status).toBe(400);
  });
});
