import type { IAssignment } from '../db/entities/index.js';
import { AgencyRef } from './agency.js';
import { builder } from './builder.js';
import { AppealStatusEnum, AssignmentRoleEnum } from './enums.js';
import { loaders, required } from './loaders.js';

export const AssignmentRef = builder.objectRef<IAssignment>('Assignment').implement({
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
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
