/**
 * Operators type appeals in (`submitAppeal`) and keep the local-topic mapping. An operator's appeal
 * goes through exactly the reader and checks of the regional hotline's JSON cards.
 */
import { Appeal, LocalTopic } from '../db/entities/index.js';
import { byName, KIND_CODES, RECEIPT_FORM_CODES, SEX_CODES, SUBJECT_CODES } from '../domain/classifier.js';
import { DomainError } from '../domain/errors.js';
import { findTopic } from '../domain/topics.js';
import { ingest } from '../intake/ingest.js';
import { loadLocalTopicMap, removeLocalTopic, setLocalTopic } from '../intake/local-topics.js';
import { readRegionalLineDocument } from '../intake/regional-line/read.js';
import { AppealRef } from './appeal.js';
import { builder } from './builder.js';
import {
  AppealKindEnum,
  AppealSubjectEnum,
  ReceiptFormEnum,
  ReceiptSignEnum,
  SexEnum,
  SourceLineEnum,
} from './enums.js';
import { requireRole } from './guard.js';

const AuthorInput = builder.inputType('AuthorInput', {
  fields: (t) => ({
    lastName: t.string(),
    firstName: t.string(),
    patronymic: t.string(),
    phone: t.string({ description: 'Any common spelling; stored as E.164 (+380…).' }),
    email: t.string(),
    address: t.string({ description: 'Place of residence, one line.' }),
    categories: t.stringList({ description: 'Author categories, classifier section 7 (e.g. 7.5).' }),
    socialStatus: t.string({ description: 'Classifier section 8 code.' }),
    sex: t.field({ type: SexEnum }),
  }),
});

const CoAuthorInput = builder.inputType('CoAuthorInput', {
  fields: (t) => ({
    lastName: t.string(),
    firstName: t.string(),
    patronymic: t.string(),
    address: t.string(),
  }),
});

const DirectLineInput = builder.inputType('DirectLineInput', {
  description:
    'A call taken during a direct phone line with an official ("Влада на зв’язку з громадськістю").',
  fields: (t) => ({
    sessionId: t.string({ required: true }),
    agencyCode: t.string({ required: true, description: 'EDRPOU code of the official’s body.' }),
    officialName: t.string(),
  }),
});

const SubmitAppealInput = builder.inputType('SubmitAppealInput', {
  fields: (t) => ({
    clientRequestId: t.string({
      description: 'Idempotency key: the same key again returns the same appeal.',
    }),
    registeredAt: t.field({ type: 'DateTime', description: 'Defaults to now.' }),
    channel: t.field({ type: SourceLineEnum, description: 'Defaults to REGIONAL_HOTLINE.' }),
    kind: t.field({ type: AppealKindEnum, required: true }),
    subject: t.field({ type: AppealSubjectEnum }),
    receiptSign: t.field({ type: ReceiptSignEnum }),
    receiptForm: t.field({ type: ReceiptFormEnum, description: 'Defaults to PHONE (1.1.1).' }),
    topic: t.string({ description: 'Classifier topic, e.g. 006.01. Give this or localTopic.' }),
    localTopic: t.string({
      description: 'The call-center’s own topic name, mapped by the local-topic table.',
    }),
    territory: t.string({ description: 'KATOTTG code.' }),
    summary: t.string({ required: true, description: 'The essence of the appeal.' }),
    urgent: t.boolean(),
    nonDisclosure: t.boolean({ description: 'Art. 10: do not disclose name and address.' }),
    author: t.field({ type: AuthorInput }),
    coAuthors: t.field({ type: [CoAuthorInput] }),
    directLine: t.field({ type: DirectLineInput }),
    complaintAbout: t.string({
      description: 'For a complaint: EDRPOU code of the body whose actions it challenges (Art. 7).',
    }),
  }),
});

const IntakeOutcomeEnum = builder.enumType('IntakeOutcome', { values: ['CREATED', 'REPLAYED'] as const });

const SubmitAppealPayload = builder.objectRef<{ appeal: unknown; outcome: 'CREATED' | 'REPLAYED' }>(
  'SubmitAppealPayload',
);
SubmitAppealPayload.implement({
  fields: (t) => ({
    appeal: t.field({ type: AppealRef, resolve: (p) => p.appeal as never }),
    outcome: t.field({ type: IntakeOutcomeEnum, resolve: (p) => p.outcome }),
  }),
});

