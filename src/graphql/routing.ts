/**
 * Routing through GraphQL: the ruleset lifecycle (validate, save a draft, dry run, publish, history),
 * the explanation on each appeal, re-routing by hand, returning a copy as not competent, and the
 * report of forwards due under Art. 7.
 * Who may: rules are read by admins, operators and auditors, drafted and dry-run by admins and
 * operators, published by admins; operators and admins re-route; a body returns its own copies.
 */
import { Agency, Appeal, type IRuleSet, RuleSet } from '../db/entities/index.js';
import { type AppealView, loadedAssignments } from '../db/rows.js';
import { DomainError } from '../domain/errors.js';
import type { RuleSetProblem } from '../domain/routing/validate.js';
import { pendingForwards, rerouteAppeal, returnAsNotCompetent } from '../routing/manual.js';
import {
  type DryRunChange,
  type DryRunReport,
  dryRun,
  history,
  publish,
  RuleSetInvalidError,
  saveDraft,
  validateRuleSet,
} from '../routing/rulesets.js';
import { AgencyRef } from './agency.js';
import { AppealFilterInput, AppealRef } from './appeal.js';
import { builder } from './builder.js';
import { inInput, requireRole } from './guard.js';
import { loaders } from './loaders.js';

const RuleSetStateEnum = builder.enumType('RuleSetState', {
  values: {
    DRAFT: { value: 'draft', description: 'Чернетка: можна змінювати, перевіряти, пробувати.' },
    PUBLISHED: { value: 'published', description: 'Чинна: за нею маршрутизуються нові звернення.' },
    RETIRED: { value: 'retired', description: 'Попередня чинна версія; зберігається назавжди.' },
  } as const,
});

const RuleSetProblemRef = builder.objectRef<RuleSetProblem>('RuleSetProblem').implement({
  description: 'One thing wrong with a ruleset document.',
  fields: (t) => ({
    pointer: t.exposeString('pointer', {
      description: 'JSON pointer into the document, e.g. /rules/3/then/responsible.',
    }),
    code: t.exposeString('code'),
    message: t.exposeString('message'),
  }),
});

