/**
 * `npm run bench:routing`: routing decisions per second of the compiled ruleset on RULES realistic
 * rules and APPEALS appeals built beforehand, beside the plain first-match scan and json-rules-engine
 * running the same rules. json-rules-engine is asynchronous and far slower, so it runs on the first
 * JRE_APPEALS appeals only, and must reach the same rule as the compiled ruleset on every one of them.
 *
 * The same rules for json-rules-engine: one Rule per rule, priority RULES − index (higher runs first,
 * every priority distinct, so rules run one at a time in our order), and an `onSuccess` handler that
 * calls `engine.stop()`: the first success is the decision, as in our first-match order, and the
 * remaining rules are not evaluated. No success: the default. Conditions use its `in`, `contains` and
 * `equal` operators, plus two custom ones: `startsWithAny` (territory prefixes) and `includesAny`
 * (keywords in the folded summary). Cheap facts get a higher fact priority, so that an `all` stops
 * at the first failing cheap condition (its documented optimisation); the territory prefix, the
 * territory status and the folded summary are dynamic facts computed at most once per appeal.
 *
 * Prints medians of RUNS runs; the machine is shared, so read the ratios, not the absolutes.
 */
import { availableParallelism, loadavg } from 'node:os';
import { Engine, type RuleProperties, type TopLevelCondition } from 'json-rules-engine';
import { APPEAL_KINDS, type AppealKind, SOURCE_LINES, type SourceLine } from '../../src/domain/appeal.js';
import { hierarchyPrefix, isValidKatottg } from '../../src/domain/katottg.js';
import { compileRuleSet, naiveEvaluator } from '../../src/domain/routing/compile.js';
import { foldForKeywords } from '../../src/domain/routing/conditions.js';
import { territoryStatusLookup } from '../../src/domain/routing/territory-status.js';
import {
  DEFAULT_RULE_ID,
  type RoutingInput,
  type Rule,
  type RuleConditions,
  type RuleSetDocument,
  type TerritoryStatusEntry,
  TRIAGE,
} from '../../src/domain/routing/types.js';
import { TOPICS } from '../../src/domain/topics.js';

const RULES = Number(process.env.ROUTING_RULES ?? 1_000);
const APPEALS = Number(process.env.ROUTING_APPEALS ?? 100_000);
const RUNS = Math.max(5, Number(process.env.BENCH_RUNS ?? 7));
const JRE_APPEALS = Math.min(APPEALS, Number(process.env.ROUTING_JRE_APPEALS ?? 2_000));
const JRE_RUNS = 3;
const NAIVE_RUNS = 3;
const COLD_RUNS = 3;
const TARGET_RATE = 1_000_000;
const TARGET_RATIO = 50;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** mulberry32: the same rules and appeals on every run of the bench. */
function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}
const rnd = prng(1545);

// --- Territories: the districts of the Zaporizhzhia oblast, their hromadas and settlements. ---

const DISTRICTS = ['02', '04', '06', '08', '10'];
const HROMADAS_PER_DISTRICT = 14;
const pad = (n: number, width: number) => String(n).padStart(width, '0');
let identifier = 10_000;
const hromadas: string[] = [];
const settlements: string[] = [];
for (const d of DISTRICTS) {
  for (let h = 1; h <= HROMADAS_PER_DISTRICT; h++) {
    const hromada = `UA23${d}${pad(h * 3 - 2, 3)}`;
    hromadas.push(hromada);
    settlements.push(`${hromada}00000${identifier++}`);
    for (let s = 1; s <= 12; s++) settlements.push(`${hromada}${pad(s, 3)}00${identifier++}`);
  }
}
// The city of Zaporizhzhia and its city districts, and appeals from outside the oblast.
const CITY = ['UA23060070010069526', 'UA23060070010154443'];
for (let c = 3; c <= 7; c++) CITY.push(`UA23060070010${c}${identifier++}`);
const OUTSIDE = [
  'UA80000000000126643',
  'UA80000000000210193',
  'UA32000000010085013',
  'UA12020010010048523',
  'UA65040030000084312',
];
const INSIDE = [...settlements, ...CITY].filter(isValidKatottg);
const ELSEWHERE = OUTSIDE.filter(isValidKatottg);
const hromadaPrefixes = [...new Set(INSIDE.map((c) => hierarchyPrefix(c).slice(0, 9)))];
const districtPrefixes = DISTRICTS.map((d) => `UA23${d}`);

