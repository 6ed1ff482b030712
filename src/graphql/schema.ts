import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { forgetLoaders } from './loaders.js';
import './scalars.js';
import './enums.js';
import './classifier.js';
import './agency.js';
import './applicant.js';
import './assignment.js';
import './appeal.js';
import './appeal-intake.js';
import './intake.js';
import './routing.js';
import './delivery.js';
import './body-status.js';
import './jobs.js';
import './ucc.js';
import './reconcile.js';
import './audit.js';

export const schema = builder.toSchema();

/**
 * The mutations of one operation run one after another, and each must answer with what it left, not
 * with what the request read before it: every mutation starts with the request's caches empty — its
 * loaders, its access checks' copies and roles, and the ORM's identity map (which would hand back
 * an entity as an earlier mutation's answer had loaded it).
 */
for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
  const resolve = field.resolve;
  if (!resolve) continue;
  field.resolve = (source, args, ctx: GraphQLContext, info) => {
    forgetLoaders(ctx);
    ctx.access.forget();
    ctx.em.clear();
    return resolve(source, args, ctx, info);
  };
}

/** The SDL as checked in under schema/gateway.graphql: sorted so that diffs show real changes. */
export function printSortedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
