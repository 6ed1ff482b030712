/**
 * A schema-valid regional hotline card → `IntakeItem`: the checks a schema cannot make (topic and
 * local topic known, KATOTTG valid, author categories known, attachments decodable), then the mapping
 * of classifier codes to the canonical names. Law shortfalls (no name, no address, empty essence) are
 * left for the law flags: they are readable.
 */
import {
  AUTHOR_CATEGORIES,
  type ClassifierEntry,
  KIND_CODES,
  RECEIPT_FORM_CODES,
  RECEIPT_SIGN_CODES,
  SEX_CODES,
  SOCIAL_STATUSES,
  SUBJECT_CODES,
} from '../../domain/classifier.js';
import { isValidKatottg } from '../../domain/katottg.js';
import { findTopic } from '../../domain/topics.js';
import { INTAKE_LIMITS, type IntakeAttachment, type IntakeAuthor, type IntakeItem } from '../types.js';
import type { LocalTopicMap } from './local-topics.js';
import {
  fieldName,
  type Problem,
  type RegionalAuthor,
  type RegionalCard,
  type RegionalCoAuthor,
} from './validate.js';

export type CardResult = { ok: true; item: IntakeItem } | { ok: false; problem: Problem };

class CardProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

const fail = (path: string, code: string, message: string): never => {
  throw new CardProblem({ path, code, message });
};

export function toIntakeItem(card: RegionalCard, topicMap: LocalTopicMap): CardResult {
  try {
    return { ok: true, item: mapCard(card, topicMap) };
  } catch (e) {
    if (e instanceof CardProblem) return { ok: false, problem: e.problem };
    throw e;
  }
}

/** The schema's enums are the classifier's codes (a test keeps them equal), so a miss is a bug. */
function nameOf<N extends string>(list: readonly ClassifierEntry<N>[], code: string): N {
  const found = list.find((e) => e.code === code);
  if (!found) throw new Error(`classifier code ${code} is in the schema but not in classifier.ts`);
  return found.name;
}

function topicCodeOf(card: RegionalCard, topicMap: LocalTopicMap): string {
  if (card.topic !== undefined) {
    return (
      findTopic(card.topic)?.code ??
      fail('/topic', 'UNKNOWN_TOPIC', `Unknown classifier topic "${card.topic}"`)
    );
  }
  const local = card.localTopic ?? '';
  const mapped = topicMap(local);
  if (mapped === null) {
    return fail(
      '/localTopic',
      'UNKNOWN_LOCAL_TOPIC',
      `Local topic "${local}" is not in the local-topic mapping; an operator can add it to the mapping`,
    );
  }
  return (
    findTopic(mapped)?.code ??
    fail(
      '/localTopic',
      'UNKNOWN_TOPIC',
      `Local topic "${local}" is mapped to "${mapped}", which is not a classifier topic; an operator must fix the mapping`,
    )
  );
}

function territoryOf(card: RegionalCard): string | null {
  const territory = card.territory?.trim();
  if (!territory) return null;
  if (!isValidKatottg(territory)) {
    fail(
      '/territory',
      'INVALID_KATOTTG',
      `"territory" is not a valid KATOTTG code: "${territory.slice(0, 40)}"`,
    );
  }
  return territory;
}

function authorOf(author: RegionalAuthor): IntakeAuthor {
  const categories = author.categories ?? [];
  categories.forEach((code, i) => {
    if (!AUTHOR_CATEGORIES.some((c) => c.code === code)) {
      fail(
        `/author/categories/${i}`,
        'UNKNOWN_AUTHOR_CATEGORY',
        `Unknown author category "${code}" (section 7)`,
      );
    }
  });
  const socialStatus = author.socialStatus ?? null;
  if (socialStatus !== null && !SOCIAL_STATUSES.some((s) => s.code === socialStatus)) {
    fail(
      '/author/socialStatus',
      'UNKNOWN_SOCIAL_STATUS',
      `Unknown social status "${socialStatus}" (section 8)`,
    );
  }
  const sex = author.sex ?? null;
  return {
    ...namesOf(author),
    categories: [...categories],
    socialStatus,
    sex: sex === null ? null : nameOf(SEX_CODES, sex),
  };
}

