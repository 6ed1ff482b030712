import { Agency, type IAssignment } from '../db/entities/index.js';
import { AgencyRef } from './agency.js';
import { builder } from './builder.js';
import { AppealStatusEnum, AssignmentRoleEnum } from './enums.js';

export const AssignmentRef = builder.objectRef<IAssignment>('Assignment').implement({
  description: 'One body’s copy of an appeal.',
  fields: (t) => ({
    id: t.exposeID('id'),
    role: t.expose('role', { type: AssignmentRoleEnum }),
    status: t.expose('status', { type: AppealStatusEnum }),
    // The reference may not be loaded (an assignment made in this request): the identity map or one query.
    agency: t.field({
      type: AgencyRef,
      resolve: (a, _args, ctx) => ctx.em.findOneOrFail(Agency, a.agency.id),
    }),
    agencyRegNumber: t.exposeString('agencyRegNumber', { nullable: true }),
    ruleSetVersion: t.exposeInt('ruleSetVersion', { nullable: true }),
    ruleId: t.exposeString('ruleId', { nullable: true }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why this body, in Ukrainian.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
