/**
 * `npm run demo`: the whole loop on this machine, for a newcomer to watch. It starts
 * - the gateway on a fresh embedded SQLite file (`data/demo.sqlite`), with short schedules;
 * - a simulator of the Government Contact Center (UCC), whose feed the gateway pulls and to which it
 *   reports statuses and answers;
 * - one simulator of every kind of body system (webhook, SEV OVV, Trembita) playing three bodies of
 *   the Zaporizhzhia seed, which accept and answer what they receive after a short while,
 * then feeds a stream of appeals through both lines (the UCC's feed and `POST /intake/regional-line`)
 * and prints one line per step: appeal in → copy delivered → answer from the body → result at the UCC.
 * The gateway's own JSON logs go to stderr (`LOG_LEVEL`, default info). GraphiQL: the URL printed at
 * start, with the printed token. `DEMO_SECONDS` ends it after that many seconds (default: Ctrl+C).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Simulator } from '../adapters/simulator.js';
import { startSimulatorOf } from '../adapters/simulators.js';
import { loadConfig } from './config.js';
import { createLogger } from './log.js';
import { startServer } from './server.js';
import { startUccSimulator } from './ucc/sim.js';

const TOKEN = 'demo-admin-token-0123456789';
const say = (line: string) => process.stdout.write(`[demo] ${line}\n`);

/** The bodies the simulators play, the topic the example rules send them, and how they answer. */
const BODIES = [
  { code: '99923101', kind: 'webhook', topic: '006.02', result: 'explained', label: 'соцзахист (webhook)' },
  {
    code: '99923301',
    kind: 'sev-ovv',
    topic: '009.01',
    result: 'resolved_positively',
    label: 'міська рада (СЕВ ОВВ)',
  },
  {
    code: '99923102',
    kind: 'trembita',
    topic: '008.01',
    result: 'refused',
    label: 'охорона здоров’я (Трембіта)',
  },
] as const;

const NAMES = [
  ['Коваленко', 'Олена', 'Петрівна'],
  ['Бондаренко', 'Андрій', 'Іванович'],
  ['Ткаченко', 'Марія', 'Степанівна'],
  ['Шевченко', 'Василь', 'Олексійович'],
  ['Кравченко', 'Ірина', 'Миколаївна'],
  ['Олійник', 'Петро', 'Григорович'],
] as const;

const ESSENCE: Record<string, string> = {
  '006.02': 'Прошу роз’яснити, чому мені не нараховано допомогу на дитину з жовтня та як її відновити.',
  '009.01':
    'У будинку на вул. Соборній, 12 третій тиждень немає опалення, температура в квартирі 14 градусів.',
  '008.01': 'Сімейний лікар відмовляє у направленні до ендокринолога, прошу сприяти отриманню консультації.',
};

function uccMessage(n: number, topic: string): string {
  const [last, first, father] = NAMES[n % NAMES.length] as readonly [string, string, string];
  const id = `1545-DEMO-${String(n).padStart(5, '0')}`;
  const time = new Date().toISOString();
  return `<Header standart="1207" version="1.5" charset="UTF-8" time="${time}" msg_type="1" msg_id="demo-msg-${n}"
  msg_acknow="2" from_org_id="37471967" from_organization="Урядовий контактний центр" from_sys_id="UCC-1545"
  from_system="Єдина система опрацювання звернень" to_org_id="99920001" to_organization="Запорізький обласний контактний центр"
  to_sys_id="ZOKC" to_system="Шлюз звернень ЗОКЦ">
  <Document idnumber="${id}" type="2" purpose_type="3" urgent="0" annotation="${ESSENCE[topic]}">
    <RegNumber regdate="${time.slice(0, 10)}">Т-${n}</RegNumber>
    <Confident flag="0"/>
    <Author><PrivatePerson>
      <Name secname="${last}" firstname="${first}" fathersname="${father}"/>
      <Address postcode="69001" region="Запорізька обл." settlement="м. Запоріжжя" street="вул. Соборна" house="${n}" flat="5"/>
      <Econtact type="м">+38067${String(1_000_000 + n).slice(-7)}</Econtact>
    </PrivatePerson></Author>
    <Writer><Organization ogrn="37471967" fullname="Урядовий контактний центр"/></Writer>
  </Document>
  <Expansion organization="37471967" exp_ver="1.0"><StaticExpansion/>
    <AppealCard topic="${topic}" territory="UA23060070010069526" channel="1545" form="1.1.1" receipt_sign="2.1"
      subject="5.1" kind="3.2" registered="${time}"/>
  </Expansion>
</Header>`;
}

