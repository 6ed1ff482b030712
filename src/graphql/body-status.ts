/** Bodies that work the gateway's API report their copy's progress here (see src/sync/body-status.ts). */
import { reportBodyStatus } from '../sync/body-status.js';
import { AssignmentRef } from './assignment.js';
import { builder } from './builder.js';
import { ResultEnum } from './enums.js';
import { requireRole } from './guard.js';

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
    dueAt: t.field({ type: 'DateTime', description: 'Required with EXTEND: the new due date.' }),
    registrationNumber: t.string({ description: 'The body’s own registration number of its copy.' }),
    note: t.string(),
  }),
});

builder.mutationField('reportAssignmentStatus', (t) =>
  t.field({
    type: AssignmentRef,
    description:
      'A body reports what happened to its copy: received, accepted, extended, answered. Only steps the status ' +
      'machine allows are taken; the appeal follows its responsible body.',
    args: { input: t.arg({ type: ReportStatusInput, required: true }) },
    resolve: (_r, { input }, ctx) => {
      requireRole(ctx, 'agency', 'admin');
      return reportBodyStatus(
        ctx.em,
        {
          assignmentId: String(input.assignmentId),
          event: input.event,
          result: input.result ?? null,
          dueAt: input.dueAt ?? null,
          registrationNumber: input.registrationNumber ?? null,
          note: input.note ?? null,
        },
        ctx.principal,
        ctx.now,
      );
    },
  }),
);
