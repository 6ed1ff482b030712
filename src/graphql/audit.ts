/**
 * The audit log for auditors (and admins): every read of personal data in clear and every transfer
 * of it to a body, with who, which appeal, which fields, when and why.
 */
import type { FilterQuery } from '@mikro-orm/core';
import { AuditEntry, type IAuditEntry } from '../db/entities/index.js';
import { DomainError } from '../domain/errors.js';
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
    cursor: t.string({
      description: 'Pass as `after` to read on from this entry (entries of one request share `at`).',
      resolve: (e) => encodeAuditCursor(e.at, e.id),
    }),
  }),
});

const CURSOR_PREFIX = 'u1.';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const encodeAuditCursor = (at: Date, id: string) =>
  CURSOR_PREFIX + Buffer.from(JSON.stringify([at.getTime(), id])).toString('base64url');

function decodeAuditCursor(raw: string): { at: Date; id: string } {
  const invalid = new DomainError(
    'INVALID_CURSOR',
    'the cursor is not one this API gave out; start from the first page',
    'after',
  );
  if (!raw.startsWith(CURSOR_PREFIX)) throw invalid;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw.slice(CURSOR_PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  const [ms, id] = Array.isArray(parsed) && parsed.length === 2 ? parsed : [];
  if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || typeof id !== 'string' || !UUID.test(id))
    throw invalid;
  return { at: new Date(ms), id };
}

builder.queryField('auditEntries', (t) =>
  t.field({
    type: [AuditEntryRef],
    description:
      'The audit log, newest first, by appeal, principal, action and time; page on with `after` (an entry’s cursor).',
    authScopes: (_r, _a, ctx) => ctx.principal.role === 'auditor' || ctx.principal.role === 'admin',
    args: {
      appealId: t.arg.id(),
      principalId: t.arg.id(),
      action: t.arg.string({
        description:
          'read-personal-data, or a transfer deliver:<adapter>:<body code>; ending in ":" it is a prefix (deliver: for every transfer).',
      }),
      after: t.arg.string({ description: 'The cursor of the last entry already read.' }),
      from: t.arg({ type: 'DateTime', description: 'Inclusive.' }),
      to: t.arg({ type: 'DateTime', description: 'Exclusive.' }),
      first: t.arg.int({ defaultValue: 100, description: 'At most 500.' }),
    },
    resolve: (_r, args, ctx) => {
      const first = listSize(args.first, 100);
      const where: FilterQuery<IAuditEntry> = {};
      if (args.appealId) where.appealId = String(args.appealId);
      if (args.principalId) where.principalId = String(args.principalId);
      if (args.action) {
        if (/[%_\\]/.test(args.action))
          throw new DomainError('INVALID_ACTION', 'an action has no %, _ or \\ in it', 'action');
        where.action = args.action.endsWith(':') ? { $like: `${args.action}%` } : args.action;
      }
      if (args.from || args.to)
        where.at = { ...(args.from ? { $gte: args.from } : {}), ...(args.to ? { $lt: args.to } : {}) };
      // Keyset on (at, id): the entries of one request share their time, and none is lost or repeated.
      const after = args.after ? decodeAuditCursor(args.after) : null;
      const page: FilterQuery<IAuditEntry> = after
        ? { $and: [where, { $or: [{ at: { $lt: after.at } }, { at: after.at, id: { $lt: after.id } }] }] }
        : where;
      return ctx.em.find(AuditEntry, page, { orderBy: { at: 'desc', id: 'desc' }, limit: first });
    },
  }),
);
