/**
 * The `gateway` command as an operator runs it: real processes, a fresh working directory each,
 * and a clean environment, asserting exit codes, output lines and the files that appear.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_LOCAL_TOPICS } from '../src/intake/regional-line/local-topics.js';
import { killLeftovers, track, within } from './support/processes.js';

const GATEWAY = fileURLToPath(new URL('../bin/gateway.js', import.meta.url));
const ADMIN_TOKEN = 'cli-test-admin-token-0123456789';
const AGENCIES = 18;
const TOKEN_LINE = /^gw_[A-Za-z0-9_-]{43}$/;
const EXAMPLE_RULES = JSON.parse(
  readFileSync(new URL('../schema/routing/examples/zaporizhzhia.json', import.meta.url), 'utf8'),
) as unknown;

/** The caller's environment without anything that would point the gateway elsewhere. */
const BASE_ENV: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) => !['DATABASE_URL', 'PORT', 'GATEWAY_ADMIN_TOKEN', 'HOST', 'LOG_LEVEL'].includes(key),
  ),
);

const dirs: string[] = [];
let cwd: string;

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gw-cli-'));
  dirs.push(dir);
  return dir;
}

function spawnGateway(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [GATEWAY, ...args], {
    cwd,
    env: { ...BASE_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  return child;
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  const child = spawnGateway(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

/** The failure contract: exit 1 and exactly one line on stderr, starting with `gateway: `. */
function failureLine(result: RunResult): string {
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/^gateway: [^\n]+\n$/);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  return result.stderr.trimEnd();
}

type LogLine = { msg?: string; [key: string]: unknown };

interface Serving {
  port: number;
  logs: LogLine[];
  /** stdout lines that were not JSON (there should be none). */
  garbage: string[];
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  child: ChildProcess;
}

/** Starts `serve` and resolves once its "gateway listening" log line names the port. */
async function startServe(env: NodeJS.ProcessEnv): Promise<Serving> {
  const child = spawnGateway(['serve'], env);
  const logs: LogLine[] = [];
  const garbage: string[] = [];
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = once(child, 'close').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const listening = new Promise<number>((resolve, reject) => {
    const lines = createInterface({
      input: child.stdout as NonNullable<typeof child.stdout>,
      crlfDelay: Infinity,
    });
    lines.on('line', (line) => {
      let entry: LogLine;
      try {
        entry = JSON.parse(line) as LogLine;
      } catch {
        garbage.push(line);
        return;
      }
      logs.push(entry);
      if (entry.msg === 'gateway listening') resolve(entry.port as number);
    });
    exited.then(
      ({ code, signal }) =>
        reject(new Error(`serve exited (code ${code}, signal ${signal}) before listening: ${stderr}`)),
      reject,
    );
  });
  const port = await within(listening, 30_000, 'no "gateway listening" line from serve');
  return { port, logs, garbage, stderr: () => stderr, exited, child };
}

async function graphql(port: number, query: string, token?: string) {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query }),
  });
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    body: (await res.json()) as { data?: { agencies?: { code: string }[] }; code?: string; errors?: unknown },
  };
}

beforeEach(() => {
  cwd = tempDir();
});