type Input = typeof SubmitAppealInput.$inferInput;

/** The GraphQL input as a regional-line JSON card (classifier codes), so one reader checks both. */
function toCard(input: Input, now: Date): Record<string, unknown> {
  const code = <N extends string>(list: Parameters<typeof byName<N>>[0], name: N | null | undefined) =>
    name ? byName(list, name).code : undefined;
  const drop = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v != null));
  return drop({
    cardId: `op-${input.clientRequestId ?? crypto.randomUUID()}`,
    registeredAt: (input.registeredAt ?? now).toISOString(),
    channel: input.channel ?? 'regional_hotline',
    kind: code(KIND_CODES, input.kind),
    subject: code(SUBJECT_CODES, input.subject),
    receiptForm: code(RECEIPT_FORM_CODES, input.receiptForm ?? 'phone'),
    topic: input.topic,
    localTopic: input.localTopic,
    territory: input.territory,
    summary: input.summary,
    urgent: input.urgent,
    nonDisclosure: input.nonDisclosure,
    author: input.author ? drop({ ...input.author, sex: code(SEX_CODES, input.author.sex) }) : null,
    coAuthors: input.coAuthors?.map((c) => drop({ ...c })),
    directLine: input.directLine ? drop({ ...input.directLine }) : undefined,
    complaintAbout: input.complaintAbout,
  });
}

builder.mutationField('submitAppeal', (t) =>
  t.field({
    errors: {},
    type: SubmitAppealPayload,
    description: 'An operator types in an appeal; it is checked and stored like any regional-line card.',
    args: { input: t.arg({ type: SubmitAppealInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      requireRole(ctx, 'admin', 'operator');
      if (input.channel === 'gov_hotline_1545') {
        throw new DomainError(
          'INCONSISTENT_CHANNEL',
          'appeals of the 1545 line arrive from the UCC, not by hand',
          'input.channel',
        );
      }
      const topicMap = await loadLocalTopicMap(ctx.em);
      const outcomes = readRegionalLineDocument(JSON.stringify(toCard(input, ctx.now)), topicMap);
      const report = await ingest(ctx.em, outcomes, ctx.now);
      const rejected = report.rejected[0];
      if (rejected) {
        const field = `input${rejected.path.replace(/\//g, '.').replace(/^\.?/, '.')}`.replace(/\.$/, '');
        throw new DomainError(rejected.code, rejected.message, field);
      }
      const accepted = report.accepted[0];
      if (!accepted) throw new Error('intake answered neither accepted nor rejected');
      const appeal = await ctx.em
        .fork()
        .findOneOrFail(Appeal, accepted.appealId, { populate: ['applicant'] });
      return {
        appeal,
        outcome: accepted.outcome === 'created' ? ('CREATED' as const) : ('REPLAYED' as const),
      };
    },
  }),
);

const LocalTopicRef = builder.objectRef<{ localTopic: string; topicCode: string }>('LocalTopic').implement({
  description: 'The regional call-center’s own topic name and the classifier topic it stands for.',
  fields: (t) => ({
    localTopic: t.exposeString('localTopic'),
    topicCode: t.exposeString('topicCode'),
    topicLabel: t.string({ nullable: true, resolve: (l) => findTopic(l.topicCode)?.label ?? null }),
  }),
});

builder.queryField('localTopics', (t) =>
  t.field({
    type: [LocalTopicRef],
    resolve: (_root, _args, ctx) => ctx.em.find(LocalTopic, {}, { orderBy: { localTopic: 'asc' } }),
  }),
);

builder.mutationField('setLocalTopic', (t) =>
  t.field({
    errors: {},
    type: LocalTopicRef,
    description: 'Adds or changes the mapping of a local topic name to a classifier topic.',
    args: { localTopic: t.arg.string({ required: true }), topicCode: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => {
      requireRole(ctx, 'admin', 'operator');
      return setLocalTopic(ctx.em, args.localTopic, args.topicCode);
    },
  }),
);

builder.mutationField('removeLocalTopic', (t) =>
  t.field({
    errors: {},
    type: 'Boolean',
    args: { localTopic: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => {
      requireRole(ctx, 'admin', 'operator');
      return removeLocalTopic(ctx.em, args.localTopic);
    },
  }),
);
