/** Bodies that work the gateway's API report their copy's progress here (see src/sync/body-status.ts). */
import { Assignment, type IAssignmentNote } from '../db/entities/index.js';
import { annotateAssignment, reportBodyStatus } from '../sync/body-status.js';
import { AssignmentRef } from './assignment.js';
import { builder } from './builder.js';
import { ResultEnum } from './enums.js';
import { inInput, requireRole } from './guard.js';
import { loaders } from './loaders.js';

const BodyEventEnum = builder.enumType('BodyStatusEvent', {
  values: {
    DELIVER: { value: 'deliver', description: 'Отримано (квитанція про доставку)' },
    ACCEPT: { value: 'accept', description: 'Прийнято до розгляду' },
    EXTEND: { value: 'extend', description: 'Строк розгляду продовжено (не більше 45 днів загалом)' },
    ANSWER: { value: 'answer', description: 'Надано відповідь (з результатом розгляду)' },
  } as const,
});
const ReportStatusInput = builder.inputType('ReportStatusInput', {
  fields: (t) => ({
    assignmentId: t.id({ required: true }),
    event: t.field({ type: BodyEventEnum, required: true }),
    result: t.field({ type: ResultEnum, description: 'Required with ANSWER.' }),
    answerText: t.string({
      description: 'Required with ANSWER: the text of the answer, at most 10,000 characters.',
    }),
    answeredAt: t.field({
      type: 'DateTime',
      description:
        'With ANSWER: when the answer was given (default now); not in the future, not before receipt.',
    }),
    dueAt: t.field({ type: 'DateTime', description: 'Required with EXTEND: the new due date.' }),
    reason: t.string({
      description: 'Required with EXTEND: why the term is extended, at most 2,000 characters.',
    }),
    registrationNumber: t.string({ description: 'The body’s own registration number of its copy.' }),
    note: t.string({
      description:
        'A note on this change, kept with it; not shown to other bodies, but passed on with the answer or extension to the Government Contact Center.',
    }),
  }),
});

builder.mutationField('reportAssignmentStatus', (t) =>
  t.field({
    errors: {},
    type: AssignmentRef,
    description:
      'A body reports what happened to its copy: received, accepted, extended, answered. Only steps the status ' +
      'machine allows are taken; the appeal follows its responsible body.',
    args: { input: t.arg({ type: ReportStatusInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      requireRole(ctx, 'agency', 'admin');
      const changed = await inInput(() =>
        reportBodyStatus(
          ctx.systemEm(),
          {
            assignmentId: String(input.assignmentId),
            event: input.event,
            result: input.result ?? null,
            dueAt: input.dueAt ?? null,
            registrationNumber: input.registrationNumber ?? null,
            note: input.note ?? null,
            answerText: input.answerText ?? null,
            answeredAt: input.answeredAt ?? null,
            reason: input.reason ?? null,
          },
          ctx.principal,
          ctx.now,
        ),
      );
      return ctx.em.findOneOrFail(Assignment, changed.id);
    },
  }),
);

const AnnotateInput = builder.inputType('AnnotateAssignmentInput', {
  fields: (t) => ({
    assignmentId: t.id({ required: true }),
    registrationNumber: t.string({ description: 'The body’s own registration number of its copy.' }),
    note: t.string({ description: 'A note on the copy, at most 4,000 characters.' }),
  }),
});

builder.mutationField('annotateAssignment', (t) =>
  t.field({
    errors: {},
    type: AssignmentRef,
    description:
      'A body records its registration number of its copy and/or adds a note, without changing the status.',
    args: { input: t.arg({ type: AnnotateInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      requireRole(ctx, 'agency', 'admin', 'operator');
      const changed = await inInput(() =>
        annotateAssignment(
          ctx.systemEm(),
          {
            assignmentId: String(input.assignmentId),
            note: input.note ?? null,
            registrationNumber: input.registrationNumber ?? null,
          },
          ctx.principal,
          ctx.now,
        ),
      );
      return ctx.em.findOneOrFail(Assignment, changed.id);
    },
  }),
);

const AssignmentNoteRef = builder.objectRef<IAssignmentNote>('AssignmentNote').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    authorName: t.exposeString('authorName'),
    text: t.exposeString('text'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.objectFields(AssignmentRef, (t) => ({
  notes: t.field({
    type: [AssignmentNoteRef],
    description: 'Notes on this copy, oldest first.',
    resolve: (a, _args, ctx) => loaders(ctx).notesOfAssignment.load(a.id),
  }),
}));
