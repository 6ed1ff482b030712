import cron from 'node-cron';
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
  intakeMaxBytes: number;
  /** The UCC's feed of appeals; when set, `pull-gov-line` runs on `govLineFeedSchedule`. */
  govLineFeedUrl: string | null;
  govLineFeedToken: string | null;
  govLineFeedSchedule: string;
  /** How often the dispatcher looks for due deliveries (cron with seconds allowed). */
  deliverySchedule: string;
  /** How often bodies' systems are asked for status changes. */
  agencyStatusSchedule: string;
  /** How often the deadline watch runs. */
  overdueScanSchedule: string;
  /** Where status messages go to the UCC (`push-ucc-statuses` runs when set), and its list of open appeals. */
  uccStatusUrl: string | null;
  uccOpenUrl: string | null;
  /** Bearer token for the UCC's status and open-list endpoints (default: GOV_LINE_FEED_TOKEN). */
  uccToken: string | null;
  uccStatusSchedule: string;
  /** The nightly reconciliation. */
  reconcileSchedule: string;
  /** GraphQL requests a minute per principal (0: no limit), and how many may come at once. */
  graphqlRateLimit: number;
  graphqlRateBurst: number;
  /** How often the server asks whether another process changed a principal (ms; 0: never). */
  principalPollMs: number;
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
    intakeMaxBytes: positiveInt(env, 'INTAKE_MAX_BYTES', 64 * 1024 * 1024),
    govLineFeedUrl: httpUrl(env, 'GOV_LINE_FEED_URL'),
    govLineFeedToken: env.GOV_LINE_FEED_TOKEN?.trim() || null,
    govLineFeedSchedule: cronExpression(env, 'GOV_LINE_FEED_SCHEDULE', '* * * * *'),
    deliverySchedule: cronExpression(env, 'DELIVERY_SCHEDULE', '*/10 * * * * *'),
    agencyStatusSchedule: cronExpression(env, 'AGENCY_STATUS_SCHEDULE', '*/5 * * * *'),
    overdueScanSchedule: cronExpression(env, 'OVERDUE_SCAN_SCHEDULE', '0 * * * *'),
    uccStatusUrl: httpUrl(env, 'UCC_STATUS_URL'),
    uccOpenUrl: httpUrl(env, 'UCC_OPEN_URL'),
    uccToken: env.UCC_TOKEN?.trim() || env.GOV_LINE_FEED_TOKEN?.trim() || null,
    uccStatusSchedule: cronExpression(env, 'UCC_STATUS_SCHEDULE', '*/5 * * * *'),
    reconcileSchedule: cronExpression(env, 'RECONCILE_SCHEDULE', '30 2 * * *'),
    graphqlRateLimit: nonNegativeInt(env, 'GRAPHQL_RATE_LIMIT', 600),
    graphqlRateBurst: positiveInt(env, 'GRAPHQL_RATE_BURST', 100),
    principalPollMs: nonNegativeInt(env, 'PRINCIPAL_POLL_MS', 1_000),
  };
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new ConfigError(`${name}: expected a positive integer, got ${raw}`);
  return value;
}

function nonNegativeInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new ConfigError(`${name}: expected a whole number, 0 or more, got ${raw}`);
  return value;
}

function httpUrl(env: NodeJS.ProcessEnv, name: string): string | null {
  const value = env[name]?.trim();
  if (!value) return null;
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {}
  throw new ConfigError(`${name}: not an http(s) URL: ${value}`);
}

function cronExpression(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name]?.trim() || fallback;
  if (!cron.validate(value)) throw new ConfigError(`${name}: not a cron expression: ${value}`);
  return value;
}
