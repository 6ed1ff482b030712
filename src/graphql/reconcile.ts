/**
 * The nightly reconcile's reports for operators and auditors: what differed between the gateway,
 * the UCC and the bodies, what the job repaired itself and what is left for an operator.
 */
import {
  Agency,
  Appeal,
  type IReconcileItem,
  type IReconcileReport,
  ReconcileItem,
  ReconcileReport,
} from '../db/entities/index.js';
import { AgencyRef } from './agency.js';
import { AppealRef } from './appeal.js';
import { builder } from './builder.js';
import { listSize, requireRole } from './guard.js';

const ReconcileKindEnum = builder.enumType('ReconcileKind', {
  values: {
    MISSING_HERE: { value: 'missing_here', description: 'Відкрите там, немає (або закрите) у шлюзі' },
    MISSING_THERE: { value: 'missing_there', description: 'Відкрите у шлюзі, там немає' },
    STATUS_MISMATCH: { value: 'status_mismatch', description: 'Є з обох боків, стани різні' },
  } as const,
});

const ReconcileItemRef = builder.objectRef<IReconcileItem>('ReconcileItem').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    side: t.exposeString('side', { description: 'ucc or agency' }),
    kind: t.expose('kind', { type: ReconcileKindEnum }),
    agency: t.field({
      type: AgencyRef,
      nullable: true,
      resolve: (i, _a, ctx) => (i.agency ? ctx.em.findOne(Agency, i.agency.id) : null),
    }),
    appeal: t.field({
      type: AppealRef,
      nullable: true,
      resolve: (i, _a, ctx) => (i.appeal ? ctx.em.findOne(Appeal, i.appeal.id) : null),
    }),
    externalRef: t.exposeString('externalRef', { nullable: true }),
    ours: t.exposeString('ours', { nullable: true, description: 'The state in the gateway.' }),
    theirs: t.exposeString('theirs', { nullable: true, description: 'The state on the other side.' }),
    repair: t.exposeString('repair', {
      nullable: true,
      description:
        'What the job did (resend-delivery, resend-ucc-status, replay-ucc-message, pull-statuses); null: for an operator.',
    }),
    detail: t.exposeString('detail'),
  }),
});

const ReconcileReportRef = builder.objectRef<IReconcileReport>('ReconcileReport').implement({
  description: 'One reconciliation of the gateway with the UCC and the bodies.',
  fields: (t) => ({
    id: t.exposeID('id'),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    counts: t.field({ type: 'JSON', resolve: (r) => r.counts }),
    skipped: t.field({
      type: 'JSON',
      description: 'Sides not compared, with why.',
      resolve: (r) => r.skipped,
    }),
    items: t.field({
      type: [ReconcileItemRef],
      args: {
        kind: t.arg({ type: ReconcileKindEnum }),
        unrepairedOnly: t.arg.boolean({ defaultValue: false }),
      },
      resolve: (r, args, ctx) =>
        ctx.em.find(
          ReconcileItem,
          {
            report: r.id,
            ...(args.kind ? { kind: args.kind } : {}),
            ...(args.unrepairedOnly ? { repair: null } : {}),
          },
          { orderBy: { side: 'asc', kind: 'asc', id: 'asc' } },
        ),
    }),
  }),
});

builder.queryField('reconcileReports', (t) =>
  t.field({
    type: [ReconcileReportRef],
    description: 'Reconciliation reports, newest first.',
    args: { first: t.arg.int({ defaultValue: 10, description: 'At most 100.' }) },
    resolve: (_r, args, ctx) => {
      requireRole(ctx, 'admin', 'operator', 'auditor');
      const first = listSize(args.first, 10, 100);
      return ctx.em.find(ReconcileReport, {}, { orderBy: { startedAt: 'desc' }, limit: first });
    },
  }),
);