// --- Topics, agencies, words. ---

/** Topics an appeal carries: sub-items, and sections that have none. */
const LEAF_TOPICS = TOPICS.filter((t) => t.parent !== null || !TOPICS.some((s) => s.parent === t.code)).map(
  (t) => t.code,
);
const SECTIONS = TOPICS.filter((t) => t.parent === null).map((t) => t.code);
/** Topics appeals carry most: social protection, utilities, housing, health. */
const FREQUENT_TOPICS = LEAF_TOPICS.filter((t) => /^(006|009|010|008)/.test(t));
const agency = (n: number) => `999${pad(23_000 + n, 5)}`;
const KEYWORDS = [
  'субсиді',
  'пенсі',
  'опален',
  'гаряч',
  'світл',
  "під'їзд",
  'зруйнован',
  'укритт',
  'евакуац',
  "м'ясо",
  'корупці',
  'хабар',
  "зв'яз",
  'ліки',
];
const PHRASES = [
  'Прошу перерахувати житлову субсидію за опалювальний сезон',
  'У будинку немає гарячої води вже третій тиждень',
  'Не нараховано пенсію за квітень, прошу розібратися',
  'У під’їзді не працює світло, мешканці скаржаться',
  'Будинок зруйновано внаслідок обстрілу, прошу включити до реєстру',
  'Укриття в школі зачинене під час тривоги',
  'Прошу допомогти з евакуацією матері з прифронтового села',
  'В аптеці немає ліків за програмою «Доступні ліки»',
  'Посадова особа вимагала хабар за довідку',
  'На ринку продають мʼясо без ветеринарного контролю',
  'Немає мобільного звʼязку в селі',
  'Дякую працівникам ЦНАП за швидку допомогу',
  'Прошу роз’яснити порядок отримання допомоги ВПО',
  'Не вивозять сміття з прибудинкової території',
];
const CATEGORIES = ['7.1', '7.2', '7.5', '7.7', '7.9', '7.12'];

// --- Rules: specific first, broader last. ---

function specificRule(i: number): RuleConditions {
  const when: RuleConditions = {
    topics: rnd.chance(0.8) ? [rnd.pick(FREQUENT_TOPICS)] : [rnd.pick(LEAF_TOPICS)],
    territories: rnd.chance(0.85) ? [rnd.pick(hromadaPrefixes)] : [rnd.pick(districtPrefixes)],
  };
  if (rnd.chance(0.15)) when.topics?.push(rnd.pick(LEAF_TOPICS));
  if (rnd.chance(0.1)) when.territories?.push(rnd.pick(hromadaPrefixes));
  if (rnd.chance(0.2)) when.kinds = [rnd.pick(APPEAL_KINDS)];
  if (rnd.chance(0.1)) when.sources = [rnd.pick(SOURCE_LINES)];
  if (rnd.chance(0.1)) when.keywords = [rnd.pick(KEYWORDS), rnd.pick(KEYWORDS)];
  if (rnd.chance(0.08)) when.authorCategories = [rnd.pick(CATEGORIES)];
  if (rnd.chance(0.04)) when.collective = true;
  if (rnd.chance(0.04)) {
    when.kinds = ['complaint'];
    when.complaintAbout = [agency(200 + (i % 70))];
  }
  if (rnd.chance(0.05)) when.territoryStatus = [rnd.pick(['occupied', 'hostilities', 'none'] as const)];
  when.topics = [...new Set(when.topics)];
  when.territories = [...new Set(when.territories)];
  when.keywords &&= [...new Set(when.keywords)];
  return when;
}

/**
 * The broad tail: rules across topics (corruption, occupied territories, evacuation), then by section
 * per district, by section for the oblast, and last a few catch-alls.
 */
function broadRules(count: number): RuleConditions[] {
  const across: RuleConditions[] = [
    { keywords: ['корупці', 'хабар'] },
    { territoryStatus: ['occupied'] },
    { territoryStatus: ['hostilities'], keywords: ['евакуац', 'укритт'] },
  ];
  const catchAll: RuleConditions[] = [
    { sources: ['direct_line'] },
    { authorCategories: ['7.5', '7.7'] },
    { kinds: ['complaint'], territories: ['UA23'] },
    { territories: ['UA23'] },
  ];
  const oblast: RuleConditions[] = SECTIONS.map((s) => ({ topics: [s], territories: ['UA23'] }));
  const district: RuleConditions[] = [];
  while (across.length + district.length + oblast.length + catchAll.length < count) {
    district.push({ topics: [rnd.pick(SECTIONS)], territories: [rnd.pick(districtPrefixes)] });
  }
  return [...across, ...district, ...oblast, ...catchAll].slice(-count);
}

