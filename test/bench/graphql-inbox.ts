/**
 * `npx tsx test/bench/graphql-inbox.ts`: a body's inbox under load. BENCH_APPEALS regional-line appeals
 * (default 100,000) come in once through the intake into a fresh SQLite file, a quarter of them on
 * topic 006.02 for the social protection department (99923101), the rest for other bodies. Then
 * `gateway serve` runs in its own process as production runs it (NODE_ENV=production, LOG_LEVEL=warn,
 * schedules that do not fire during the run), and autocannon, from this process, drives two queries
 * with that body's token, alternating, BENCH_RUNS rounds of BENCH_SECONDS each at BENCH_CONNECTIONS:
 * the trivial `{ __typename }` and the inbox (50 open appeals with assignments, latest change and the
 * total). Prints req/s, p50, p99, non-2xx and failed (timeouts) per round and as medians. Target:
 * inbox ≥ 0.5 × trivial. BENCH_DB=file keeps the seeded database for a rerun (reused when it exists).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EntityManager } from '@mikro-orm/core';
import autocannon from 'autocannon';
import { createPrincipal, ensureAdminToken } from '../../src/access/tokens.js';
import { migrate, openOrm } from '../../src/db/orm.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { loadSeed } from '../../src/seed/load-seed.js';
import { seedRuleSet } from '../../src/seed/rules.js';
import { ZAPORIZHZHIA_AGENCIES } from '../../src/seed/zaporizhzhia.js';

const APPEALS = Number(process.env.BENCH_APPEALS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const BODY_CODE = '99923101';
const GATEWAY = fileURLToPath(new URL('../../bin/gateway.js', import.meta.url));

/** Topics in turn: 006.02 (social protection) twice in eight, the others routed to other bodies. */
const TOPICS = ['006.02', '009.01', '008.01', '006.02', '015.01', '013', '011', '002.01'];
const LAST_NAMES = ['Коваленко', 'Шевченко', 'Бондаренко', 'Ткаченко', 'Кравченко', 'Мельник', 'Олійник'];
const FIRST_NAMES = ['Олег', 'Наталія', 'Іван', 'Оксана', 'Андрій', 'Галина', 'Петро', 'Марія'];
/** What each topic's author asks, in turn with TOPICS (no "субсид": that word re-routes 009 to 99923101). */
const ASKS = [
  'Прошу роз’яснити порядок призначення пенсії за віком',
  'Не надходить опалення до квартири вже кілька днів',
  'Прошу направити на консультацію до лікаря-ендокринолога',
  'Прошу перерахувати пенсію з урахуванням пільгового стажу',
  'Прошу надати місце в дитячому садку для сина',
  'Прошу допомогти з оздоровленням дітей влітку',
  'Скарга на забруднення річки стоками біля села',
  'Прошу роз’яснити порядок оренди земельної ділянки',
];
/**
 * Words picked by the appeal's number, digit by digit: every essence differs in its letters. The intake
 * fingerprints the letters only, so essences that differed in a number alone would all join one mass group.
 */
const WORDS = [
  'Соборній|Шевченка|Перемоги|Незалежності|Гоголя|Франка|Лесі Українки|Дніпровській|Садовій|Козацькій',
  'Олександрівському|Шевченківському|Вознесенівському|Хортицькому|Заводському|Комунарському|Дніпровському|Космічному|Слобідському|Осипенківському',
  'вперше|повторно після усної відповіді|після звернення до ЦНАП|за порадою сусідів|після дзвінка на гарячу лінію|після листа з управління|за дорученням родини|як внутрішньо переміщена особа|як пенсіонер|як опікун',
  'бо відповіді досі немає|бо строки минули|бо документи подано повністю|бо стан здоров’я погіршився|бо маю малолітніх дітей|бо проживаю сам|бо взимку це критично|бо мені відмовили усно|бо не маю інших джерел доходу|бо ситуація повторюється',
  'Дякую.|Прошу відповісти письмово.|Прошу зателефонувати.|Прошу вжити заходів.|Чекаю на відповідь.|Прошу розглянути терміново.|Прошу поінформувати про результат.|Прошу не відмовити.|З повагою.|Сподіваюся на допомогу.',
].map((list) => list.split('|'));
const wordsOf = (i: number) => WORDS.map((list, d) => list[Math.floor(i / 10 ** d) % 10]);
const DAY_MS = 86_400_000;

