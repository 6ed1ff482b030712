import { Client } from 'pg';
import type { DatabaseTarget } from './database-url.js';

export interface ScratchDatabase {
  target: DatabaseTarget;
  drop(): Promise<void>;
}

/**
 * Creates an empty PostgreSQL database beside the one `serverUrl` names. Tests and the migration
 * generator use it to start from nothing; `drop` removes it even while connections linger.
 */
export async function createScratchPostgres(serverUrl: string, dbName: string): Promise<ScratchDatabase> {
  if (!/^[a-z0-9_]+$/.test(dbName)) throw new Error(`unsafe database name ${dbName}`);
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${dbName}`);
  } catch (err) {
    await admin.end();
    throw err;
  }
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  return {
    target: { kind: 'postgresql', url: url.toString(), dbName },
    drop: async () => {
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

export async function withScratchPostgres<T>(
  serverUrl: string,
  dbName: string,
  work: (target: DatabaseTarget) => Promise<T>,
): Promise<T> {
  const scratch = await createScratchPostgres(serverUrl, dbName);
  try {
    return await work(scratch.target);
  } finally {
    await scratch.drop();
  }
}
