import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APPEAL_KINDS, SOURCE_LINES } from '../appeal.js';
import { hierarchyPrefix, isValidKatottg, normalizeTerritoryPrefix } from '../katottg.js';
import { isKnownTopicPrefix } from '../topics.js';
import { compileRuleSet, naiveEvaluator } from './compile.js';
import { AppealFacts, conditionsHold, foldForKeywords, normaliseConditions } from './conditions.js';
import { levelPrefixes } from './territory-status.js';
import {
  type RoutingInput,
  type Rule,
  type RuleConditions,
  type RuleSetDocument,
  TERRITORY_STATUSES,
  type TerritoryStatusEntry,
  TRIAGE,
} from './types.js';

// Real codes from the codifier release of 16.05.2025.
const ZAPORIZKA_OBLAST = 'UA23000000000064947';
const BERDIANSKYI = 'UA23020000000032289';
const VASYLIVSKYI = 'UA23040000000067730';
const ZAPORIZKYI = 'UA23060000000070350';
const MELITOPOLSKYI = 'UA23080000000090746';
const POLOHIVSKYI = 'UA23100000000034132';
const ZAPORIZKA_HROMADA = 'UA23060070000082704';
const ZAPORIZHZHIA = 'UA23060070010069526';
const VOZNESENIVSKYI = 'UA23060070010154443';
const HOLOSIIVSKYI = 'UA80000000000126643';
const PRYPIAT = 'UA32000000010085013';

const OVA = '99923000';
const SOCIAL = '99923101';
const HEALTH = '99923102';
const HOUSING = '99923103';

/**
 * Valid codes at every level: the real ones above, and made-up hromadas, settlements and city
 * districts under the districts of the oblast (candidates kept only if the codifier's shape rules
 * accept them), so that rules and appeals share prefixes at every depth.
 */
const CODE_POOL: readonly string[] = (() => {
  const real = [
    ZAPORIZKA_OBLAST,
    BERDIANSKYI,
    VASYLIVSKYI,
    ZAPORIZKYI,
    MELITOPOLSKYI,
    POLOHIVSKYI,
    ZAPORIZKA_HROMADA,
    ZAPORIZHZHIA,
    VOZNESENIVSKYI,
    HOLOSIIVSKYI,
    PRYPIAT,
  ];
  const made: string[] = [];
  let id = 10_000;
  for (const district of ['02', '06', '08']) {
    for (const hromada of ['001', '007', '013']) {
      for (const settlement of ['000', '001', '042']) {
        for (const cityDistrict of settlement === '001' ? ['00', '03'] : ['00']) {
          made.push(`UA23${district}${hromada}${settlement}${cityDistrict}${id++}`);
        }
      }
    }
  }
  // Not valid: levels with a gap; they must be filtered out, never reach a ruleset.
  made.push(`UA2306000001000${id++}`, `UA2300007000000${id++}`);
  return [...real, ...made].filter(isValidKatottg);
})();

/** Level prefixes a ruleset may name: only the canonical ones (UA8000 is not a unit). */
const PREFIX_POOL: readonly string[] = [
  ...new Set(
    CODE_POOL.flatMap((c) => levelPrefixes(hierarchyPrefix(c))).filter((p) => {
      try {
        return normalizeTerritoryPrefix(p) === p;
      } catch {
        return false;
      }
    }),
  ),
];

const TOPIC_POOL = ['006', '006.01', '006.02', '006.04', '009', '009.01', '009.02', '010', '010.02', '024'];
const CATEGORY_POOL = ['7.1', '7.5', '7.9', '7.12'];
const AGENCY_POOL = [OVA, SOCIAL, HEALTH, HOUSING];
/** Stems as operators type them: mixed case, three spellings of the apostrophe. */
const KEYWORD_POOL = [
  "м'ясо",
  'м’ясо',
  'під’їзд',
  'підʼїзд',
  'субсиді',
  'Пенсі',
  'опален',
  'гаряча  вода',
  "зв'язок",
  'обʼєднан',
];
const TEXT_POOL = [
  'Прошу перерахувати субсидію',
  'Немає опалення в під’їзді',
  'не нараховано пенсію за квітень',
  'ГАРЯЧА ВОДА відсутня третій тиждень',
  'зіпсоване МʼЯСО у магазині',
  "Поганий зв'язок у селі",
  'Обʼєднання співвласників не звітує',
  'Дякую за допомогу',
];
const DAY_POOL = ['2022-02-24', '2022-03-01', '2022-11-11', '2023-06-06', '2024-03-31', '2024-10-27'];

