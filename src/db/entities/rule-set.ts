import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { RuleSetDocument } from '../../domain/routing/types.js';

export const RULE_SET_STATES = ['draft', 'published', 'retired'] as const;
export type RuleSetState = (typeof RULE_SET_STATES)[number];

/**
 * One version of the routing rules. Drafts can be edited; publishing makes one version live and
 * retires the one before it, and neither changes afterwards: every version is kept. A partial unique
 * index (see the migrations) lets at most one row be published at any moment.
 */
export const RuleSet = defineEntity({
  name: 'RuleSet',
  tableName: 'rule_set',
  properties: {
    id: p.uuid().primary(),
    version: p.integer().unique(),
    state: p.enum([...RULE_SET_STATES]),
    name: p.string().length(200),
    document: p.json<RuleSetDocument>(),
    createdAt: p.datetime(),
    createdBy: p.string().length(200).nullable(),
    updatedAt: p.datetime(),
    publishedAt: p.datetime().nullable(),
    publishedBy: p.string().length(200).nullable(),
    retiredAt: p.datetime().nullable(),
  },
  indexes: [
    { properties: ['state'] },
    {
      // At most one published row (partial unique index; the same SQL on SQLite and PostgreSQL).
      name: 'rule_set_one_published',
      expression: `create unique index "rule_set_one_published" on "rule_set" ("state") where "state" = 'published'`,
    },
  ],
});
export type IRuleSet = InferEntity<typeof RuleSet>;