const RuleSetRef = builder.objectRef<IRuleSet>('RuleSet').implement({
  description: 'One version of the routing rules.',
  fields: (t) => ({
    version: t.exposeInt('version'),
    state: t.expose('state', { type: RuleSetStateEnum }),
    name: t.exposeString('name'),
    ruleCount: t.int({ resolve: (r) => r.document.rules.length }),
    document: t.field({ type: 'JSON', resolve: (r) => r.document }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    createdBy: t.exposeString('createdBy', { nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    publishedAt: t.expose('publishedAt', { type: 'DateTime', nullable: true }),
    publishedBy: t.exposeString('publishedBy', { nullable: true }),
    retiredAt: t.expose('retiredAt', { type: 'DateTime', nullable: true }),
  }),
});

const RuleSetValidationRef = builder
  .objectRef<{ problems: RuleSetProblem[] }>('RuleSetValidation')
  .implement({
    fields: (t) => ({
      valid: t.boolean({ resolve: (v) => v.problems.length === 0 }),
      problems: t.field({ type: [RuleSetProblemRef], resolve: (v) => v.problems }),
    }),
  });

const SaveRuleSetPayloadRef = builder
  .objectRef<{ ruleSet: IRuleSet | null; problems: RuleSetProblem[] }>('RuleSetPayload')
  .implement({
    description: 'The saved or published version, or every problem that stopped it (nothing changed then).',
    fields: (t) => ({
      ruleSet: t.field({ type: RuleSetRef, nullable: true, resolve: (p) => p.ruleSet }),
      problems: t.field({ type: [RuleSetProblemRef], resolve: (p) => p.problems }),
    }),
  });

const DryRunChangeRef = builder.objectRef<DryRunChange>('DryRunChange').implement({
  description: 'An appeal the draft would route differently from what it got.',
  fields: (t) => ({
    appeal: t.field({ type: AppealRef, resolve: (c) => c.appeal }),
    beforeAgency: t.field({
      type: AgencyRef,
      nullable: true,
      resolve: (c, _a, ctx) =>
        c.beforeAgencyCode ? ctx.em.findOne(Agency, { code: c.beforeAgencyCode }) : null,
    }),
    beforeRuleId: t.exposeString('beforeRuleId', { nullable: true }),
    beforeRuleSetVersion: t.exposeInt('beforeVersion', { nullable: true }),
    afterAgency: t.field({
      type: AgencyRef,
      nullable: true,
      resolve: (c, _a, ctx) =>
        c.afterAgencyCode ? ctx.em.findOne(Agency, { code: c.afterAgencyCode }) : null,
    }),
    afterRuleId: t.exposeString('afterRuleId'),
    afterReason: t.exposeString('afterReason'),
  }),
});

const DryRunReportRef = builder.objectRef<DryRunReport>('DryRunReport').implement({
  fields: (t) => ({
    version: t.exposeInt('version'),
    examined: t.exposeInt('examined', { description: 'Appeals replayed.' }),
    changed: t.exposeInt('changed', { description: 'Appeals whose responsible body or rule would change.' }),
    changes: t.field({
      type: [DryRunChangeRef],
      description: 'The first 500 changes.',
      resolve: (r) => r.changes,
    }),
  }),
});

async function orProblems(work: () => Promise<IRuleSet>) {
  try {
    return { ruleSet: await work(), problems: [] };
  } catch (err) {
    if (err instanceof RuleSetInvalidError) return { ruleSet: null, problems: err.problems };
    throw err;
  }
}

builder.queryFields((t) => ({
  ruleSets: t.field({
    type: [RuleSetRef],
    description: 'Every version of the routing rules, newest first.',
    resolve: (_r, _a, ctx) => {
      requireRole(ctx, 'admin', 'operator', 'auditor');
      return history(ctx.em);
    },
  }),
  ruleSet: t.field({
    type: RuleSetRef,
    nullable: true,
    args: { version: t.arg.int({ description: 'Omit for the published one.' }) },
    resolve: (_r, args, ctx) => {
      requireRole(ctx, 'admin', 'operator', 'auditor');
      return ctx.em.findOne(
        RuleSet,
        args.version == null ? { state: 'published' } : { version: args.version },
      );
    },
  }),
  validateRuleSet: t.field({
    type: RuleSetValidationRef,
    description: 'Checks a ruleset document without saving it.',
    args: { document: t.arg({ type: 'JSON', required: true }) },
    resolve: async (_r, args, ctx) => {
      requireRole(ctx, 'admin', 'operator');
      return { problems: await validateRuleSet(ctx.em, args.document) };
    },
  }),
  dryRunRuleSet: t.field({
    type: DryRunReportRef,
    description:
      'Replays the last appeals (matching the filter) through a version and lists what would change.',
    args: {
      version: t.arg.int({ required: true }),
      last: t.arg.int({ defaultValue: 200, description: 'How many recent appeals, at most 5000.' }),
      filter: t.arg({ type: AppealFilterInput }),
    },
    resolve: (_r, args, ctx) => {
      requireRole(ctx, 'admin', 'operator');
      return dryRun(
        ctx.em,
        args.version,
        { last: args.last ?? 200, filter: args.filter ?? undefined },
        ctx.now,
      );
    },
  }),
  pendingForwards: t.field({
    type: [AppealRef],
    description: 'Appeals a body returned as not competent that no competent body has yet (Art. 7: 5 days).',
    args: { overdueOnly: t.arg.boolean({ defaultValue: false }) },
    resolve: (_r, args, ctx) => {
      requireRole(ctx, 'admin', 'operator', 'auditor');
      return pendingForwards(ctx.em, { overdueOnly: args.overdueOnly ?? false }, ctx.now);
    },
  }),
}));

const RerouteInput = builder.inputType('RerouteInput', {
  fields: (t) => ({
    appealId: t.id({ required: true }),
    responsible: t.string({ required: true, description: 'EDRPOU code of the body responsible now.' }),
    coExecutors: t.stringList(),
    forInformation: t.stringList(),
    reason: t.string({ required: true, description: 'Why, in Ukrainian; recorded on the assignments.' }),
  }),
});

builder.mutationFields((t) => ({
  saveRuleSetDraft: t.field({
    errors: {},
    type: SaveRuleSetPayloadRef,
    description: 'Saves a new draft, or replaces draft `version`. Refused with every problem if invalid.',
    args: { document: t.arg({ type: 'JSON', required: true }), version: t.arg.int() },
    resolve: (_r, args, ctx) => {
      requireRole(ctx, 'admin', 'operator');
      return orProblems(() => saveDraft(ctx.em, args.document, ctx.principal.name, ctx.now, args.version));
    },
  }),
  publishRuleSet: t.field({
    errors: {},
    type: SaveRuleSetPayloadRef,
    description:
      'Makes a draft the live ruleset and retires the previous one, atomically (admins and operators; who and when is recorded).',
    args: { version: t.arg.int({ required: true }) },
    resolve: (_r, args, ctx) => {
      requireRole(ctx, 'admin', 'operator');
      return orProblems(() => publish(ctx.em, args.version, ctx.principal.name, ctx.now));
    },
  }),
  rerouteAppeal: t.field({
    errors: {},
    type: AppealRef,
    description: 'Routes one appeal by hand, with a reason; recorded on its assignments and history.',
    args: { input: t.arg({ type: RerouteInput, required: true }) },
    resolve: (_r, { input }, ctx) => {
      requireRole(ctx, 'admin', 'operator');
      return inInput(() =>
        rerouteAppeal(ctx.em, { ...input, appealId: String(input.appealId) }, ctx.principal, ctx.now),
      );
    },
  }),
  returnAppealAsNotCompetent: t.field({
    errors: {},
    type: AppealRef,
    description:
      'A body returns its copy as outside its competence; the appeal is re-routed and the 5-day forward term (Art. 7) starts.',
    args: { assignmentId: t.arg.id({ required: true }), reason: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx) => {
      requireRole(ctx, 'agency', 'admin', 'operator');
      if (ctx.principal.role === 'agency' && !ctx.principal.agencyId) {
        throw new DomainError('FORBIDDEN', 'this token is not bound to a body');
      }
      // Re-routing sees every copy; the body gets the appeal back as its scope shows it.
      const appeal = await returnAsNotCompetent(
        ctx.systemEm(),
        { assignmentId: String(args.assignmentId), reason: args.reason },
        ctx.principal,
        ctx.now,
      );
      return ctx.em.findOneOrFail(Appeal, appeal.id);
    },
  }),
}));

builder.objectFields(AppealRef, (t) => ({
  routeExplanation: t.string({
    nullable: true,
    description: 'Why the appeal went where it is now, in Ukrainian (the responsible assignment’s reason).',
    resolve: async (a: AppealView, _args, ctx) => {
      const items = loadedAssignments(a) ?? (await ctx.access.copiesOf(a.id));
      return items.find((x) => x.role === 'responsible' && x.status !== 'forwarded')?.reason ?? null;
    },
  }),
  complaintAbout: t.field({
    type: AgencyRef,
    nullable: true,
    description: 'For a complaint: the body whose actions it challenges.',
    resolve: (a: AppealView, _args, ctx) =>
      a.complaintAbout ? loaders(ctx).agency.load(a.complaintAbout.id) : null,
  }),
  forwardDueAt: t.expose('forwardDueAt', {
    type: 'DateTime',
    nullable: true,
    description: 'Returned as not competent: a competent body must have it by then (Art. 7).',
  }),
  forwardedAt: t.expose('forwardedAt', { type: 'DateTime', nullable: true }),
  forwardOverdue: t.boolean({
    resolve: (a: AppealView, _args, ctx) => !!a.forwardDueAt && !a.forwardedAt && a.forwardDueAt < ctx.now,
  }),
}));
