/**
 * `npx tsx test/bench/graphql-inbox-floor.ts`: the most a 50-appeal inbox can reach against
 * `{ __typename }` with the gateway's executor, whatever else the gateway does. One plain Yoga on
 * node:http, in its own process, with no database, no authentication, no scopes: the inbox's exact
 * shape (the same selection as test/bench/graphql-inbox.ts) is answered from objects already in
 * memory. The executor is the gateway's, graphql-jit through @envelop/graphql-jit (src/http/yoga.ts);
 * BENCH_EXECUTOR=graphql-js measures Yoga's own instead. autocannon drives both queries in turn,
 * BENCH_RUNS rounds of BENCH_SECONDS at BENCH_CONNECTIONS, and the medians of req/s and of the
 * server's CPU per request are printed with their ratio.
 *
 * The gateway's inbox does everything this does and more (SQL, isolation, field scopes, the HTTP
 * layer), so this ratio bounds the one graphql-inbox.ts measures against its target of 0.5.
 * Measured before the gateway took the compiled executor: graphql-js 0.23–0.25, graphql-jit 0.60.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { useGraphQlJit } from '@envelop/graphql-jit';
import autocannon from 'autocannon';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const EXECUTOR = process.env.BENCH_EXECUTOR === 'graphql-js' ? 'graphql-js' : 'graphql-jit';

const TRIVIAL = '{ __typename }';
/** What graphql-inbox.ts asks, without the filter argument this schema has no use for. */
const INBOX = `query {
  appeals(first: 50) {
    totalCount
    edges { node {
      id status dueAt overdue summary topicCode receivedAt
      assignments { role status agencyRegNumber agency { code } }
      lastChange { event state occurredAt }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const typeDefs = /* GraphQL */ `
  type Agency { code: String! }
  type Assignment { role: String! status: String! agencyRegNumber: String agency: Agency! }
  type Change { event: String! state: String! occurredAt: String! }
  type Appeal {
    id: ID! status: String! dueAt: String overdue: Boolean! summary: String! topicCode: String!
    receivedAt: String! assignments: [Assignment!]! lastChange: Change
  }
  type Edge { node: Appeal! cursor: String! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type Connection { totalCount: Int! edges: [Edge!]! pageInfo: PageInfo! }
  type Query { appeals(first: Int!): Connection! }
`;

/** Fifty appeals like the gateway's first inbox page, each with its copy and latest change. */
const PAGE = {
  totalCount: 25_000,
  edges: Array.from({ length: 50 }, (_, i) => {
    const id = `0193b0c2-7d1e-7a4f-9c11-${String(i).padStart(12, '0')}`;
    return {
      cursor: Buffer.from(`2026-11-20T10:00:00.000Z|${id}`).toString('base64url'),
      node: {
        id,
        status: 'DELIVERED',
        dueAt: '2026-12-20T10:00:00.000Z',
        overdue: false,
        summary: `Прошу роз’яснити порядок призначення пенсії за віком (вул. Соборна, ${i})`,
        topicCode: '006.02',
        receivedAt: '2026-11-20T10:00:00.000Z',
        assignments: [
          { role: 'EXECUTOR', status: 'DELIVERED', agencyRegNumber: null, agency: { code: '99923101' } },
        ],
        lastChange: { event: 'DELIVERED', state: 'DELIVERED', occurredAt: '2026-11-20T10:05:00.000Z' },
      },
    };
  }),
  pageInfo: { hasNextPage: true, endCursor: 'x' },
};

async function serveChild(): Promise<void> {
  const yoga = createYoga({
    schema: createSchema({ typeDefs, resolvers: { Query: { appeals: () => PAGE } } }),
    logging: false,
    graphiql: false,
    plugins: EXECUTOR === 'graphql-jit' ? [useGraphQlJit() as Plugin] : [],
  });
  const server = createServer(yoga);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  process.send?.({ port: (server.address() as { port: number }).port });
  process.on('message', () => {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpuMicros: user + system });
  });
  process.on('disconnect', () => process.exit(0));
}

async function childCpu(child: ChildProcess): Promise<number> {
  child.send('cpu');
  const [msg] = (await once(child, 'message')) as [{ cpuMicros: number }];
  return msg.cpuMicros;
}

async function drive(url: string, child: ChildProcess, query: string, seconds: number) {
  const before = await childCpu(child);
  const body = JSON.stringify({ query });
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
    duration: seconds,
  });
  if (result.non2xx || result.errors || result.timeouts) throw new Error(`${query}: requests failed`);
  const cpu = ((await childCpu(child)) - before) / result.requests.total;
  return { rate: result.requests.total / seconds, cpu };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['serve'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const [msg] = (await once(child, 'message')) as [{ port: number }];
  const url = `http://127.0.0.1:${msg.port}/graphql`;
  try {
    const check = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: INBOX }),
    });
    const json = (await check.json()) as { data?: { appeals: { edges: unknown[] } }; errors?: unknown };
    if (json.errors || json.data?.appeals.edges.length !== 50)
      throw new Error(JSON.stringify(json).slice(0, 300));
    await drive(url, child, TRIVIAL, 2);
    await drive(url, child, INBOX, 2);
    const rounds = {
      trivial: [] as { rate: number; cpu: number }[],
      inbox: [] as { rate: number; cpu: number }[],
    };
    for (let run = 0; run < RUNS; run++) {
      for (const kind of run % 2 ? (['inbox', 'trivial'] as const) : (['trivial', 'inbox'] as const)) {
        const r = await drive(url, child, kind === 'inbox' ? INBOX : TRIVIAL, SECONDS);
        rounds[kind].push(r);
        console.log(
          `round ${run + 1} ${kind.padEnd(7)} ${Math.round(r.rate)} req/s, ${Math.round(r.cpu)} µs CPU/req`,
        );
      }
    }
    const t = {
      rate: median(rounds.trivial.map((r) => r.rate)),
      cpu: median(rounds.trivial.map((r) => r.cpu)),
    };
    const i = { rate: median(rounds.inbox.map((r) => r.rate)), cpu: median(rounds.inbox.map((r) => r.cpu)) };
    console.log(
      `plain Yoga with ${EXECUTOR}, no database (medians): { __typename } ${Math.round(t.rate)} req/s (${Math.round(t.cpu)} µs CPU/req), ` +
        `50-appeal inbox from memory ${Math.round(i.rate)} req/s (${Math.round(i.cpu)} µs CPU/req); ` +
        `inbox / trivial = ${(i.rate / t.rate).toFixed(2)} by rate, ${(t.cpu / i.cpu).toFixed(2)} by CPU ` +
        '(the bound of the gateway inbox benchmark, whose target is 0.5)',
    );
  } finally {
    child.disconnect();
  }
}

if (process.argv[2] === 'serve') await serveChild();
else await main();
