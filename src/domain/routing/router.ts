/**
 * A published ruleset ready to route: compiled rules, then the law's invariants, then the reason.
 * Reasons of plain rule matches are built once per rule; only law corrections build new text.
 */
import { type CompiledRuleSet, compileRuleSet } from './compile.js';
import { decisionReason } from './explain.js';
import { applyLaw } from './law.js';
import type { DirectoryEntry, RoutedTarget, RoutingInput, RuleSetDocument } from './types.js';

export interface RoutingResult {
  ruleId: string;
  targets: readonly RoutedTarget[];
  reason: string;
}

export interface Router {
  readonly compiled: CompiledRuleSet;
  route(input: RoutingInput): RoutingResult;
}

export function createRouter(doc: RuleSetDocument, directory: ReadonlyMap<string, DirectoryEntry>): Router {
  const compiled = compileRuleSet(doc);
  const plain = new Map<number, RoutingResult>();
  const ruleAt = (i: number) => (i < 0 ? null : (doc.rules[i] ?? null));
  return {
    compiled,
    route(input) {
      const decision = compiled.evaluate(input);
      const law = applyLaw(input, decision.targets, directory);
      if (law.notes.length) {
        return {
          ruleId: decision.ruleId,
          targets: law.targets,
          reason: decisionReason(ruleAt(decision.ruleIndex), law.targets, law.notes, directory),
        };
      }
      let result = plain.get(decision.ruleIndex);
      if (!result) {
        result = {
          ruleId: decision.ruleId,
          targets: law.targets,
          reason: decisionReason(ruleAt(decision.ruleIndex), law.targets, [], directory),
        };
        plain.set(decision.ruleIndex, result);
      }
      return result;
    },
  };
}
