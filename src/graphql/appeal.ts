import { type AppealWhere, buildAppealWhere, countAppeals, findAppealPage } from '../appeals/find-appeals.js';
import { Appeal } from '../db/entities/index.js';
import { type AppealView, loadedAssignments, type StatusChange } from '../db/rows.js';
import { isOverdue } from '../domain/deadline.js';
import { DomainError } from '../domain/errors.js';
import { isOpen } from '../domain/status.js';
import { findTopic } from '../domain/topics.js';
import { ApplicantRef, applicantView } from './applicant.js';
import { AssignmentRef } from './assignment.js';
import { builder } from './builder.js';
import {
  AppealKindEnum,
  AppealStatusEnum,
  AppealSubjectEnum,
  ReceiptFormEnum,
  ReceiptSignEnum,
  ResultEnum,
  SourceLineEnum,
} from './enums.js';
import { authorOf, loaders } from './loaders.js';
import { fieldsAt } from './lookahead.js';

export const AppealRef = builder.objectRef<AppealView>('Appeal');

const StatusChangeRef = builder.objectRef<StatusChange>('StatusChange').implement({
  description: 'One change of state, as recorded (the notes stay with the contact center).',
  fields: (t) => ({
    event: t.exposeString('event'),
    state: t.expose('state', { type: AppealStatusEnum }),
    result: t.expose('result', { type: ResultEnum, nullable: true }),
    origin: t.exposeString('origin', { description: 'gateway, agency, ucc or operator.' }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
  }),
});

const ROLE_ORDER = { responsible: 0, co_executor: 1, for_information: 2 } as const;

AppealRef.implement({
  description: 'A citizen’s appeal in its canonical form.',
  // Second line of a body's isolation: whatever path led here, a body sees only its own appeals.
  authScopes: (appeal, ctx) =>
    ctx.principal.role === 'agency'
      ? ctx.access.bodyRole(appeal.id).then((role) => role !== null)
      : { $any: { reader: true } },
  fields: (t) => ({
    id: t.exposeID('id'),
    externalId: t.exposeString('externalId', {
      nullable: true,
      description: 'The id the source line gave it.',
    }),
    registrationNumber: t.exposeString('registrationNumber', { nullable: true }),
    source: t.expose('source', { type: SourceLineEnum }),
    kind: t.expose('kind', { type: AppealKindEnum }),
    subject: t.expose('subject', { type: AppealSubjectEnum }),
    receiptSign: t.expose('receiptSign', { type: ReceiptSignEnum }),
    receiptForm: t.expose('receiptForm', { type: ReceiptFormEnum, nullable: true }),
    topicCode: t.exposeString('topicCode'),
    topicLabel: t.string({ nullable: true, resolve: (a) => findTopic(a.topicCode)?.label ?? null }),
    territoryCode: t.exposeString('territoryCode', { nullable: true }),
    summary: t.exposeString('summary', { description: 'The essence of the appeal.' }),
    priority: t.exposeBoolean('priority', { description: 'Author of a privileged category (Art. 20).' }),
    status: t.expose('status', { type: AppealStatusEnum }),
    result: t.expose('result', { type: ResultEnum, nullable: true }),
    flags: t.exposeStringList('flags', { description: 'Lawfulness problems found at intake.' }),
    receivedAt: t.expose('receivedAt', { type: 'DateTime' }),
    dueAt: t.expose('dueAt', { type: 'DateTime' }),
    overdue: t.boolean({ resolve: (a, _args, ctx) => isOpen(a.status) && isOverdue(a.dueAt, ctx.now) }),
    lastChange: t.field({
      type: StatusChangeRef,
      nullable: true,
      description: 'The latest change of state this principal may see.',
      resolve: (a, _args, ctx) => loaders(ctx).lastEventOfAppeal.load(a.id),
    }),
    applicant: t.field({
      type: ApplicantRef,
      nullable: true,
      description:
        'The author; personal fields masked unless this principal needs them, every read in clear audited.',
      args: {
        purpose: t.arg.string({
          description: 'Why the personal data is read, for the audit log (default: by role).',
        }),
      },
      resolve: async (a, args, ctx, info) => {
        return applicantView(await authorOf(a, ctx), a.id, ctx, info, args.purpose);
      },
    }),
    assignments: t.field({
      type: [AssignmentRef],
      description:
        'Responsible first, then co-executors, then copies for information; oldest first within each.',
      resolve: async (a, _args, ctx) => {
        const items = loadedAssignments(a) ?? (await ctx.access.copiesOf(a.id));
        // Other bodies' copies of a shared appeal stay hidden from a body, however the appeal was loaded.
        const mine = (x: (typeof items)[number]) =>
          ctx.principal.role !== 'agency' || x.agency.id === ctx.principal.agencyId;
        return items
          .filter(mine)
          .sort(
            (x, y) =>
              ROLE_ORDER[x.role] - ROLE_ORDER[y.role] ||
              x.createdAt.getTime() - y.createdAt.getTime() ||
              x.id.localeCompare(y.id),
          );
      },
    }),
  }),
});

export const AppealFilterInput = builder.inputType('AppealFilter', {
  fields: (t) => ({
    status: t.field({ type: [AppealStatusEnum] }),
    source: t.field({ type: [SourceLineEnum] }),
    agencyCode: t.string({ description: 'Appeals assigned to this body (EDRPOU code).' }),
    topicPrefix: t.string({ description: 'A classifier topic or sub-item, e.g. 006 or 006.01.' }),
    territoryPrefix: t.string({ description: 'A KATOTTG code or prefix: everything inside that territory.' }),
    receivedFrom: t.field({ type: 'DateTime', description: 'Inclusive.' }),
    receivedTo: t.field({ type: 'DateTime', description: 'Exclusive.' }),
    overdue: t.boolean({ description: 'Open appeals past their due time (true) or not (false).' }),
    dueBefore: t.field({ type: 'DateTime', description: 'Due before this moment (exclusive).' }),
    text: t.string({ description: 'Words in the essence, ignoring case (3–200 characters).' }),
  }),
});

const AppealOrderEnum = builder.enumType('AppealOrder', {
  values: {
    NEWEST: { value: 'newest', description: 'Received last first (the default).' },
    OLDEST: { value: 'oldest', description: 'Received first first.' },
    DUE_SOONEST: { value: 'due_soonest', description: 'The nearest due date first: an inbox by urgency.' },
  } as const,
});

builder.queryField('appeals', (t) =>
  t.connection(
    {
      type: AppealRef,
      authScopes: { $any: { reader: true, body: true } },
      description:
        'Appeals in the chosen order (newest first by default). Forward pagination: first (at most 100) and ' +
        'after; a cursor is valid for the order it came from.',
      args: {
        filter: t.arg({ type: AppealFilterInput }),
        orderBy: t.arg({ type: AppealOrderEnum, defaultValue: 'newest' }),
      },
      resolve: async (_root, args, ctx, info) => {
        if (args.last != null || args.before != null) {
          throw new DomainError(
            'BACKWARD_PAGINATION_UNSUPPORTED',
            'page forward with first and after',
            'last',
          );
        }
        const filter = args.filter ?? {};
        const { reader, scopeAgencyId } = ctx.access;
        const where = await buildAppealWhere(reader, filter, ctx.now, scopeAgencyId);
        // Only the columns the query's appeals show.
        const fields = fieldsAt(info, ['edges', 'node']);
        const page = await findAppealPage(
          reader,
          where,
          args.first,
          args.after,
          args.orderBy ?? 'newest',
          fields,
        );
        return {
          where,
          edges: page.appeals.map((node, i) => ({ node, cursor: page.cursors[i] ?? '' })),
          pageInfo: {
            hasNextPage: page.hasNextPage,
            hasPreviousPage: args.after != null,
            startCursor: page.cursors[0] ?? null,
            endCursor: page.cursors.at(-1) ?? null,
          },
        };
      },
    },
    {
      fields: (c) => ({
        totalCount: c.int({
          description: 'How many appeals match the filter (all pages).',
          resolve: (conn, _args, ctx) =>
            countAppeals(ctx.access.reader, (conn as unknown as { where: AppealWhere }).where),
        }),
      }),
    },
  ),
);

builder.queryField('appeal', (t) =>
  t.field({
    type: AppealRef,
    nullable: true,
    authScopes: { $any: { reader: true, body: true } },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = String(args.id);
      if (!/^[0-9a-f-]{36}$/.test(id)) return null;
      return ctx.em.findOne(Appeal, id, { populate: ['applicant', 'assignments', 'assignments.agency'] });
    },
  }),
);
