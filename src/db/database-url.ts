import { isAbsolute, resolve } from 'node:path';

export type DatabaseTarget =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgresql'; url: string; dbName: string };

export const DEFAULT_DATABASE_URL = 'sqlite:data/gateway.sqlite';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';
}

/**
 * `DATABASE_URL` → where the data lives. `sqlite:PATH` (relative to `cwd` or absolute) for the
 * embedded default, `postgres://user@host:port/db` (or `postgresql://`) for scale.
 */
export function parseDatabaseUrl(raw: string, cwd: string): DatabaseTarget {
  const value = raw.trim();
  if (value.startsWith('sqlite:')) {
    const path = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '')
      throw new ConfigError('DATABASE_URL: sqlite: needs a file path, e.g. sqlite:data/gateway.sqlite');
    if (path === ':memory:') return { kind: 'sqlite', path };
    return { kind: 'sqlite', path: isAbsolute(path) ? path : resolve(cwd, path) };
  }
  if (/^postgres(ql)?:\/\//.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new ConfigError('DATABASE_URL: not a valid postgres:// URL');
    }
    const dbName = decodeURIComponent(url.pathname.replace(/^\//, ''));
    if (!url.hostname || !dbName) {
      throw new ConfigError(
        'DATABASE_URL: a postgres URL needs a host and a database, e.g. postgres://user@127.0.0.1:5432/gateway',
      );
    }
    return { kind: 'postgresql', url: value, dbName };
  }
  throw new ConfigError(
    `DATABASE_URL: unsupported scheme in "${value.split(':')[0]}:"; use sqlite:PATH or postgres://user@host:port/db`,
  );
}

/** The URL with any password replaced, for logs and error lines. */
export function redactDatabaseUrl(raw: string): string {
  return raw.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
