/**
 * The `gateway` command: the composition root for the server and the operator's tools.
 * Every command reads the same DATABASE_URL as the server.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { createPrincipal } from './access/tokens.js';
import { type Config, loadConfig } from './config.js';
import { ROLES, type Role } from './db/entities/principal.js';
import { migrate, openOrm } from './db/orm.js';
import { seedLocalTopics } from './intake/local-topics.js';
import { createLogger } from './log.js';
import { loadSeed } from './seed/load-seed.js';
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
      return { ...agencies, localTopics: await seedLocalTopics(orm.em.fork()) };
    });
    console.log(`agencies created: ${report.created}, already present: ${report.unchanged}`);
    if (report.localTopics) console.log(`local topics loaded: ${report.localTopics}`);
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
