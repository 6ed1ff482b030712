/**
 * Conditions in the form evaluation uses, and the one predicate that decides whether a rule's
 * conditions hold for an appeal. The compiled evaluator and the reference scan share it, so the two
 * can differ only in which rules they look at, never in what a rule means.
 */
import { hierarchyPrefix, normalizeTerritoryPrefix } from '../katottg.js';
import type { RoutingInput, RuleConditions, TerritoryStatus } from './types.js';

export interface NormalConditions {
  /** Topic codes or sections ('006', '006.01'). */
  topics: readonly string[] | null;
  /** KATOTTG level prefixes ('UA2306'). */
  territories: readonly string[] | null;
  kinds: ReadonlySet<string> | null;
  sources: ReadonlySet<string> | null;
  authorCategories: readonly string[] | null;
  collective: boolean | null;
  /** Folded stems. */
  keywords: readonly string[] | null;
  /**
   * No stem holds an apostrophe or a space. Folding changes nothing but apostrophes and white space,
   * so such stems are in the folded text exactly when they are in the lower-cased one, which is cheaper.
   */
  keywordsInLowerCase: boolean;
  complaintAbout: ReadonlySet<string> | null;
  territoryStatus: ReadonlySet<TerritoryStatus> | null;
}

const setOf = <T>(xs: readonly T[] | undefined): ReadonlySet<T> | null => (xs ? new Set(xs) : null);

/**
 * Lower case, apostrophe variants (' ’ ʼ ` ´ ‘) as one, runs of white space as one space. The space
 * pattern leaves single plain spaces alone (same result as replacing every run, without rebuilding
 * the string at every word).
 */
export function foldForKeywords(text: string): string {
  return foldLowerCase(text.toLowerCase());
}

function foldLowerCase(lower: string): string {
  return lower.replace(/[’ʼ`´‘]/g, "'").replace(/\s{2,}|[^\S ]/g, ' ');
}

export function normaliseConditions(when: RuleConditions): NormalConditions {
  const keywords = when.keywords ? when.keywords.map((k) => foldForKeywords(k.trim())) : null;
  return {
    topics: when.topics ?? null,
    territories: when.territories ? when.territories.map(normalizeTerritoryPrefix) : null,
    kinds: setOf(when.kinds),
    sources: setOf(when.sources),
    authorCategories: when.authorCategories ?? null,
    collective: when.collective ?? null,
    keywords,
    keywordsInLowerCase: keywords?.every((k) => !k.includes("'") && !k.includes(' ')) ?? false,
    complaintAbout: setOf(when.complaintAbout),
    territoryStatus: setOf(when.territoryStatus),
  };
}

/** A topic condition '006' covers 006 and 006.xx; '006.01' covers only itself. */
export function topicMatches(condition: string, topicCode: string): boolean {
  return topicCode === condition || (condition.length === 3 && topicCode.startsWith(`${condition}.`));
}

/** Facts about one appeal that are computed once, and only if some rule asks for them. */
export class AppealFacts {
  private lower: string | undefined;
  private folded: string | undefined;
  private status: TerritoryStatus | undefined;
  /** Undefined until computed; a caller that has parsed the territory already passes it in. */
  private prefix: string | null | undefined;

  constructor(
    readonly input: RoutingInput,
    private readonly statusOf: (territoryPrefix: string, at: Date) => TerritoryStatus,
    territoryPrefix?: string | null,
  ) {
    this.prefix = territoryPrefix;
  }

  get territoryPrefix(): string | null {
    if (this.prefix === undefined) {
      this.prefix = this.input.territoryCode ? hierarchyPrefix(this.input.territoryCode) : null;
    }
    return this.prefix;
  }

  get lowerCaseSummary(): string {
    this.lower ??= this.input.summary.toLowerCase();
    return this.lower;
  }

  get foldedSummary(): string {
    this.folded ??= foldLowerCase(this.lowerCaseSummary);
    return this.folded;
  }

  get territoryStatus(): TerritoryStatus {
    if (this.status === undefined) {
      const prefix = this.territoryPrefix;
      this.status = prefix ? this.statusOf(prefix, this.input.receivedAt) : 'none';
    }
    return this.status;
  }
}

/** Whether every condition holds. `skipTopicAndTerritory` when an index has already checked them. */
export function conditionsHold(c: NormalConditions, f: AppealFacts, skipTopicAndTerritory = false): boolean {
  const a = f.input;
  if (!skipTopicAndTerritory) {
    if (c.topics && !c.topics.some((t) => topicMatches(t, a.topicCode))) return false;
    if (c.territories) {
      const prefix = f.territoryPrefix;
      if (prefix === null || !c.territories.some((t) => prefix.startsWith(t))) return false;
    }
  }
  if (c.kinds && !c.kinds.has(a.kind)) return false;
  if (c.sources && !c.sources.has(a.source)) return false;
  if (c.collective !== null && c.collective !== a.collective) return false;
  if (c.complaintAbout && (a.complaintAbout === null || !c.complaintAbout.has(a.complaintAbout)))
    return false;
  if (c.authorCategories && !c.authorCategories.some((k) => a.authorCategories.includes(k))) return false;
  if (c.territoryStatus && !c.territoryStatus.has(f.territoryStatus)) return false;
  if (c.keywords) {
    const text = c.keywordsInLowerCase ? f.lowerCaseSummary : f.foldedSummary;
    if (!c.keywords.some((k) => text.includes(k))) return false;
  }
  return true;
}
