import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.js';
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

/** The SDL as checked in under schema/gateway.graphql: sorted so that diffs show real changes. */
export function printSortedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
