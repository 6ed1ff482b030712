/**
 * Jobs for operators: their recorded runs, running one by hand (`runJob`), and the deadline watch
 * per body (`deadlineSummary`).
 */
import { Agency, type IJobRun, JobRun } from '../db/entities/index.js';
import { DomainError } from '../domain/errors.js';
import { JobNotConfiguredError, type RecordedRun, runJob } from '../jobs/registry.js';
import { deadlineSummary, NEAR_DUE_DAYS } from '../sync/overdue-scan.js';
import { AgencyRef } from './agency.js';
import { builder } from './builder.js';
import { listSize, requireRole } from './guard.js';

const JobNameEnum = builder.enumType('JobName', {
  values: {
    PULL_GOV_LINE: { value: 'pull-gov-line', description: 'Звернення зі стрічки УКЦ (1545)' },
    PULL_AGENCY_STATUSES: { value: 'pull-agency-statuses', description: 'Статуси від органів' },
    PUSH_UCC_STATUSES: { value: 'push-ucc-statuses', description: 'Статуси та відповіді до УКЦ' },
    OVERDUE_SCAN: { value: 'overdue-scan', description: 'Контроль строків розгляду' },
    RECONCILE: { value: 'reconcile', description: 'Нічна звірка з УКЦ та органами' },
  } as const,
});

const JobRunRef = builder.objectRef<IJobRun>('JobRun').implement({
  description: 'One run of a scheduled job: when, where, how it ended, what it counted.',
  fields: (t) => ({
    id: t.exposeID('id'),
    job: t.exposeString('job'),
    instance: t.exposeString('instance'),
    slot: t.exposeString('slot', {
      nullable: true,
      description: 'The scheduled slot it ran for (job:time); null when run by hand.',
    }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    outcome: t.exposeString('outcome'),
    counts: t.field({ type: 'JSON', resolve: (r) => r.counts }),
    error: t.exposeString('error', { nullable: true }),
  }),
});

const DeadlineCountRef = builder
  .objectRef<{ agencyId: string; overdue: number; nearDue: number }>('AgencyDeadlineCount')
  .implement({
    fields: (t) => ({
      agency: t.field({ type: AgencyRef, resolve: (c, _a, ctx) => ctx.em.findOneOrFail(Agency, c.agencyId) }),
      overdue: t.exposeInt('overdue', {
        description: 'Open appeals of which it is the responsible body, past due.',
      }),
      nearDue: t.exposeInt('nearDue', { description: 'Open appeals due within the window.' }),
    }),
  });

builder.queryFields((t) => ({
  jobRuns: t.field({
    type: [JobRunRef],
    description: 'Recent runs, newest first.',
    args: { job: t.arg({ type: JobNameEnum }), first: t.arg.int({ defaultValue: 50 }) },
    resolve: (_r, args, ctx) => {
      requireRole(ctx, 'admin', 'operator', 'auditor');
      const first = listSize(args.first, 50);
      return ctx.em.find(JobRun, args.job ? { job: args.job } : {}, {
        orderBy: { startedAt: 'desc' },
        limit: first,
      });
    },
  }),
  deadlineSummary: t.field({
    type: [DeadlineCountRef],
    description: 'Per responsible body: open appeals past due and due within `nearDays` (Art. 20).',
    args: { nearDays: t.arg.int({ defaultValue: NEAR_DUE_DAYS }) },
    resolve: (_r, args, ctx) => {
      requireRole(ctx, 'admin', 'operator', 'auditor');
      return deadlineSummary(ctx.em, ctx.now, args.nearDays ?? NEAR_DUE_DAYS);
    },
  }),
}));

builder.mutationField('runJob', (t) =>
  t.field({
    errors: {},
    type: JobRunRef,
    description: 'Runs a job now, as the schedule would, and answers its recorded run.',
    args: { name: t.arg({ type: JobNameEnum, required: true }) },
    resolve: async (_r, args, ctx) => {
      requireRole(ctx, 'admin', 'operator');
      let run: RecordedRun;
      try {
        run = await runJob(args.name, {
          orm: { em: ctx.em },
          now: () => ctx.now,
          log: ctx.log,
          ucc: ctx.ucc,
        });
      } catch (err) {
        if (err instanceof JobNotConfiguredError)
          throw new DomainError('JOB_NOT_CONFIGURED', err.message, 'name');
        throw err;
      }
      return ctx.em.fork().findOneOrFail(JobRun, { id: run.id });
    },
  }),
);
