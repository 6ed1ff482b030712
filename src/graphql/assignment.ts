import type { IAssignment } from '../db/entities/index.js';
import { AgencyRef } from './agency.js';
import { builder } from './builder.js';
import { AppealStatusEnum, AssignmentRoleEnum } from './enums.js';

export const AssignmentRef = builder.objectRef<IAssignment>('Assignment').implement({
  description: 'One body’s copy of an appeal.',
  fields: (t) => ({
    id: t.exposeID('id'),
    role: t.expose('role', { type: AssignmentRoleEnum }),
    status: t.expose('status', { type: AppealStatusEnum }),
    agency: t.field({ type: AgencyRef, resolve: (a) => a.agency }),
    agencyRegNumber: t.exposeString('agencyRegNumber', { nullable: true }),
    ruleSetVersion: t.exposeInt('ruleSetVersion', { nullable: true }),
    ruleId: t.exposeString('ruleId', { nullable: true }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why this body, in Ukrainian.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
