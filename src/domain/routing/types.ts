/**
 * The routing ruleset as data (`schema/routing/ruleset.schema.json`) and what evaluating it needs of an
 * appeal and gives back. Agencies are named by EDRPOU code; TRIAGE is the contact center's own queue.
 */
import type { AppealKind, SourceLine } from '../appeal.js';

export const TRIAGE = 'triage';

export const TERRITORY_STATUSES = ['occupied', 'hostilities', 'none'] as const;
export type TerritoryStatus = (typeof TERRITORY_STATUSES)[number];

export interface RuleConditions {
  topics?: string[];
  territories?: string[];
  kinds?: AppealKind[];
  sources?: SourceLine[];
  authorCategories?: string[];
  collective?: boolean;
  keywords?: string[];
  complaintAbout?: string[];
  territoryStatus?: TerritoryStatus[];
}

export interface RuleTargets {
  /** An agency code or TRIAGE. */
  responsible: string;
  coExecutors?: string[];
  forInformation?: string[];
}

export interface Rule {
  id: string;
  note?: string;
  when: RuleConditions;
  then: RuleTargets;
}

export interface TerritoryStatusEntry {
  territory: string;
  status: Exclude<TerritoryStatus, 'none'>;
  /** ISO date, inclusive. */
  from: string;
  /** ISO date, inclusive; null or absent: still in force. */
  to?: string | null;
}

export interface RuleSetDocument {
  $schema?: string;
  name: string;
  note?: string;
  territoryStatus?: TerritoryStatusEntry[];
  rules: Rule[];
  default: RuleTargets;
}

/** What routing reads of an appeal. */
export interface RoutingInput {
  topicCode: string;
  /** Normalised KATOTTG or null. */
  territoryCode: string | null;
  kind: AppealKind;
  source: SourceLine;
  authorCategories: readonly string[];
  collective: boolean;
  summary: string;
  /** EDRPOU of the body a complaint challenges. */
  complaintAbout: string | null;
  receivedAt: Date;
}

export type TargetRole = 'responsible' | 'co_executor' | 'for_information';

export interface RoutedTarget {
  /** An agency code or TRIAGE. */
  agencyCode: string;
  role: TargetRole;
}

export interface RoutingDecision {
  /** The rule that matched, or 'default'. */
  ruleId: string;
  /** Index of the rule in the ruleset; -1 for the default. */
  ruleIndex: number;
  targets: RoutedTarget[];
}

/** What rules and the law need to know of the directory. */
export interface DirectoryEntry {
  code: string;
  name: string;
  shortName: string | null;
  parentCode: string | null;
}

export const DEFAULT_RULE_ID = 'default';
