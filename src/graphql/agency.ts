import type { FilterQuery } from '@mikro-orm/core';
import { Agency, type IAgency } from '../db/entities/index.js';
import type { AgencyView } from '../db/rows.js';
import { builder } from './builder.js';
import { AdapterKindEnum, AgencyKindEnum } from './enums.js';

export const AgencyRef = builder.objectRef<AgencyView>('Agency');

AgencyRef.implement({
  description: 'An executive body that receives appeals, or the contact center’s own triage queue.',
  fields: (t) => ({
    id: t.exposeID('id'),
    code: t.exposeString('code', { description: 'EDRPOU code (a string: leading zeros matter).' }),
    codeIsPlaceholder: t.exposeBoolean('codeIsPlaceholder', {
      description: 'True while the code is a placeholder, not the body’s real EDRPOU code.',
    }),
    name: t.exposeString('name'),
    shortName: t.exposeString('shortName', { nullable: true }),
    kind: t.expose('kind', { type: AgencyKindEnum }),
    parent: t.field({
      type: AgencyRef,
      nullable: true,
      resolve: async (a, _args, ctx) => (a.parent ? ctx.em.findOne(Agency, a.parent.id) : null),
    }),
    territories: t.exposeStringList('territories', {
      description: 'KATOTTG codes of the territory it serves.',
    }),
    adapterKind: t.expose('adapterKind', { type: AdapterKindEnum }),
    active: t.exposeBoolean('active'),
  }),
});

builder.queryField('agencies', (t) =>
  t.field({
    type: [AgencyRef],
    description: 'The directory of bodies, ordered by code.',
    args: {
      kind: t.arg({ type: AgencyKindEnum }),
      active: t.arg.boolean(),
    },
    resolve: (_root, args, ctx) => {
      const where: FilterQuery<IAgency> = {};
      if (args.kind) where.kind = args.kind;
      if (args.active != null) where.active = args.active;
      return ctx.em.find(Agency, where, { orderBy: { code: 'asc' } });
    },
  }),
);

builder.queryField('agency', (t) =>
  t.field({
    type: AgencyRef,
    nullable: true,
    args: { code: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => ctx.em.findOne(Agency, { code: args.code.trim() }),
  }),
);
