/**
 * The shipped example ruleset (`schema/routing/examples/zaporizhzhia.json`) against its JSON Schema,
 * the validator and the seed directory, and a handful of realistic appeals through the router.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { createRouter } from '../src/domain/routing/router.js';
import type { DirectoryEntry, RoutingInput, RuleSetDocument } from '../src/domain/routing/types.js';
import { checkRuleSet } from '../src/domain/routing/validate.js';
import { ZAPORIZHZHIA_AGENCIES } from '../src/seed/zaporizhzhia.js';

const readJson = (path: string): unknown => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
const example = readJson('../schema/routing/examples/zaporizhzhia.json') as RuleSetDocument;
const schema = readJson('../schema/routing/ruleset.schema.json') as object;

// ajv-formats is CommonJS: under NodeNext its default import is the module object, at run time the plugin.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const directory: ReadonlyMap<string, DirectoryEntry> = new Map(
  ZAPORIZHZHIA_AGENCIES.map((a) => [
    a.code,
    { code: a.code, name: a.name, shortName: a.shortName, parentCode: a.parentCode },
  ]),
);

// Real KATOTTG codes (codifier release of 16.05.2025).
const ZAPORIZHZHIA = 'UA23060070010069526';
const DNIPROVSKYI_CITY_DISTRICT = 'UA23060070010228148';
const VILNIANSK = 'UA23060030010056906';
const MELITOPOL = 'UA23080070010092407';
const ENERHODAR = 'UA23040110010044100';
const STEPNE_HROMADA = 'UA23060270000087706';
const ORIKHIV = 'UA23100170010023304';
const PRYMORSK = 'UA23020130010076068';

const OVA = '99923000';
const SOCIAL = '99923101';
const HEALTH = '99923102';
const HOUSING = '99923104';
const TRANSPORT = '99923105';
const VASYLIVSKA_RVA = '99923202';
const ZAPORIZKA_RVA = '99923203';
const MELITOPOLSKA_RVA = '99923204';
const POLOHIVSKA_RVA = '99923205';
const CITY = '99923301';

const appeal = (over: Partial<RoutingInput>): RoutingInput => ({
  topicCode: '024',
  territoryCode: ZAPORIZHZHIA,
  kind: 'application',
  source: 'regional_hotline',
  authorCategories: [],
  collective: false,
  summary: '',
  complaintAbout: null,
  receivedAt: new Date('2025-03-10T09:00:00Z'),
  ...over,
});

describe('the example ruleset for the Zaporizhzhia oblast', () => {
  it('passes the JSON Schema', () => {
    const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
    addFormats(ajv, ['date']);
    const validate = ajv.compile(schema);
    expect(validate(example), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('has no problems against the seed directory, shadowed rules included', () => {
    expect(checkRuleSet(example, new Set(ZAPORIZHZHIA_AGENCIES.map((a) => a.code)))).toEqual([]);
    expect(example.rules.length).toBeGreaterThanOrEqual(25);
    expect(example.rules.length).toBeLessThanOrEqual(45);
    expect(example.default).toEqual({ responsible: 'triage' });
  });

  const router = createRouter(example, directory);
  const route = (over: Partial<RoutingInput>) => {
    const r = router.route(appeal(over));
    return { ruleId: r.ruleId, targets: r.targets.map((t) => `${t.role}:${t.agencyCode}`) };
  };

  it.each([
    [
      'a housing subsidy in the city',
      { topicCode: '006.01' },
      'social-protection',
      [`responsible:${SOCIAL}`],
    ],
    [
      'heating in a city district of Zaporizhzhia',
      { topicCode: '009.01', territoryCode: DNIPROVSKYI_CITY_DISTRICT, summary: 'Немає опалення' },
      'communal-city',
      [`responsible:${CITY}`],
    ],
    [
      'heating filed under communal services but about a subsidy',
      { topicCode: '009.01', summary: 'Не нарахували СУБСИДІЮ на опалення' },
      'subsidy-keywords',
      [`responsible:${SOCIAL}`],
    ],
    [
      'water supply in Vilniansk (Zaporizkyi district outside the city)',
      { topicCode: '009.02', territoryCode: VILNIANSK },
      'communal-zaporizkyi',
      [`responsible:${ZAPORIZKA_RVA}`],
    ],
    [
      'damaged housing in a hromada with hostilities',
      { topicCode: '010.02', territoryCode: STEPNE_HROMADA },
      'damaged-housing-hostilities',
      [`responsible:${HOUSING}`, `for_information:${OVA}`],
    ],
    [
      'a pension in occupied Melitopol',
      { topicCode: '006.02', territoryCode: MELITOPOL },
      'occupied-melitopolskyi',
      [`responsible:${MELITOPOLSKA_RVA}`, `for_information:${OVA}`],
    ],
    [
      'housing in occupied Enerhodar',
      { topicCode: '010.01', territoryCode: ENERHODAR },
      'occupied-vasylivskyi',
      [`responsible:${VASYLIVSKA_RVA}`, `for_information:${OVA}`],
    ],
    [
      'water in Orikhiv (hostilities, not occupied)',
      { topicCode: '009.02', territoryCode: ORIKHIV },
      'communal-polohivskyi',
      [`responsible:${POLOHIVSKA_RVA}`],
    ],
    [
      'a city street in Zaporizhzhia',
      { topicCode: '003.02', summary: 'Ямковий ремонт на вулиці' },
      'city-transport-and-roads',
      [`responsible:${CITY}`],
    ],
    [
      'a road outside the city',
      { topicCode: '003.02', territoryCode: VILNIANSK },
      'transport-and-roads',
      [`responsible:${TRANSPORT}`],
    ],
    [
      'potholes filed as "other"',
      { topicCode: '024', territoryCode: null, summary: 'Глибокі вибоїни на трасі Н-08' },
      'road-keywords',
      [`responsible:${TRANSPORT}`],
    ],
    [
      'a combat veteran about social protection',
      { topicCode: '006.05', authorCategories: ['7.5'] },
      'veterans-social-protection',
      [`responsible:${SOCIAL}`, `for_information:${OVA}`],
    ],
    [
      'a person with a group II disability about medicines',
      { topicCode: '008.02', authorCategories: ['7.8'] },
      'disability-health',
      [`responsible:${HEALTH}`, `co_executor:${SOCIAL}`],
    ],
    [
      'a complaint about the Melitopol district administration',
      { topicCode: '006.04', territoryCode: MELITOPOL, kind: 'complaint', complaintAbout: MELITOPOLSKA_RVA },
      'complaint-about-district-administration',
      [`responsible:${OVA}`],
    ],
    [
      'a complaint about the health department',
      { topicCode: '008.01', kind: 'complaint', complaintAbout: HEALTH },
      'complaint-about-oblast-department',
      [`responsible:${OVA}`],
    ],
    [
      'a question for the city council as a local self-government body',
      { topicCode: '021' },
      'default',
      ['responsible:triage'],
    ],
  ] as const)('routes %s', (_what, over, ruleId, targets) => {
    expect(route(over)).toEqual({ ruleId, targets });
  });

  it('sees Melitopol as occupied from 00:00 on 24 February 2022 in Kyiv', () => {
    const pension = { topicCode: '006.02', territoryCode: MELITOPOL };
    expect(route({ ...pension, receivedAt: new Date('2022-02-23T21:59:00Z') }).ruleId).toBe(
      'social-protection',
    );
    expect(route({ ...pension, receivedAt: new Date('2022-02-23T22:30:00Z') }).ruleId).toBe(
      'occupied-melitopolskyi',
    );
  });

  it('sends Prymorsk (occupied with its district) to the Berdianskyi district administration', () => {
    expect(route({ topicCode: '015.02', territoryCode: PRYMORSK }).ruleId).toBe('occupied-berdianskyi');
  });

  it('explains a plain match and an Art. 7 correction in Ukrainian', () => {
    expect(router.route(appeal({ topicCode: '009.02', territoryCode: VILNIANSK })).reason).toBe(
      'правило communal-zaporizkyi: тема 009.*, 010.*, територія UA2306… → Запорізька РВА',
    );
    const complaint = router.route(
      appeal({ topicCode: '009.05', kind: 'complaint', complaintAbout: CITY, summary: 'Не прибирають двір' }),
    );
    expect(complaint.targets).toEqual([{ agencyCode: 'triage', role: 'responsible' }]);
    expect(complaint.reason).toBe(
      'правило communal-city: тема 009.*, 010.*, територія UA2306007… → черга сортування контакт-центру; ' +
        'ст. 7: скаргу не надсилають органу, дії якого оскаржуються (Запорізька міська рада) — передано до черги сортування',
    );
  });
});
