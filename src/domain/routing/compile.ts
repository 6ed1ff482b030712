/**
 * A ruleset compiled for evaluation: first match in rule order, without scanning every rule.
 *
 * Rules are indexed by topic key (a code, a section, or '*' for rules without a topic condition) and
 * territory key (a level prefix, or '*'). An appeal looks up at most 3 topic keys × 6 territory keys;
 * the rules of those buckets, merged in rule order without repeats, are the only candidates: the first
 * whose remaining conditions hold decides, and no rule after it is looked at. The candidates of a
 * (territory, topic) pair are cached, since appeals repeat pairs far more often than not.
 * Agreement with a plain first-match scan (`naiveEvaluator`) is property-tested.
 */
import { hierarchyPrefix } from '../katottg.js';
import { AppealFacts, conditionsHold, type NormalConditions, normaliseConditions } from './conditions.js';
import {
  kyivDay,
  levelPrefixes,
  type TerritoryStatusLookup,
  territoryStatusLookup,
} from './territory-status.js';
import {
  DEFAULT_RULE_ID,
  type RoutedTarget,
  type RoutingDecision,
  type RoutingInput,
  type RuleSetDocument,
  type RuleTargets,
  type TerritoryStatus,
} from './types.js';

export interface CompiledRule {
  index: number;
  id: string;
  conditions: NormalConditions;
  decision: RoutingDecision;
}

export interface CompiledRuleSet {
  readonly rules: readonly CompiledRule[];
  readonly defaultDecision: RoutingDecision;
  readonly territoryStatus: TerritoryStatusLookup;
  evaluate(input: RoutingInput): RoutingDecision;
}

const ANY = '*';
const PAIR_CACHE_LIMIT = 100_000;

export function targetsOf(t: RuleTargets): RoutedTarget[] {
  return [
    { agencyCode: t.responsible, role: 'responsible' as const },
    ...(t.coExecutors ?? []).map((agencyCode) => ({ agencyCode, role: 'co_executor' as const })),
    ...(t.forInformation ?? []).map((agencyCode) => ({ agencyCode, role: 'for_information' as const })),
  ];
}

export function compileRules(doc: RuleSetDocument): {
  rules: CompiledRule[];
  defaultDecision: RoutingDecision;
  territoryStatus: TerritoryStatusLookup;
} {
  const rules = doc.rules.map((r, index) => ({
    index,
    id: r.id,
    conditions: normaliseConditions(r.when),
    decision: Object.freeze({ ruleId: r.id, ruleIndex: index, targets: Object.freeze(targetsOf(r.then)) }),
  })) as CompiledRule[];
  const defaultDecision = Object.freeze({
    ruleId: DEFAULT_RULE_ID,
    ruleIndex: -1,
    targets: Object.freeze(targetsOf(doc.default)),
  }) as RoutingDecision;
  return { rules, defaultDecision, territoryStatus: territoryStatusLookup(doc.territoryStatus ?? []) };
}

