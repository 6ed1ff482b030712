/**
 * Runs a suite on every database the gateway supports: always on a fresh SQLite file, and on a
 * fresh PostgreSQL database when PG_URL is set (CI sets it). Without PG_URL the PostgreSQL run is
 * skipped and says so.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import type { DatabaseTarget } from '../../src/db/database-url.js';
import { createScratchPostgres } from '../../src/db/scratch-postgres.js';

export interface TestDatabase {
  label: 'sqlite' | 'postgresql';
  /** A new, empty database of this kind; `drop` removes it. */
  create(): Promise<{ target: DatabaseTarget; drop(): Promise<void> }>;
}

const sqlite: TestDatabase = {
  label: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'gw-test-'));
    return {
      target: { kind: 'sqlite', path: join(dir, 'gateway.sqlite') },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

export function postgresDatabase(serverUrl: string): TestDatabase {
  return {
    label: 'postgresql',
    create: () => createScratchPostgres(serverUrl, `gw_test_${randomBytes(6).toString('hex')}`),
  };
}

const PG_URL = process.env.PG_URL;
let warned = false;

export function databases(): TestDatabase[] {
  if (!PG_URL && !warned) {
    warned = true;
    console.warn('PostgreSQL suite SKIPPED: set PG_URL=postgres://user@host:port/db to run it');
  }
  return PG_URL ? [sqlite, postgresDatabase(PG_URL)] : [sqlite];
}

/** `describe` once per database, with the database's label in the suite name. */
export function describeEachDatabase(name: string, suite: (db: TestDatabase) => void): void {
  for (const db of databases()) describe(`${name} [${db.label}]`, () => suite(db));
  if (!PG_URL) describe.skip(`${name} [postgresql: PG_URL not set]`, () => suite(postgresDatabase('')));
}
