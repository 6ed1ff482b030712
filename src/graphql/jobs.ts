/**
 * Jobs for operators: their recorded runs, running one by hand (`runJob`), and the deadline watch
 * per body (`deadlineSummary`).
 */
import { Agency, type IJobRun, JobRun } from '../db/entities/index.js';
import { DomainError } from '../domain/errors.js';
import { deadlineSummary, NEAR_DUE_DAYS, overdueScan } from '../sync/overdue-scan.js';
import { pullAgencyStatuses } from '../sync/pull-agency-statuses.js';
import { AgencyRef } from './agency.js';
import { builder } from './builder.js';
import { requireRole } from './guard.js';

const JobNameEnum = builder.enumType('JobName', {
  values: {
    PULL_AGENCY_STATUSES: { value: 'pull-agency-statuses', description: 'Статуси від органів' },
    OVERDUE_SCAN: { value: 'overdue-scan', description: 'Контроль строків розгляду' },
  } as const,
});

const JobRunRef = builder.objectRef<IJobRun>('JobRun').implement({
  description: 'One run of a scheduled job: when, where, how it ended, what it counted.',
  fields: (t) => ({
    id: t.exposeID('id'),
    job: t.exposeString('job'),
    instance: t.exposeString('instance'),
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
      const first = args.first ?? 50;
      if (first < 1 || first > 500)
        throw new DomainError('PAGE_SIZE_OUT_OF_RANGE', 'first must be 1–500', 'first');
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
    type: JobRunRef,
    description: 'Runs a job now, as the schedule would, and answers its recorded run.',
    args: { name: t.arg({ type: JobNameEnum, required: true }) },
    resolve: async (_r, args, ctx) => {
      requireRole(ctx, 'admin', 'operator');
      const orm = { em: ctx.em };
      const now = () => ctx.now;
      const run =
        args.name === 'overdue-scan'
          ? await overdueScan({ orm, now })
          : await pullAgencyStatuses({ orm, now });
      return ctx.em.fork().findOneOrFail(JobRun, { id: run.id });
    },
  }),
);
