import type { CoAuthor } from '../db/entities/applicant.js';
import type { IApplicant } from '../db/entities/index.js';
import { builder } from './builder.js';
import { SexEnum } from './enums.js';

const CoAuthorRef = builder.objectRef<CoAuthor>('CoAuthor').implement({
  fields: (t) => ({
    lastName: t.exposeString('lastName', { nullable: true }),
    firstName: t.exposeString('firstName', { nullable: true }),
    patronymic: t.exposeString('patronymic', { nullable: true }),
    address: t.exposeString('address', { nullable: true }),
  }),
});

/** Personal data of the author (Law No. 2297-VI). Masking and audit per role come with the access issue. */
export const ApplicantRef = builder.objectRef<IApplicant>('Applicant').implement({
  fields: (t) => ({
    lastName: t.exposeString('lastName', { nullable: true }),
    firstName: t.exposeString('firstName', { nullable: true }),
    patronymic: t.exposeString('patronymic', { nullable: true }),
    phone: t.exposeString('phone', { nullable: true, description: 'E.164, e.g. +380671234567.' }),
    email: t.exposeString('email', { nullable: true }),
    address: t.exposeString('address', { nullable: true }),
    categories: t.exposeStringList('categories', { description: 'Author categories, classifier section 7.' }),
    socialStatus: t.exposeString('socialStatus', { nullable: true }),
    sex: t.expose('sex', { type: SexEnum, nullable: true }),
    coAuthors: t.field({
      type: [CoAuthorRef],
      description: 'Further authors of a collective appeal.',
      resolve: (a) => a.coAuthors ?? [],
    }),
    nonDisclosure: t.exposeBoolean('nonDisclosure', {
      description: 'The citizen asked that name and address not be disclosed (Art. 10).',
    }),
  }),
});