/** The body's first inbox page; `event` of the latest change only when the cost limit lets it through. */
const inboxQuery = (withEvent: boolean) => `query {
  appeals(first: 50, filter: { status: [ROUTED, SENT, DELIVERED, UNDER_CONSIDERATION, EXTENDED] }) {
    totalCount
    edges { node {
      id status dueAt overdue summary topicCode receivedAt
      assignments { role status agencyRegNumber agency { code } }
      lastChange { ${withEvent ? 'event ' : ''}state occurredAt }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const TRIVIAL = '{ __typename }';

/** One card; phones and addresses all differ, so that the intake links none as a duplicate. Spread over 90 days. */
function card(i: number, start: number) {
  const k = i % TOPICS.length;
  const [street, district, how, why, end] = wordsOf(Math.floor(i / TOPICS.length));
  return {
    cardId: `BENCH-INBOX-${i}`,
    registeredAt: new Date(start + Math.floor((i * 90 * DAY_MS) / APPEALS)).toISOString(),
    kind: '3.2',
    topic: TOPICS[k],
    territory: 'UA23060070010069526',
    summary: `${ASKS[k]}. Проживаю на вулиці ${street} в ${district} районі, звертаюся ${how}, ${why}. ${end}`,
    author: {
      lastName: LAST_NAMES[i % LAST_NAMES.length],
      firstName: FIRST_NAMES[(i >> 3) % FIRST_NAMES.length],
      phone: `+38067${String(1_000_000 + i).padStart(7, '0')}`,
      address: `м. Запоріжжя, вул. ${street}, буд. ${1 + (i % 150)}, кв. ${1 + (Math.floor(i / 150) % 700)}`,
    },
  };
}

/** The appeals through the regional-line intake, 1,000 a request (unless `reuse`); answers the body's token. */
async function seed(path: string, reuse: boolean): Promise<string> {
  const orm = await openOrm({ kind: 'sqlite', path });
  try {
    // A kept database may predate the latest migrations: bring it up to date before using it.
    await migrate(orm);
    if (reuse) return (await bodyToken(orm.em.fork())).token;
    await loadSeed(orm.em.fork(), ZAPORIZHZHIA_AGENCIES);
    await seedRuleSet(orm.em.fork());
    await ensureAdminToken(orm.em.fork(), ADMIN_TOKEN);
    const app = createApp({ orm, log: createLogger('silent'), production: true });
    const start = Date.now() - 91 * DAY_MS;
    for (let i = 0; i < APPEALS; i += 1000) {
      const appeals = Array.from({ length: Math.min(1000, APPEALS - i) }, (_, k) => card(i + k, start));
      const res = await app.request('/intake/regional-line', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
        body: JSON.stringify({ appeals }),
      });
      if (res.status !== 200) throw new Error(`intake failed: ${res.status} ${await res.text()}`);
    }
    return (await bodyToken(orm.em.fork())).token;
  } finally {
    await orm.close(true);
  }
}

const bodyToken = (em: EntityManager) =>
  createPrincipal(em, { name: 'bench-social-protection', role: 'agency', agencyCode: BODY_CODE });

/** A port free right now: `serve` logs its port only at info, and the bench runs it at warn. */
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close');
  return port;
}

const NEVER = '0 0 1 1 *';

async function startGateway(dbPath: string) {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: `sqlite:${dbPath}`,
    PORT: String(port),
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN,
    DELIVERY_SCHEDULE: NEVER,
    AGENCY_STATUS_SCHEDULE: NEVER,
    OVERDUE_SCAN_SCHEDULE: NEVER,
    RECONCILE_SCHEDULE: NEVER,
    // The per-principal rate limit off: one body's token sends every request of the run.
    GRAPHQL_RATE_LIMIT: '0',
  };
  // stdout (the JSON log) is not shown: every round's end aborts BENCH_CONNECTIONS requests, each logged.
  // Failures still count: as non-2xx answers, and a crash on stderr.
  const child = spawn(process.execPath, [GATEWAY, 'serve'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    if (child.exitCode !== null) throw new Error(`serve exited (${child.exitCode}) before listening`);
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (tries > 300) throw new Error('serve did not answer /healthz within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url: `${base}/graphql`, child };
}

async function post(url: string, token: string, query: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface Round {
  rate: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  failed: number;
}

/** How long one lone request of `query` takes: the best of three. */
async function loneMs(url: string, token: string, query: string): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await post(url, token, query);
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/**
 * autocannon drops its connections at the end of a round, but the server still works through what they
 * had sent (an inbox round leaves up to BENCH_CONNECTIONS requests queued on SQLite's one connection):
 * before a round, wait until a lone inbox request is about as quick as on an idle server.
 */
async function settle(url: string, token: string, probe: { query: string; ms: number }): Promise<void> {
  const until = performance.now() + 120_000;
  while (performance.now() < until && (await loneMs(url, token, probe.query)) > 2 * probe.ms + 20) {}
}

async function drive(
  url: string,
  token: string,
  query: string,
  seconds: number,
  probe: { query: string; ms: number },
): Promise<Round> {
  await settle(url, token, probe);
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
    connections: CONNECTIONS,
    duration: seconds,
  });
  // Timeouts (autocannon's 10 s) are counted, not thrown: a slow inbox is the finding, not a failure.
  return {
    rate: result.requests.total / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    failed: result.errors,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const show = (r: Round) =>
  `${r.rate.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(0).padStart(4)} ms  p99 ${r.p99.toFixed(0).padStart(5)} ms  non-2xx ${r.non2xx}  failed ${r.failed}`;

async function main(): Promise<void> {
  console.log(
    `graphql inbox benchmark: ${APPEALS} appeals, ${RUNS}×${SECONDS}s rounds, ${CONNECTIONS} connections; load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  // BENCH_DB=file keeps the seeded database (seeding it when missing) for a rerun or a look with sqlite3.
  const dir = mkdtempSync(join(tmpdir(), 'gw-bench-inbox-'));
  const dbPath = process.env.BENCH_DB ?? join(dir, 'bench.sqlite');
  const reuse = existsSync(dbPath);
  const t = performance.now();
  const token = await seed(dbPath, reuse);
  if (reuse) console.log(`reusing ${dbPath} as seeded before`);
  else
    console.log(
      `seeded ${APPEALS} appeals through the regional-line intake in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
  const { url, child } = await startGateway(dbPath);
  try {
    let inboxText = inboxQuery(true);
    let check = await post(url, token, inboxText);
    const refused = (
      check.body.errors as { extensions?: { code?: string }; message?: string }[] | undefined
    )?.[0];
    if (refused?.extensions?.code === 'QUERY_TOO_COSTLY') {
      console.log(
        `the full inbox query is refused (${refused.message}); measuring it without lastChange.event`,
      );
      inboxText = inboxQuery(false);
      check = await post(url, token, inboxText);
    }
    const data = check.body.data as { appeals?: { totalCount: number; edges: unknown[] } } | undefined;
    if (check.status !== 200 || check.body.errors || data?.appeals?.edges.length !== 50)
      throw new Error(
        `the inbox did not answer 50 appeals: ${check.status} ${JSON.stringify(check.body).slice(0, 500)}`,
      );
    console.log(`inbox of ${BODY_CODE}: ${data.appeals.totalCount} open appeals, first page of 50 checked`);
    const probe = { query: inboxText, ms: await loneMs(url, token, inboxText) };
    console.log(`a lone inbox request: ${probe.ms.toFixed(0)} ms`);
    await drive(url, token, TRIVIAL, WARMUP_SECONDS, probe);
    await drive(url, token, inboxText, WARMUP_SECONDS, probe);
    const rounds: Record<'trivial' | 'inbox', Round[]> = { trivial: [], inbox: [] };
    for (let run = 0; run < RUNS; run++) {
      const order = run % 2 ? (['inbox', 'trivial'] as const) : (['trivial', 'inbox'] as const);
      for (const kind of order) {
        const r = await drive(url, token, kind === 'inbox' ? inboxText : TRIVIAL, SECONDS, probe);
        rounds[kind].push(r);
        console.log(`round ${run + 1} ${kind.padEnd(7)} ${show(r)}`);
      }
    }
    const med = (rs: Round[]): Round => ({
      rate: median(rs.map((r) => r.rate)),
      p50: median(rs.map((r) => r.p50)),
      p99: median(rs.map((r) => r.p99)),
      non2xx: rs.reduce((n, r) => n + r.non2xx, 0),
      failed: rs.reduce((n, r) => n + r.failed, 0),
    });
    const trivial = med(rounds.trivial);
    const inbox = med(rounds.inbox);
    console.log(`median  trivial ${show(trivial)} (non-2xx, failed: totals)`);
    console.log(`median  inbox   ${show(inbox)} (non-2xx, failed: totals)`);
    const ratio = inbox.rate / trivial.rate;
    console.log(`inbox / trivial: ${ratio.toFixed(2)}; target ≥ 0.50: ${ratio >= 0.5 ? 'met' : 'NOT met'}`);
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await once(child, 'exit');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
