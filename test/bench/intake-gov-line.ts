/**
 * `npm run bench`: a 10,000-appeal UCC batch imported end to end (HTTP in, every row committed),
 * beside two ceilings measured in the same run on the same data: xml2js parsing the XML alone on
 * one thread, and the raw insert rate of the same rows (appeals, applicants, events, assignments by
 * the example rules) through the same driver.
 * Prints medians of RUNS runs; the machine is shared, so read the ratios, not the absolutes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type ServerType, serve } from '@hono/node-server';
import { Parser } from 'xml2js';
import { ensureAdminToken } from '../../src/access/tokens.js';
import { migrate, openOrm } from '../../src/db/orm.js';
import { createApp } from '../../src/http/app.js';
import { ParsePool } from '../../src/intake/gov-line/parse-pool.js';
import { headerTask } from '../../src/intake/gov-line/prepare-headers.js';
import { readGovLineDocument } from '../../src/intake/gov-line/read.js';
import { correlate, KnownAppeals } from '../../src/intake/linking.js';
import { normalise } from '../../src/intake/normalise.js';
import { emptyRows, insertRows, routedRows, rowsFor } from '../../src/intake/rows.js';
import { createLogger } from '../../src/log.js';
import { activeRouting } from '../../src/routing/active.js';
import { assignmentRows, routingInputOf } from '../../src/routing/assign.js';
import { loadSeed } from '../../src/seed/load-seed.js';
import { seedRuleSet } from '../../src/seed/rules.js';
import { ZAPORIZHZHIA_AGENCIES } from '../../src/seed/zaporizhzhia.js';
import { corpusBatch, corpusHeader } from './gov-line-corpus.js';

const N = Number(process.env.BENCH_APPEALS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** `BENCH_ONLY=e2e` (or parse, insert) runs one measurement alone, e.g. under --cpu-prof. */
const ONLY = process.env.BENCH_ONLY;
const TOKEN = 'bench-admin-token-0123456789';

const run = promisify(execFile);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function freshDb() {
  const dir = mkdtempSync(join(tmpdir(), 'gw-bench-'));
  const orm = await openOrm({ kind: 'sqlite', path: join(dir, 'bench.sqlite') });
  await migrate(orm);
  await loadSeed(orm.em.fork(), ZAPORIZHZHIA_AGENCIES);
  // As a fresh server does: the example rules are live, so every appeal gets its assignments.
  await seedRuleSet(orm.em.fork());
  const drop = async () => {
    await orm.close(true);
    rmSync(dir, { recursive: true, force: true });
  };
  return { orm, drop };
}

function parseOnly(xml: string, n = N): number {
  const t = performance.now();
  new Parser({ explicitArray: true, async: false }).parseString(xml, (err) => {
    if (err) throw err;
  });
  return n / ((performance.now() - t) / 1000);
}

async function insertOnly(xml: string): Promise<number> {
  const items = readGovLineDocument(xml).flatMap((o) => (o.ok ? [normalise(o.item)] : []));
  const { orm, drop } = await freshDb();
  const routing = await activeRouting(orm.em.fork());
  const t = performance.now();
  for (let i = 0; i < items.length; i += 500) {
    const rows = emptyRows();
    for (const n of items.slice(i, i + 500)) {
      const link = correlate(
        { ...n.appeal, phone: null, identityKey: null, textFingerprint: null },
        new KnownAppeals(),
      );
      const id = crypto.randomUUID();
      const now = new Date();
      rowsFor(rows, { id, n, link, directLineAgency: null, now });
      const routed = routing.route(routingInputOf(n, null));
      if (routed) routedRows(rows, id, assignmentRows(id, routed, routing, now, false), routed.reason, now);
    }
    await orm.em.fork().transactional((tx) => insertRows(tx, rows));
  }
  const rate = items.length / ((performance.now() - t) / 1000);
  await drop();
  return rate;
}

