/**
 * The example routing rules for the seed directory (`schema/routing/examples/zaporizhzhia.json`),
 * published as version 1 when no ruleset exists yet. A directory other than the seed's will not
 * satisfy them: then nothing is published, and every appeal goes to the triage queue until an
 * operator imports rules (`gateway rules import FILE --publish`).
 */
import type { EntityManager } from '@mikro-orm/knex';
import example from '../../schema/routing/examples/zaporizhzhia.json' with { type: 'json' };
import { RuleSet } from '../db/entities/index.js';
import { publish, RuleSetInvalidError, saveDraft } from '../routing/rulesets.js';

export type RuleSeedOutcome = { published: number } | { skipped: 'rules exist' } | { refused: string[] };

export async function seedRuleSet(em: EntityManager, now = new Date()): Promise<RuleSeedOutcome> {
  if ((await em.count(RuleSet)) > 0) return { skipped: 'rules exist' };
  try {
    const draft = await saveDraft(em, example, 'seed', now);
    const live = await publish(em, draft.version, 'seed', now);
    return { published: live.version };
  } catch (err) {
    if (err instanceof RuleSetInvalidError)
      return { refused: err.problems.map((p) => `${p.pointer} ${p.code}`) };
    throw err;
  }
}
