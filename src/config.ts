import {
  ConfigError,
  type DatabaseTarget,
  DEFAULT_DATABASE_URL,
  parseDatabaseUrl,
} from './db/database-url.js';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  database: DatabaseTarget;
  adminToken: string | null;
  logLevel: string;
  production: boolean;
}

export const MIN_ADMIN_TOKEN_LENGTH = 16;

/** Reads the process environment once, at start-up; every bad value is a ConfigError with one line. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`PORT: not a port number: ${env.PORT}`);
  const databaseUrl = env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
  const adminToken = env.GATEWAY_ADMIN_TOKEN?.trim() || null;
  if (adminToken !== null && adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new ConfigError(`GATEWAY_ADMIN_TOKEN: must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);
  }
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl,
    database: parseDatabaseUrl(databaseUrl, cwd),
    adminToken,
    logLevel: env.LOG_LEVEL ?? 'info',
    production: env.NODE_ENV === 'production',
  };
}
