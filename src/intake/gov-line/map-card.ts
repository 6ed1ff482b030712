/**
 * The gateway's contract inside 1207 `Header/Expansion` (schema/gov-line/appeal-card.xsd): ONE
 * `<AppealCard>` with the classifier fields the standard has no place for, and an optional
 * `<DirectLine>` when the call came in on a direct line with an official.
 */
import type { AppealKind, AppealSubject, ReceiptForm, ReceiptSign } from '../../domain/appeal.js';
import {
  KIND_CODES,
  RECEIPT_FORM_CODES,
  RECEIPT_SIGN_CODES,
  SUBJECT_CODES,
} from '../../domain/classifier.js';
import { isValidKatottg } from '../../domain/katottg.js';
import { findTopic } from '../../domain/topics.js';
import type { DirectLineSession } from '../types.js';
import { classifierAttr, fail, missing, optionalAttr, requiredAttr, zonedDateTime } from './fields.js';
import { elements, firstElement, type XmlElement } from './xml-node.js';

export interface AppealCard {
  topicCode: string;
  territoryCode: string | null;
  receiptForm: ReceiptForm | null;
  receiptSign: ReceiptSign | null;
  /** As the card says; null when it says nothing (the reader then counts authors). */
  subject: AppealSubject | null;
  kind: AppealKind;
  /** When the UCC registered the appeal; null when the card does not say. */
  registered: Date | null;
  directLine: DirectLineSession | null;
  complaintAbout: string | null;
}

const EDRPOU = /^\d{8}$/;

/** KATOTTG verdicts by code: a batch names few territories, and a check builds several strings. */
const KATOTTG_VERDICTS = new Map<string, boolean>();

function isValidTerritory(code: string): boolean {
  let valid = KATOTTG_VERDICTS.get(code);
  if (valid === undefined) {
    valid = isValidKatottg(code);
    if (KATOTTG_VERDICTS.size >= 4096) KATOTTG_VERDICTS.clear();
    KATOTTG_VERDICTS.set(code, valid);
  }
  return valid;
}

function readDirectLine(expansion: XmlElement, path: string): DirectLineSession | null {
  const el = firstElement(expansion, 'DirectLine');
  if (el === undefined) return null;
  const p = `${path}.DirectLine`;
  const sessionId = requiredAttr(el, 'session', p, 'a direct-line card must name its session.');
  const agencyCode = requiredAttr(
    el,
    'agency',
    p,
    "a direct-line card must name the official's body by EDRPOU.",
  );
  if (!EDRPOU.test(agencyCode)) {
    fail(
      'INVALID_VALUE',
      `${p}@agency`,
      `${p}@agency is "${agencyCode}"; expected an EDRPOU code of 8 digits.`,
    );
  }
  return { sessionId, agencyCode, officialName: optionalAttr(el, 'official', p) };
}

function edrpouAttr(el: XmlElement, name: string, path: string): string | null {
  const code = optionalAttr(el, name, path);
  if (code !== null && !EDRPOU.test(code)) {
    fail(
      'INVALID_VALUE',
      `${path}@${name}`,
      `${path}@${name} is "${code}"; expected an EDRPOU code of 8 digits.`,
    );
  }
  return code;
}

/**
 * Reads `Header/Expansion` of the Header at `path` ('Header'); Expansion@organization/@exp_ver and
 * AppealCard@channel go into `origin` for the audit trail.
 */
export function readAppealCard(header: XmlElement, path: string, origin: Record<string, string>): AppealCard {
  const expansion = firstElement(header, 'Expansion');
  const e = `${path}.Expansion`;
  const cards = expansion === undefined ? [] : elements(expansion, 'AppealCard');
  const card = cards[0];
  if (expansion === undefined || card === undefined) {
    fail(
      'APPEAL_CARD_MISSING',
      expansion === undefined ? e : `${e}.AppealCard`,
      `${e}.AppealCard is missing; the UCC must send the appeal's topic, kind and territory in it (schema/gov-line/appeal-card.xsd).`,
    );
  }
  if (cards.length > 1) {
    fail(
      'APPEAL_CARD_DUPLICATE',
      `${e}.AppealCard[1]`,
      `${e}.AppealCard appears ${cards.length} times; send exactly one.`,
    );
  }
  const p = `${e}.AppealCard`;
  const topicCode = requiredAttr(card, 'topic', p, 'name the classifier topic, e.g. 006.01.');
  if (findTopic(topicCode) === undefined) {
    fail(
      'UNKNOWN_TOPIC',
      `${p}@topic`,
      `${p}@topic is "${topicCode}", not a topic of the classifier (e.g. 006.01).`,
    );
  }
  const territoryCode = optionalAttr(card, 'territory', p);
  if (territoryCode !== null && !isValidTerritory(territoryCode)) {
    fail(
      'INVALID_KATOTTG',
      `${p}@territory`,
      `${p}@territory is "${territoryCode}", not a valid KATOTTG code (UA + 17 digits).`,
    );
  }
  const kind =
    classifierAttr(KIND_CODES, card, 'kind', p, 'UNKNOWN_KIND') ??
    missing(`${p}@kind`, 'name the kind: 3.1, 3.2 or 3.3.');
  const registered = optionalAttr(card, 'registered', p);
  const put = (key: string, value: string | null) => {
    if (value !== null) origin[key] = value;
  };
  put('expansion_organization', optionalAttr(expansion, 'organization', e));
  put('expansion_version', optionalAttr(expansion, 'exp_ver', e));
  put('channel', optionalAttr(card, 'channel', p));
  return {
    topicCode,
    territoryCode,
    receiptForm: classifierAttr(RECEIPT_FORM_CODES, card, 'form', p, 'UNKNOWN_RECEIPT_FORM'),
    receiptSign: classifierAttr(RECEIPT_SIGN_CODES, card, 'receipt_sign', p, 'UNKNOWN_RECEIPT_SIGN'),
    subject: classifierAttr(SUBJECT_CODES, card, 'subject', p, 'UNKNOWN_SUBJECT'),
    kind,
    registered: registered === null ? null : zonedDateTime(registered, `${p}@registered`),
    directLine: readDirectLine(expansion, e),
    complaintAbout: edrpouAttr(card, 'complaint_about', p),
  };
}