function buildRuleSet(n: number): RuleSetDocument {
  const broad = broadRules(Math.min(n, Math.max(8, Math.round(n * 0.15))));
  const whens = [...Array.from({ length: n - broad.length }, (_, i) => specificRule(i)), ...broad];
  const rules: Rule[] = whens.map((when, i) => ({
    id: `rule-${pad(i, 4)}`,
    when,
    then: {
      responsible: agency(100 + (i % 90)),
      ...(rnd.chance(0.2) ? { coExecutors: [agency(100 + ((i + 7) % 90))] } : {}),
      ...(rnd.chance(0.1) ? { forInformation: [agency(0)] } : {}),
    },
  }));
  const territoryStatus: TerritoryStatusEntry[] = [
    { territory: 'UA2308', status: 'occupied', from: '2022-02-27', to: null },
    { territory: 'UA2302', status: 'occupied', from: '2022-02-27', to: null },
    { territory: 'UA2304', status: 'hostilities', from: '2022-02-24', to: null },
    { territory: 'UA2310', status: 'hostilities', from: '2022-02-24', to: null },
    ...hromadaPrefixes
      .filter((h) => h.startsWith('UA2304') || h.startsWith('UA2310'))
      .filter(() => rnd.chance(0.4))
      .map(
        (territory): TerritoryStatusEntry => ({
          territory,
          status: 'occupied',
          from: '2022-03-05',
          to: rnd.chance(0.3) ? '2024-11-30' : null,
        }),
      ),
  ];
  return {
    name: 'Запорізька область: маршрутизація',
    territoryStatus,
    rules,
    default: { responsible: TRIAGE },
  };
}

function buildAppeal(): RoutingInput {
  const kind: AppealKind = rnd.chance(0.7) ? 'application' : rnd.chance(0.85) ? 'complaint' : 'proposal';
  const where = rnd.next();
  const summary = [rnd.pick(PHRASES), rnd.chance(0.3) ? rnd.pick(PHRASES).toUpperCase() : ''].join('. ');
  return {
    topicCode: rnd.chance(0.6) ? rnd.pick(FREQUENT_TOPICS) : rnd.pick(LEAF_TOPICS),
    territoryCode: where < 0.9 ? rnd.pick(INSIDE) : where < 0.95 ? rnd.pick(ELSEWHERE) : null,
    kind,
    source: rnd.chance(0.6) ? 'gov_hotline_1545' : (rnd.pick(SOURCE_LINES) as SourceLine),
    authorCategories: rnd.chance(0.3) ? [rnd.pick(CATEGORIES)] : [],
    collective: rnd.chance(0.05),
    summary,
    complaintAbout: kind === 'complaint' && rnd.chance(0.6) ? agency(200 + rnd.int(90)) : null,
    receivedAt: new Date(Date.UTC(2024, 0, 1) + rnd.int(600 * 86_400_000)),
  };
}

// --- The same rules for json-rules-engine. ---

const FACT_PRIORITY = { topic: 50, territory: 40, plain: 30, status: 20, summary: 10 } as const;
/** The library does not export the type of a condition inside `all`/`any`. */
type NestedCondition = Extract<TopLevelCondition, { all: unknown }>['all'][number];

function jreEngine(doc: RuleSetDocument): Engine {
  const engine = new Engine([], { allowUndefinedFacts: false });
  engine.addOperator('startsWithAny', (prefix: unknown, prefixes: string[]) =>
    typeof prefix === 'string' ? prefixes.some((p) => prefix.startsWith(p)) : false,
  );
  engine.addOperator('includesAny', (text: unknown, words: string[]) =>
    typeof text === 'string' ? words.some((w) => text.includes(w)) : false,
  );
  declarePlainFacts(engine);
  const lookup = territoryStatusLookup(doc.territoryStatus ?? []);
  engine.addFact(
    'territoryPrefix',
    async (_params, almanac) => {
      const code = await almanac.factValue<string | null>('territoryCode');
      return code ? hierarchyPrefix(code) : null;
    },
    { priority: FACT_PRIORITY.territory },
  );
  engine.addFact(
    'territoryStatus',
    async (_params, almanac) => {
      const prefix = await almanac.factValue<string | null>('territoryPrefix');
      return prefix ? lookup(prefix, await almanac.factValue<Date>('receivedAt')) : 'none';
    },
    { priority: FACT_PRIORITY.status },
  );
  engine.addFact(
    'foldedSummary',
    async (_params, almanac) => foldForKeywords(await almanac.factValue<string>('summary')),
    { priority: FACT_PRIORITY.summary },
  );
  const stop = () => {
    engine.stop();
  };
  doc.rules.forEach((rule, i) => {
    engine.addRule({
      name: rule.id,
      priority: doc.rules.length - i,
      conditions: jreConditions(rule.when),
      event: { type: 'route', params: { ruleId: rule.id } },
      onSuccess: stop,
    } satisfies RuleProperties);
  });
  return engine;
}

