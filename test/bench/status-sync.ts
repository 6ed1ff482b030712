/**
 * `npm run bench:status`: 100,000 status updates pulled from three bodies' systems (webhook, SEV OVV,
 * Trembita simulators, each in its own process on loopback) and applied by the real
 * `pull-agency-statuses` job on SQLite. The appeals come in through the regional-line intake once; each
 * run starts from a copy of that database. Per copy the feed says deliver → accept → (extend) → answer,
 * with some changes repeated (duplicates) and some arriving late (ignored, never backwards). Beside it,
 * in the same run, the ceiling: the three adapters' `pullStatuses` alone over the same feeds (fetch and
 * decode, no database, the bodies at once as the job pulls them). Prints medians of BENCH_RUNS runs. Target: at least 5,000 updates/s on SQLite.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Adapter, StatusUpdate } from '../../adapters/port.js';
import { adapterFor } from '../../adapters/registry.js';
import { ensureAdminToken } from '../../src/access/tokens.js';
import { Agency, Assignment } from '../../src/db/entities/index.js';
import { migrate, openOrm } from '../../src/db/orm.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { loadSeed } from '../../src/seed/load-seed.js';
import { seedRuleSet } from '../../src/seed/rules.js';
import { ZAPORIZHZHIA_AGENCIES } from '../../src/seed/zaporizhzhia.js';
import { pullAgencyStatuses } from '../../src/sync/pull-agency-statuses.js';
import { feedFor } from './status-feed.js';

const TOTAL = Number(process.env.BENCH_UPDATES ?? 100_000);
const APPEALS = Number(process.env.BENCH_APPEALS ?? 30_600);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TOKEN = 'bench-admin-token-0123456789';
/** Each body, the adapter it runs, and a topic the seed rules route to it alone. */
const ALL_BODIES = [
  { code: '99923101', kind: 'webhook', topic: '006.02' },
  { code: '99923102', kind: 'sev-ovv', topic: '008.01' },
  { code: '99923106', kind: 'trembita', topic: '002.01' },
] as const;
/** BENCH_KINDS=webhook (comma-separated) measures some adapters only. */
const KINDS = (process.env.BENCH_KINDS ?? 'webhook,sev-ovv,trembita').split(',');
const BODIES = ALL_BODIES.filter((b) => KINDS.includes(b.kind));

interface SimProcess {
  settings: Record<string, unknown>;
  env: Record<string, string>;
  report(updates: StatusUpdate[]): Promise<void>;
  close(): Promise<void>;
}

