/**
 * The shared contract every pushing adapter in the registry must keep (port.ts, simulator.ts), run
 * against that kind's simulator: deliveries are applied at most once per idempotency key, every
 * remote trouble comes back as a typed failure that says truthfully whether retrying can help, status
 * pulls move forward with their cursor, health never throws, and garbage settings are refused. A
 * pushing adapter added to the registry without a simulator in SIMULATORS fails this suite.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTRACT_AGENCY_CODE, contractPayload, contractUpdates } from './contract-payload.js';
import type {
  Adapter,
  CallContext,
  DeliveryFailure,
  ForwardOutcome,
  HealthOutcome,
  PullOutcome,
  Receipt,
  StatusUpdate,
} from './port.js';
import { type AdapterKind, adapterFor, registeredAdapters } from './registry.js';
import type { Simulator, SimulatorFault } from './simulator.js';
import { SIMULATORS } from './simulators.js';

/** The adapter's patience, well below the simulators' `slow` delay. */
const TIMEOUT_MS = 600;
const SLOW_MS = 1_500;
const LEVELS: readonly Receipt['level'][] = ['delivered', 'accepted', 'registered'];

const pushing = registeredAdapters().filter((adapter) => adapter.pushes);

/** Runs one adapter call; a rejection (or a synchronous throw) breaks the contract. */
async function never<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new Error(`${what} threw instead of returning a typed outcome: ${String(error)}`, { cause: error });
  }
}

function receiptOf(outcome: ForwardOutcome): Receipt {
  if (!outcome.ok) return expect.fail(`expected a receipt, got ${JSON.stringify(outcome.failure)}`);
  expect(LEVELS).toContain(outcome.receipt.level);
  return outcome.receipt;
}

function failureOf(outcome: ForwardOutcome | PullOutcome): DeliveryFailure {
  if (outcome.ok) return expect.fail(`expected a failure, got ${JSON.stringify(outcome)}`);
  expect(typeof outcome.failure.code).toBe('string');
  expect(outcome.failure.code).not.toBe('');
  return outcome.failure;
}

function pick(update: StatusUpdate) {
  const { appealId, externalEventId, event, occurredAt } = update;
  return { appealId, externalEventId, event, occurredAt };
}

describe('the registry', () => {
  it('has a simulator in this suite for every adapter that pushes', () => {
    expect(pushing.length).toBeGreaterThan(0);
    const missing = pushing.map((adapter) => adapter.kind).filter((kind) => SIMULATORS[kind] === undefined);
    expect(missing, 'pushing adapters without a simulator in contract.test.ts').toEqual([]);
  });

  it('lists the api adapter, which pushes nothing', () => {
    const api = adapterFor('api');
    expect(api).toBeDefined();
    expect(api?.pushes).toBe(false);
    expect(registeredAdapters()).toContain(api);
  });
});

const cases = pushing.map((adapter): [AdapterKind, Adapter<unknown>] => [adapter.kind, adapter]);

