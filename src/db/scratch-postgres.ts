import { Client } from 'pg';
import type { DatabaseTarget } from './database-url.js';

/**
 * Creates an empty PostgreSQL database beside the one `serverUrl` names, hands it to `work`,
 * and drops it afterwards. Tests and the migration generator use it to start from nothing.
 */
export async function withScratchPostgres<T>(
  serverUrl: string,
  dbName: string,
  work: (target: DatabaseTarget) => Promise<T>,
): Promise<T> {
  if (!/^[a-z0-9_]+$/.test(dbName)) throw new Error(`unsafe database name ${dbName}`);
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${dbName}`);
    const url = new URL(serverUrl);
    url.pathname = `/${dbName}`;
    try {
      return await work({ kind: 'postgresql', url: url.toString(), dbName });
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}
