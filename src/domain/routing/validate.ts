/**
 * What a ruleset must satisfy beyond its JSON Schema, each problem named by JSON pointer:
 * unique rule ids; agency codes present in the directory (and active); topic codes and sections of the
 * classifier; KATOTTG codes and level prefixes; territory-status periods that end after they start; and
 * no rule shadowed by an earlier, broader one (it could never match). The default is required by the
 * schema.
 */
import { DomainError } from '../errors.js';
import { normalizeTerritoryPrefix } from '../katottg.js';
import { isKnownTopicPrefix } from '../topics.js';
import { foldForKeywords, topicMatches } from './conditions.js';
import { type RuleConditions, type RuleSetDocument, type RuleTargets, TRIAGE } from './types.js';

export interface RuleSetProblem {
  /** JSON pointer into the document. */
  pointer: string;
  code: string;
  message: string;
}

export function checkRuleSet(doc: RuleSetDocument, agencyCodes: ReadonlySet<string>): RuleSetProblem[] {
  const problems: RuleSetProblem[] = [];
  const seen = new Map<string, number>();
  doc.rules.forEach((rule, i) => {
    const at = `/rules/${i}`;
    const first = seen.get(rule.id);
    if (first !== undefined) {
      problems.push({
        pointer: `${at}/id`,
        code: 'DUPLICATE_RULE_ID',
        message: `rule id "${rule.id}" is already used by /rules/${first}`,
      });
    } else seen.set(rule.id, i);
    checkConditions(rule.when, `${at}/when`, agencyCodes, problems);
    checkTargets(rule.then, `${at}/then`, agencyCodes, problems);
  });
  checkTargets(doc.default, '/default', agencyCodes, problems);
  (doc.territoryStatus ?? []).forEach((e, i) => {
    territoryProblem(e.territory, `/territoryStatus/${i}/territory`, problems);
    if (e.to && e.to < e.from) {
      problems.push({
        pointer: `/territoryStatus/${i}/to`,
        code: 'INVALID_PERIOD',
        message: `the period ends (${e.to}) before it starts (${e.from})`,
      });
    }
  });
  if (!problems.length) problems.push(...shadowedRules(doc));
  return problems;
}

function checkConditions(
  when: RuleConditions,
  at: string,
  agencyCodes: ReadonlySet<string>,
  problems: RuleSetProblem[],
): void {
  when.topics?.forEach((t, k) => {
    if (!isKnownTopicPrefix(t)) {
      problems.push({
        pointer: `${at}/topics/${k}`,
        code: 'UNKNOWN_TOPIC',
        message: `no topic ${t} in the classifier`,
      });
    }
  });
  when.territories?.forEach((t, k) => {
    territoryProblem(t, `${at}/territories/${k}`, problems);
  });
  when.complaintAbout?.forEach((c, k) => {
    agencyProblem(c, `${at}/complaintAbout/${k}`, agencyCodes, problems);
  });
  when.keywords?.forEach((w, k) => {
    if (foldForKeywords(w.trim()).length < 2) {
      problems.push({
        pointer: `${at}/keywords/${k}`,
        code: 'KEYWORD_TOO_SHORT',
        message: 'a keyword needs 2 letters or more',
      });
    }
  });
}

function checkTargets(
  t: RuleTargets,
  at: string,
  agencyCodes: ReadonlySet<string>,
  problems: RuleSetProblem[],
): void {
  if (t.responsible !== TRIAGE) agencyProblem(t.responsible, `${at}/responsible`, agencyCodes, problems);
  t.coExecutors?.forEach((c, k) => {
    agencyProblem(c, `${at}/coExecutors/${k}`, agencyCodes, problems);
  });
  t.forInformation?.forEach((c, k) => {
    agencyProblem(c, `${at}/forInformation/${k}`, agencyCodes, problems);
  });
}

function agencyProblem(
  code: string,
  pointer: string,
  agencyCodes: ReadonlySet<string>,
  problems: RuleSetProblem[],
) {
  if (!agencyCodes.has(code)) {
    problems.push({
      pointer,
      code: 'UNKNOWN_AGENCY',
      message: `no active body with EDRPOU code ${code} in the directory`,
    });
  }
}

function territoryProblem(t: string, pointer: string, problems: RuleSetProblem[]): void {
  try {
    normalizeTerritoryPrefix(t);
  } catch (e) {
    problems.push({
      pointer,
      code: e instanceof DomainError ? e.code : 'INVALID_TERRITORY_PREFIX',
      message: e instanceof Error ? e.message : String(e),
    });
  }
}

/**
 * A rule is unreachable when an earlier rule matches every appeal it matches: on every condition the
 * earlier rule is absent or at least as broad. (Sound, not complete: rules shadowed only by several
 * earlier rules together are not found.)
 */
export function shadowedRules(doc: RuleSetDocument): RuleSetProblem[] {
  const problems: RuleSetProblem[] = [];
  const norm = doc.rules.map((r) => ({
    ...r.when,
    territories: r.when.territories?.map(normalizeTerritoryPrefix),
    keywords: r.when.keywords?.map((k) => foldForKeywords(k.trim())),
  }));
  for (let j = 1; j < norm.length; j++) {
    for (let i = 0; i < j; i++) {
      if (covers(norm[i] as RuleConditions, norm[j] as RuleConditions)) {
        problems.push({
          pointer: `/rules/${j}`,
          code: 'UNREACHABLE_RULE',
          message: `rule "${doc.rules[j]?.id}" can never match: the earlier rule "${doc.rules[i]?.id}" (/rules/${i}) matches every appeal it would`,
        });
        break;
      }
    }
  }
  return problems;
}

const subset = <T>(narrow: readonly T[] | undefined, broad: readonly T[] | undefined) =>
  broad === undefined || (narrow?.every((x) => broad.includes(x)) ?? false);

/** Whether `a` matches at least every appeal `b` matches. */
function covers(a: RuleConditions, b: RuleConditions): boolean {
  const everyCovered = (
    narrow: string[] | undefined,
    broad: string[] | undefined,
    within: (n: string, w: string) => boolean,
  ) => broad === undefined || (narrow?.every((n) => broad.some((w) => within(n, w))) ?? false);
  return (
    everyCovered(b.topics, a.topics, (n, w) => topicMatches(w, n)) &&
    everyCovered(b.territories, a.territories, (n, w) => n.startsWith(w)) &&
    subset(b.kinds, a.kinds) &&
    subset(b.sources, a.sources) &&
    subset(b.authorCategories, a.authorCategories) &&
    subset(b.complaintAbout, a.complaintAbout) &&
    subset(b.territoryStatus, a.territoryStatus) &&
    (a.collective === undefined || a.collective === b.collective) &&
    everyCovered(b.keywords, a.keywords, (n, w) => n.includes(w))
  );
}
