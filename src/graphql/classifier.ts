import { SOURCE_LINES } from '../domain/appeal.js';
import {
  AUTHOR_CATEGORIES,
  type ClassifierEntry,
  KIND_CODES,
  RECEIPT_FORM_CODES,
  RECEIPT_SIGN_CODES,
  RESULT_CODES,
  SEX_CODES,
  SOCIAL_STATUSES,
  SUBJECT_CODES,
} from '../domain/classifier.js';
import { APPEAL_STATES, STATE_LABELS } from '../domain/status.js';
import { TOPICS, type Topic } from '../domain/topics.js';
import { builder } from './builder.js';

const SOURCE_LINE_LABELS: Record<(typeof SOURCE_LINES)[number], string> = {
  gov_hotline_1545: 'Урядова гаряча лінія 1545',
  regional_hotline: 'Регіональна гаряча лінія',
  direct_line: 'Пряма телефонна лінія з посадовою особою',
  web: 'Вебпортал',
  other: 'Інше',
};

const Entry = builder.objectRef<ClassifierEntry & { privileged?: boolean }>('ClassifierEntry').implement({
  description:
    'One item of the classifier of appeals (Cabinet resolution No. 858) or another reference list.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The value used in this API.' }),
    code: t.exposeString('code', { description: 'The classifier code, e.g. 3.3.' }),
    label: t.exposeString('label', { description: 'Ukrainian label.' }),
    privileged: t.boolean({
      description: 'Author categories only: handled first (Art. 20).',
      resolve: (e) => e.privileged === true,
    }),
  }),
});

const TopicRef = builder.objectRef<Topic>('Topic').implement({
  fields: (t) => ({
    code: t.exposeString('code'),
    label: t.exposeString('label'),
    parent: t.exposeString('parent', { nullable: true }),
  }),
});

const Classifier = builder.objectRef<Record<string, never>>('Classifier').implement({
  description: 'Reference lists an operator or a body needs to read and fill appeals.',
  fields: (t) => ({
    receiptForms: t.field({ type: [Entry], resolve: () => [...RECEIPT_FORM_CODES] }),
    receiptSigns: t.field({ type: [Entry], resolve: () => [...RECEIPT_SIGN_CODES] }),
    kinds: t.field({ type: [Entry], resolve: () => [...KIND_CODES] }),
    subjects: t.field({ type: [Entry], resolve: () => [...SUBJECT_CODES] }),
    sexes: t.field({ type: [Entry], resolve: () => [...SEX_CODES] }),
    authorCategories: t.field({ type: [Entry], resolve: () => [...AUTHOR_CATEGORIES] }),
    socialStatuses: t.field({ type: [Entry], resolve: () => [...SOCIAL_STATUSES] }),
    results: t.field({ type: [Entry], resolve: () => [...RESULT_CODES] }),
    statuses: t.field({
      type: [Entry],
      resolve: () => APPEAL_STATES.map((s) => ({ name: s, code: s, label: STATE_LABELS[s] })),
    }),
    sourceLines: t.field({
      type: [Entry],
      resolve: () => SOURCE_LINES.map((s) => ({ name: s, code: s, label: SOURCE_LINE_LABELS[s] })),
    }),
    topics: t.field({ type: [TopicRef], resolve: () => [...TOPICS] }),
  }),
});

builder.queryField('classifier', (t) => t.field({ type: Classifier, resolve: () => ({}) }));
