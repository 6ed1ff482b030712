/**
 * `gateway token revoke` and `gateway token list` as an operator runs them (real processes on a
 * SQLite file), and a revocation reaching a serving gateway within its PRINCIPAL_POLL_MS.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrincipal } from '../src/access/tokens.js';
import { loadConfig } from '../src/config.js';
import { migrate, openOrm } from '../src/db/orm.js';
import { createLogger } from '../src/log.js';
import { startServer } from '../src/server.js';
import { inListOrder } from './support/principals.js';
import { killLeftovers, track } from './support/processes.js';

const GATEWAY = fileURLToPath(new URL('../bin/gateway.js', import.meta.url));
const ISO = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';

/** The caller's environment without anything that would point the gateway elsewhere. */
const BASE_ENV: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(DATABASE_URL|PORT|HOST|LOG_LEVEL|GATEWAY_)/.test(key)),
);

let dir: string;
let env: NodeJS.ProcessEnv;

async function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = track(
    spawn(process.execPath, [GATEWAY, ...args], {
      cwd: dir,
      env: { ...BASE_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

/** Principals made the way `token create` makes them, straight into the file the CLI will use. */
async function makePrincipals(names: string[]) {
  const orm = await openOrm({ kind: 'sqlite', path: join(dir, 'gw.sqlite') });
  try {
    await migrate(orm);
    const made = [];
    for (const name of names) made.push(await createPrincipal(orm.em.fork(), { name, role: 'operator' }));
    return made;
  } finally {
    await orm.close(true);
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gw-cli-tokens-'));
  env = { DATABASE_URL: 'sqlite:gw.sqlite', LOG_LEVEL: 'silent' };
});

afterAll(async () => {
  await killLeftovers();
  rmSync(dir, { recursive: true, force: true });
});

describe('gateway token revoke and list', () => {
  it('lists principals without hashes, revokes one by id, reports a second revoke, refuses what it cannot do', async () => {
    const made = await makePrincipals(['нічна зміна', 'нічна зміна', 'денна зміна']);
    const order = inListOrder(...made.map((m) => m.principal));
    const [a, b] = order.filter((p) => p.name === 'нічна зміна');
    if (!a || !b) throw new Error('two principals of one name expected');

    const listed = await run(['token', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stderr).toBe('');
    expect(listed.stdout.split('\n')).toEqual([
      ...order.map((p) =>
        expect.stringMatching(new RegExp(`^${p.id}\\t${p.name}\\toperator\\t-\\t${ISO}\\t-$`)),
      ),
      '',
    ]);
    expect(listed.stdout).not.toContain(a.tokenHash);

    expect(await run(['token', 'revoke', '--name', 'нічна зміна'])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `gateway: PRINCIPAL_NAME_AMBIGUOUS: 2 principals are named "нічна зміна": ` +
        `${a.id}, ${b.id}; revoke one with --id\n`,
    });
    expect(await run(['token', 'revoke', '--id', a.id])).toEqual({
      code: 0,
      stdout: `revoked: ${a.id} нічна зміна (operator)\n`,
      stderr: '',
    });
    const again = await run(['token', 'revoke', '--id', a.id]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`^already revoked at ${ISO}: ${a.id} нічна зміна`));
    expect(await run(['token', 'revoke', '--name', 'денна зміна'])).toMatchObject({ code: 0 });

    const unknown = await run(['token', 'revoke', '--name', 'нікого']);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toMatch(/^gateway: PRINCIPAL_NOT_FOUND: no principal named "нікого"/);
    expect(await run(['token', 'revoke'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'gateway: REVOKE_TARGET_REQUIRED: give exactly one of --id and --name\n',
    });

    const after = (await run(['token', 'list'])).stdout.split('\n');
    // Revoked: one of the two night shifts, and the day shift; the other night shift still works.
    expect(after.slice(0, 3)).toEqual(
      order.map((p) => expect.stringMatching(p.id === b.id ? /\t-$/ : new RegExp(`\\t${ISO}$`))),
    );
  }, 60_000);

  it('a token revoked from the command line is refused by a serving gateway within PRINCIPAL_POLL_MS', async () => {
    const [made] = await makePrincipals(['на відкликання']);
    if (!made) throw new Error('a principal expected');
    const config = loadConfig({ ...env, PORT: '0', HOST: '127.0.0.1', PRINCIPAL_POLL_MS: '100' }, dir);
    const server = await startServer(config, createLogger('silent'));
    try {
      const ask = async () =>
        (
          await fetch(`http://127.0.0.1:${server.port}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${made.token}` },
            body: JSON.stringify({ query: '{ agencies { code } }' }),
          })
        ).status;
      expect(await ask()).toBe(200); // now cached for 10 s

      expect((await run(['token', 'revoke', '--id', made.principal.id])).code).toBe(0);
      const revokedAt = Date.now();
      let status = await ask();
      // Waits on the server's own poll timer (another process: no fake clock reaches it), well inside
      // the cache's 10 s lifetime.
      while (status === 200 && Date.now() - revokedAt < 3_000) {
        await pause(50);
        status = await ask();
      }
      expect(status).toBe(401);
    } finally {
      await server.close();
    }
  }, 60_000);
});