afterEach(async () => {
  await killLeftovers();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

afterAll(killLeftovers);

describe('gateway CLI: failures at start', () => {
  it.each(['migrate', 'serve'])(
    '%s with an unsupported DATABASE_URL scheme fails with one line and creates nothing',
    async (command) => {
      const result = await run([command], { DATABASE_URL: 'mysql://x' });
      expect(failureLine(result)).toContain('DATABASE_URL');
      expect(result.stdout).toBe('');
      expect(readdirSync(cwd)).toEqual([]);
    },
    15_000,
  );

  it('migrate against an unreachable PostgreSQL fails with one clear line and no stack trace', async () => {
    const result = await run(['migrate'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nope' });
    const line = failureLine(result);
    expect(line).toContain('DATABASE_UNAVAILABLE');
    expect(line).toContain('postgres://postgres@127.0.0.1:1/nope');
    expect(line).toContain('ECONNREFUSED');
    expect(result.stdout).toBe('');
  }, 15_000);

  it('serve with a too-short admin token fails before it touches the database', async () => {
    const result = await run(['serve'], { GATEWAY_ADMIN_TOKEN: 'short', PORT: '0' });
    expect(failureLine(result)).toContain('GATEWAY_ADMIN_TOKEN');
    expect(readdirSync(cwd)).toEqual([]);
  }, 15_000);

  it.each([
    [
      ['token', 'create', '--role', 'bogus'],
      'Allowed choices are admin, operator, agency, integration, auditor',
    ],
    [['token', 'create'], "required option '--role <role>'"],
    [['nope'], "unknown command 'nope'"],
  ])(
    'usage error %j gives one line that says what is wrong',
    async (args, expected) => {
      const result = await run(args, { DATABASE_URL: 'sqlite:gw.sqlite' });
      expect(failureLine(result)).toContain(expected);
      expect(result.stdout).toBe('');
      expect(readdirSync(cwd)).toEqual([]);
    },
    15_000,
  );
});

describe('gateway CLI: seed and tokens', () => {
  it('seed is idempotent and puts a relative sqlite: path in the working directory', async () => {
    const env = { DATABASE_URL: 'sqlite:gw.sqlite' };
    const first = await run(['seed'], env);
    expect(first).toEqual({
      code: 0,
      stdout:
        `agencies created: ${AGENCIES}, already present: 0\nlocal topics loaded: ${DEFAULT_LOCAL_TOPICS.length}\n` +
        'routing rules published: version 1\n',
      stderr: '',
    });
    const second = await run(['seed'], env);
    expect(second).toEqual({
      code: 0,
      stdout: `agencies created: 0, already present: ${AGENCIES}\n`,
      stderr: '',
    });
    expect(existsSync(join(cwd, 'gw.sqlite'))).toBe(true);
  }, 20_000);

  it('rules export prints the live ruleset; rules import refuses a bad file with every problem, publishes a good one', async () => {
    const env = { DATABASE_URL: 'sqlite:gw.sqlite' };
    expect((await run(['seed'], env)).code).toBe(0);
    const exported = await run(['rules', 'export'], env);
    expect(exported.code).toBe(0);
    const live = JSON.parse(exported.stdout) as {
      name: string;
      rules: { id: string; then: { responsible: string } }[];
    };
    expect(live).toEqual(EXAMPLE_RULES);

    const badFile = join(cwd, 'bad.json');
    const bad = structuredClone(live);
    (bad.rules[3] as { then: { responsible: string } }).then.responsible = '12345678';
    writeFileSync(badFile, JSON.stringify({ ...bad, default: undefined }));
    const refused = await run(['rules', 'import', badFile, '--publish'], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.split('\n')).toEqual([
      '  /default MISSING_DEFAULT: the ruleset needs a default: where appeals go when no rule matches (usually "triage")',
      expect.stringMatching(/^gateway: RULESET_INVALID: the ruleset has 1 problem/),
      '',
    ]);
    writeFileSync(badFile, JSON.stringify(bad));
    const unknown = await run(['rules', 'import', badFile], env);
    expect(unknown.stderr).toContain(
      '  /rules/3/then/responsible UNKNOWN_AGENCY: no active body with EDRPOU code 12345678',
    );

    const goodFile = join(cwd, 'good.json');
    writeFileSync(goodFile, JSON.stringify({ ...live, name: 'Правила v2' }));
    const published = await run(['rules', 'import', goodFile, '--publish'], env);
    expect(published).toEqual({
      code: 0,
      stdout: `ruleset version 2 published: ${live.rules.length} rules\n`,
      stderr: '',
    });
    const v1 = await run(['rules', 'export', '--version', '1'], env);
    expect(JSON.parse(v1.stdout).name).toBe(live.name);
    expect(JSON.parse((await run(['rules', 'export'], env)).stdout).name).toBe('Правила v2');
    expect(failureLine(await run(['rules', 'export', '--version', '9'], env))).toBe(
      'gateway: RULESET_NOT_FOUND: no ruleset version 9',
    );
    expect(failureLine(await run(['rules', 'import', join(cwd, 'missing.json')], env))).toMatch(
      /^gateway: RULESET_UNREADABLE: cannot read /,
    );
  }, 60_000);

  it('deliveries and jobs by hand: list dead letters, run the dispatcher, pull statuses, refuse bad input', async () => {
    const env = { DATABASE_URL: 'sqlite:gw.sqlite' };
    expect((await run(['seed'], env)).code).toBe(0);
    expect(await run(['deliveries', 'list'], env)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await run(['deliveries', 'run'], env)).toEqual({
      code: 0,
      stdout: 'claimed: 0, delivered: 0, retried: 0, dead: 0\n',
      stderr: '',
    });
    expect(failureLine(await run(['deliveries', 'replay'], env))).toBe(
      'gateway: give exactly one of --id and --agency (see gateway --help)',
    );
    expect(await run(['deliveries', 'replay', '--agency', '99923101'], env)).toEqual({
      code: 0,
      stdout: 'replayed: 0\n',
      stderr: '',
    });
    const pulled = await run(['job', 'run', 'pull-agency-statuses'], env);
    expect(pulled.code).toBe(0);
    expect(pulled.stdout).toMatch(/^pull-agency-statuses: succeeded \{"agencies":0,/);
    expect(failureLine(await run(['job', 'run', 'no-such-job'], env))).toMatch(
      /^gateway: unknown job no-such-job/,
    );
  }, 60_000);

  it('token create --role agency needs --agency', async () => {
    const result = await run(['token', 'create', '--role', 'agency'], { DATABASE_URL: 'sqlite:gw.sqlite' });
    expect(failureLine(result)).toContain('--agency');
    expect(result.stdout).toBe('');
  }, 15_000);

  it('token create --role agency with an unknown code fails with UNKNOWN_AGENCY', async () => {
    const result = await run(['token', 'create', '--role', 'agency', '--agency', '00000000'], {
      DATABASE_URL: 'sqlite:gw.sqlite',
    });
    expect(failureLine(result)).toContain('UNKNOWN_AGENCY');
    expect(result.stdout).toBe('');
  }, 15_000);

  it('token create --role operator prints the token once, on one line', async () => {
    const result = await run(['token', 'create', '--role', 'operator'], { DATABASE_URL: 'sqlite:gw.sqlite' });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    expect(lines[0]).toMatch(TOKEN_LINE);
  }, 15_000);

  it('an absolute sqlite: path is used as is, not under the working directory', async () => {
    const file = join(tempDir(), 'nested', 'abs.sqlite');
    const first = await run(['migrate'], { DATABASE_URL: `sqlite:${file}` });
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/^applied: \S+/);
    expect(existsSync(file)).toBe(true);
    expect(readdirSync(cwd)).toEqual([]);
    // sqlite:///abs names the same file.
    const again = await run(['migrate'], { DATABASE_URL: `sqlite://${file}` });
    expect(again).toEqual({ code: 0, stdout: 'database is up to date\n', stderr: '' });
    expect(readdirSync(cwd)).toEqual([]);
  }, 20_000);
});

describe('gateway serve end to end', () => {
  it('serves on the default database, accepts admin and CLI-made tokens, and stops cleanly on SIGTERM', async () => {
    const server = await startServe({ PORT: '0', HOST: '127.0.0.1', GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN });
    const { port } = server;
    expect(port).toBeGreaterThan(0);
    expect(existsSync(join(cwd, 'data', 'gateway.sqlite'))).toBe(true);
    expect(server.logs.find((l) => l.msg === 'gateway listening')?.database).toBe(
      'sqlite:data/gateway.sqlite',
    );

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });

    const anonymous = await graphql(port, '{ agencies { code } }');
    expect(anonymous.status).toBe(401);
    expect(anonymous.contentType).toContain('application/json');
    expect(anonymous.body.code).toBe('UNAUTHENTICATED');

    const unknown = await graphql(port, '{ agencies { code } }', 'gw_not-a-real-token');
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe('INVALID_TOKEN');

    const admin = await graphql(port, '{ agencies { code } }', ADMIN_TOKEN);
    expect(admin.status).toBe(200);
    expect(admin.body.errors).toBeUndefined();
    expect(admin.body.data?.agencies).toHaveLength(AGENCIES);

    // Same default DATABASE_URL, while the server holds the database open.
    const made = await run(['token', 'create', '--role', 'operator', '--name', 'night shift']);
    expect(made.code).toBe(0);
    expect(made.stderr).toBe('');
    const operatorToken = made.stdout.trimEnd();
    expect(operatorToken).toMatch(TOKEN_LINE);
    const operator = await graphql(port, '{ agencies { code } }', operatorToken);
    expect(operator.status).toBe(200);
    expect(operator.body.data?.agencies).toHaveLength(AGENCIES);

    server.child.kill('SIGTERM');
    const exit = await within(server.exited, 10_000, 'serve did not exit after SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(server.logs).toContainEqual(expect.objectContaining({ msg: 'shutting down', signal: 'SIGTERM' }));
    expect(server.garbage).toEqual([]);
    expect(server.stderr()).toBe('');
  }, 60_000);
});
