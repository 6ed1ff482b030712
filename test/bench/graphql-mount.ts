/**
 * `npm run bench:graphql`: what mounting GraphQL behind the gateway's HTTP layer costs. Two servers,
 * each in its own process on loopback, over one migrated and seeded SQLite file:
 * - gateway: `startServer` exactly as `gateway serve` runs it (Hono on @hono/node-server, request id,
 *   access log at info, bearer authentication, rate limit, then Yoga), production settings;
 * - plain: the same Yoga instance factory (same schema, plugins and context) on plain node:http,
 *   with the principal handed in, no HTTP layer around it.
 * autocannon drives `POST /graphql {"query":"{ __typename }"}` with the bearer token at
 * BENCH_CONNECTIONS connections against each in turn (alternating which goes first). Prints
 * req/s per round, the medians of BENCH_RUNS rounds and the ratio gateway / plain (target ≥ 0.9).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { ensureAdminToken } from '../../src/access/tokens.js';
import { loadConfig } from '../../src/config.js';
import { migrate, openOrm } from '../../src/db/orm.js';
import { createGatewayYoga } from '../../src/http/yoga.js';
import { createLogger } from '../../src/log.js';
import { loadSeed } from '../../src/seed/load-seed.js';
import { ZAPORIZHZHIA_AGENCIES } from '../../src/seed/zaporizhzhia.js';
import { startServer } from '../../src/server.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const TOKEN = 'bench-admin-token-0123456789';
const BODY = JSON.stringify({ query: '{ __typename }' });
const HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };

type Kind = 'gateway' | 'plain';

/** Child side: start one kind of server on an ephemeral port and tell the parent which. */
async function serveChild(kind: Kind, dbPath: string): Promise<void> {
  const env = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `sqlite:${dbPath}`,
    GATEWAY_ADMIN_TOKEN: TOKEN,
    NODE_ENV: 'production',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    // Far above what the run sends: the bucket is on the path and paid for, but never refuses.
    GRAPHQL_RATE_LIMIT: '100000000',
  };
  const config = loadConfig(env);
  const log = createLogger(config.logLevel);
  let port: number;
  if (kind === 'gateway') {
    port = (await startServer(config, log)).port;
  } else {
    const orm = await openOrm(config.database);
    // As every server of this database starts (the gateway does the same in startServer), and then
    // one transaction of the ORM, as any server of it runs at its first intake or mutation (the
    // gateway runs some at start): MikroORM keeps its transaction context in an AsyncLocalStorage,
    // which switches Node's promise hooks on for the rest of the process. Left out, the baseline
    // would skip a per-promise cost that every process running this ORM pays, and the comparison
    // would charge it to the HTTP layer.
    await migrate(orm);
    await orm.em.fork().transactional(async () => {});
    const yoga = createGatewayYoga({ orm, log, production: true, now: () => new Date() });
    const principal = {
      id: 'bench',
      name: 'bench',
      role: 'admin' as const,
      agencyId: null,
      agencyCode: null,
    };
    const server = createServer((req, res) => yoga.handle(req, res, { principal }));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as { port: number }).port;
  }
  process.send?.({ port });
  // The parent asks for this process's CPU time around each round: on a loaded machine, CPU per
  // request is steadier than requests per second.
  process.on('message', () => process.send?.({ cpuMicros: cpuMicros() }));
  process.on('disconnect', () => process.exit(0));
}

const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

async function childCpu(child: ChildProcess): Promise<number> {
  child.send('cpu');
  const [msg] = (await once(child, 'message')) as [{ cpuMicros: number }];
  return msg.cpuMicros;
}

interface Server {
  url: string;
  child: ChildProcess;
}

async function startChild(kind: Kind, dbPath: string): Promise<Server> {
  // stdout (the access log) goes to /dev/null: serialised and written like in production, never read.
  const child = fork(fileURLToPath(import.meta.url), [kind, dbPath], {
    // BENCH_CPU_PROF=<dir>: each server writes a V8 CPU profile there when it exits.
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    ],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const [msg] = (await once(child, 'message')) as [{ port: number }];
  const url = `http://127.0.0.1:${msg.port}/graphql`;
  const res = await fetch(url, {
    method: 'POST',
    headers: HEADERS,
    body: BODY,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (res.status !== 200 || !text.includes('"__typename":"Query"'))
    throw new Error(`${kind}: ${res.status} ${text}`);
  return { url, child };
}

/** One round against one server: requests per second, and the server's CPU µs per request. */
async function drive({ url, child }: Server, seconds: number): Promise<{ rate: number; cpu: number }> {
  const cpuBefore = await childCpu(child);
  const result = await autocannon({
    url,
    method: 'POST',
    headers: HEADERS,
    body: BODY,
    connections: CONNECTIONS,
    duration: seconds,
  });
  if (result.non2xx || result.errors || result.timeouts)
    throw new Error(`${url}: non2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}`);
  const cpu = (await childCpu(child)) - cpuBefore;
  return { rate: result.requests.total / seconds, cpu: cpu / result.requests.total };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-bench-gql-'));
  const dbPath = join(dir, 'bench.sqlite');
  const orm = await openOrm({ kind: 'sqlite', path: dbPath });
  await migrate(orm);
  await loadSeed(orm.em.fork(), ZAPORIZHZHIA_AGENCIES);
  await ensureAdminToken(orm.em.fork(), TOKEN);
  await orm.close(true);
  const servers: Record<Kind, Server> = {
    gateway: await startChild('gateway', dbPath),
    plain: await startChild('plain', dbPath),
  };
  const rates: Record<Kind, number[]> = { gateway: [], plain: [] };
  const cpus: Record<Kind, number[]> = { gateway: [], plain: [] };
  try {
    for (const kind of ['gateway', 'plain'] as const) await drive(servers[kind], WARMUP_SECONDS);
    for (let run = 0; run < RUNS; run++) {
      const order: Kind[] = run % 2 ? ['plain', 'gateway'] : ['gateway', 'plain'];
      for (const kind of order) {
        const { rate, cpu } = await drive(servers[kind], SECONDS);
        rates[kind].push(rate);
        cpus[kind].push(cpu);
      }
      console.log(
        `round ${run + 1}: gateway ${Math.round(rates.gateway.at(-1) ?? 0)} req/s (${Math.round(cpus.gateway.at(-1) ?? 0)} µs CPU/req), ` +
          `plain ${Math.round(rates.plain.at(-1) ?? 0)} req/s (${Math.round(cpus.plain.at(-1) ?? 0)} µs CPU/req)`,
      );
    }
  } finally {
    for (const { child } of Object.values(servers)) child.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
  const g = median(rates.gateway);
  const p = median(rates.plain);
  const gc = median(cpus.gateway);
  const pc = median(cpus.plain);
  console.log(
    `POST /graphql { __typename }, ${CONNECTIONS} connections, ${RUNS}×${SECONDS}s (medians): ` +
      `gateway ${Math.round(g)} req/s, plain node:http ${Math.round(p)} req/s, ratio ${(g / p).toFixed(2)} (target ≥ 0.90); ` +
      `server CPU per request: gateway ${Math.round(gc)} µs, plain ${Math.round(pc)} µs, ratio ${(pc / gc).toFixed(2)}`,
  );
}

const [kind, dbPath] = process.argv.slice(2);
if (kind === 'gateway' || kind === 'plain') await serveChild(kind, dbPath as string);
else await main();
