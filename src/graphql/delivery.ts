/**
 * Deliveries through GraphQL: the outbox as operators watch it (dead letters with their reason
 * first of all), each assignment's delivery, and replaying dead letters — one, or all of a body's.
 */

import { adapterFor } from '../../adapters/registry.js';
import { DELIVERY_STATES } from '../db/entities/delivery.js';
import { Agency, Delivery, type IAgency, type IDelivery } from '../db/entities/index.js';
import { replayDeadLetters } from '../delivery/dispatcher.js';
import { DomainError } from '../domain/errors.js';
import { AgencyRef } from './agency.js';
import { AppealRef } from './appeal.js';
import { AssignmentRef } from './assignment.js';
import { builder } from './builder.js';
import { AdapterKindEnum } from './enums.js';
import { listSize, requireRole } from './guard.js';
import { loaders, required } from './loaders.js';

const DeliveryStateEnum = builder.enumType('DeliveryState', {
  values: Object.fromEntries(DELIVERY_STATES.map((s) => [s.toUpperCase(), { value: s }])) as Record<
    Uppercase<(typeof DELIVERY_STATES)[number]>,
    { value: (typeof DELIVERY_STATES)[number] }
  >,
});

export const DeliveryRef = builder.objectRef<IDelivery>('Delivery').implement({
  description: 'The outbox row of one assignment: how its copy reaches the body.',
  authScopes: (d, ctx) => ctx.principal.role !== 'agency' || d.agency.id === ctx.principal.agencyId,
  fields: (t) => ({
    id: t.exposeID('id'),
    state: t.expose('state', { type: DeliveryStateEnum }),
    adapterKind: t.exposeString('adapterKind'),
    idempotencyKey: t.exposeString('idempotencyKey'),
    attempts: t.exposeInt('attempts'),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime' }),
    lastAttemptAt: t.expose('lastAttemptAt', { type: 'DateTime', nullable: true }),
    lastErrorCode: t.exposeString('lastErrorCode', { nullable: true }),
    lastError: t.exposeString('lastError', { nullable: true }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    receiptLevel: t.string({ nullable: true, resolve: (d) => d.receipt?.level ?? null }),
    agencyRegistrationNumber: t.string({
      nullable: true,
      resolve: (d) => d.receipt?.registrationNumber ?? null,
    }),
    deadAt: t.expose('deadAt', { type: 'DateTime', nullable: true }),
    deadReason: t.exposeString('deadReason', { nullable: true }),
    agency: t.field({
      type: AgencyRef,
      resolve: (d, _a, ctx) => required(loaders(ctx).agency.load(d.agency.id)),
    }),
    appeal: t.field({
      type: AppealRef,
      resolve: (d, _a, ctx) => required(loaders(ctx).appeal.load(d.appeal.id)),
    }),
  }),
});

builder.objectFields(AssignmentRef, (t) => ({
  delivery: t.field({
    type: DeliveryRef,
    nullable: true,
    resolve: (a, _args, ctx) => loaders(ctx).deliveryOfAssignment.load(a.id),
  }),
}));

builder.queryField('deliveries', (t) =>
  t.field({
    type: [DeliveryRef],
    description: 'Deliveries by state and body, oldest first (dead letters: DEAD).',
    args: {
      state: t.arg({ type: [DeliveryStateEnum] }),
      agencyCode: t.arg.string(),
      first: t.arg.int({ defaultValue: 50, description: 'At most 500.' }),
    },
    resolve: (_r, args, ctx) => {
      requireRole(ctx, 'admin', 'operator', 'auditor');
      const first = listSize(args.first, 50);
      return ctx.em.find(
        Delivery,
        {
          ...(args.state?.length ? { state: { $in: args.state } } : {}),
          ...(args.agencyCode ? { agency: { code: args.agencyCode } } : {}),
        },
        { orderBy: { createdAt: 'asc', id: 'asc' }, limit: first },
      );
    },
  }),
);

const SettingsProblemRef = builder
  .objectRef<{ pointer: string; message: string }>('AdapterSettingsProblem')
  .implement({
    fields: (t) => ({
      pointer: t.exposeString('pointer', { description: 'JSON pointer into the settings.' }),
      message: t.exposeString('message'),
    }),
  });

const SetAdapterPayloadRef = builder
  .objectRef<{ agency: IAgency | null; problems: { pointer: string; message: string }[] }>(
    'SetAgencyAdapterPayload',
  )
  .implement({
    description: 'The body with its new adapter, or every problem with the settings (nothing changed then).',
    fields: (t) => ({
      agency: t.field({ type: AgencyRef, nullable: true, resolve: (p) => p.agency }),
      problems: t.field({ type: [SettingsProblemRef], resolve: (p) => p.problems }),
    }),
  });

builder.mutationFields((t) => ({
  setAgencyAdapter: t.field({
    errors: {},
    type: SetAdapterPayloadRef,
    description:
      'How the gateway reaches a body: the adapter kind and its settings, checked by the adapter. Secrets are ' +
      'named by environment variable (e.g. secretEnv), never stored. Pending deliveries use the new settings.',
    args: {
      agencyCode: t.arg.string({ required: true }),
      kind: t.arg({ type: AdapterKindEnum, required: true }),
      settings: t.arg({ type: 'JSON', required: true }),
    },
    resolve: async (_r, args, ctx) => {
      requireRole(ctx, 'admin');
      const agency = await ctx.em.findOne(Agency, { code: args.agencyCode });
      if (!agency)
        throw new DomainError('UNKNOWN_AGENCY', `no body with EDRPOU code ${args.agencyCode}`, 'agencyCode');
      const adapter = adapterFor(args.kind);
      if (!adapter)
        throw new DomainError('UNKNOWN_ADAPTER', `no adapter of kind ${args.kind} is installed`, 'kind');
      const parsed = adapter.parseSettings(args.settings);
      if (!parsed.ok) return { agency: null, problems: parsed.problems };
      agency.adapterKind = args.kind;
      agency.adapterSettings = parsed.settings as Record<string, unknown>;
      agency.updatedAt = ctx.now;
      await ctx.em.flush();
      // Deliveries not yet made go out through the new adapter.
      await ctx.em.nativeUpdate(
        Delivery,
        { agency: agency.id, state: { $in: ['pending', 'dead'] } },
        { adapterKind: args.kind, updatedAt: ctx.now },
      );
      return { agency, problems: [] };
    },
  }),
  replayDelivery: t.int({
    errors: {},
    description: 'Makes one dead letter due again; answers how many were replayed (0 or 1).',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, args, ctx) => {
      requireRole(ctx, 'admin', 'operator');
      return replayDeadLetters(ctx.em, { id: String(args.id) }, ctx.now);
    },
  }),
  replayDeadDeliveries: t.int({
    errors: {},
    description: 'Makes every dead letter of one body due again (after its system is fixed).',
    args: { agencyCode: t.arg.string({ required: true }) },
    resolve: (_r, args, ctx) => {
      requireRole(ctx, 'admin', 'operator');
      return replayDeadLetters(ctx.em, { agencyCode: args.agencyCode }, ctx.now);
    },
  }),
}));
