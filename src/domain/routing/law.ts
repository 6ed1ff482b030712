/**
 * The law as invariants applied after the rules, so that no ruleset can forget them.
 * Art. 7 of the Law "Про звернення громадян": a complaint is never sent to the body whose actions it
 * challenges; it goes to that body's parent (the triage queue when the body has none in the directory).
 * A body that appears twice keeps its strongest role.
 */
import { type DirectoryEntry, type RoutedTarget, type RoutingInput, TRIAGE } from './types.js';

export interface LawOutcome {
  targets: RoutedTarget[];
  /** Ukrainian notes for the reason, one per correction. */
  notes: string[];
}

const RANK = { responsible: 0, co_executor: 1, for_information: 2 } as const;

export function applyLaw(
  input: RoutingInput,
  targets: readonly RoutedTarget[],
  directory: ReadonlyMap<string, DirectoryEntry>,
): LawOutcome {
  const notes: string[] = [];
  let out: RoutedTarget[] = [...targets];
  const challenged = input.kind === 'complaint' ? input.complaintAbout : null;
  if (challenged && out.some((t) => t.agencyCode === challenged)) {
    const body = directory.get(challenged);
    const parent = body?.parentCode ?? null;
    const replacement = parent && parent !== challenged ? parent : TRIAGE;
    out = out.map((t) => (t.agencyCode === challenged ? { ...t, agencyCode: replacement } : t));
    const to = replacement === TRIAGE ? 'черги сортування' : nameOf(directory, replacement);
    notes.push(
      `ст. 7: скаргу не надсилають органу, дії якого оскаржуються (${nameOf(directory, challenged)}) — передано до ${to}`,
    );
  }
  return { targets: strongestRoleEach(out), notes };
}

function strongestRoleEach(targets: RoutedTarget[]): RoutedTarget[] {
  const best = new Map<string, RoutedTarget>();
  for (const t of targets) {
    const had = best.get(t.agencyCode);
    if (!had || RANK[t.role] < RANK[had.role]) best.set(t.agencyCode, t);
  }
  return [...best.values()].sort((a, b) => RANK[a.role] - RANK[b.role]);
}

/** A body's short name; TRIAGE reads as the queue's own name when the directory maps it to one. */
export function nameOf(directory: ReadonlyMap<string, DirectoryEntry>, code: string): string {
  const a = directory.get(code);
  if (a) return a.shortName ?? a.name;
  return code === TRIAGE ? 'черга сортування контакт-центру' : code;
}

/** Art. 7: an appeal outside the receiving body's competence is forwarded within 5 days. */
export const FORWARD_DAYS = 5;

export function forwardDueAt(returnedAt: Date): Date {
  return new Date(returnedAt.getTime() + FORWARD_DAYS * 86_400_000);
}

/** Art. 7 for a hand-made routing: the challenged body cannot be among the targets. */
export function challengedBodyAmong(input: RoutingInput, targets: readonly RoutedTarget[]): string | null {
  const challenged = input.kind === 'complaint' ? input.complaintAbout : null;
  return challenged && targets.some((t) => t.agencyCode === challenged) ? challenged : null;
}
