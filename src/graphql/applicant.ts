/**
 * The author's personal data (Law No. 2297-VI), shown in clear only to whom the appeal needs it:
 * the contact center's staff, the responsible body and co-executors (name and address of an author
 * who asked for non-disclosure only to the responsible body, Art. 10). Copies for information, a
 * body that gave its copy back and auditors see it masked. Every read in clear is audited first.
 */
import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import type { PersonalDataAccess } from '../access/request.js';
import { MAX_PURPOSE_LENGTH } from '../access/request.js';
import type { CoAuthor } from '../db/entities/applicant.js';
import type { IApplicant } from '../db/entities/index.js';
import { DomainError } from '../domain/errors.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { SexEnum } from './enums.js';

/** The applicant as one request may see it on one appeal. */
export interface ApplicantView {
  applicant: IApplicant;
  appealId: string;
  access: PersonalDataAccess;
}

/** Fields that are personal data; reading any of them in clear is audited. */
export const PERSONAL_FIELDS = [
  'lastName',
  'firstName',
  'patronymic',
  'phone',
  'email',
  'address',
  'coAuthors',
];
const IDENTITY_FIELDS = new Set(['lastName', 'firstName', 'patronymic', 'address', 'coAuthors']);

export const maskName = (v: string | null): string | null =>
  v === null ? null : `${[...v][0] ?? ''}${'*'.repeat(Math.max(2, [...v].length - 1))}`;
export const maskPhone = (v: string | null): string | null =>
  v === null ? null : `${v.slice(0, 6)}${'*'.repeat(Math.max(0, v.length - 8))}${v.slice(-2)}`;
export const maskEmail = (v: string | null): string | null => {
  if (v === null) return null;
  const at = v.lastIndexOf('@');
  return at > 0 ? `${v[0]}***${v.slice(at)}` : '***';
};
export const maskAddress = (v: string | null): string | null => (v === null ? null : '*** (приховано)');

/** Whether `field` is shown in clear on this view. */
export function inClear(view: ApplicantView, field: string): boolean {
  if (!view.access.clear) return false;
  return !(IDENTITY_FIELDS.has(field) && view.access.honourNonDisclosure && view.applicant.nonDisclosure);
}

/** The fields a selection set asks for, through fragments. */
export function requestedFields(
  selections: SelectionSetNode | undefined,
  info: GraphQLResolveInfo,
): Set<string> {
  const out = new Set<string>();
  const walk = (set: SelectionSetNode | undefined) => {
    for (const s of set?.selections ?? []) {
      if (s.kind === 'Field') out.add(s.name.value);
      else if (s.kind === 'InlineFragment') walk(s.selectionSet);
      else walk(info.fragments[s.name.value]?.selectionSet);
    }
  };
  walk(selections);
  return out;
}

/**
 * The applicant of an appeal as this request may see it; the personal fields asked for in clear are
 * audited before anything is returned.
 */
export async function applicantView(
  applicant: IApplicant | null | undefined,
  appealId: string,
  ctx: GraphQLContext,
  info: GraphQLResolveInfo,
  purpose?: string | null,
): Promise<ApplicantView | null> {
  if (!applicant) return null;
  // The audit log keeps at most MAX_PURPOSE_LENGTH characters: a longer purpose is refused, not cut.
  if (purpose && [...purpose.trim()].length > MAX_PURPOSE_LENGTH) {
    throw new DomainError(
      'PURPOSE_TOO_LONG',
      `purpose must be at most ${MAX_PURPOSE_LENGTH} characters`,
      'purpose',
    );
  }
  const access = await ctx.access.personalData(appealId);
  const view: ApplicantView = {
    applicant,
    appealId,
    access: purpose?.trim() ? { ...access, purpose: purpose.trim() } : access,
  };
  const asked = new Set<string>();
  for (const node of info.fieldNodes) for (const f of requestedFields(node.selectionSet, info)) asked.add(f);
  const read = PERSONAL_FIELDS.filter((f) => asked.has(f) && inClear(view, f));
  await ctx.access.auditRead(appealId, read, view.access.purpose);
  return view;
}

const CoAuthorRef = builder.objectRef<CoAuthor>('CoAuthor').implement({
  fields: (t) => ({
    lastName: t.exposeString('lastName', { nullable: true }),
    firstName: t.exposeString('firstName', { nullable: true }),
    patronymic: t.exposeString('patronymic', { nullable: true }),
    address: t.exposeString('address', { nullable: true }),
  }),
});

const masked =
  (field: keyof IApplicant & string, mask: (v: string | null) => string | null) => (view: ApplicantView) => {
    const value = (view.applicant[field] as string | null | undefined) ?? null;
    return inClear(view, field) ? value : mask(value);
  };

export const ApplicantRef = builder.objectRef<ApplicantView>('Applicant').implement({
  description:
    'Personal data of the author. In clear for the contact center, the responsible body and co-executors ' +
    '(name and address of an author who asked for non-disclosure: the responsible body only); masked for ' +
    'others. Every read in clear is recorded in the audit log.',
  fields: (t) => ({
    masked: t.boolean({
      description: 'Whether this principal sees the personal fields masked.',
      resolve: (v) => !v.access.clear,
    }),
    lastName: t.string({ nullable: true, resolve: masked('lastName', maskName) }),
    firstName: t.string({ nullable: true, resolve: masked('firstName', maskName) }),
    patronymic: t.string({ nullable: true, resolve: masked('patronymic', maskName) }),
    phone: t.string({
      nullable: true,
      description: 'E.164, e.g. +380671234567.',
      resolve: masked('phone', maskPhone),
    }),
    email: t.string({ nullable: true, resolve: masked('email', maskEmail) }),
    address: t.string({ nullable: true, resolve: masked('address', maskAddress) }),
    categories: t.stringList({
      description: 'Author categories, classifier section 7.',
      resolve: (v) => v.applicant.categories,
    }),
    socialStatus: t.string({ nullable: true, resolve: (v) => v.applicant.socialStatus ?? null }),
    sex: t.field({ type: SexEnum, nullable: true, resolve: (v) => v.applicant.sex ?? null }),
    coAuthors: t.field({
      type: [CoAuthorRef],
      description: 'Further authors of a collective appeal.',
      resolve: (v) => {
        const all = v.applicant.coAuthors ?? [];
        if (inClear(v, 'coAuthors')) return all;
        return all.map((c) => ({
          lastName: maskName(c.lastName),
          firstName: maskName(c.firstName),
          patronymic: maskName(c.patronymic),
          address: maskAddress(c.address),
        }));
      },
    }),
    nonDisclosure: t.boolean({
      description: 'The citizen asked that name and address not be disclosed (Art. 10).',
      resolve: (v) => v.applicant.nonDisclosure,
    }),
  }),
});
