import type { EventSubscriber } from '@mikro-orm/core';
import { findPrincipalByToken } from '../access/tokens.js';
import { Principal } from '../db/entities/index.js';
import type { Orm } from '../db/orm.js';
import type { RequestPrincipal } from '../graphql/context.js';
import { createLogger, type Logger } from '../log.js';

export interface PrincipalCacheOptions {
  orm: Orm;
  /** How long a token's principal is trusted without asking the database again. */
  ttlMs?: number;
  /** At most this many tokens are remembered; the oldest is forgotten first. */
  maxEntries?: number;
  /** Milliseconds; tests pass a fake one. */
  clock?: () => number;
  /**
   * How often to ask the database whether any principal changed (PRINCIPAL_POLL_MS): another
   * process's revocation is seen within this. 0: never; `poll()` still works when called.
   */
  pollMs?: number;
  /** Where a failing poll is reported (warn). */
  log?: Logger;
}

export const DEFAULT_PRINCIPAL_TTL_MS = 10_000;
export const DEFAULT_PRINCIPAL_POLL_MS = 1_000;
/** One row however many principals: a deleted row changes the count even when the max stays. */
const CHANGES_SQL = 'select max(changed_at) as changed_at, count(*) as n from principal';
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
 * through this ORM (revocation, a replaced admin token) forgets everything at once. A change made
 * by another process (`gateway token revoke`, a second gateway on the same PostgreSQL) takes effect
 * within about `pollMs`: every `pollMs` one cheap query reads max(changed_at) and count(*) of the
 * principals, and any difference from the previous answer forgets everything. Writers set
 * changed_at from their own clocks; should a change land below the current max (clocks out of step,
 * or two principals changed at once and committed out of order) and the count stay, `ttlMs` still
 * bounds how long it goes unseen. Unknown tokens are never remembered, so a token created elsewhere
 * works at once. Concurrent misses share one query. `close()` stops the polling.
 */
export class PrincipalCache {
  readonly #orm: Orm;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #clock: () => number;
  readonly #log: Logger;
  readonly #entries = new Map<string, Entry>();
  #generation = 0;
  /** The last answer of the change query; undefined until the first poll answers. */
  #lastChange: string | undefined;
  #polling: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor({ orm, ttlMs, maxEntries, clock, pollMs, log }: PrincipalCacheOptions) {
    this.#orm = orm;
    this.#ttlMs = ttlMs ?? DEFAULT_PRINCIPAL_TTL_MS;
    this.#maxEntries = maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.#clock = clock ?? Date.now;
    this.#log = log ?? createLogger('info');
    orm.em.getEventManager().registerSubscriber(this.#subscriber());
    const every = pollMs ?? DEFAULT_PRINCIPAL_POLL_MS;
    if (every > 0) {
      // Never what keeps the process alive; a tick while the previous poll still runs joins it.
      this.#timer = setInterval(() => void this.poll(), every).unref();
      void this.poll();
    }
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

  /**
   * Asks the database whether any principal changed since the last poll and forgets every token if
   * so. The first answer is the baseline (and forgets too: what was cached before it may predate a
   * change it includes). Never rejects: a failure is logged and the next poll compares with the last
   * answer that came. While a poll runs, another call waits for it instead of querying again.
   */
  poll(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#polling ??= this.#pollOnce().finally(() => {
      this.#polling = undefined;
    });
    return this.#polling;
  }

  /** Stops polling and waits for a poll under way; call before the ORM closes. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#polling;
  }

  async #pollOnce(): Promise<void> {
    let answer: string;
    try {
      const rows = await this.#orm.em
        .getConnection()
        .execute<{ changed_at: unknown; n: unknown }[]>(CHANGES_SQL);
      const row = rows[0];
      const changed = row?.changed_at instanceof Date ? row.changed_at.getTime() : row?.changed_at;
      answer = `${String(changed ?? '')}/${Number(row?.n ?? 0)}`;
    } catch (err) {
      if (!this.#closed) this.#log.warn({ err }, 'principal change poll failed; cached tokens kept');
      return;
    }
    if (this.#closed || answer === this.#lastChange) return;
    this.#lastChange = answer;
    this.clear();
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
