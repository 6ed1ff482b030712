import { describe, expect, it } from 'vitest';
import type { Rule, RuleConditions, RuleSetDocument, RuleTargets, TerritoryStatusEntry } from './types.js';
import { checkRuleSet, shadowedRules } from './validate.js';

const OVA = '99923000';
const SOCIAL = '99923101';
const HEALTH = '99923102';
const CITY = '99923301';
const CODES = new Set([OVA, SOCIAL, HEALTH, CITY]);

const ruleTo = (id: string, when: RuleConditions, then: RuleTargets): Rule => ({
  id,
  when,
  then,
});

const rule = (id: string, when: RuleConditions, responsible = SOCIAL): Rule =>
  ruleTo(id, when, { responsible });

const docOf = (rules: Rule[], territoryStatus?: TerritoryStatusEntry[]): RuleSetDocument => ({
  name: 'тест',
  rules,
  default: { responsible: 'triage' },
  ...(territoryStatus ? { territoryStatus } : {}),
});

const codesOf = (doc: RuleSetDocument) => checkRuleSet(doc, CODES).map((p) => `${p.code} ${p.pointer}`);

describe('checkRuleSet: each problem by JSON pointer', () => {
  it('accepts a clean ruleset', () => {
    const doc = docOf([rule('social', { topics: ['006'] }), rule('health', { topics: ['008'] }, HEALTH)]);
    expect(checkRuleSet(doc, CODES)).toEqual([]);
  });

  it('reports a duplicate rule id at the later rule, naming the first', () => {
    const problems = checkRuleSet(
      docOf([rule('social', { topics: ['006'] }), rule('social', { topics: ['008'] }, HEALTH)]),
      CODES,
    );
    expect(problems).toEqual([
      {
        pointer: '/rules/1/id',
        code: 'DUPLICATE_RULE_ID',
        message: 'rule id "social" is already used by /rules/0',
      },
    ]);
  });

  it('reports unknown agencies wherever a code appears', () => {
    const doc: RuleSetDocument = {
      name: 'тест',
      rules: [
        ruleTo(
          'a',
          { kinds: ['complaint'], complaintAbout: [SOCIAL, '12345678'] },
          { responsible: '00000001', coExecutors: ['00000002'], forInformation: [OVA, '00000003'] },
        ),
      ],
      default: { responsible: '00000004' },
    };
    expect(codesOf(doc)).toEqual([
      'UNKNOWN_AGENCY /rules/0/when/complaintAbout/1',
      'UNKNOWN_AGENCY /rules/0/then/responsible',
      'UNKNOWN_AGENCY /rules/0/then/coExecutors/0',
      'UNKNOWN_AGENCY /rules/0/then/forInformation/1',
      'UNKNOWN_AGENCY /default/responsible',
    ]);
    expect(checkRuleSet(doc, CODES)[1]?.message).toBe(
      'no active body with EDRPOU code 00000001 in the directory',
    );
  });

  it('takes triage as a responsible body without a directory entry', () => {
    expect(checkRuleSet(docOf([rule('any', { topics: ['024'] }, 'triage')]), CODES)).toEqual([]);
  });

  it('reports topics and sections that the classifier lacks', () => {
    const doc = docOf([rule('a', { topics: ['006', '006.99', '099', '006.01'] })]);
    expect(checkRuleSet(doc, CODES)).toEqual([
      {
        pointer: '/rules/0/when/topics/1',
        code: 'UNKNOWN_TOPIC',
        message: 'no topic 006.99 in the classifier',
      },
      { pointer: '/rules/0/when/topics/2', code: 'UNKNOWN_TOPIC', message: 'no topic 099 in the classifier' },
    ]);
  });

  it('reports territory prefixes that are not a KATOTTG level, in rules and in the status table', () => {
    const doc = docOf(
      [rule('a', { territories: ['UA2306', 'UA230', 'UA2300', 'UA23000000010000000'] })],
      [{ territory: 'UA23080', status: 'occupied', from: '2022-02-24' }],
    );
    const problems = checkRuleSet(doc, CODES);
    expect(problems.map((p) => `${p.code} ${p.pointer}`)).toEqual([
      'INVALID_TERRITORY_PREFIX /rules/0/when/territories/1',
      'INVALID_TERRITORY_PREFIX /rules/0/when/territories/2',
      'INVALID_TERRITORY_PREFIX /rules/0/when/territories/3',
      'INVALID_TERRITORY_PREFIX /territoryStatus/0/territory',
    ]);
    expect(problems[1]?.message).toContain('use UA23');
    // A full code with a gap between levels: the codifier's reason is kept in the message.
    expect(problems[2]?.message).toContain('Invalid KATOTTG code');
  });

  it('accepts full codes and a Cyrillic А typed for the Latin A', () => {
    const doc = docOf(
      [rule('a', { territories: ['UA23060070010069526', 'U\u04102308'] })],
      [{ territory: 'UA23080000000090746', status: 'occupied', from: '2022-02-24', to: null }],
    );
    expect(checkRuleSet(doc, CODES)).toEqual([]);
  });

  it('reports a period that ends before it starts, at its `to`', () => {
    const doc = docOf(
      [rule('a', { topics: ['006'] })],
      [
        { territory: 'UA2308', status: 'occupied', from: '2022-02-24', to: '2022-02-24' },
        { territory: 'UA2310', status: 'hostilities', from: '2022-03-01', to: '2022-02-28' },
      ],
    );
    expect(checkRuleSet(doc, CODES)).toEqual([
      {
        pointer: '/territoryStatus/1/to',
        code: 'INVALID_PERIOD',
        message: 'the period ends (2022-02-28) before it starts (2022-03-01)',
      },
    ]);
  });

  it('reports keywords shorter than 2 letters after trimming', () => {
    const doc = docOf([rule('a', { keywords: ['субсид', 'я ', '  '] })]);
    expect(codesOf(doc)).toEqual([
      'KEYWORD_TOO_SHORT /rules/0/when/keywords/1',
      'KEYWORD_TOO_SHORT /rules/0/when/keywords/2',
    ]);
  });

  it('lists several problems at once, in document order', () => {
    const doc: RuleSetDocument = {
      name: 'тест',
      territoryStatus: [{ territory: 'UA2308', status: 'occupied', from: '2023-01-01', to: '2022-01-01' }],
      rules: [
        rule('a', { topics: ['099'], keywords: ['x'] }, '11111111'),
        rule('a', { territories: ['UA23000'] }),
        rule('b', {}),
      ],
      default: { responsible: 'triage', forInformation: ['22222222'] },
    };
    expect(codesOf(doc)).toEqual([
      'UNKNOWN_TOPIC /rules/0/when/topics/0',
      'KEYWORD_TOO_SHORT /rules/0/when/keywords/0',
      'UNKNOWN_AGENCY /rules/0/then/responsible',
      'DUPLICATE_RULE_ID /rules/1/id',
      'INVALID_TERRITORY_PREFIX /rules/1/when/territories/0',
      'UNKNOWN_AGENCY /default/forInformation/0',
      'INVALID_PERIOD /territoryStatus/0/to',
    ]);
  });

  it('looks for unreachable rules only once the other problems are fixed', () => {
    const broken = docOf([rule('all', {}), rule('later', { topics: ['006'] }, '11111111')]);
    expect(codesOf(broken)).toEqual(['UNKNOWN_AGENCY /rules/1/then/responsible']);
    const fixed = docOf([rule('all', {}), rule('later', { topics: ['006'] })]);
    expect(checkRuleSet(fixed, CODES)).toEqual([
      {
        pointer: '/rules/1',
        code: 'UNREACHABLE_RULE',
        message:
          'rule "later" can never match: the earlier rule "all" (/rules/0) matches every appeal it would',
      },
    ]);
  });
});

