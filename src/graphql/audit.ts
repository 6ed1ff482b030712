/**
 * The audit log for auditors (and admins): every read of personal data in clear and every transfer
 * of it to a body, with who, which appeal, which fields, when and why.
 */
import type { FilterQuery } from '@mikro-orm/core';
import { AuditEntry, type IAuditEntry } from '../db/entities/index.js';
import { builder } from './builder.js';
import { listSize } from './guard.js';

const AuditEntryRef = builder.objectRef<IAuditEntry>('AuditEntry').implement({
  description: 'A read of personal data or a transfer of it: who, which appeal, which fields, when, why.',
  fields: (t) => ({
    id: t.exposeID('id'),
    principalId: t.exposeString('principalId', { nullable: true }),
    principalName: t.exposeString('principalName'),
    action: t.exposeString('action', {
      description: 'read-personal-data, or deliver:<adapter>:<body code>.',
    }),
    appealId: t.exposeString('appealId', { nullable: true }),
    fields: t.exposeStringList('fields'),
    purpose: t.exposeString('purpose', { nullable: true }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

builder.queryField('auditEntries', (t) =>
  t.field({
    type: [AuditEntryRef],
    description: 'The audit log, newest first, by appeal, principal and time.',
    authScopes: (_r, _a, ctx) => ctx.principal.role === 'auditor' || ctx.principal.role === 'admin',
    args: {
      appealId: t.arg.id(),
      principalId: t.arg.id(),
      from: t.arg({ type: 'DateTime', description: 'Inclusive.' }),
      to: t.arg({ type: 'DateTime', description: 'Exclusive.' }),
      first: t.arg.int({ defaultValue: 100, description: 'At most 500.' }),
    },
    resolve: (_r, args, ctx) => {
      const first = listSize(args.first, 100);
      const where: FilterQuery<IAuditEntry> = {};
      if (args.appealId) where.appealId = String(args.appealId);
      if (args.principalId) where.principalId = String(args.principalId);
      if (args.from || args.to)
        where.at = { ...(args.from ? { $gte: args.from } : {}), ...(args.to ? { $lt: args.to } : {}) };
      return ctx.em.find(AuditEntry, where, { orderBy: { at: 'desc', id: 'desc' }, limit: first });
    },
  }),
);