async function endToEnd(file = xmlFile, n = N): Promise<number> {
  const { orm, drop } = await freshDb();
  await ensureAdminToken(orm.em.fork(), TOKEN);
  const app = createApp({
    orm,
    log: createLogger('silent'),
    production: true,
    parsePool: process.env.NOPOOL ? null : pool,
  });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  // The client is another process, as the UCC is: it must not share the gateway's event loop.
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  const { status, report } = await postWithCurl(`http://127.0.0.1:${port}/intake/gov-line`, file);
  const rate = n / ((performance.now() - t) / 1000);
  cpuMs.push(cpuSince(cpu0) / (n / 1000));
  if (status !== 200 || report.accepted?.length !== n) {
    throw new Error(`end to end stored ${report.accepted?.length} of ${n} (HTTP ${status})`);
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await drop();
  return rate;
}

async function warmUp(): Promise<void> {
  const part = corpusBatch(Math.ceil(N / 5), 1_000_000);
  const file = join(scratch, 'warm-up.xml');
  writeFileSync(file, part);
  if (!ONLY || ONLY === 'parse') parseOnly(part, Math.ceil(N / 5));
  if (!ONLY || ONLY === 'e2e') await endToEnd(file, Math.ceil(N / 5));
  cpuMs.length = 0;
}

async function postWithCurl(url: string, file: string) {
  const args = ['-sS', '-X', 'POST', '--data-binary', `@${file}`, '-w', '\n%{http_code}'];
  args.push('-H', 'content-type: application/xml', '-H', `authorization: Bearer ${TOKEN}`, url);
  const { stdout } = await run('curl', args, { maxBuffer: 64 * 1024 * 1024 });
  const cut = stdout.lastIndexOf('\n');
  return {
    status: Number(stdout.slice(cut + 1)),
    report: JSON.parse(stdout.slice(0, cut)) as { accepted?: unknown[]; rejected?: unknown[] },
  };
}

const pool = new ParsePool();
// Warm the workers (the server does this at start-up, not per request).
await Promise.all(Array.from({ length: pool.size }, () => pool.prepare(headerTask(0, [corpusHeader(0)]))));
const xml = corpusBatch(N);
const scratch = mkdtempSync(join(tmpdir(), 'gw-bench-xml-'));
const xmlFile = join(scratch, 'batch.xml');
writeFileSync(xmlFile, xml);
console.log(
  `gov-line intake benchmark: ${N} appeals, ${(Buffer.byteLength(xml) / 1e6).toFixed(1)} MB of XML, ${RUNS} runs`,
);
/** CPU of this process (gateway threads, SQLite's thread) per 1,000 appeals: steadier than rates when the machine is shared. */
const cpuMs: number[] = [];
const cpuSince = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
};
// One untimed pass of each on a fifth of the batch first, as a server that has been up a while has
// compiled its hot paths (the first run in a fresh process was regularly the slowest of the three).
await warmUp();
const results = { parse: [] as number[], insert: [] as number[], e2e: [] as number[] };
for (let r = 0; r < RUNS; r++) {
  if (!ONLY || ONLY === 'parse') results.parse.push(parseOnly(xml));
  if (!ONLY || ONLY === 'insert') results.insert.push(await insertOnly(xml));
  if (!ONLY || ONLY === 'e2e') results.e2e.push(await endToEnd());
}
const parse = median(results.parse);
const e2e = median(results.e2e);
const row = (name: string, xs: number[]) =>
  xs.length &&
  console.log(
    `${name.padEnd(44)} ${median(xs).toFixed(0).padStart(8)} appeals/s   (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`,
  );
row('ceiling: xml2js parse only, one thread', results.parse);
row('ceiling: raw insert of the same rows (SQLite)', results.insert);
row('end to end: POST /intake/gov-line → committed', results.e2e);
if (cpuMs.length)
  console.log(`end to end CPU (all threads) per 1,000 appeals: ${median(cpuMs).toFixed(0)} ms`);
if (!ONLY) console.log(`end to end / parse-only = ${((e2e / parse) * 100).toFixed(0)} % (target ≥ 80 %)`);
await pool.close();
rmSync(scratch, { recursive: true, force: true });
