import type { EventSubscriber } from '@mikro-orm/core';
import { findPrincipalByToken } from '../access/tokens.js';
import { Principal } from '../db/entities/index.js';
import type { Orm } from '../db/orm.js';
import type { RequestPrincipal } from '../graphql/context.js';

export interface PrincipalCacheOptions {
  orm: Orm;
  /** How long a token's principal is trusted without asking the database again. */
  ttlMs?: number;
  /** At most this many tokens are remembered; the oldest is forgotten first. */
  maxEntries?: number;
  /** Milliseconds; tests pass a fake one. */
  clock?: () => number;
}

export const DEFAULT_PRINCIPAL_TTL_MS = 10_000;
const DEFAULT_MAX_ENTRIES = 10_000;

interface Entry {
  principal: Promise<RequestPrincipal | null>;
  /** The principal once the look-up has answered with one. */
  known?: RequestPrincipal;
  expires: number;
}

/**
 * Bearer token → principal, remembered for a short while in this process: a SELECT per
 * request cost the GraphQL endpoint most of its throughput. Any change to a Principal flushed
 * through this ORM (revocation, a replaced admin token) forgets everything at once; a change made
 * by another process (or by a native update) takes effect within `ttlMs`. Unknown tokens are never
 * remembered, so a token created elsewhere works at once. Concurrent misses share one query.
 */
export class PrincipalCache {
  readonly #orm: Orm;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #clock: () => number;
  readonly #entries = new Map<string, Entry>();
  #generation = 0;

  constructor({ orm, ttlMs, maxEntries, clock }: PrincipalCacheOptions) {
    this.#orm = orm;
    this.#ttlMs = ttlMs ?? DEFAULT_PRINCIPAL_TTL_MS;
    this.#maxEntries = maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.#clock = clock ?? Date.now;
    orm.em.getEventManager().registerSubscriber(this.#subscriber());
  }

  /**
   * The token's principal when it is cached and already known, without waiting: the common case of
   * a request, answered with no promise. Otherwise undefined (then `lookup`).
   */
  known(token: string): RequestPrincipal | undefined {
    const hit = this.#entries.get(token);
    return hit && hit.expires > this.#clock() ? hit.known : undefined;
  }

  lookup(token: string): Promise<RequestPrincipal | null> {
    // Keyed by the token itself: hashing on every hit cost more than the rest of the lookup.
    const key = token;
    const now = this.#clock();
    const hit = this.#entries.get(key);
    if (hit && hit.expires > now) return hit.principal;
    if (hit) this.#entries.delete(key);
    if (this.#ttlMs <= 0) return this.#load(token);
    const generation = this.#generation;
    const principal = this.#load(token).then(
      (found) => {
        if (!found || generation !== this.#generation) this.#forget(key, entry);
        else entry.known = found;
        return found;
      },
      (err: unknown) => {
        this.#forget(key, entry);
        throw err;
      },
    );
    const entry: Entry = { principal, expires: now + this.#ttlMs };
    this.#entries.set(key, entry);
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    return principal;
  }

  /** Forget every token: the next request of each asks the database. */
  clear(): void {
    this.#generation++;
    this.#entries.clear();
  }

  #forget(key: string, entry: Entry): void {
    if (this.#entries.get(key) === entry) this.#entries.delete(key);
  }

  async #load(token: string): Promise<RequestPrincipal | null> {
    const found = await findPrincipalByToken(this.#orm.em.fork(), token);
    if (!found) return null;
    return {
      id: found.id,
      name: found.name,
      role: found.role,
      agencyId: found.agency?.id ?? null,
      agencyCode: found.agency?.code ?? null,
    };
  }

  #subscriber(): EventSubscriber {
    const clear = () => this.clear();
    return {
      getSubscribedEntities: () => [Principal],
      afterUpdate: clear,
      afterDelete: clear,
    };
  }
}