function namesOf(a: RegionalCoAuthor): Omit<IntakeAuthor, 'categories' | 'socialStatus' | 'sex'> {
  return {
    lastName: a.lastName ?? null,
    firstName: a.firstName ?? null,
    patronymic: a.patronymic ?? null,
    phone: a.phone ?? null,
    email: a.email ?? null,
    address: a.address ?? null,
  };
}

const BASE64_ALPHABET = /[^A-Za-z0-9+/]/;
const MIB = INTAKE_LIMITS.maxAttachmentBytes / 1024 / 1024;

/** Strict standard base64 on one line: Buffer.from() would silently skip any garbage. */
function decodeAttachment(content: string, index: number, fileName: string): Buffer {
  const path = `/attachments/${index}/contentBase64`;
  const name = `Attachment "${fieldName(`/attachments/${index}`)}" (${fileName.slice(0, 100)})`;
  const padStart = content.indexOf('=');
  const body = padStart === -1 ? content : content.slice(0, padStart);
  const padding = content.length - body.length;
  const wellFormed =
    content.length % 4 === 0 &&
    padding <= 2 &&
    !/[^=]/.test(content.slice(body.length)) &&
    !BASE64_ALPHABET.test(body);
  if (!wellFormed)
    fail(path, 'ATTACHMENT_INVALID', `${name} is not valid base64 (standard alphabet, one line)`);
  if ((content.length / 4) * 3 - padding > INTAKE_LIMITS.maxAttachmentBytes) {
    fail(path, 'ATTACHMENT_TOO_LARGE', `${name} is larger than ${MIB} MiB`);
  }
  return Buffer.from(content, 'base64');
}

function attachmentsOf(card: RegionalCard): IntakeAttachment[] {
  return (card.attachments ?? []).map((a, i) => ({
    fileName: a.fileName,
    mimeType: a.mimeType,
    content: decodeAttachment(a.contentBase64, i, a.fileName),
  }));
}

function mapCard(card: RegionalCard, topicMap: LocalTopicMap): IntakeItem {
  const receivedAt = new Date(card.registeredAt);
  if (Number.isNaN(receivedAt.getTime())) {
    fail('/registeredAt', 'INVALID_FORMAT', '"registeredAt" is not a date-time that exists');
  }
  const topicCode = topicCodeOf(card, topicMap);
  const territoryCode = territoryOf(card);
  const author = card.author ? authorOf(card.author) : null;
  const coAuthors = (card.coAuthors ?? []).map((a) => ({
    ...namesOf(a),
    categories: [],
    socialStatus: null,
    sex: null,
  }));
  const attachments = attachmentsOf(card);
  const channel = card.channel ?? 'regional_hotline';
  const directLine = card.directLine
    ? {
        sessionId: card.directLine.sessionId,
        agencyCode: card.directLine.agencyCode,
        officialName: card.directLine.officialName ?? null,
      }
    : null;
  return {
    source: channel,
    externalId: card.cardId,
    registrationNumber: card.registrationNumber ?? null,
    receivedAt,
    kind: nameOf(KIND_CODES, card.kind),
    subject: nameOf(SUBJECT_CODES, card.subject ?? (coAuthors.length > 0 ? '5.2' : '5.1')),
    receiptSign: card.receiptSign ? nameOf(RECEIPT_SIGN_CODES, card.receiptSign) : null,
    receiptForm: card.receiptForm ? nameOf(RECEIPT_FORM_CODES, card.receiptForm) : null,
    topicCode,
    territoryCode,
    summary: card.summary ?? null,
    urgent: card.urgent ?? false,
    nonDisclosure: card.nonDisclosure ?? false,
    author,
    coAuthors,
    attachments,
    directLine,
    complaintAbout: card.complaintAbout ?? null,
    origin: {
      cardId: card.cardId,
      channel,
      ...(card.localTopic === undefined ? {} : { localTopic: card.localTopic }),
    },
  };
}
