/**
 * The `gateway` command: the composition root for the server and the operator's tools.
 * Every command reads the same DATABASE_URL as the server.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { createPrincipal, listPrincipals, revokePrincipal } from './access/tokens.js';
import { type Config, loadConfig } from './config.js';
import { DELIVERY_STATES, type DeliveryState } from './db/entities/delivery.js';
import { Delivery, RuleSet } from './db/entities/index.js';
import { ROLES, type Role } from './db/entities/principal.js';
import { migrate, openOrm } from './db/orm.js';
import { dispatchUntilIdle, replayDeadLetters } from './delivery/dispatcher.js';
import { seedLocalTopics } from './intake/local-topics.js';
import { JOB_NAMES, type JobName, JobNotConfiguredError, runJob, uccConfig } from './jobs/registry.js';
import { createLogger } from './log.js';
import { publish, RuleSetInvalidError, saveDraft } from './routing/rulesets.js';
import { loadSeed } from './seed/load-seed.js';
import { seedRuleSet } from './seed/rules.js';
import { ZAPORIZHZHIA_AGENCIES } from './seed/zaporizhzhia.js';
import { startServer } from './server.js';

async function withOrm<T>(
  config: Config,
  work: (orm: Awaited<ReturnType<typeof openOrm>>) => Promise<T>,
): Promise<T> {
  const orm = await openOrm(config.database);
  try {
    return await work(orm);
  } finally {
    await orm.close(true);
  }
}

const program = new Command('gateway')
  .description('Appeal routing gateway')
  // Usage errors go through main()'s one-line contract instead of commander's own printout.
  .exitOverride()
  .configureOutput({ writeErr: () => {}, outputError: () => {} });

program
  .command('serve')
  .description('migrate the database and serve HTTP on PORT (default 8080)')
  .action(async () => {
    const config = loadConfig();
    const log = createLogger(config.logLevel);
    const server = await startServer(config, log);
    const stop = (signal: string) => {
      log.info({ signal }, 'shutting down');
      server.close().then(
        () => process.exit(0),
        (err: unknown) => {
          log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });

program
  .command('migrate')
  .description('apply pending migrations (all or nothing)')
  .action(async () => {
    const names = await withOrm(loadConfig(), migrate);
    console.log(names.length ? `applied: ${names.join(', ')}` : 'database is up to date');
  });

program
  .command('seed')
  .description('load the Zaporizhzhia oblast directory of bodies (idempotent)')
  .action(async () => {
    const report = await withOrm(loadConfig(), async (orm) => {
      await migrate(orm);
      const agencies = await loadSeed(orm.em.fork(), ZAPORIZHZHIA_AGENCIES);
      return {
        ...agencies,
        localTopics: await seedLocalTopics(orm.em.fork()),
        rules: await seedRuleSet(orm.em.fork()),
      };
    });
    console.log(`agencies created: ${report.created}, already present: ${report.unchanged}`);
    if (report.localTopics) console.log(`local topics loaded: ${report.localTopics}`);
    if ('published' in report.rules)
      console.log(`routing rules published: version ${report.rules.published}`);
    if ('refused' in report.rules)
      console.log(`routing rules not published: ${report.rules.refused.join(', ')}`);
  });

const token = program.command('token').description('bearer tokens');
token
  .command('create')
  .description('create a principal and print its token once')
  .addOption(new Option('--role <role>', 'role of the principal').choices([...ROLES]).makeOptionMandatory())
  .option('--agency <code>', 'EDRPOU code of the body (role agency only)')
  .option('--name <name>', 'who holds the token', (v) => {
    if (!v.trim()) throw new InvalidArgumentError('a name cannot be empty');
    return v.trim();
  })
  .action(async (opts: { role: Role; agency?: string; name?: string }) => {
    const { token: value } = await withOrm(loadConfig(), async (orm) => {
      await migrate(orm);
      return createPrincipal(orm.em.fork(), {
        name: opts.name ?? (opts.agency ? `${opts.role}:${opts.agency}` : opts.role),
        role: opts.role,
        agencyCode: opts.agency,
      });
    });
    console.log(value);
  });
token
  .command('revoke')
  .description('refuse a token from now on: serving gateways see it within PRINCIPAL_POLL_MS')
  .option('--id <id>', 'the principal (gateway token list shows ids)')
  .option('--name <name>', 'the principal, when no other has this name')
  .action(async (opts: { id?: string; name?: string }) => {
    const { principal: p, alreadyRevoked } = await withOrm(loadConfig(), async (orm) => {
      await migrate(orm);
      return revokePrincipal(orm.em.fork(), opts);
    });
    const who = `${p.id} ${p.name} (${p.role})`;
    console.log(
      alreadyRevoked ? `already revoked at ${p.revokedAt?.toISOString()}: ${who}` : `revoked: ${who}`,
    );
  });
token
  .command('list')
  .description('list principals, one per line: id, name, role, agency, created, revoked (never a token)')
  .action(async () => {
    const rows = await withOrm(loadConfig(), async (orm) => {
      await migrate(orm);
      return listPrincipals(orm.em.fork());
    });
    for (const p of rows) {
      const when = [p.createdAt.toISOString(), p.revokedAt?.toISOString() ?? '-'];
      console.log([p.id, p.name, p.role, p.agencyCode ?? '-', ...when].join('\t'));
    }
  });

const rules = program.command('rules').description('routing rules (schema/routing/ruleset.schema.json)');
rules
  .command('import')
  .description('save a ruleset file as a new draft; with --publish make it the live ruleset')
  .argument('<file>', 'the ruleset JSON file')
  .option('--publish', 'publish the draft at once (the previous version is retired)')
  .action(async (file: string, opts: { publish?: boolean }) => {
    const document = readRuleSetFile(file);
    const saved = await withOrm(loadConfig(), async (orm) => {
      await migrate(orm);
      try {
        const draft = await saveDraft(orm.em.fork(), document, 'cli', new Date());
        return opts.publish ? await publish(orm.em.fork(), draft.version, 'cli', new Date()) : draft;
      } catch (err) {
        if (err instanceof RuleSetInvalidError) {
          for (const p of err.problems) console.error(`  ${p.pointer} ${p.code}: ${p.message}`);
        }
        throw err;
      }
    });
    console.log(
      `ruleset version ${saved.version} ${saved.state === 'published' ? 'published' : 'saved as a draft'}: ` +
        `${saved.document.rules.length} rules`,
    );
  });
rules
  .command('export')
  .description('print the published ruleset (or --version N) as JSON')
  .option('--version <n>', 'a version number', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a version is a positive integer');
    return n;
  })
  .action(async (opts: { version?: number }) => {
    const found = await withOrm(loadConfig(), async (orm) => {
      await migrate(orm);
      const where = opts.version === undefined ? { state: 'published' as const } : { version: opts.version };
      return orm.em.fork().findOne(RuleSet, where);
    });
    if (!found) {
      throw Object.assign(
        new Error(
          opts.version === undefined ? 'no ruleset is published' : `no ruleset version ${opts.version}`,
        ),
        { code: 'RULESET_NOT_FOUND' },
      );
    }
    process.stdout.write(`${JSON.stringify(found.document, null, 2)}\n`);
  });

const deliveries = program.command('deliveries').description('the delivery outbox');
deliveries
  .command('list')
  .description('list deliveries in a state (default: dead letters), oldest first, one per line')
  .addOption(new Option('--state <state>', 'delivery state').choices([...DELIVERY_STATES]).default('dead'))
  .option('--agency <code>', 'only this body (EDRPOU code)')
  .action(async (opts: { state: DeliveryState; agency?: string }) => {
    const rows = await withOrm(loadConfig(), async (orm) => {
      await migrate(orm);
      return orm.em
        .fork()
        .find(
          Delivery,
          { state: opts.state, ...(opts.agency ? { agency: { code: opts.agency } } : {}) },
          { populate: ['agency'], orderBy: { createdAt: 'asc', id: 'asc' }, limit: 1000 },
        );
    });
    for (const d of rows) {
      const why = d.deadReason ?? (d.lastErrorCode ? `${d.lastErrorCode}: ${d.lastError ?? ''}` : '');
      console.log([d.id, d.agency.code, d.adapterKind, d.state, d.attempts, why].join('\t'));
    }
  });
deliveries
  .command('replay')
  .description('make dead letters due again: one (--id) or all of a body (--agency)')
  .option('--id <id>', 'one delivery')
  .option('--agency <code>', 'every dead letter of this body (EDRPOU code)')
  .action(async (opts: { id?: string; agency?: string }) => {
    if (!opts.id === !opts.agency) throw new InvalidArgumentError('give exactly one of --id and --agency');
    const count = await withOrm(loadConfig(), async (orm) => {
      await migrate(orm);
      const where = opts.id ? { id: opts.id } : { agencyCode: opts.agency as string };
      return replayDeadLetters(orm.em.fork(), where, new Date());
    });
    console.log(`replayed: ${count}`);
  });
deliveries
  .command('run')
  .description('forward every due delivery now, then exit (the server does this on DELIVERY_SCHEDULE)')
  .action(async () => {
    const report = await withOrm(loadConfig(), async (orm) => {
      await migrate(orm);
      return dispatchUntilIdle({ orm, owner: `cli:${hostname()}:${process.pid}` });
    });
    console.log(
      `claimed: ${report.claimed}, delivered: ${report.delivered}, retried: ${report.retried}, dead: ${report.dead}`,
    );
  });

const job = program.command('job').description('scheduled jobs, by hand');
job
  .command('run')
  .description('run one job now and print its outcome and counts (recorded as a job run)')
  .argument('<name>', JOB_NAMES.join(', '))
  .action(async (name: string) => {
    if (!(JOB_NAMES as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(
        `unknown job ${name}; jobs: ${JOB_NAMES.join(', ')} (deliveries: gateway deliveries run)`,
      );
    }
    const config = loadConfig();
    const log = createLogger(config.logLevel);
    const ucc = uccConfig(config);
    const result = await withOrm(config, async (orm) => {
      await migrate(orm);
      return runJob(name as JobName, { orm, log, now: () => new Date(), ucc }).catch((err: Error) => {
        if (err instanceof JobNotConfiguredError) throw new InvalidArgumentError(err.message);
        throw err;
      });
    });
    console.log(
      `${name}: ${result.outcome} ${JSON.stringify(result.counts)}${result.error ? ` — ${result.error}` : ''}`,
    );
    if (result.outcome === 'failed') process.exitCode = 1;
  });

function readRuleSetFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw Object.assign(new Error(`cannot read ${file}: ${(err as Error).message}`), {
      code: 'RULESET_UNREADABLE',
    });
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw Object.assign(new Error(`${file} is not JSON: ${(err as Error).message}`), {
      code: 'RULESET_UNREADABLE',
    });
  }
}

/** One clear line on stderr and a non-zero exit: the contract for every failure at start. */
export async function main(argv: string[]): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) process.exit(0); // --help, --version
      console.error(`gateway: ${err.message.replace(/^error: /, '')} (see gateway --help)`);
      process.exit(1);
    }
    const e = err as { code?: string; message?: string };
    console.error(`gateway: ${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`.split('\n')[0]);
    process.exit(1);
  }
}
