/**
 * A ruleset compiled for evaluation: first match in rule order, without scanning every rule.
 *
 * Rules are indexed by topic key (a code, a section, or '*' for rules without a topic condition) and
 * territory key (a level prefix, or '*'). An appeal looks up at most 3 topic keys × 6 territory keys;
 * the rules of those buckets, merged in rule order without repeats, are the only candidates: the first
 * whose remaining conditions hold decides, and no rule after it is looked at. The candidates of a
 * (territory, topic) pair are cached, since appeals repeat pairs far more often than not.
 * The territory status of a unit is read from the table's lookup only on the days it can change, so an
 * appeal needs just its Kyiv day, memoised per UTC hour: formatting a date in a time zone would cost more
 * than the rest of the decision.
 * Agreement with a plain first-match scan (`naiveEvaluator`) is property-tested.
 */
import { hierarchyPrefix, normalizeTerritoryPrefix } from '../katottg.js';
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
  type TerritoryStatusEntry,
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
  const statusFor = territoryStatusByDay(doc.territoryStatus ?? [], territoryStatus);
  const territoryFor = (code: string | null): TerritoryCache => {
    let t = territories.get(code);
    if (!t) {
      const prefix = code === null ? null : hierarchyPrefix(code);
      const keys = prefix === null ? [ANY] : [...levelPrefixes(prefix), ANY];
      t = { code, prefix, keys, byTopic: new Map(), statusOf: statusFor(prefix) };
      territories.set(code, t);
    }
    return t;
  };

  return {
    rules,
    defaultDecision,
    territoryStatus,
    evaluate(input) {
      const t = territoryFor(input.territoryCode);
      const candidates = t.byTopic.get(input.topicCode) ?? candidatesFor(t, input.topicCode);
      if (candidates.length) {
        const facts = new AppealFacts(input, t.statusOf, t.prefix);
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
  statusOf: TerritoryStatusLookup;
}

const HOUR = 3_600_000;
const DAY_CACHE_LIMIT = 200_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The Kyiv day of an instant, memoised per UTC hour (formatting a date in a zone costs microseconds). */
function kyivDayMemo(): (at: Date) => string {
  const days = new Map<number, string | null>();
  return (at) => {
    const hour = Math.floor(at.getTime() / HOUR);
    let day = days.get(hour);
    if (day === undefined) {
      // Kyiv's offsets are whole hours, so its days start on the hour; should an hour ever hold two
      // days, it is not memoised.
      const first = kyivDay(new Date(hour * HOUR));
      day = first === kyivDay(new Date(hour * HOUR + HOUR - 1)) ? first : null;
      if (days.size >= DAY_CACHE_LIMIT) days.clear();
      days.set(hour, day);
    }
    return day ?? kyivDay(at);
  };
}

/** A calendar date that round-trips, and the one after it; null for anything else. */
function dayAndNext(day: string): [string, string] | null {
  if (!ISO_DAY.test(day)) return null;
  const t = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== day) return null;
  return [day, new Date(t + 86_400_000).toISOString().slice(0, 10)];
}

/**
 * The status lookup for one territory, from the table's lookup (the one source of its rules). The
 * status of a unit can change only on the first day of a period of the unit or of a unit enclosing it,
 * or on the day after such a period ends; it is read once at each of those days, and an appeal then
 * needs only its Kyiv day. A unit that no entry encloses is 'none' without reading the date at all.
 * Should a date of the table not be a calendar date, the lookup is asked for every appeal.
 */
function territoryStatusByDay(
  entries: readonly TerritoryStatusEntry[],
  lookup: TerritoryStatusLookup,
): (territoryPrefix: string | null) => TerritoryStatusLookup {
  const none: TerritoryStatusLookup = () => 'none';
  if (!entries.length) return () => none;
  const byPrefix = new Map<string, TerritoryStatusEntry[]>();
  for (const e of entries) {
    const prefix = normalizeTerritoryPrefix(e.territory);
    const list = byPrefix.get(prefix);
    if (list) list.push(e);
    else byPrefix.set(prefix, [e]);
  }
  const dayOf = kyivDayMemo();
  return (territoryPrefix) => {
    if (territoryPrefix === null) return none;
    const relevant = levelPrefixes(territoryPrefix).flatMap((p) => byPrefix.get(p) ?? []);
    if (!relevant.length) return none;
    const turns = new Set<string>();
    for (const e of relevant) {
      const from = dayAndNext(e.from);
      const to = e.to == null ? null : dayAndNext(e.to);
      if (!from || (e.to != null && !to)) return lookup;
      turns.add(from[0]);
      if (to) turns.add(to[1]);
    }
    const starts = [...turns].sort();
    // Noon at UTC+2 is within the same calendar day in Kyiv whatever its offset of the season.
    const statuses = starts.map((d) => lookup(territoryPrefix, new Date(`${d}T12:00:00+02:00`)));
    return (_prefix, at) => {
      const day = dayOf(at);
      for (let i = starts.length - 1; i >= 0; i--) {
        if ((starts[i] as string) <= day) return statuses[i] as TerritoryStatus;
      }
      return 'none';
    };
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