export function compileRuleSet(doc: RuleSetDocument): CompiledRuleSet {
  const { rules, defaultDecision, territoryStatus } = compileRules(doc);
  const index = new Map<string, Map<string, number[]>>();
  for (const r of rules) {
    for (const topic of r.conditions.topics ?? [ANY]) {
      let byTerritory = index.get(topic);
      if (!byTerritory) {
        byTerritory = new Map();
        index.set(topic, byTerritory);
      }
      for (const territory of r.conditions.territories ?? [ANY]) {
        const bucket = byTerritory.get(territory);
        if (bucket) {
          if (bucket[bucket.length - 1] !== r.index) bucket.push(r.index);
        } else byTerritory.set(territory, [r.index]);
      }
    }
  }

  // Per territory code: its hierarchy prefix (parsed once, also handed to the facts) and the candidate
  // rules per topic code. Two plain lookups by the input's own strings, no key built per appeal.
  let territories = new Map<string | null, TerritoryCache>();
  let cachedPairs = 0;
  const candidatesFor = (t: TerritoryCache, topicCode: string): CompiledRule[] => {
    const topics = [topicCode, ANY];
    const dot = topicCode.indexOf('.');
    if (dot > 0) topics.push(topicCode.slice(0, dot));
    const found = new Set<number>();
    for (const topic of topics) {
      const byTerritory = index.get(topic);
      if (!byTerritory) continue;
      for (const p of t.keys) {
        for (const i of byTerritory.get(p) ?? []) found.add(i);
      }
    }
    const candidates = [...found].sort((x, y) => x - y).map((i) => rules[i] as CompiledRule);
    if (++cachedPairs > PAIR_CACHE_LIMIT) {
      territories = new Map([[t.code, t]]);
      t.byTopic.clear();
      cachedPairs = 1;
    }
    t.byTopic.set(topicCode, candidates);
    return candidates;
  };
  const territoryFor = (code: string | null): TerritoryCache => {
    let t = territories.get(code);
    if (!t) {
      const prefix = code === null ? null : hierarchyPrefix(code);
      const keys = prefix === null ? [ANY] : [...levelPrefixes(prefix), ANY];
      t = { code, prefix, keys, byTopic: new Map() };
      territories.set(code, t);
    }
    return t;
  };
  const statusOf = memoisedByKyivDay(territoryStatus, (doc.territoryStatus ?? []).length > 0);

  return {
    rules,
    defaultDecision,
    territoryStatus,
    evaluate(input) {
      const t = territoryFor(input.territoryCode);
      const candidates = t.byTopic.get(input.topicCode) ?? candidatesFor(t, input.topicCode);
      if (candidates.length) {
        const facts = new AppealFacts(input, statusOf, t.prefix);
        for (const rule of candidates) {
          if (conditionsHold(rule.conditions, facts, true)) return rule.decision;
        }
      }
      return defaultDecision;
    },
  };
}

interface TerritoryCache {
  code: string | null;
  prefix: string | null;
  /** Index keys to look up: every level prefix, then ANY. */
  keys: string[];
  /** Candidate rules per topic code, in rule order. */
  byTopic: Map<string, CompiledRule[]>;
}

const HOUR = 3_600_000;
const STATUS_CACHE_LIMIT = 200_000;

/**
 * The territory-status lookup, memoised per (Kyiv day, territory prefix). Formatting a date in the
 * Kyiv zone (Intl) costs more than the rest of a decision, so the day of an instant is memoised per UTC
 * hour: Kyiv's offsets are whole hours, so its days start on the hour. An hour whose first and last
 * millisecond fall on different Kyiv days (which no offset in use allows) is not memoised.
 */
function memoisedByKyivDay(lookup: TerritoryStatusLookup, hasEntries: boolean): TerritoryStatusLookup {
  if (!hasEntries) return lookup;
  const days = new Map<number, string | null>();
  const byDay = new Map<string, Map<string, TerritoryStatus>>();
  let size = 0;
  /** Whether one more entry fits; when none does, everything is forgotten and recomputed on demand. */
  const room = () => {
    if (++size <= STATUS_CACHE_LIMIT) return true;
    days.clear();
    byDay.clear();
    size = 0;
    return false;
  };
  return (territoryPrefix, at) => {
    const hour = Math.floor(at.getTime() / HOUR);
    let day = days.get(hour);
    if (day === undefined) {
      const first = kyivDay(new Date(hour * HOUR));
      day = first === kyivDay(new Date(hour * HOUR + HOUR - 1)) ? first : null;
      if (room()) days.set(hour, day);
    }
    if (day === null) return lookup(territoryPrefix, at);
    let statuses = byDay.get(day);
    let status = statuses?.get(territoryPrefix);
    if (status === undefined) {
      status = lookup(territoryPrefix, at);
      if (room()) {
        if (!statuses) {
          statuses = new Map();
          byDay.set(day, statuses);
        }
        statuses.set(territoryPrefix, status);
      }
    }
    return status;
  };
}

/** The reference: every rule in order, every condition checked. */
export function naiveEvaluator(doc: RuleSetDocument): (input: RoutingInput) => RoutingDecision {
  const { rules, defaultDecision, territoryStatus } = compileRules(doc);
  return (input) => {
    const facts = new AppealFacts(input, territoryStatus);
    return rules.find((r) => conditionsHold(r.conditions, facts))?.decision ?? defaultDecision;
  };
}