function jreConditions(w: RuleConditions): TopLevelCondition {
  const all: NestedCondition[] = [];
  if (w.topics) {
    const codes = w.topics.filter((t) => t.length > 3);
    const sections = w.topics.filter((t) => t.length === 3);
    const any: NestedCondition[] = [];
    if (codes.length) any.push({ fact: 'topicCode', operator: 'in', value: codes });
    if (sections.length) any.push({ fact: 'topicSection', operator: 'in', value: sections });
    all.push({ any, priority: FACT_PRIORITY.topic });
  }
  if (w.territories) {
    const prefixes = w.territories.map((t) => (t.length === 19 ? hierarchyPrefix(t) : t));
    all.push({ fact: 'territoryPrefix', operator: 'startsWithAny', value: prefixes });
  }
  if (w.kinds) all.push({ fact: 'kind', operator: 'in', value: w.kinds });
  if (w.sources) all.push({ fact: 'source', operator: 'in', value: w.sources });
  if (w.collective !== undefined) all.push({ fact: 'collective', operator: 'equal', value: w.collective });
  if (w.complaintAbout) all.push({ fact: 'complaintAbout', operator: 'in', value: w.complaintAbout });
  if (w.authorCategories) {
    all.push({
      any: w.authorCategories.map((c) => ({ fact: 'authorCategories', operator: 'contains', value: c })),
      priority: FACT_PRIORITY.plain,
    });
  }
  if (w.territoryStatus) all.push({ fact: 'territoryStatus', operator: 'in', value: w.territoryStatus });
  if (w.keywords) {
    const words = w.keywords.map((k) => foldForKeywords(k.trim()));
    all.push({ fact: 'foldedSummary', operator: 'includesAny', value: words });
  }
  return { all };
}

/** The appeal as runtime facts; plain facts get their priority through the Fact options. */
async function jreDecide(engine: Engine, a: RoutingInput): Promise<string> {
  const { events } = await engine.run({
    topicCode: a.topicCode,
    topicSection: a.topicCode.slice(0, 3),
    territoryCode: a.territoryCode,
    kind: a.kind,
    source: a.source,
    collective: a.collective,
    complaintAbout: a.complaintAbout,
    authorCategories: a.authorCategories,
    summary: a.summary,
    receivedAt: a.receivedAt,
  });
  return (events[0]?.params?.ruleId as string | undefined) ?? DEFAULT_RULE_ID;
}

/** Plain facts' priorities, set on the engine so that runtime values inherit them by id. */
function declarePlainFacts(engine: Engine): void {
  const priorities: [string, number][] = [
    ['topicCode', FACT_PRIORITY.topic],
    ['topicSection', FACT_PRIORITY.topic],
    ['kind', FACT_PRIORITY.plain],
    ['source', FACT_PRIORITY.plain],
    ['collective', FACT_PRIORITY.plain],
    ['complaintAbout', FACT_PRIORITY.plain],
    ['authorCategories', FACT_PRIORITY.plain],
  ];
  // The engine reads a condition's priority from the engine's fact of that id; the runtime value
  // given to run() replaces the placeholder value in the almanac.
  for (const [id, priority] of priorities) engine.addFact(id, null, { priority });
}

// --- The run. ---

const doc = buildRuleSet(RULES);
const appeals = Array.from({ length: APPEALS }, buildAppeal);
const compiled = compileRuleSet(doc);
const naive = naiveEvaluator(doc);
const engine = jreEngine(doc);

let sink = 0;
function timeSync(evaluate: (a: RoutingInput) => { ruleIndex: number }, inputs: readonly RoutingInput[]) {
  const t = performance.now();
  for (const a of inputs) sink += evaluate(a).ruleIndex;
  return inputs.length / ((performance.now() - t) / 1000);
}

