/**
 * The classifier of citizens' appeals (Cabinet resolution No. 858 of 24.09.2008): codes and the
 * Ukrainian labels an operator reads. Numbering marked "unverified" in DOMAIN.md is kept here as
 * data so it can be corrected in one place.
 */
import type { AppealKind, AppealSubject, ReceiptForm, ReceiptSign, ResultCode, Sex } from './appeal.js';

export interface ClassifierEntry<Name extends string = string> {
  /** Readable name used in the API and the database. */
  name: Name;
  /** The classifier code, e.g. '3.3'. */
  code: string;
  /** Ukrainian label. */
  label: string;
}

const entry = <N extends string>(name: N, code: string, label: string): ClassifierEntry<N> => ({
  name,
  code,
  label,
});

export const RECEIPT_FORM_CODES: readonly ClassifierEntry<ReceiptForm>[] = [
  entry('post', '1.1', 'Поштою / електронною поштою'),
  entry('phone', '1.1.1', 'Телефоном'),
  entry('personal', '1.2', 'На особистому прийомі'),
  entry('authorised_person', '1.3', 'Через уповноважену особу'),
  entry('authorities', '1.4', 'Через органи влади'),
  entry('media', '1.5', 'Через засоби масової інформації'),
  entry('other_bodies', '1.6', 'Від інших органів, установ, організацій'),
];

export const RECEIPT_SIGN_CODES: readonly ClassifierEntry<ReceiptSign>[] = [
  entry('primary', '2.1', 'Первинне'),
  entry('repeated', '2.2', 'Повторне'),
  entry('duplicate', '2.3', 'Дублетне'),
  entry('recurring', '2.4', 'Неодноразове'),
  entry('mass', '2.5', 'Масове'),
];

export const KIND_CODES: readonly ClassifierEntry<AppealKind>[] = [
  entry('proposal', '3.1', 'Пропозиція (зауваження)'),
  entry('application', '3.2', 'Заява (клопотання)'),
  entry('complaint', '3.3', 'Скарга'),
];

export const SEX_CODES: readonly ClassifierEntry<Sex>[] = [
  entry('male', '4.1', 'Чоловіча'),
  entry('female', '4.2', 'Жіноча'),
];

export const SUBJECT_CODES: readonly ClassifierEntry<AppealSubject>[] = [
  entry('individual', '5.1', 'Індивідуальне'),
  entry('collective', '5.2', 'Колективне'),
  entry('anonymous', '5.3', 'Анонімне'),
];

/** Section 7. "Privileged" categories are handled first (Art. 20). */
export const AUTHOR_CATEGORIES: readonly (ClassifierEntry & { privileged: boolean })[] = [
  { ...entry('wwii_participant', '7.1', 'Учасник війни'), privileged: true },
  { ...entry('child_of_war', '7.2', 'Дитина війни'), privileged: true },
  { ...entry('wwii_disabled_veteran', '7.3', 'Інвалід Великої Вітчизняної війни'), privileged: true },
  { ...entry('war_disabled', '7.4', 'Особа з інвалідністю внаслідок війни'), privileged: true },
  { ...entry('combatant', '7.5', 'Учасник бойових дій'), privileged: true },
  { ...entry('labour_veteran', '7.6', 'Ветеран праці'), privileged: true },
  { ...entry('disability_group_1', '7.7', 'Особа з інвалідністю I групи'), privileged: true },
  { ...entry('disability_group_2', '7.8', 'Особа з інвалідністю II групи'), privileged: true },
  { ...entry('disability_group_3', '7.9', 'Особа з інвалідністю III групи'), privileged: true },
  { ...entry('child_with_disability', '7.10', 'Дитина з інвалідністю'), privileged: true },
  { ...entry('single_mother', '7.11', 'Одинока мати'), privileged: true },
  { ...entry('mother_heroine', '7.12', 'Мати-героїня'), privileged: true },
  { ...entry('large_family', '7.13', 'Багатодітна сім’я'), privileged: true },
  {
    ...entry('chornobyl_victim', '7.14', 'Особа, яка постраждала від Чорнобильської катастрофи'),
    privileged: true,
  },
  {
    ...entry('chornobyl_liquidator', '7.15', 'Учасник ліквідації наслідків аварії на ЧАЕС'),
    privileged: true,
  },
  { ...entry('hero_of_ukraine', '7.16', 'Герой України'), privileged: true },
  { ...entry('hero_of_soviet_union', '7.17', 'Герой Радянського Союзу'), privileged: true },
  { ...entry('other', '7.18', 'Інші категорії'), privileged: false },
];

/** Section 8; the numbering is unverified (DOMAIN.md). */
export const SOCIAL_STATUSES: readonly ClassifierEntry[] = [
  entry('pensioner', '8.1', 'Пенсіонер'),
  entry('worker', '8.2', 'Робітник'),
  entry('peasant', '8.3', 'Селянин'),
  entry('public_sector_employee', '8.4', 'Працівник бюджетної сфери'),
  entry('military', '8.5', 'Військовослужбовець'),
  entry('civil_servant', '8.6', 'Державний службовець'),
  entry('entrepreneur', '8.7', 'Підприємець'),
  entry('unemployed', '8.8', 'Безробітний'),
  entry('student', '8.9', 'Учень, студент'),
  entry('other', '8.10', 'Інше'),
];

/** Section 9; labels of 9.4–9.6 unverified. */
export const RESULT_CODES: readonly ClassifierEntry<ResultCode>[] = [
  entry('resolved_positively', '9.1', 'Вирішено позитивно'),
  entry('refused', '9.2', 'Відмовлено у задоволенні'),
  entry('explained', '9.3', 'Дано роз’яснення'),
  entry('returned_to_author', '9.4', 'Повернуто авторові (ст. 5 Закону)'),
  entry('forwarded_by_competence', '9.5', 'Надіслано за належністю (ст. 7 Закону)'),
  entry('not_subject_to_consideration', '9.6', 'Не підлягає розгляду (ст. 8 Закону)'),
];

export function byName<N extends string>(list: readonly ClassifierEntry<N>[], name: N): ClassifierEntry<N> {
  const found = list.find((e) => e.name === name);
  if (!found) throw new Error(`unknown classifier name ${name}`);
  return found;
}

export function byCode<N extends string>(
  list: readonly ClassifierEntry<N>[],
  code: string,
): ClassifierEntry<N> | undefined {
  return list.find((e) => e.code === code);
}

export function isPrivileged(categoryCodes: readonly string[]): boolean {
  return categoryCodes.some((c) => AUTHOR_CATEGORIES.find((e) => e.code === c)?.privileged === true);
}
