import type { AssignmentView } from '../db/rows.js';
import type { CopyAnswer } from '../domain/body-event.js';
import { AgencyRef } from './agency.js';
import { builder } from './builder.js';
import { AppealStatusEnum, AssignmentRoleEnum, ResultEnum } from './enums.js';
import { loaders, required } from './loaders.js';

const AssignmentAnswerRef = builder.objectRef<CopyAnswer>('AssignmentAnswer').implement({
  description: 'The body’s last answer on its copy.',
  fields: (t) => ({
    text: t.exposeString('text', {
      nullable: true,
      description: 'Null when the body’s own system reported the answer without its text.',
    }),
    answeredAt: t.expose('answeredAt', { type: 'DateTime' }),
    result: t.expose('result', { type: ResultEnum }),
  }),
});

// The body's own work, not the author's personal data: its own body and the contact center's staff.
const WORK_READERS = { $any: { staff: true, body: true } } as const;

export const AssignmentRef = builder.objectRef<AssignmentView>('Assignment').implement({
  description: 'One body’s copy of an appeal.',
  // A body sees its own copies only (the scoped EntityManager already hides the others).
  authScopes: (a, ctx) => ctx.principal.role !== 'agency' || a.agency.id === ctx.principal.agencyId,
  fields: (t) => ({
    id: t.exposeID('id'),
    role: t.expose('role', { type: AssignmentRoleEnum }),
    status: t.expose('status', { type: AppealStatusEnum }),
    // The reference may not be loaded: one batched query for the whole page.
    agency: t.field({
      type: AgencyRef,
      resolve: (a, _args, ctx) => required(loaders(ctx).agency.load(a.agency.id)),
    }),
    agencyRegNumber: t.exposeString('agencyRegNumber', { nullable: true }),
    ruleSetVersion: t.exposeInt('ruleSetVersion', { nullable: true }),
    ruleId: t.exposeString('ruleId', { nullable: true }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why this body, in Ukrainian.' }),
    // From the copy's row as loaded: no further query.
    answer: t.field({
      type: AssignmentAnswerRef,
      nullable: true,
      authScopes: WORK_READERS,
      description: 'The body’s answer; null until it answers.',
      resolve: (a) =>
        a.answeredAt && a.answerResult
          ? { text: a.answerText ?? null, answeredAt: a.answeredAt, result: a.answerResult }
          : null,
    }),
    extensionReason: t.exposeString('extensionReason', {
      nullable: true,
      authScopes: WORK_READERS,
      description: 'Why the body extended the term, the last time it did (Art. 20).',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
