import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/** A read of personal data or a privileged action: who, what, which fields, why, when. */
export const AuditEntry = defineEntity({
  name: 'AuditEntry',
  tableName: 'audit_entry',
  properties: {
    id: p.uuid().primary(),
    principalId: p.uuid().nullable(),
    principalName: p.string().length(200),
    action: p.string().length(64),
    appealId: p.uuid().nullable(),
    fields: p.json<string[]>(),
    purpose: p.string().length(200).nullable(),
    at: p.datetime(),
  },
  indexes: [{ properties: ['appealId'] }, { properties: ['at'] }],
});
export type IAuditEntry = InferEntity<typeof AuditEntry>;
