import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { RESULTS } from '../../domain/appeal.js';
import { APPEAL_STATES } from '../../domain/status.js';
import { Agency } from './agency.js';
import { Appeal } from './appeal.js';

export const ASSIGNMENT_ROLES = ['responsible', 'co_executor', 'for_information'] as const;
export type AssignmentRole = (typeof ASSIGNMENT_ROLES)[number];

/** One body's copy of an appeal: its role, why it was chosen, and its own status. */
export const Assignment = defineEntity({
  name: 'Assignment',
  tableName: 'assignment',
  properties: {
    id: p.uuid().primary(),
    appeal: () => p.manyToOne(Appeal).deleteRule('cascade'),
    agency: () => p.manyToOne(Agency),
    role: p.enum([...ASSIGNMENT_ROLES]),
    status: p.enum([...APPEAL_STATES]),
    ruleSetVersion: p.integer().nullable(),
    ruleId: p.string().length(128).nullable(),
    /** Human reason in Ukrainian, e.g. "тема 006.*, територія UA2306… → …". */
    reason: p.text().nullable(),
    /** The registration number the body gave its copy. */
    agencyRegNumber: p.string().length(64).nullable(),
    /** The body returned its copy as outside its competence (Art. 7), and why. */
    returnedAt: p.datetime().nullable(),
    returnReason: p.text().nullable(),
    /** The body's last answer: its text (null when the body's system sent none), time and result. */
    answerText: p.text().nullable(),
    answeredAt: p.datetime().nullable(),
    answerResult: p.enum([...RESULTS]).nullable(),
    /** Why the body extended the term, the last time it did (Art. 20). */
    extensionReason: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
  uniques: [{ properties: ['appeal', 'agency'] }],
  indexes: [{ properties: ['agency', 'status'] }],
});
export type IAssignment = InferEntity<typeof Assignment>;
