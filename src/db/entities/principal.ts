import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Agency } from './agency.js';

export const ROLES = ['admin', 'operator', 'agency', 'integration', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Who calls the gateway: a bearer token (stored as its SHA-256) bound to a role and maybe a body. */
export const Principal = defineEntity({
  name: 'Principal',
  tableName: 'principal',
  properties: {
    id: p.uuid().primary(),
    name: p.string().length(200),
    role: p.enum([...ROLES]),
    agency: () => p.manyToOne(Agency).nullable(),
    tokenHash: p.string().length(64).unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
    revokedAt: p.datetime().nullable(),
    /**
     * When the row last changed: serving processes poll max(changed_at) to forget cached tokens that
     * another process revoked or replaced (PrincipalCache). Stamped by every update flushed through
     * the ORM; a native update (or SQL by hand) must set it itself.
     */
    changedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type IPrincipal = InferEntity<typeof Principal>;