console.log(
  `routing benchmark: ${doc.rules.length} rules, ${doc.territoryStatus?.length ?? 0} territory-status entries, ${APPEALS} appeals (json-rules-engine: the first ${JRE_APPEALS}), ${RUNS} runs`,
);
console.log(`load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores before the runs`);

/** Stops the bench unless `got` has the compiled ruleset's decision for every appeal. */
function agree(
  name: string,
  expected: readonly string[],
  got: readonly string[],
  inputs: readonly RoutingInput[],
) {
  const bad = expected.flatMap((id, i) => (got[i] === id ? [] : [i]));
  if (!bad.length) return;
  console.error(
    `DISAGREEMENT: ${name} differs from the compiled ruleset on ${bad.length} of ${expected.length} appeals, e.g.:`,
  );
  for (const i of bad.slice(0, 5)) {
    console.error(`  ${JSON.stringify(inputs[i])}: compiled ${expected[i]}, ${name} ${got[i]}`);
  }
  process.exit(1);
}

// Warm-up: a pass of the compiled ruleset and of the scan over every appeal, which must agree, and a
// second pass of the compiled ruleset, now with its caches filled, so that the JIT settles on that path.
const expected = appeals.map((a) => compiled.evaluate(a).ruleId);
timeSync(compiled.evaluate, appeals);
agree(
  'naive scan',
  expected,
  appeals.map((a) => naive(a).ruleId),
  appeals,
);
const subset = appeals.slice(0, JRE_APPEALS);
for (const a of subset.slice(0, 100)) await jreDecide(engine, a);
const hits = new Map<string, number>();
for (const id of expected) hits.set(id, (hits.get(id) ?? 0) + 1);
console.log(
  `decisions: ${hits.size - (hits.has(DEFAULT_RULE_ID) ? 1 : 0)} distinct rules hit, ${(((hits.get(DEFAULT_RULE_ID) ?? 0) / APPEALS) * 100).toFixed(1)} % to the default`,
);

const results = {
  compiled: [] as number[],
  cold: [] as number[],
  naive: [] as number[],
  jre: [] as number[],
};
for (let r = 0; r < RUNS; r++) results.compiled.push(timeSync(compiled.evaluate, appeals));
// The first pass of a freshly compiled ruleset, whose caches (candidates per territory and topic,
// status-turning days per territory, Kyiv day per hour) start empty.
for (let r = 0; r < COLD_RUNS; r++) results.cold.push(timeSync(compileRuleSet(doc).evaluate, appeals));
for (let r = 0; r < NAIVE_RUNS; r++) results.naive.push(timeSync(naive, appeals));
for (let r = 0; r < JRE_RUNS; r++) {
  const got: string[] = new Array(subset.length);
  const t = performance.now();
  for (let i = 0; i < subset.length; i++) got[i] = await jreDecide(engine, subset[i] as RoutingInput);
  results.jre.push(subset.length / ((performance.now() - t) / 1000));
  agree('json-rules-engine', expected.slice(0, subset.length), got, subset);
}
console.log(
  `agreement: compiled = naive scan on all ${APPEALS} appeals, = json-rules-engine on the first ${subset.length} in each of its runs`,
);

const row = (name: string, xs: number[]) =>
  console.log(
    `${name.padEnd(44)} ${median(xs).toFixed(0).padStart(10)} decisions/s   (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`,
  );
row('compiled ruleset (compileRuleSet)', results.compiled);
row('  its first pass after compiling', results.cold);
row('plain first-match scan (naiveEvaluator)', results.naive);
row(`json-rules-engine, ${JRE_APPEALS} appeals`, results.jre);
const rate = median(results.compiled);
const ratio = rate / median(results.jre);
console.log(
  `compiled: ${rate.toFixed(0)} decisions/s (target ≥ ${TARGET_RATE.toLocaleString('en')}) ${rate >= TARGET_RATE ? 'OK' : 'BELOW TARGET'}`,
);
console.log(
  `compiled / json-rules-engine = ${ratio.toFixed(0)}× (target ≥ ${TARGET_RATIO}×) ${ratio >= TARGET_RATIO ? 'OK' : 'BELOW TARGET'}; compiled / naive = ${(rate / median(results.naive)).toFixed(1)}×`,
);
if (sink === Number.MIN_SAFE_INTEGER) console.log(sink);