describe('shadowedRules', () => {
  const unreachable = (...rules: Rule[]) => shadowedRules(docOf(rules)).map((p) => p.pointer);

  it('an earlier rule without conditions shadows every later rule', () => {
    expect(
      unreachable(
        rule('x', { topics: ['008'] }),
        rule('all', {}),
        rule('a', { topics: ['006'] }),
        rule('b', { kinds: ['complaint'], keywords: ['субсид'] }),
      ),
    ).toEqual(['/rules/2', '/rules/3']);
  });

  it("a section '006' shadows a later '006.01' with the same other conditions", () => {
    const problems = shadowedRules(
      docOf([
        rule('section', { topics: ['006'], kinds: ['application'] }),
        rule('sub', { topics: ['006.01'], kinds: ['application'] }),
      ]),
    );
    expect(problems.map((p) => p.pointer)).toEqual(['/rules/1']);
    expect(problems[0]?.message).toContain('"section" (/rules/0)');
  });

  it('a territory prefix UA2306 shadows a UA2306007 rule, whatever spelling the later one uses', () => {
    expect(
      unreachable(
        rule('district', { topics: ['009'], territories: ['UA2306'] }),
        rule('hromada', { topics: ['009'], territories: ['UA2306007'] }),
        rule('city', { topics: ['009.01'], territories: ['UA23060070010069526'] }),
      ),
    ).toEqual(['/rules/1', '/rules/2']);
  });

  it('a narrower earlier rule does not shadow a broader later one', () => {
    expect(
      unreachable(
        rule('sub', { topics: ['006.01'] }),
        rule('section', { topics: ['006'] }),
        rule('city', { topics: ['009'], territories: ['UA2306007'] }),
        rule('district', { topics: ['009'], territories: ['UA2306'] }),
        rule('veterans', { topics: ['010'], authorCategories: ['7.5'] }),
        rule('housing', { topics: ['010'] }),
        rule('all', {}),
      ),
    ).toEqual([]);
  });

  it('a rule is shadowed only when every one of its list items is covered', () => {
    expect(
      unreachable(
        rule('social', { topics: ['006'] }),
        rule('social-or-health', { topics: ['006.01', '008'] }),
        rule('two-districts', { territories: ['UA2302', 'UA2308'] }),
        rule('one-district', { territories: ['UA2308'] }),
      ),
    ).toEqual(['/rules/3']);
  });

  it("an earlier 'субсид' shadows a later 'субсидія' with the same other conditions, not the other way", () => {
    expect(
      unreachable(
        rule('stem', { topics: ['009'], keywords: ['субсид'] }),
        rule('word', { topics: ['009'], keywords: ['СУБСИДІЯ'] }),
      ),
    ).toEqual(['/rules/1']);
    expect(
      unreachable(
        rule('word', { topics: ['009'], keywords: ['субсидія'] }),
        rule('stem', { topics: ['009'], keywords: ['субсид'] }),
      ),
    ).toEqual([]);
  });

  it('a later rule with keywords is shadowed by an earlier one without, but not vice versa', () => {
    expect(
      unreachable(rule('topic', { topics: ['009'] }), rule('kw', { topics: ['009'], keywords: ['субсид'] })),
    ).toEqual(['/rules/1']);
    expect(
      unreachable(rule('kw', { topics: ['009'], keywords: ['субсид'] }), rule('topic', { topics: ['009'] })),
    ).toEqual([]);
  });

  it('rules for different kinds do not shadow each other; a wider list of kinds does', () => {
    expect(
      unreachable(
        rule('complaints', { topics: ['006'], kinds: ['complaint'] }),
        rule('applications', { topics: ['006'], kinds: ['application'] }),
      ),
    ).toEqual([]);
    expect(
      unreachable(
        rule('both', { topics: ['006'], kinds: ['complaint', 'application'] }),
        rule('applications', { topics: ['006'], kinds: ['application'] }),
      ),
    ).toEqual(['/rules/1']);
  });

  it('collective, sources, author categories and territory status compare the same way', () => {
    expect(
      unreachable(
        rule('collective', { topics: ['009'], collective: true }),
        rule('individual', { topics: ['009'], collective: false }),
        rule('occupied', { territoryStatus: ['occupied'] }),
        rule('occupied-or-hostilities', { territoryStatus: ['occupied', 'hostilities'] }),
        rule('hostilities', { territoryStatus: ['hostilities'], sources: ['gov_hotline_1545'] }),
      ),
    ).toEqual(['/rules/4']);
  });
});
