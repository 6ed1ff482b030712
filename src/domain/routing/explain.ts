/**
 * Human reasons in Ukrainian for routing decisions, as recorded on every assignment, e.g.
 * "правило social-protection: тема 006.*, територія UA2306… → ДСЗН ОДА".
 */
import { nameOf } from './law.js';
import {
  DEFAULT_RULE_ID,
  type DirectoryEntry,
  type RoutedTarget,
  type Rule,
  type RuleConditions,
} from './types.js';

const KIND_LABELS: Record<string, string> = {
  proposal: 'пропозиція',
  application: 'заява',
  complaint: 'скарга',
};
const SOURCE_LABELS: Record<string, string> = {
  gov_hotline_1545: 'урядова лінія 1545',
  regional_hotline: 'регіональна гаряча лінія',
  direct_line: 'пряма лінія',
  web: 'вебформа',
  other: 'інший канал',
};
const STATUS_LABELS: Record<string, string> = {
  occupied: 'тимчасово окупована',
  hostilities: 'район бойових дій',
  none: 'без особливого статусу',
};

export function conditionsText(when: RuleConditions, directory: ReadonlyMap<string, DirectoryEntry>): string {
  const parts: string[] = [];
  if (when.topics) parts.push(`тема ${when.topics.map((t) => (t.length === 3 ? `${t}.*` : t)).join(', ')}`);
  if (when.territories) parts.push(`територія ${when.territories.map((t) => `${t}…`).join(', ')}`);
  if (when.territoryStatus)
    parts.push(`статус території: ${when.territoryStatus.map((s) => STATUS_LABELS[s]).join(', ')}`);
  if (when.kinds) parts.push(`вид: ${when.kinds.map((k) => KIND_LABELS[k] ?? k).join(', ')}`);
  if (when.sources) parts.push(`канал: ${when.sources.map((s) => SOURCE_LABELS[s] ?? s).join(', ')}`);
  if (when.authorCategories) parts.push(`категорія автора ${when.authorCategories.join(', ')}`);
  if (when.collective !== undefined) parts.push(when.collective ? 'колективне' : 'не колективне');
  if (when.keywords) parts.push(`ключові слова: ${when.keywords.map((k) => `«${k}»`).join(', ')}`);
  if (when.complaintAbout) {
    parts.push(`скарга на ${when.complaintAbout.map((c) => nameOf(directory, c)).join(', ')}`);
  }
  return parts.length ? parts.join(', ') : 'будь-яке звернення';
}

export function targetsText(
  targets: readonly RoutedTarget[],
  directory: ReadonlyMap<string, DirectoryEntry>,
): string {
  const of = (role: RoutedTarget['role']) =>
    targets.filter((t) => t.role === role).map((t) => nameOf(directory, t.agencyCode));
  const co = of('co_executor');
  const info = of('for_information');
  return [
    of('responsible').join(', '),
    co.length ? `співвиконавці: ${co.join(', ')}` : '',
    info.length ? `до відома: ${info.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/** The reason for a decision: which rule and why, where it sends the appeal, and what the law changed. */
export function decisionReason(
  rule: Rule | null,
  targets: readonly RoutedTarget[],
  lawNotes: readonly string[],
  directory: ReadonlyMap<string, DirectoryEntry>,
): string {
  const why =
    rule === null
      ? `${DEFAULT_RULE_ID}: жодне правило не підійшло`
      : `правило ${rule.id}: ${conditionsText(rule.when, directory)}`;
  return [`${why} → ${targetsText(targets, directory)}`, ...lawNotes].join('; ');
}
