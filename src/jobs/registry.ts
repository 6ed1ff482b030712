/**
 * The jobs an operator can run by name — the same functions the schedule runs — with what each needs
 * from the configuration. One table for the CLI (`gateway job run NAME`), GraphQL (`runJob`) and the
 * server's schedule, so the three cannot drift apart.
 */
import type { Config } from '../config.js';
import type { Orm } from '../db/orm.js';
import type { Logger } from '../log.js';
import { overdueScan } from '../sync/overdue-scan.js';
import { pullAgencyStatuses } from '../sync/pull-agency-statuses.js';
import { pushUccStatuses } from '../sync/push-ucc-statuses.js';
import { reconcile } from '../sync/reconcile.js';
import { pullGovLine } from './pull-gov-line.js';

export const JOB_NAMES = [
  'pull-gov-line',
  'pull-agency-statuses',
  'push-ucc-statuses',
  'overdue-scan',
  'reconcile',
] as const;
export type JobName = (typeof JOB_NAMES)[number];

/** Where the Government Contact Center is reached; each part is optional until configured. */
export interface UccConfig {
  feedUrl: string | null;
  statusUrl: string | null;
  openUrl: string | null;
  token: string | null;
  /** Largest feed page accepted, in bytes: the cap of a pushed batch (`INTAKE_MAX_BYTES`). */
  feedMaxBytes?: number;
}

export const NO_UCC: UccConfig = { feedUrl: null, statusUrl: null, openUrl: null, token: null };

export const uccConfig = (config: Config): UccConfig => ({
  feedUrl: config.govLineFeedUrl,
  statusUrl: config.uccStatusUrl,
  openUrl: config.uccOpenUrl,
  token: config.uccToken,
  feedMaxBytes: config.intakeMaxBytes,
});

export interface JobEnv {
  orm: Pick<Orm, 'em'>;
  now: () => Date;
  log: Logger;
  ucc: UccConfig;
}

export interface RecordedRun {
  id: string;
  outcome: 'succeeded' | 'failed';
  counts: Record<string, number>;
  error: string | null;
}

export class JobNotConfiguredError extends Error {
  override readonly name = 'JobNotConfiguredError';
}

function need(value: string | null, variable: string, job: string): string {
  if (!value) throw new JobNotConfiguredError(`${job} needs ${variable}`);
  return value;
}

/** Runs one job now, recorded as a job run. Throws JobNotConfiguredError when its settings are missing. */
export async function runJob(name: JobName, env: JobEnv): Promise<RecordedRun> {
  const { orm, now, log, ucc } = env;
  switch (name) {
    case 'pull-gov-line':
      return pullGovLine({
        orm,
        log,
        now,
        feed: {
          feedUrl: need(ucc.feedUrl, 'GOV_LINE_FEED_URL', name),
          token: ucc.token,
          ...(ucc.feedMaxBytes ? { maxBytes: ucc.feedMaxBytes } : {}),
        },
      });
    case 'pull-agency-statuses':
      return pullAgencyStatuses({ orm, now });
    case 'push-ucc-statuses':
      return pushUccStatuses({
        orm,
        now,
        ucc: { statusUrl: need(ucc.statusUrl, 'UCC_STATUS_URL', name), token: ucc.token },
      });
    case 'overdue-scan':
      return overdueScan({ orm, now });
    case 'reconcile':
      return reconcile({ orm, now, ucc: ucc.openUrl ? { openUrl: ucc.openUrl, token: ucc.token } : null });
  }
}
