/**
 * `BENCH_DB=file npx tsx test/bench/graphql-inbox-sql.ts`: what the SQL of a body's inbox costs alone,
 * on the database test/bench/graphql-inbox.ts seeded and kept (run that one first with the same
 * BENCH_DB). Each of the inbox's statements is run the way a request runs it — through the API's
 * read connection (src/db/reader.ts), built by the same functions — BENCH_N times in a row, and its
 * wall time and CPU time (all threads of this process) per run are printed, and what each costs
 * beyond a `select 1` run the same way (a request's own set-up and its cheapest statement), then the
 * sum of those. Nothing else runs: no HTTP, no GraphQL.
 */
import { existsSync } from 'node:fs';
import { requestAccess } from '../../src/access/request.js';
import { buildAppealWhere, countAppeals, findAppealPage } from '../../src/appeals/find-appeals.js';
import { Agency } from '../../src/db/entities/index.js';
import { migrate, openOrm } from '../../src/db/orm.js';
import type { GraphQLContext, RequestPrincipal } from '../../src/graphql/context.js';
import { loaders } from '../../src/graphql/loaders.js';
import { createLogger } from '../../src/log.js';

const DB = process.env.BENCH_DB;
const N = Number(process.env.BENCH_N ?? 300);
const BODY_CODE = '99923101';
const OPEN = ['routed', 'sent', 'delivered', 'under_consideration', 'extended'] as const;
/** The inbox's appeal fields (test/bench/graphql-inbox.ts). */
const FIELDS = new Set(['id', 'status', 'dueAt', 'overdue', 'summary', 'topicCode', 'receivedAt']);

if (!DB || !existsSync(DB))
  throw new Error('BENCH_DB must name the database test/bench/graphql-inbox.ts kept');

const orm = await openOrm({ kind: 'sqlite', path: DB });
await migrate(orm);
const agency = await orm.em.fork().findOneOrFail(Agency, { code: BODY_CODE });
const principal: RequestPrincipal = {
  id: 'bench',
  name: 'bench',
  role: 'agency',
  agencyId: agency.id,
  agencyCode: BODY_CODE,
};
const now = new Date();
const log = createLogger('silent');
/** A fresh request's access and loaders (per-request caches start empty, as in a request). */
const request = () => {
  const access = requestAccess(orm, principal, () => now);
  const ctx = {
    em: access.em,
    access,
    principal,
    now,
    log: createLogger('silent'),
  } as unknown as GraphQLContext;
  return { access, ctx };
};

const where = await buildAppealWhere(request().access.reader, { status: [...OPEN] }, now, agency.id);
const page = await findAppealPage(request().access.reader, where, 50, null, 'newest', FIELDS);
const ids = page.appeals.map((a) => a.id);

const steps: [string, () => Promise<unknown>][] = [
  ['select 1', () => request().access.reader.all('select 1', [])],
  [
    'page of 51 (inbox columns)',
    () => findAppealPage(request().access.reader, where, 50, null, 'newest', FIELDS),
  ],
  ['total', () => countAppeals(request().access.reader, where)],
  [
    'copies of the page',
    () => {
      const { access } = request();
      return Promise.all(ids.map((id) => access.copiesOf(id)));
    },
  ],
  [
    'latest changes of the page',
    () => {
      const { ctx } = request();
      return Promise.all(ids.map((id) => loaders(ctx).lastEventOfAppeal.load(id)));
    },
  ],
  ['the body', () => loaders(request().ctx).agency.load(agency.id)],
];

const cpu = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
// Each run sets up a request's access first (as every request, the trivial one too, does): the
// `select 1` run is that set-up plus the cheapest statement, and is taken off the others.
let base = { wall: 0, cpu: 0 };
let total = { wall: 0, cpu: 0 };
for (const [name, run] of steps) {
  for (let i = 0; i < 20; i++) await run();
  const t = performance.now();
  const c = cpu();
  for (let i = 0; i < N; i++) await run();
  const wall = ((performance.now() - t) / N) * 1000;
  const used = (cpu() - c) / N;
  if (name === 'select 1') base = { wall, cpu: used };
  else total = { wall: total.wall + wall - base.wall, cpu: total.cpu + used - base.cpu };
  const net = name === 'select 1' ? '' : `, beyond it ${(used - base.cpu).toFixed(0).padStart(5)} µs CPU`;
  console.log(
    `${name.padEnd(28)} ${wall.toFixed(0).padStart(5)} µs wall ${used.toFixed(0).padStart(5)} µs CPU${net}`,
  );
}
console.log(
  `the inbox's statements beyond select 1: ${total.wall.toFixed(0)} µs wall, ${total.cpu.toFixed(0)} µs CPU`,
);
await orm.close(true);