async function simulatorProcess(kind: string, code: string): Promise<SimProcess> {
  const script = fileURLToPath(new URL('./sim-process.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, kind, code], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const first = await lines.next();
  const { settings, env } = JSON.parse(first.value as string);
  return {
    settings,
    env,
    async report(updates) {
      for (let i = 0; i < updates.length; i += 5000) {
        child.stdin.write(`${JSON.stringify(updates.slice(i, i + 5000))}\n`);
        await lines.next();
      }
    },
    async close() {
      child.stdin.end();
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function card(i: number) {
  const body = BODIES[i % BODIES.length];
  return {
    cardId: `BENCH-ST-${i}`,
    registeredAt: '2026-11-27T09:00:00+02:00',
    kind: '3.2',
    topic: body?.topic,
    territory: 'UA23060070010069526',
    summary: `Прошу розглянути моє звернення щодо питання № ${i} та надати відповідь.`,
    author: {
      lastName: 'Коваленко',
      firstName: 'Олег',
      phone: `+38067${String(1_000_000 + i).padStart(7, '0')}`,
    },
  };
}

/** The appeals, in through the regional line once; answers each body's appeal ids. */
async function seedTemplate(path: string): Promise<Map<string, string[]>> {
  const orm = await openOrm({ kind: 'sqlite', path });
  try {
    await migrate(orm);
    await loadSeed(orm.em.fork(), ZAPORIZHZHIA_AGENCIES);
    await seedRuleSet(orm.em.fork());
    await ensureAdminToken(orm.em.fork(), TOKEN);
    const app = createApp({ orm, log: createLogger('silent'), production: true });
    for (let i = 0; i < APPEALS; i += 1000) {
      const appeals = Array.from({ length: Math.min(1000, APPEALS - i) }, (_, k) => card(i + k));
      const res = await app.request('/intake/regional-line', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ appeals }),
      });
      if (res.status !== 200) throw new Error(`intake failed: ${res.status} ${await res.text()}`);
    }
    const copies = new Map<string, string[]>();
    for (const b of BODIES) {
      const rows = await orm.em
        .fork()
        .find(
          Assignment,
          { agency: { code: b.code } },
          { fields: ['appeal'], orderBy: { createdAt: 'asc', id: 'asc' } },
        );
      copies.set(
        b.code,
        rows.map((r) => r.appeal.id),
      );
    }
    return copies;
  } finally {
    await orm.close(true);
  }
}

interface Run {
  rate: number;
  ceiling: number;
  counts: Record<string, number>;
}

async function oneRun(template: string, feeds: Map<string, StatusUpdate[]>): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-bench-status-'));
  const path = join(dir, 'bench.sqlite');
  copyFileSync(template, path);
  const sims = await Promise.all(BODIES.map((b) => simulatorProcess(b.kind, b.code)));
  const orm = await openOrm({ kind: 'sqlite', path });
  try {
    await Promise.all(sims.map((s, i) => s.report(feeds.get(BODIES[i]?.code ?? '') ?? [])));
    const env = Object.assign({}, ...sims.map((s) => s.env)) as Record<string, string>;
    for (const [i, b] of BODIES.entries()) {
      const settings = sims[i]?.settings;
      await orm.em
        .fork()
        .nativeUpdate(Agency, { code: b.code }, { adapterKind: b.kind, adapterSettings: settings });
    }
    const ceiling = await adaptersAlone(sims, env);
    const t = performance.now();
    const run = await pullAgencyStatuses({
      orm,
      now: () => new Date(),
      secret: (n) => env[n],
      maxPages: 1_000_000,
    });
    const rate = TOTAL / ((performance.now() - t) / 1000);
    if (run.outcome !== 'succeeded') throw new Error(`the job failed: ${run.error}`);
    return { rate, ceiling, counts: run.counts };
  } finally {
    await orm.close(true);
    await Promise.all(sims.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The fetch-and-decode ceiling: every page of every body through its adapter, body after body. */
async function adaptersAlone(sims: SimProcess[], env: Record<string, string>): Promise<number> {
  const ctx = { signal: new AbortController().signal, secret: (n: string) => env[n] };
  let read = 0;
  const t = performance.now();
  // All bodies at once, as the job pulls them.
  const pullAll = async (b: (typeof BODIES)[number], i: number) => {
    const adapter = adapterFor(b.kind) as Adapter;
    const parsed = adapter.parseSettings(sims[i]?.settings);
    if (!parsed.ok) throw new Error(`${b.kind} settings: ${JSON.stringify(parsed.problems)}`);
    let cursor: string | null = null;
    for (;;) {
      const page = await adapter.pullStatuses(parsed.settings, cursor, ctx);
      if (!page.ok) throw new Error(page.failure.message);
      read += page.updates.length + page.unmapped.length;
      if (!page.updates.length && !page.unmapped.length) break;
      if (page.cursor === cursor) break;
      cursor = page.cursor;
    }
  };
  await Promise.all(BODIES.map(pullAll));
  if (read !== TOTAL) throw new Error(`the adapters read ${read} of ${TOTAL} updates`);
  return TOTAL / ((performance.now() - t) / 1000);
}

console.log(`status sync benchmark: ${TOTAL} updates from ${BODIES.length} bodies' simulators, ${RUNS} runs`);
const dir = mkdtempSync(join(tmpdir(), 'gw-bench-status-seed-'));
try {
  const template = join(dir, 'template.sqlite');
  const t = performance.now();
  const copies = await seedTemplate(template);
  const { feeds, expected } = feedFor(copies, TOTAL);
  console.log(
    `seeded ${APPEALS} appeals (${[...copies.values()].map((c) => c.length).join(' + ')} copies) in ${((performance.now() - t) / 1000).toFixed(1)} s; expecting ${JSON.stringify(expected)}`,
  );
  const runs: Run[] = [];
  for (let r = 0; r < RUNS; r++) {
    const run = await oneRun(template, feeds);
    for (const [k, v] of Object.entries(expected))
      if (run.counts[k] !== v) throw new Error(`${k}: ${run.counts[k]}, expected ${v}`);
    runs.push(run);
  }
  const row = (name: string, xs: number[]) =>
    console.log(
      `${name.padEnd(58)} ${median(xs).toFixed(0).padStart(7)} updates/s   (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`,
    );
  row(
    'ceiling: adapters’ pullStatuses alone, no database',
    runs.map((r) => r.ceiling),
  );
  row(
    'pull-agency-statuses on SQLite: pull → decide → write',
    runs.map((r) => r.rate),
  );
  console.log(`counts (one run): ${JSON.stringify(runs[0]?.counts)}`);
  const rate = median(runs.map((r) => r.rate));
  console.log(`target ≥ 5,000 updates/s: ${rate >= 5000 ? 'met' : 'NOT met'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
