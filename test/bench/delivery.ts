/**
 * `npm run bench:delivery`: 10,000 deliveries from the outbox to the webhook simulator on loopback,
 * through the real dispatcher on SQLite (claim with lease, load, build the payload, sign, POST,
 * settle with the receipt, the assignment's status event and the audit entry). Beside it, in the
 * same run, the ceiling: the webhook adapter alone forwarding the same payloads to the same
 * simulator with the same concurrency, no database. The simulator runs in its own process. Prints deliveries/s and attempt latency
 * percentiles; medians of BENCH_RUNS runs. Target: at least 1,000 deliveries/s on SQLite.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { DeliveryPayload } from '../../adapters/port.js';
import { webhookAdapter } from '../../adapters/webhook/index.js';
import { ensureAdminToken } from '../../src/access/tokens.js';
import { Agency, Delivery } from '../../src/db/entities/index.js';
import { migrate, openOrm } from '../../src/db/orm.js';
import { Dispatcher } from '../../src/delivery/dispatcher.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { loadSeed } from '../../src/seed/load-seed.js';
import { seedRuleSet } from '../../src/seed/rules.js';
import { ZAPORIZHZHIA_AGENCIES } from '../../src/seed/zaporizhzhia.js';

const N = Number(process.env.BENCH_DELIVERIES ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const SOCIAL = '99923101';
const TOKEN = 'bench-admin-token-0123456789';

/** The body's system in its own process: it must not share the dispatcher's event loop. */
async function simulatorProcess() {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./sim-process.ts', import.meta.url)), 'webhook', SOCIAL],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  const { settings, env } = JSON.parse(line) as {
    settings: Record<string, unknown>;
    env: Record<string, string>;
  };
  return {
    settings: () => settings,
    env: () => env,
    close: async () => {
      child.stdin.end();
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};

function card(i: number) {
  return {
    cardId: `BENCH-DLV-${i}`,
    registeredAt: '2026-11-27T09:00:00+02:00',
    kind: '3.2',
    topic: '006.02',
    territory: 'UA23060070010069526',
    summary: `Прошу роз’яснити порядок призначення допомоги на дітей, звернення № ${i}.`,
    author: {
      lastName: 'Ткаченко',
      firstName: 'Ірина',
      phone: `+38050${String(1_000_000 + i).padStart(7, '0')}`,
      address: `м. Запоріжжя, вул. Миру, ${1 + (i % 300)}, кв. ${1 + (i % 97)}`,
    },
  };
}

async function endToEnd(): Promise<{ rate: number; latencies: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-bench-dlv-'));
  const orm = await openOrm({ kind: 'sqlite', path: join(dir, 'bench.sqlite') });
  const sim = await simulatorProcess();
  try {
    await migrate(orm);
    await loadSeed(orm.em.fork(), ZAPORIZHZHIA_AGENCIES);
    await seedRuleSet(orm.em.fork());
    await ensureAdminToken(orm.em.fork(), TOKEN);
    await orm.em
      .fork()
      .nativeUpdate(
        Agency,
        { code: SOCIAL },
        { adapterKind: 'webhook', adapterSettings: { ...sim.settings(), concurrency: CONCURRENCY } },
      );
    const app = createApp({ orm, log: createLogger('silent'), production: true });
    for (let i = 0; i < N; i += 1000) {
      const appeals = Array.from({ length: Math.min(1000, N - i) }, (_, k) => card(i + k));
      const res = await app.request('/intake/regional-line', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ appeals }),
      });
      if (res.status !== 200) throw new Error(`intake failed: ${res.status}`);
    }
    const pending = await orm.em.fork().count(Delivery, { state: 'pending' });
    if (pending !== N) throw new Error(`expected ${N} pending deliveries, found ${pending}`);
    const latencies: number[] = [];
    const env = sim.env();
    const dispatcher = new Dispatcher({
      orm,
      owner: 'bench',
      batchSize: BATCH,
      secret: (name) => env[name],
      onAttempt: (ms) => latencies.push(ms),
    });
    const t = performance.now();
    const report = await dispatcher.runUntilIdle();
    const rate = N / ((performance.now() - t) / 1000);
    if (report.delivered !== N)
      throw new Error(`delivered ${report.delivered} of ${N}: ${JSON.stringify(report)}`);
    return { rate, latencies };
  } finally {
    await sim.close();
    await orm.close(true);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The ceiling: the adapter alone, the same payload shape, the same concurrency, no database. */
async function adapterOnly(): Promise<number> {
  const sim = await simulatorProcess();
  try {
    const parsed = webhookAdapter.parseSettings({ ...sim.settings(), concurrency: CONCURRENCY });
    if (!parsed.ok) throw new Error('settings');
    const env = sim.env();
    const ctx = { signal: new AbortController().signal, secret: (n: string) => env[n] };
    const payload = (i: number): DeliveryPayload => ({
      appealId: `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
      registrationNumber: null,
      source: 'regional_hotline',
      externalId: `BENCH-DLV-${i}`,
      receivedAt: '2026-11-27T07:00:00.000Z',
      dueAt: '2026-12-27T21:59:59.999Z',
      kind: 'application',
      subject: 'individual',
      topicCode: '006.02',
      topicLabel: 'Соціальний захист',
      territoryCode: 'UA23060070010069526',
      summary: card(i).summary,
      urgent: false,
      priority: false,
      nonDisclosure: false,
      author: {
        ...card(i).author,
        patronymic: null,
        email: null,
        categories: [],
        socialStatus: null,
        sex: null,
      },
      coAuthors: [],
      attachments: [],
      recipient: { code: SOCIAL, name: 'Департамент соціального захисту населення', role: 'responsible' },
      sender: { code: '99923900', name: 'Запорізький обласний контактний центр' },
      routing: { reason: 'правило social-protection', ruleId: 'social-protection', ruleSetVersion: 1 },
      purpose: 'розгляд звернення',
    });
    let next = 0;
    const t = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < N) {
          const i = next++;
          const out = await webhookAdapter.forward(payload(i), parsed.settings, `key-${i}`, ctx);
          if (!out.ok) throw new Error(out.failure.message);
        }
      }),
    );
    return N / ((performance.now() - t) / 1000);
  } finally {
    await sim.close();
  }
}

console.log(
  `delivery benchmark: ${N} deliveries to the webhook simulator, concurrency ${CONCURRENCY}, batch ${BATCH}, ${RUNS} runs`,
);
const e2e: number[] = [];
const ceiling: number[] = [];
let latencies: number[] = [];
for (let r = 0; r < RUNS; r++) {
  ceiling.push(await adapterOnly());
  const run = await endToEnd();
  e2e.push(run.rate);
  if (r === Math.floor(RUNS / 2)) latencies = run.latencies;
}
const row = (name: string, xs: number[]) =>
  console.log(
    `${name.padEnd(52)} ${median(xs).toFixed(0).padStart(7)} deliveries/s   (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`,
  );
row('ceiling: webhook adapter alone, no database', ceiling);
row('dispatcher on SQLite: claim → forward → settle', e2e);
console.log(
  `attempt latency (one run): p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`,
);
console.log(
  `dispatcher / adapter alone = ${((median(e2e) / median(ceiling)) * 100).toFixed(0)} %; target ≥ 1,000 deliveries/s: ${median(e2e) >= 1000 ? 'met' : 'NOT met'}`,
);
