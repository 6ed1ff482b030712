import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { MIN_ADMIN_TOKEN_LENGTH } from '../config.js';
import { Agency, type IPrincipal, Principal } from '../db/entities/index.js';
import type { Role } from '../db/entities/principal.js';
import { newId } from '../db/ids.js';
import { DomainError } from '../domain/errors.js';

/** Tokens are 256 random bits: a plain SHA-256 is enough to store them (no password stretching). */
export function generateToken(): string {
  return `gw_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface NewPrincipal {
  name: string;
  role: Role;
  agencyCode?: string | undefined;
}

/** Creates a principal and returns its token: the only time the token is ever shown. */
export async function createPrincipal(
  em: EntityManager,
  input: NewPrincipal,
): Promise<{ token: string; principal: IPrincipal }> {
  if (input.role === 'agency' && !input.agencyCode) {
    throw new DomainError('AGENCY_REQUIRED', 'an agency principal needs --agency CODE', 'agency');
  }
  if (input.role !== 'agency' && input.agencyCode) {
    throw new DomainError('AGENCY_NOT_ALLOWED', `role ${input.role} is not bound to an agency`, 'agency');
  }
  const agency = input.agencyCode ? await em.findOne(Agency, { code: input.agencyCode }) : null;
  if (input.agencyCode && !agency) {
    throw new DomainError('UNKNOWN_AGENCY', `no agency with code ${input.agencyCode}`, 'agency');
  }
  const token = generateToken();
  const principal = em.create(Principal, {
    id: newId(),
    name: input.name,
    role: input.role,
    agency,
    tokenHash: hashToken(token),
    revokedAt: null,
  });
  await em.flush();
  return { token, principal };
}

const BOOTSTRAP_ADMIN = 'bootstrap-admin';

/**
 * `GATEWAY_ADMIN_TOKEN` → one admin principal whose token is that value. A changed value
 * replaces the stored hash, so the old token stops working.
 */
export async function ensureAdminToken(em: EntityManager, token: string): Promise<void> {
  if (token.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new DomainError(
      'ADMIN_TOKEN_TOO_SHORT',
      `GATEWAY_ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`,
    );
  }
  const tokenHash = hashToken(token);
  const existing = await em.findOne(Principal, { name: BOOTSTRAP_ADMIN, role: 'admin' });
  if (existing) {
    existing.tokenHash = tokenHash;
    existing.revokedAt = null;
  } else {
    em.create(Principal, {
      id: newId(),
      name: BOOTSTRAP_ADMIN,
      role: 'admin',
      agency: null,
      tokenHash,
      revokedAt: null,
    });
  }
  await em.flush();
}

export async function findPrincipalByToken(em: EntityManager, token: string): Promise<IPrincipal | null> {
  return em.findOne(Principal, { tokenHash: hashToken(token), revokedAt: null }, { populate: ['agency'] });
}
