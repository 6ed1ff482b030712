/**
 * The outbox towards the Government Contact Center for operators: what was told to the UCC, what is
 * waiting, what was refused (dead letters), and replaying them.
 */
import { Appeal, type IUccMessage, UccMessage } from '../db/entities/index.js';
import { type UCC_MESSAGE_KINDS, UCC_MESSAGE_STATES } from '../db/entities/ucc-message.js';
import { replayUccMessages } from '../sync/push-ucc-statuses.js';
import { AppealRef } from './appeal.js';
import { builder } from './builder.js';
import { listSize, requireRole } from './guard.js';

const upper = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v.toUpperCase(), { value: v }])) as Record<
    Uppercase<T>,
    { value: T }
  >;

const UccMessageStateEnum = builder.enumType('UccMessageState', { values: upper(UCC_MESSAGE_STATES) });
const UccMessageKindEnum = builder.enumType('UccMessageKind', {
  values: {
    RECEIPT: { value: 'receipt', description: '1207 msg_type 0: квитанція про зміну стану' },
    ANSWER: { value: 'answer', description: '1207 msg_type 3: відповідь органу' },
  } satisfies Record<Uppercase<(typeof UCC_MESSAGE_KINDS)[number]>, unknown>,
});

const UccMessageRef = builder.objectRef<IUccMessage>('UccMessage').implement({
  description: 'One status change of a 1545 appeal on its way to the Government Contact Center.',
  fields: (t) => ({
    id: t.exposeID('id'),
    seq: t.exposeInt('seq', { description: 'Queue order.' }),
    msgId: t.exposeString('msgId', { description: '1207 Header@msg_id: the same on every attempt.' }),
    kind: t.expose('kind', { type: UccMessageKindEnum }),
    event: t.string({ resolve: (m) => m.content.event }),
    appealState: t.string({ description: 'The state the change led to.', resolve: (m) => m.content.state }),
    result: t.string({ nullable: true, resolve: (m) => m.content.result }),
    uccNumber: t.string({ nullable: true, resolve: (m) => m.content.uccNumber }),
    state: t.expose('state', { type: UccMessageStateEnum }),
    attempts: t.exposeInt('attempts'),
    outages: t.exposeInt('outages', { description: 'Attempts that found the UCC unreachable.' }),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime' }),
    lastErrorCode: t.exposeString('lastErrorCode', { nullable: true }),
    lastError: t.exposeString('lastError', { nullable: true }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    deadAt: t.expose('deadAt', { type: 'DateTime', nullable: true }),
    deadReason: t.exposeString('deadReason', { nullable: true }),
    appeal: t.field({ type: AppealRef, resolve: (m, _a, ctx) => ctx.em.findOneOrFail(Appeal, m.appeal.id) }),
  }),
});

builder.queryField('uccMessages', (t) =>
  t.field({
    type: [UccMessageRef],
    description: 'Messages to the UCC in queue order, by state (dead letters: DEAD) and appeal.',
    args: {
      state: t.arg({ type: [UccMessageStateEnum] }),
      appealId: t.arg.id(),
      first: t.arg.int({ defaultValue: 50, description: 'At most 500.' }),
    },
    resolve: (_r, args, ctx) => {
      requireRole(ctx, 'admin', 'operator', 'auditor');
      const first = listSize(args.first, 50);
      return ctx.em.find(
        UccMessage,
        {
          ...(args.state?.length ? { state: { $in: args.state } } : {}),
          ...(args.appealId ? { appeal: String(args.appealId) } : {}),
        },
        { orderBy: { seq: 'asc' }, limit: first },
      );
    },
  }),
);

builder.mutationField('replayUccMessages', (t) =>
  t.int({
    errors: {},
    description:
      'Makes one dead message to the UCC (or, without id, all of them) due again; answers how many.',
    args: { id: t.arg.id() },
    resolve: async (_r, args, ctx) => {
      requireRole(ctx, 'admin', 'operator');
      const done = await replayUccMessages(ctx.em, ctx.now, args.id ? { id: String(args.id) } : {});
      return done.replayed;
    },
  }),
);
