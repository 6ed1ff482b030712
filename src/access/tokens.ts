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

/** What `ensureAdminToken` did; `revoked`: the value was revoked and stays so (set a new one). */
export type AdminTokenOutcome = 'created' | 'replaced' | 'unchanged' | 'revoked';

/**
 * `GATEWAY_ADMIN_TOKEN` → one admin principal whose token is that value. A changed value
 * replaces the stored hash, so the old token stops working. A value that was revoked
 * (`gateway token revoke`) is not brought back by a restart: only a new value works again.
 */
export async function ensureAdminToken(em: EntityManager, token: string): Promise<AdminTokenOutcome> {
  if (token.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new DomainError(
      'ADMIN_TOKEN_TOO_SHORT',
      `GATEWAY_ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`,
    );
  }
  const tokenHash = hashToken(token);
  const existing = await em.findOne(Principal, { name: BOOTSTRAP_ADMIN, role: 'admin' });
  if (existing?.tokenHash === tokenHash) return existing.revokedAt ? 'revoked' : 'unchanged';
  if (existing) {
    existing.tokenHash = tokenHash;
    existing.revokedAt = null;
    existing.changedAt = new Date();
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
  return existing ? 'replaced' : 'created';
}

export async function findPrincipalByToken(em: EntityManager, token: string): Promise<IPrincipal | null> {
  return em.findOne(Principal, { tokenHash: hashToken(token), revokedAt: null }, { populate: ['agency'] });
}

/** A principal as an operator sees it: never its token nor the token's hash. */
export interface PrincipalSummary {
  id: string;
  name: string;
  role: Role;
  agencyCode: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

/** Every principal, revoked ones too, oldest first. */
export async function listPrincipals(em: EntityManager): Promise<PrincipalSummary[]> {
  const rows = await em.find(
    Principal,
    {},
    { populate: ['agency'], orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  return rows.map(summarise);
}

/** Whom to revoke: exactly one of its id, or its name when only one principal has that name. */
export interface RevokeTarget {
  id?: string | undefined;
  name?: string | undefined;
}

export interface Revocation {
  principal: PrincipalSummary;
  /** It was revoked before (its `revokedAt` is kept): nothing changed. */
  alreadyRevoked: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Revokes a principal's token: from then on it is refused (by this process at once, by other
 * gateway processes within their PrincipalCache poll interval). Revoking one twice is no error.
 */
export async function revokePrincipal(
  em: EntityManager,
  target: RevokeTarget,
  now: Date = new Date(),
): Promise<Revocation> {
  const found = await findTarget(em, target);
  if (found.revokedAt) return { principal: summarise(found), alreadyRevoked: true };
  found.revokedAt = now;
  found.changedAt = now;
  await em.flush();
  return { principal: summarise(found), alreadyRevoked: false };
}

async function findTarget(em: EntityManager, target: RevokeTarget): Promise<IPrincipal> {
  if ((target.id === undefined) === (target.name === undefined)) {
    throw new DomainError('REVOKE_TARGET_REQUIRED', 'give exactly one of --id and --name');
  }
  if (target.id !== undefined) {
    const id = target.id.trim().toLowerCase();
    const found = UUID.test(id) ? await em.findOne(Principal, { id }, { populate: ['agency'] }) : null;
    if (!found) {
      throw new DomainError(
        'PRINCIPAL_NOT_FOUND',
        `no principal with id ${target.id} (gateway token list shows them)`,
        'id',
      );
    }
    return found;
  }
  const name = (target.name ?? '').trim();
  const matches = await em.find(
    Principal,
    { name },
    { populate: ['agency'], orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  const [only, ...others] = matches;
  if (!only) {
    throw new DomainError(
      'PRINCIPAL_NOT_FOUND',
      `no principal named "${name}" (gateway token list shows them)`,
      'name',
    );
  }
  if (others.length) {
    const ids = matches.map((p) => (p.revokedAt ? `${p.id} (revoked)` : p.id)).join(', ');
    throw new DomainError(
      'PRINCIPAL_NAME_AMBIGUOUS',
      `${matches.length} principals are named "${name}": ${ids}; revoke one with --id`,
      'name',
    );
  }
  return only;
}

function summarise(p: IPrincipal): PrincipalSummary {
  return {
    id: p.id,
    name: p.name,
    role: p.role,
    agencyCode: p.agency?.code ?? null,
    createdAt: p.createdAt,
    revokedAt: p.revokedAt ?? null,
  };
}
