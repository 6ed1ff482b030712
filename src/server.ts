import { type ServerType, serve } from '@hono/node-server';
import { ensureAdminToken } from './access/tokens.js';
import type { Config } from './config.js';
import { redactDatabaseUrl } from './db/database-url.js';
import { Agency } from './db/entities/index.js';
import { migrate, type Orm, openOrm } from './db/orm.js';
import { Dispatcher } from './delivery/dispatcher.js';
import { createApp } from './http/app.js';
import { PrincipalCache } from './http/principal-cache.js';
import { ParsePool } from './intake/gov-line/parse-pool.js';
import { seedLocalTopics } from './intake/local-topics.js';
import { DbRunCoordinator } from './jobs/coordinator.js';
import { instanceName } from './jobs/job-run.js';
import { type RecordedRun, runJob, uccConfig } from './jobs/registry.js';
import { type ScheduledJob, scheduleJobs } from './jobs/schedule.js';
import { createAccessLogger, type Logger } from './log.js';
import { loadSeed } from './seed/load-seed.js';
import { seedRuleSet } from './seed/rules.js';
import { ZAPORIZHZHIA_AGENCIES } from './seed/zaporizhzhia.js';

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

/** Opens the database, migrates it, seeds an empty directory, sets the admin token, then listens. */
export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const started = performance.now();
  const orm = await openOrm(config.database);
  try {
    const applied = await migrate(orm);
    if (applied.length) log.info({ migrations: applied }, 'database migrated');
    const em = orm.em.fork();
    if ((await em.count(Agency)) === 0) {
      const report = await loadSeed(em, ZAPORIZHZHIA_AGENCIES);
      log.info(report, 'empty directory: seed loaded');
    }
    const rules = await seedRuleSet(orm.em.fork());
    if ('published' in rules)
      log.info({ version: rules.published }, 'no routing rules: example ruleset published');
    if ('refused' in rules) {
      log.warn(
        { problems: rules.refused },
        'no routing rules, and the example does not fit this directory: all appeals go to triage',
      );
    }
    const topics = await seedLocalTopics(orm.em.fork());
    if (topics) log.info({ localTopics: topics }, 'empty local-topic mapping: defaults loaded');
    if (config.adminToken && (await ensureAdminToken(orm.em.fork(), config.adminToken)) === 'revoked') {
      log.warn('GATEWAY_ADMIN_TOKEN was revoked and stays refused: set a new value to use one');
    }
  } catch (err) {
    await orm.close(true);
    throw err;
  }
  const ucc = uccConfig(config);
  const dispatcherStop = new AbortController();
  const dispatcher = new Dispatcher({
    orm,
    owner: instanceName(),
    signal: dispatcherStop.signal,
  });
  const scheduled: ScheduledJob[] = [
    {
      name: 'dispatch-deliveries',
      expression: config.deliverySchedule,
      run: () => dispatcher.runUntilIdle(),
      idle: (r) => (r as { claimed: number }).claimed === 0,
    },
    ...(
      [
        ['pull-agency-statuses', config.agencyStatusSchedule],
        ['overdue-scan', config.overdueScanSchedule],
        ['reconcile', config.reconcileSchedule],
        ...(ucc.feedUrl ? [['pull-gov-line', config.govLineFeedSchedule] as const] : []),
        ...(ucc.statusUrl ? [['push-ucc-statuses', config.uccStatusSchedule] as const] : []),
      ] as const
    ).map(([name, expression]) => ({
      name,
      expression,
      run: () => runJob(name, { orm, log, now: () => new Date(), ucc }),
      idle: (r: unknown) => Object.values((r as RecordedRun).counts).every((n) => n === 0),
    })),
  ];
  const jobs = scheduleJobs(scheduled, log, new DbRunCoordinator({ orm, instance: instanceName() }));
  const parsePool = new ParsePool();
  const principals = new PrincipalCache({ orm, log, pollMs: config.principalPollMs });
  const app = createApp({
    orm,
    log,
    accessLog: createAccessLogger(config.logLevel),
    production: config.production,
    intakeMaxBytes: config.intakeMaxBytes,
    parsePool,
    ucc,
    graphqlRateLimit:
      config.graphqlRateLimit > 0
        ? { perMinute: config.graphqlRateLimit, burst: config.graphqlRateBurst }
        : null,
    principals,
  });
  // Requests still being answered when SIGTERM comes (even for a client that left) finish before the
  // database closes.
  const inFlight = new InFlight();
  const server = await listen(inFlight.wrap(app.fetch), config);
  const port = addressPort(server) ?? config.port;
  log.info(
    {
      port,
      database: redactDatabaseUrl(config.databaseUrl),
      startupMs: Math.round(performance.now() - started),
    },
    'gateway listening',
  );
  return {
    port,
    close: async () => {
      dispatcherStop.abort();
      await jobs.stop();
      await principals.close();
      await shutdown(server, orm, inFlight);
      await parsePool.close();
    },
  };
}

function listen(fetch: (req: Request) => Response | Promise<Response>, config: Config): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port: config.port, hostname: config.host }, () => resolve(server));
    server.once('error', reject);
  });
}

function addressPort(server: ServerType): number | null {
  const address = server.address();
  return address && typeof address === 'object' ? address.port : null;
}

async function shutdown(server: ServerType, orm: Orm, inFlight: InFlight): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections would hold close() open; in-flight requests still finish.
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  });
  await inFlight.settled(30_000);
  await orm.close();
}

/** Counts requests being handled, so that shutdown can wait for the last one. */
class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];

  wrap<F extends (...args: never[]) => unknown>(fetch: F): F {
    return (async (...args: Parameters<F>) => {
      this.count++;
      try {
        return await fetch(...args);
      } finally {
        if (--this.count === 0) for (const w of this.waiters.splice(0)) w();
      }
    }) as unknown as F;
  }

  settled(maxMs: number): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, maxMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
