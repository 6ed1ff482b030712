import { filesInClear } from '../access/request.js';
import type { AppealView } from '../db/rows.js';
import { LAW_FLAGS, type LawFlag, lawReviewAction, returnToAuthorBy } from '../domain/law-flags.js';
import { attachmentDownloadPath } from '../http/attachments.js';
import { AgencyRef } from './agency.js';
import { AppealRef } from './appeal.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { authorOf, loaders } from './loaders.js';

const LawFlagRef = builder.objectRef<{ code: string }>('LawFlag').implement({
  description: 'A shortfall against the Law "Про звернення громадян" found at intake.',
  fields: (t) => ({
    code: t.exposeString('code'),
    label: t.string({ resolve: (f) => LAW_FLAGS[f.code as LawFlag] ?? f.code }),
  }),
});

const LawReviewActionEnum = builder.enumType('LawReviewAction', {
  values: {
    RETURN_TO_AUTHOR: { value: 'return_to_author', description: 'Повернути автору з роз’ясненнями (ст. 5)' },
    NOT_SUBJECT: { value: 'not_subject', description: 'Не підлягає розгляду (ст. 8)' },
  } as const,
});

const LawReviewRef = builder.objectRef<AppealView>('LawReview').implement({
  description: 'What the operator must decide for an appeal that falls short of the law.',
  fields: (t) => ({
    action: t.field({
      type: LawReviewActionEnum,
      resolve: (a) => lawReviewAction(a.flags) ?? 'return_to_author',
    }),
    flags: t.field({ type: [LawFlagRef], resolve: (a) => a.flags.map((code) => ({ code })) }),
    returnBy: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Art. 5: the latest moment to return it to the author (10 days).',
      resolve: (a) =>
        lawReviewAction(a.flags) === 'return_to_author' ? returnToAuthorBy(a.receivedAt) : null,
    }),
  }),
});

/** One file as this request may see it: `masked` when the principal may not see personal data. */
interface AttachmentView {
  id: string;
  appealId: string;
  fileName: string;
  mimeType: string;
  size: number;
  masked: boolean;
}

const AttachmentRef = builder.objectRef<AttachmentView>('Attachment').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    fileName: t.string({ resolve: (f) => (f.masked ? '***' : f.fileName) }),
    mimeType: t.exposeString('mimeType'),
    size: t.exposeInt('size', { description: 'Bytes.' }),
    downloadPath: t.string({
      nullable: true,
      description:
        'Where this principal downloads the file (GET with its bearer token; every download audited); ' +
        'null when the name is masked: it may not.',
      resolve: (f) => (f.masked ? null : attachmentDownloadPath(f.appealId, f.id)),
    }),
  }),
});

const DirectLineRef = builder.objectRef<AppealView>('DirectLine').implement({
  description: 'A direct phone line with an official ("Влада на зв’язку з громадськістю").',
  fields: (t) => ({
    session: t.string({ resolve: (a) => a.directLineSession ?? '' }),
    official: t.string({ nullable: true, resolve: (a) => a.directLineOfficial ?? null }),
    agency: t.field({
      type: AgencyRef,
      nullable: true,
      resolve: (a, _args, ctx) =>
        a.directLineAgency ? loaders(ctx).agency.load(a.directLineAgency.id) : null,
    }),
  }),
});

const linked = (pick: (a: AppealView) => { id: string } | null | undefined) => ({
  type: AppealRef,
  nullable: true as const,
  resolve: (a: AppealView, _args: unknown, ctx: GraphQLContext) => {
    const ref = pick(a);
    return ref ? loaders(ctx).appeal.load(ref.id) : null;
  },
});

builder.objectFields(AppealRef, (t) => ({
  urgent: t.exposeBoolean('urgent'),
  lawReview: t.field({
    type: LawReviewRef,
    nullable: true,
    description: 'Present when the appeal falls short of the law: the operator decides.',
    resolve: (a) => (lawReviewAction(a.flags) ? a : null),
  }),
  duplicateOf: t.field({
    ...linked((a) => a.duplicateOf),
    description: 'The first appeal of the same citizen on the same question (2.3).',
  }),
  repeatOf: t.field({
    ...linked((a) => a.repeatOf),
    description: 'The answered appeal this one repeats (2.2).',
  }),
  massOf: t.field({ ...linked((a) => a.massOf), description: 'The first appeal of a mass group (2.5).' }),
  directLine: t.field({
    type: DirectLineRef,
    nullable: true,
    resolve: (a) => (a.directLineSession ? a : null),
  }),
  attachments: t.field({
    type: [AttachmentRef],
    description:
      'Files the author sent: personal data, so names are masked unless this principal needs them ' +
      '(and, for an author who asked for non-disclosure, unless it is the responsible body).',
    resolve: async (a, _args, ctx) => {
      const files = await loaders(ctx).attachmentsOfAppeal.load(a.id);
      if (!files.length) return [];
      const access = await ctx.access.personalData(a.id);
      const clear = filesInClear(access, (await authorOf(a, ctx))?.nonDisclosure ?? false);
      if (clear) await ctx.access.auditRead(a.id, ['attachments'], access.purpose);
      return files.map((f) => ({ ...f, appealId: a.id, masked: !clear }));
    },
  }),
}));
