/**
 * What the Law "Про звернення громадян" asks of an appeal, as flags for the operator. An appeal
 * that falls short is stored and flagged, never dropped: Art. 5 shortfalls mean it goes back to the
 * author with explanations within 10 days; Art. 8 means it is not subject to consideration.
 */
import { DateTime } from 'luxon';
import type { CanonicalAppeal } from './appeal.js';
import { KYIV_ZONE } from './deadline.js';

export const LAW_FLAGS = {
  ART8_ANONYMOUS: 'Анонімне звернення не розглядається (ст. 8)',
  ART5_NO_NAME: 'Не зазначено прізвище або ім’я автора (ст. 5)',
  ART5_NO_ADDRESS: 'Не зазначено місце проживання автора (ст. 5)',
  ART5_NO_ESSENCE: 'Не викладено суть звернення (ст. 5)',
  ART5_NO_CONTACT: 'Електронне звернення без електронної адреси чи іншого контакту (ст. 5)',
} as const;
export type LawFlag = keyof typeof LAW_FLAGS;

export type LawReviewAction = 'return_to_author' | 'not_subject';

export const RETURN_TO_AUTHOR_DAYS = 10;

export function lawFlagsOf(
  a: Pick<CanonicalAppeal, 'subject' | 'applicant' | 'summary' | 'source'>,
): LawFlag[] {
  const flags: LawFlag[] = [];
  const { lastName, firstName, address, email, phone } = a.applicant;
  if (a.subject === 'anonymous' || (!lastName && !firstName)) {
    flags.push('ART8_ANONYMOUS');
  } else if (!lastName || !firstName) {
    flags.push('ART5_NO_NAME');
  }
  if (!address && !flags.includes('ART8_ANONYMOUS')) flags.push('ART5_NO_ADDRESS');
  if (!a.summary.trim()) flags.push('ART5_NO_ESSENCE');
  if (a.source === 'web' && !email && !phone) flags.push('ART5_NO_CONTACT');
  return flags;
}

/** Art. 8 wins: an anonymous appeal is not returned, it is not considered at all. */
export function lawReviewAction(flags: readonly string[]): LawReviewAction | null {
  if (flags.some((f) => f.startsWith('ART8_'))) return 'not_subject';
  if (flags.some((f) => f.startsWith('ART5_'))) return 'return_to_author';
  return null;
}

/** Art. 5: returned with explanations no later than 10 days after receipt (end of that Kyiv day). */
export function returnToAuthorBy(receivedAt: Date): Date {
  return DateTime.fromJSDate(receivedAt, { zone: KYIV_ZONE })
    .startOf('day')
    .plus({ days: RETURN_TO_AUTHOR_DAYS })
    .endOf('day')
    .toJSDate();
}
