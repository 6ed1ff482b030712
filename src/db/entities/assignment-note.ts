import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Appeal } from './appeal.js';
import { Assignment } from './assignment.js';

/** A note a body (or the contact center) adds to a copy of an appeal: appended, never edited. */
export const AssignmentNote = defineEntity({
  name: 'AssignmentNote',
  tableName: 'assignment_note',
  properties: {
    id: p.uuid().primary(),
    assignment: () => p.manyToOne(Assignment).deleteRule('cascade'),
    appeal: () => p.manyToOne(Appeal).deleteRule('cascade'),
    principalId: p.uuid().nullable(),
    authorName: p.string().length(200),
    text: p.text(),
    createdAt: p.datetime(),
  },
  indexes: [{ properties: ['assignment', 'createdAt'] }],
});
export type IAssignmentNote = InferEntity<typeof AssignmentNote>;