async function main(): Promise<void> {
  const dir = resolve('data');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'demo.sqlite');
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });

  const ucc = await startUccSimulator({ token: 'demo-ucc-token' });
  const sims = new Map<string, Simulator>();
  for (const b of BODIES) {
    const sim = await startSimulatorOf(b.kind, { agencyCode: b.code });
    sims.set(b.code, sim);
    Object.assign(process.env, sim.env()); // the webhook secret, named in its settings
  }
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: `sqlite:${file}`,
    PORT: process.env.PORT ?? '8080',
    HOST: '127.0.0.1',
    GATEWAY_ADMIN_TOKEN: TOKEN,
    GOV_LINE_FEED_URL: ucc.feedUrl,
    GOV_LINE_FEED_TOKEN: 'demo-ucc-token',
    UCC_STATUS_URL: ucc.statusUrl,
    UCC_OPEN_URL: ucc.openUrl,
    GOV_LINE_FEED_SCHEDULE: '*/5 * * * * *',
    DELIVERY_SCHEDULE: '*/2 * * * * *',
    AGENCY_STATUS_SCHEDULE: '*/5 * * * * *',
    UCC_STATUS_SCHEDULE: '*/5 * * * * *',
    OVERDUE_SCAN_SCHEDULE: '* * * * *',
    RECONCILE_SCHEDULE: '*/2 * * * *',
  });
  const gateway = await startServer(config, createLogger(process.env.LOG_LEVEL ?? 'info'));
  const base = `http://127.0.0.1:${gateway.port}`;
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
  };
  for (const b of BODIES) {
    const set = await gql(
      `mutation($c: String!, $k: AdapterKind!, $s: JSON!) {
        setAgencyAdapter(agencyCode: $c, kind: $k, settings: $s) {
          ... on MutationSetAgencyAdapterSuccess { data { problems { pointer message } } }
          ... on Problem { code message }
        }
      }`,
      { c: b.code, k: b.kind.toUpperCase().replace('-', '_'), s: sims.get(b.code)?.settings() },
    );
    const answer = set.data?.setAgencyAdapter as
      | { code?: string; message?: string; data?: { problems: { pointer: string; message: string }[] } }
      | undefined;
    const why = set.errors?.[0]?.message ?? answer?.message ?? answer?.data?.problems[0]?.message;
    if (why) throw new Error(`cannot set the adapter of ${b.code}: ${why}`);
  }
  say(`gateway: ${base}  GraphiQL: ${base}/graphql  token: ${TOKEN}`);
  say(`UCC simulator: ${ucc.url}; bodies: ${BODIES.map((b) => `${b.code} ${b.label}`).join(', ')}`);

  // The stream: every 4 s one appeal on the UCC's feed and one typed in on the regional line.
  let n = 0;
  const feed = setInterval(async () => {
    const body = BODIES[n % BODIES.length] as (typeof BODIES)[number];
    n++;
    ucc.publish(uccMessage(n, body.topic));
    say(`1545 → UCC feed: appeal 1545-DEMO-${String(n).padStart(5, '0')} (${body.topic})`);
    const [last, first] = NAMES[(n + 3) % NAMES.length] as readonly [string, string, string];
    const res = await fetch(`${base}/intake/regional-line`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({
        cardId: `RL-DEMO-${n}`,
        registeredAt: new Date().toISOString(),
        kind: '3.2',
        topic: body.topic,
        summary: ESSENCE[body.topic],
        author: { lastName: last, firstName: first, phone: `+38050${String(2_000_000 + n).slice(-7)}` },
      }),
    }).catch(() => null);
    if (res?.ok) say(`regional line → gateway: appeal RL-DEMO-${n} accepted`);
  }, 4_000);

  // The bodies: a few seconds after a copy arrives, they accept it; a few seconds later, they answer.
  const seen = new Set<string>();
  const answers = new Set<NodeJS.Timeout>();
  let events = 0;
  const bodies = setInterval(() => {
    for (const b of BODIES) {
      const sim = sims.get(b.code) as Simulator;
      for (const key of sim.acceptedKeys()) {
        if (seen.has(key)) continue;
        seen.add(key);
        const appealId = key.split(':')[0] as string;
        say(`${b.label}: received appeal ${appealId}`);
        const at = (ms: number) => new Date(Date.now() + ms).toISOString();
        const reg = `ВХ-${b.code.slice(-3)}/${seen.size}`;
        const common = { appealId, dueAt: null, note: null, result: null, registrationNumber: reg };
        sim.report({ ...common, externalEventId: `demo-${++events}`, event: 'accept', occurredAt: at(0) });
        const answer = setTimeout(() => {
          answers.delete(answer);
          sim.report({
            ...common,
            externalEventId: `demo-${++events}`,
            event: 'answer',
            occurredAt: at(6_000),
            result: b.result,
            note: `Відповідь (${b.label}) на звернення: розглянуто, заявника поінформовано.`,
          });
          say(`${b.label}: answered appeal ${appealId} (${b.result})`);
        }, 6_000);
        answers.add(answer);
      }
    }
  }, 2_000);

  // The UCC's side: each answer as it arrives.
  const told = new Set<string>();
  const watch = setInterval(() => {
    for (const view of ucc.appeals.values()) {
      if (view.state === 'answered' && !told.has(view.number)) {
        told.add(view.number);
        say(
          `UCC ← gateway: ${view.number} answered by ${view.executor} (${view.executorRegNumber}), result ${view.result}: «${view.answerText}»`,
        );
      }
    }
  }, 1_000);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(feed);
    clearInterval(bodies);
    clearInterval(watch);
    for (const t of answers) clearTimeout(t);
    await gateway.close();
    for (const s of sims.values()) await s.close();
    await ucc.close();
    say(`stopped: ${n} appeals fed per line, ${told.size} answers at the UCC`);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  const seconds = Number(process.env.DEMO_SECONDS ?? 0);
  if (seconds > 0) setTimeout(() => void stop(), seconds * 1_000);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