/** Instants within 30 hours of Kyiv midnight (winter time) of the days where status periods turn. */
const dateNear = fc
  .tuple(fc.constantFrom(...DAY_POOL), fc.integer({ min: -30 * 60, max: 30 * 60 }))
  .map(([day, minutes]) => new Date(Date.parse(`${day}T00:00:00+02:00`) + minutes * 60_000));

const subsetOf = <T>(xs: readonly T[]) => fc.subarray([...xs], { minLength: 1 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });

const territoryArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PREFIX_POOL) },
  { weight: 1, arbitrary: fc.constantFrom(...CODE_POOL) },
);

const conditionsArb: fc.Arbitrary<RuleConditions> = fc
  .record({
    topics: maybe(subsetOf(TOPIC_POOL)),
    territories: maybe(fc.uniqueArray(territoryArb, { minLength: 1, maxLength: 3 })),
    kinds: maybe(subsetOf(APPEAL_KINDS)),
    sources: maybe(subsetOf(SOURCE_LINES)),
    authorCategories: maybe(subsetOf(CATEGORY_POOL)),
    collective: maybe(fc.boolean()),
    keywords: maybe(subsetOf(KEYWORD_POOL)),
    complaintAbout: maybe(subsetOf(AGENCY_POOL)),
    territoryStatus: maybe(subsetOf(TERRITORY_STATUSES)),
  })
  .map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as RuleConditions);

const statusEntryArb: fc.Arbitrary<TerritoryStatusEntry> = fc
  .record({
    territory: territoryArb,
    status: fc.constantFrom('occupied' as const, 'hostilities' as const),
    from: fc.constantFrom(...DAY_POOL),
    to: fc.option(fc.constantFrom(...DAY_POOL), { nil: null }),
  })
  .map((e) => (e.to !== null && e.to < e.from ? { ...e, to: e.from } : e));

const docArb: fc.Arbitrary<RuleSetDocument> = fc
  .record({
    conditions: fc.array(conditionsArb, { maxLength: 60 }),
    territoryStatus: fc.array(statusEntryArb, { maxLength: 8 }),
    responsible: fc.array(fc.constantFrom(...AGENCY_POOL, TRIAGE), { minLength: 61, maxLength: 61 }),
  })
  .map(({ conditions, territoryStatus, responsible }) => ({
    name: 'випадковий набір правил',
    territoryStatus,
    rules: conditions.map(
      (when, i): Rule => ({ id: `r${i}`, when, then: { responsible: responsible[i] as string } }),
    ),
    default: { responsible: TRIAGE },
  }));

