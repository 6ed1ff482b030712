import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { SEXES } from '../../domain/appeal.js';
import { STORED_LENGTHS } from '../../domain/stored-lengths.js';

/**
 * The citizen's personal data (Law No. 2297-VI), kept apart from the appeal so that it can be
 * guarded, masked and audited in one place.
 */
export const Applicant = defineEntity({
  name: 'Applicant',
  tableName: 'applicant',
  properties: {
    id: p.uuid().primary(),
    lastName: p.string().length(STORED_LENGTHS.personName).nullable(),
    firstName: p.string().length(STORED_LENGTHS.personName).nullable(),
    patronymic: p.string().length(STORED_LENGTHS.personName).nullable(),
    phone: p.string().length(STORED_LENGTHS.phone).nullable(),
    email: p.string().length(STORED_LENGTHS.email).nullable(),
    address: p.text().nullable(),
    categories: p.json<string[]>(),
    socialStatus: p.string().length(16).nullable(),
    sex: p.enum([...SEXES]).nullable(),
    nonDisclosure: p.boolean().default(false),
    /** Further authors of a collective appeal: names and addresses. */
    coAuthors: p.json<CoAuthor[]>(),
    /** Hash of surname, name and address, to recognise the same citizen across lines. */
    identityKey: p.string().length(64).nullable(),
  },
  indexes: [{ properties: ['phone'] }, { properties: ['identityKey'] }],
});

export interface CoAuthor {
  lastName: string | null;
  firstName: string | null;
  patronymic: string | null;
  address: string | null;
}
export type IApplicant = InferEntity<typeof Applicant>;