describe.each(cases)('%s adapter', (kind, adapter) => {
  const payload = contractPayload(CONTRACT_AGENCY_CODE);
  const key = `${payload.appealId}:${CONTRACT_AGENCY_CODE}`;
  let sim: Simulator | null = null;
  let settings: unknown;
  let ctx: CallContext;

  const simulator = (): Simulator => {
    if (sim === null) throw new Error(`no simulator for ${kind}`);
    return sim;
  };
  const forward = (k = key): Promise<ForwardOutcome> =>
    never(`${kind} forward`, () => adapter.forward(payload, settings, k, ctx));
  const pull = (cursor: string | null): Promise<PullOutcome> =>
    never(`${kind} pullStatuses`, () => adapter.pullStatuses(settings, cursor, ctx));
  const health = (): Promise<HealthOutcome> => never(`${kind} health`, () => adapter.health(settings, ctx));

  beforeEach(async () => {
    const start = SIMULATORS[kind];
    if (start === undefined) throw new Error(`no simulator for the pushing adapter ${kind}`);
    const started = await start({ agencyCode: CONTRACT_AGENCY_CODE, slowMs: SLOW_MS });
    sim = started;
    const parsed = adapter.parseSettings({ ...started.settings(), timeoutMs: TIMEOUT_MS });
    if (!parsed.ok)
      throw new Error(`the simulator's settings are refused: ${JSON.stringify(parsed.problems)}`);
    settings = parsed.settings;
    ctx = { signal: new AbortController().signal, secret: (name) => started.env()[name] };
  });

  afterEach(async () => {
    const started = sim;
    sim = null;
    await started?.close();
  });

  it('forwards: ok with a receipt, the effect applied once', async () => {
    receiptOf(await forward());
    expect(simulator().accepted(key)).toBe(1);
  });

  it('forwards the same key again: ok, still applied once', async () => {
    receiptOf(await forward());
    receiptOf(await forward());
    expect(simulator().accepted(key)).toBe(1);
    expect(simulator().acceptedKeys()).toEqual([key]);
  });

  it('down: a retryable failure, and ok again once the body is back', async () => {
    simulator().fault('down');
    expect(failureOf(await forward()).retryable).toBe(true);
    simulator().fault(null);
    receiptOf(await forward());
    expect(simulator().accepted(key)).toBe(1);
  });

  it('slow: a retryable TIMEOUT; a retry once it is fast again is ok, applied once', async () => {
    simulator().fault('slow');
    const failure = failureOf(await forward());
    expect(failure.retryable).toBe(true);
    expect(failure.code).toBe('TIMEOUT');
    simulator().fault(null);
    receiptOf(await forward());
    expect(simulator().accepted(key)).toBe(1);
  });

  it('error500: a retryable failure; the retry is ok, applied once', async () => {
    simulator().fault('error500');
    expect(failureOf(await forward()).retryable).toBe(true);
    simulator().fault(null);
    receiptOf(await forward());
    expect(simulator().accepted(key)).toBe(1);
  });

  it('rate_limited: a retryable failure that says how long to wait', async () => {
    simulator().fault('rate_limited');
    const failure = failureOf(await forward());
    expect(failure.retryable).toBe(true);
    expect(failure.retryAfterMs).toBeGreaterThan(0);
    simulator().fault(null);
    receiptOf(await forward());
    expect(simulator().accepted(key)).toBe(1);
  });

  it('duplicate_receipt: ok (the body has it), applied once', async () => {
    simulator().fault('duplicate_receipt');
    receiptOf(await forward());
    expect(simulator().accepted(key)).toBe(1);
    receiptOf(await forward());
    expect(simulator().accepted(key)).toBe(1);
  });

  it('reject: a failure that retrying cannot help', async () => {
    simulator().fault('reject');
    expect(failureOf(await forward()).retryable).toBe(false);
    expect(simulator().accepted(key)).toBe(0);
  });

  it('malformed: never ok, always retryable; the retry is ok, applied once', async () => {
    simulator().fault('malformed');
    // Twice: some simulators vary the unreadable reply (not JSON at all, then JSON of the wrong shape).
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(failureOf(await forward()).retryable).toBe(true);
    }
    simulator().fault(null);
    receiptOf(await forward());
    expect(simulator().accepted(key)).toBe(1);
  });

  it('pulls the statuses the body reported, and nothing new from the returned cursor', async () => {
    receiptOf(await forward());
    const reported = contractUpdates(payload.appealId);
    for (const update of reported) simulator().report(update);
    const first = await pull(null);
    if (!first.ok) return expect.fail(`pullStatuses failed: ${JSON.stringify(first.failure)}`);
    expect(first.updates.map(pick)).toEqual(reported.map(pick));
    const again = await pull(first.cursor);
    if (!again.ok)
      return expect.fail(`pullStatuses from the cursor failed: ${JSON.stringify(again.failure)}`);
    expect(again.updates).toEqual([]);
  });

  it('health: ok against a healthy body, not ok (without throwing) when it is down', async () => {
    const healthy = await health();
    expect(healthy.ok, healthy.detail).toBe(true);
    expect(typeof healthy.detail).toBe('string');
    simulator().fault('down');
    const down = await health();
    expect(down.ok).toBe(false);
    expect(down.detail).not.toBe('');
  });

  it.each<{ name: string; raw: unknown }>([
    { name: 'null', raw: null },
    { name: '{}', raw: {} },
    { name: 'a number', raw: 42 },
    { name: 'an array', raw: [] },
  ])('parseSettings refuses $name with problems', ({ raw }) => {
    const parsed = adapter.parseSettings(raw);
    if (parsed.ok) return expect.fail(`accepted ${JSON.stringify(raw)}: ${JSON.stringify(parsed.settings)}`);
    expect(parsed.problems.length).toBeGreaterThan(0);
    for (const problem of parsed.problems) {
      expect(typeof problem.pointer).toBe('string');
      expect(problem.message).not.toBe('');
    }
  });
});

// Type-level: the faults exercised above are all the simulator interface knows.
const EXERCISED = {
  down: true,
  slow: true,
  error500: true,
  rate_limited: true,
  duplicate_receipt: true,
  reject: true,
  malformed: true,
} satisfies Record<SimulatorFault, true>;
void EXERCISED;