const inputArb: fc.Arbitrary<RoutingInput> = fc.record({
  topicCode: fc.constantFrom(...TOPIC_POOL),
  territoryCode: fc.option(fc.constantFrom(...CODE_POOL), { nil: null, freq: 6 }),
  kind: fc.constantFrom(...APPEAL_KINDS),
  source: fc.constantFrom(...SOURCE_LINES),
  authorCategories: fc.subarray(CATEGORY_POOL),
  collective: fc.boolean(),
  summary: fc
    .tuple(fc.subarray(TEXT_POOL, { maxLength: 2 }), fc.option(fc.constantFrom(...KEYWORD_POOL)))
    .chain(([texts, keyword]) =>
      fc
        .constantFrom<(s: string) => string>(
          (s) => s,
          (s) => s.toUpperCase(),
          (s) => s.replace(/['’ʼ]/g, '’'),
          (s) => s.replace(/['’ʼ]/g, 'ʼ').toUpperCase(),
        )
        .map((spell) => [...texts, keyword === null ? '' : `про ${spell(keyword)}!`].join(' ')),
    ),
  complaintAbout: fc.option(fc.constantFrom(...AGENCY_POOL), { nil: null }),
  receivedAt: dateNear,
});

describe('compileRuleSet agrees with the first-match scan', () => {
  it('the code pool holds valid codes at every level, and no invalid one', () => {
    expect(CODE_POOL.length).toBeGreaterThan(30);
    expect(CODE_POOL.every(isValidKatottg)).toBe(true);
    expect(new Set(PREFIX_POOL.map((p) => p.length))).toEqual(new Set([4, 6, 9, 12, 14]));
    expect(TOPIC_POOL.every(isKnownTopicPrefix)).toBe(true);
  });

  it('on random rulesets, status tables and appeals', () => {
    fc.assert(
      fc.property(docArb, fc.array(inputArb, { minLength: 1, maxLength: 60 }), (doc, inputs) => {
        const compiled = compileRuleSet(doc);
        const naive = naiveEvaluator(doc);
        // Twice over, so that the second pass reads the cached candidate lists.
        for (const input of [...inputs, ...inputs]) {
          expect(compiled.evaluate(input)).toEqual(naive(input));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('the shortcuts of the compiled ruleset', () => {
  it('folds text exactly as lower-casing, one apostrophe and every white-space run as one space would', () => {
    const reference = (text: string) =>
      text
        .toLowerCase()
        .replace(/[’ʼ`´‘]/g, "'")
        .replace(/\s+/g, ' ');
    const piece = fc.constantFrom(
      ' ',
      '  ',
      '\t',
      '\n',
      ' \t ',
      '\u00a0',
      '\u2009 ',
      'М’ЯСО',
      "під'їзд",
      'ʼ',
      'а',
      'Б',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        expect(foldForKeywords(parts.join(''))).toBe(reference(parts.join('')));
      }),
      { numRuns: 500 },
    );
  });

  it('finds plain stems in the lower-cased text exactly where they are in the folded one', () => {
    const fold = (text: string) =>
      text
        .toLowerCase()
        .replace(/[’ʼ`´‘]/g, "'")
        .replace(/\s+/g, ' ');
    const stem = fc.constantFrom(
      'мʼяс',
      'ЯСО',
      'субсиді',
      'гаряча  вода',
      'ча во',
      ' пенсі ',
      "під'їзд",
      'ІД',
    );
    const piece = fc.constantFrom(
      'М’ЯСО',
      'мясо',
      'Субсидію',
      'гаряча\tвода',
      'ГАРЯЧА ВОДА',
      'під`їзд',
      ' ',
      'пенсія',
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(stem, { minLength: 1, maxLength: 3 }),
        fc.array(piece),
        (keywords, parts) => {
          const summary = parts.join('');
          const facts = new AppealFacts({ ...appeal(), summary }, () => 'none');
          const expected = keywords.some((k) => fold(summary).includes(fold(k.trim())));
          expect(conditionsHold(normaliseConditions({ keywords }), facts)).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads the territory status right at every instant around midnights and clock changes in Kyiv', () => {
    const doc: RuleSetDocument = {
      name: 'переходи часу',
      territoryStatus: [
        { territory: 'UA2306', status: 'occupied', from: '2024-03-31', to: '2024-10-26' },
        { territory: 'UA2306007', status: 'hostilities', from: '2024-10-27', to: null },
      ],
      rules: [
        { id: 'occupied', when: { territoryStatus: ['occupied'] }, then: { responsible: OVA } },
        { id: 'hostilities', when: { territoryStatus: ['hostilities'] }, then: { responsible: SOCIAL } },
      ],
      default: { responsible: TRIAGE },
    };
    const compiled = compileRuleSet(doc);
    const naive = naiveEvaluator(doc);
    const seen = new Set<string>();
    // One compiled ruleset for every instant, so that its memory of days is what gets tested.
    for (const start of ['2024-03-30T00:00:00Z', '2024-10-26T00:00:00Z']) {
      for (let minutes = 0; minutes < 72 * 60; minutes += 7) {
        const input: RoutingInput = {
          topicCode: '006.01',
          territoryCode: ZAPORIZHZHIA,
          kind: 'application',
          source: 'gov_hotline_1545',
          authorCategories: [],
          collective: false,
          summary: '',
          complaintAbout: null,
          receivedAt: new Date(Date.parse(start) + minutes * 60_000),
        };
        const decision = compiled.evaluate(input);
        expect(decision, input.receivedAt.toISOString()).toEqual(naive(input));
        seen.add(decision.ruleId);
      }
    }
    expect(seen).toEqual(new Set(['default', 'occupied', 'hostilities']));
  });
});

const appeal = (over: Partial<RoutingInput> = {}): RoutingInput => ({
  topicCode: '006.01',
  territoryCode: ZAPORIZHZHIA,
  kind: 'application',
  source: 'gov_hotline_1545',
  authorCategories: [],
  collective: false,
  summary: 'Прошу допомогти',
  complaintAbout: null,
  receivedAt: new Date('2024-05-10T09:00:00Z'),
  ...over,
});

const ruleset = (whens: RuleConditions[], territoryStatus: TerritoryStatusEntry[] = []): RuleSetDocument => ({
  name: 'тестовий набір',
  territoryStatus,
  rules: whens.map((when, i) => ({ id: `rule-${i}`, when, then: { responsible: SOCIAL } })),
  default: { responsible: TRIAGE },
});

/** The id of the rule that routes the appeal, through the compiled evaluator, checked against the scan. */
const routed = (doc: RuleSetDocument, input: RoutingInput): string => {
  const decision = compileRuleSet(doc).evaluate(input);
  expect(decision).toEqual(naiveEvaluator(doc)(input));
  return decision.ruleId;
};

describe('routing rules as a user sees them', () => {
  it('the first rule that matches wins, whatever comes after', () => {
    const doc = ruleset([{ topics: ['009'] }, { topics: ['006.01'] }, { topics: ['006'] }, {}]);
    expect(routed(doc, appeal({ topicCode: '006.01' }))).toBe('rule-1');
    expect(routed(doc, appeal({ topicCode: '006.02' }))).toBe('rule-2');
    expect(routed(doc, appeal({ topicCode: '024' }))).toBe('rule-3');
    const decision = compileRuleSet(doc).evaluate(appeal({ topicCode: '006.01' }));
    expect(decision).toEqual({
      ruleId: 'rule-1',
      ruleIndex: 1,
      targets: [{ agencyCode: SOCIAL, role: 'responsible' }],
    });
  });

  it('a section covers its topics; a topic covers neither its section nor its siblings', () => {
    const section = ruleset([{ topics: ['006'] }]);
    expect(routed(section, appeal({ topicCode: '006' }))).toBe('rule-0');
    expect(routed(section, appeal({ topicCode: '006.01' }))).toBe('rule-0');
    expect(routed(section, appeal({ topicCode: '009.01' }))).toBe('default');
    const topic = ruleset([{ topics: ['006.01'] }]);
    expect(routed(topic, appeal({ topicCode: '006.01' }))).toBe('rule-0');
    expect(routed(topic, appeal({ topicCode: '006' }))).toBe('default');
    expect(routed(topic, appeal({ topicCode: '006.02' }))).toBe('default');
  });

  it('a territory prefix covers the units inside it and not its neighbours', () => {
    const doc = ruleset([{ territories: ['UA2306'] }, { territories: [ZAPORIZKA_HROMADA] }]);
    expect(routed(doc, appeal({ territoryCode: ZAPORIZKYI }))).toBe('rule-0');
    expect(routed(doc, appeal({ territoryCode: ZAPORIZHZHIA }))).toBe('rule-0');
    expect(routed(doc, appeal({ territoryCode: VOZNESENIVSKYI }))).toBe('rule-0');
    expect(routed(doc, appeal({ territoryCode: MELITOPOLSKYI }))).toBe('default');
    expect(routed(doc, appeal({ territoryCode: ZAPORIZKA_OBLAST }))).toBe('default');
    const hromada = ruleset([{ territories: [ZAPORIZKA_HROMADA] }]);
    expect(routed(hromada, appeal({ territoryCode: VOZNESENIVSKYI }))).toBe('rule-0');
    expect(routed(hromada, appeal({ territoryCode: 'UA23060010000010001' }))).toBe('default');
    expect(routed(hromada, appeal({ territoryCode: ZAPORIZKYI }))).toBe('default');
  });

  it('keywords match in any case, with the apostrophes folded, anywhere in the text', () => {
    const doc = ruleset([{ keywords: ["м'ясо", 'під’їзд'] }]);
    expect(routed(doc, appeal({ summary: 'Продають зіпсоване М’ЯСО на ринку' }))).toBe('rule-0');
    expect(routed(doc, appeal({ summary: 'мʼясо' }))).toBe('rule-0');
    expect(routed(doc, appeal({ summary: "темно в ПІД'ЇЗДІ" }))).toBe('rule-0');
    expect(routed(doc, appeal({ summary: 'м ясо, підїзд' }))).toBe('default');
  });

  it('an appeal without a territory never matches a territory rule', () => {
    const doc = ruleset([{ territories: ['UA23'] }, { territoryStatus: ['occupied', 'hostilities'] }, {}]);
    expect(routed(doc, appeal({ territoryCode: null }))).toBe('rule-2');
    expect(routed(doc, appeal({ territoryCode: BERDIANSKYI }))).toBe('rule-0');
  });

  it('territory status is inherited from an enclosing unit, between inclusive dates in Kyiv time', () => {
    const statuses: TerritoryStatusEntry[] = [
      { territory: 'UA23', status: 'hostilities', from: '2022-02-24', to: null },
      { territory: 'UA2308', status: 'occupied', from: '2022-03-01', to: '2022-12-31' },
    ];
    const doc = ruleset([{ territoryStatus: ['occupied'] }, { territoryStatus: ['hostilities'] }], statuses);
    const at = (iso: string, territoryCode: string | null = MELITOPOLSKYI) =>
      routed(doc, appeal({ territoryCode, receivedAt: new Date(iso) }));
    // Before the war: no status at all.
    expect(at('2022-02-23T12:00:00Z')).toBe('default');
    // 24.02 starts at 00:00 in Kyiv, 22:00 UTC the day before (UTC+2 in winter).
    expect(at('2022-02-23T21:59:00Z')).toBe('default');
    expect(at('2022-02-23T22:01:00Z')).toBe('rule-1');
    // Inside the district occupation outranks the oblast's hostilities, from 01.03 in Kyiv.
    expect(at('2022-02-28T21:59:00Z')).toBe('rule-1');
    expect(at('2022-02-28T22:30:00Z')).toBe('rule-0');
    expect(at('2022-07-01T12:00:00Z', 'UA23080010010010001')).toBe('rule-0');
    // The last day counts whole: until 23:59 in Kyiv on 31.12.
    expect(at('2022-12-31T21:59:00Z')).toBe('rule-0');
    expect(at('2022-12-31T22:00:00Z')).toBe('rule-1');
    // A neighbouring district has only the oblast's status.
    expect(at('2022-07-01T12:00:00Z', ZAPORIZHZHIA)).toBe('rule-1');
    // No territory, no status: only a rule that asks for 'none' would take it.
    expect(at('2022-07-01T12:00:00Z', null)).toBe('default');
    const none = ruleset([{ territoryStatus: ['none'] }], statuses);
    expect(routed(none, appeal({ territoryCode: null }))).toBe('rule-0');
    expect(routed(none, appeal({ territoryCode: HOLOSIIVSKYI }))).toBe('rule-0');
    expect(routed(none, appeal({ territoryCode: BERDIANSKYI }))).toBe('default');
  });

  it('the default takes what no rule matches, with its own targets', () => {
    const doc: RuleSetDocument = {
      name: 'тестовий набір',
      rules: [
        { id: 'health', when: { topics: ['008'], kinds: ['complaint'] }, then: { responsible: HEALTH } },
      ],
      default: { responsible: TRIAGE, forInformation: [OVA] },
    };
    expect(compileRuleSet(doc).evaluate(appeal({ topicCode: '008.01' }))).toEqual({
      ruleId: 'default',
      ruleIndex: -1,
      targets: [
        { agencyCode: TRIAGE, role: 'responsible' },
        { agencyCode: OVA, role: 'for_information' },
      ],
    });
    expect(routed(doc, appeal({ topicCode: '008.01', kind: 'complaint' }))).toBe('health');
    expect(routed(ruleset([]), appeal())).toBe('default');
  });
});
