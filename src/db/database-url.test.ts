import { describe, expect, it } from 'vitest';
import { ConfigError, parseDatabaseUrl, redactDatabaseUrl } from './database-url.js';

describe('DATABASE_URL', () => {
  it('resolves a relative SQLite path against the working directory and keeps an absolute one', () => {
    expect(parseDatabaseUrl('sqlite:data/gateway.sqlite', '/srv/gw')).toEqual({
      kind: 'sqlite',
      path: '/srv/gw/data/gateway.sqlite',
    });
    expect(parseDatabaseUrl('sqlite:/var/lib/gw/db.sqlite', '/srv/gw')).toEqual({
      kind: 'sqlite',
      path: '/var/lib/gw/db.sqlite',
    });
    expect(parseDatabaseUrl('sqlite:///var/lib/gw/db.sqlite', '/srv/gw')).toEqual({
      kind: 'sqlite',
      path: '/var/lib/gw/db.sqlite',
    });
  });

  it('reads PostgreSQL URLs with their database name', () => {
    expect(parseDatabaseUrl('postgres://gw@127.0.0.1:5432/gateway', '/')).toMatchObject({
      kind: 'postgresql',
      dbName: 'gateway',
    });
    expect(parseDatabaseUrl('postgresql://gw:secret@db:5432/appeals', '/')).toMatchObject({
      dbName: 'appeals',
    });
  });

  it.each(['mysql://x/y', 'sqlite:', 'postgres://127.0.0.1:5432/', 'postgres://', 'gateway.sqlite'])(
    'refuses %j with a ConfigError that names DATABASE_URL',
    (raw) => {
      expect(() => parseDatabaseUrl(raw, '/')).toThrow(ConfigError);
      expect(() => parseDatabaseUrl(raw, '/')).toThrow(/DATABASE_URL/);
    },
  );

  it('never prints a password', () => {
    expect(redactDatabaseUrl('postgres://gw:s3cret@db:5432/appeals')).toBe(
      'postgres://gw:***@db:5432/appeals',
    );
    expect(redactDatabaseUrl('sqlite:data/gateway.sqlite')).toBe('sqlite:data/gateway.sqlite');
  });
});
