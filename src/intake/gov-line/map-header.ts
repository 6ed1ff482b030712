/**
 * One SEV OVV "1207" v1.5 message from the Government Contact Center (hotline 1545) → IntakeItem.
 * Standard fields are read where the standard puts them (Header, Document, RegNumber, Confident,
 * Author, DocTransfer); the classifier fields it lacks come from Expansion/AppealCard (map-card.ts).
 */
import type { AppealSubject } from '../../domain/appeal.js';
import { INTAKE_LIMITS, type IntakeAuthor, type IntakeItem } from '../types.js';
import { cleanText, fail, flagAttr, kyivDay, missing, optionalAttr, requiredAttr } from './fields.js';
import { readAttachments } from './map-attachments.js';
import { carriesData, readAuthor } from './map-author.js';
import { readAppealCard } from './map-card.js';
import { attribute, elements, firstElement, textOf, type XmlElement } from './xml-node.js';

const H = 'Header';
const D = 'Header.Document';

/** Header attributes kept in `origin` for the audit trail (codes stay strings: leading zeros matter). */
const ORIGIN_ATTRIBUTES = [
  'msg_id',
  'time',
  'from_org_id',
  'from_organization',
  'from_sys_id',
  'from_system',
  'to_org_id',
  'to_organization',
  'to_sys_id',
  'to_system',
] as const;

function expect(header: XmlElement, name: string, wanted: string, code: string, why: string): void {
  const value = attribute(header, name)?.trim();
  if (value !== wanted) {
    const seen = value === undefined ? 'missing' : `"${value}"`;
    fail(code, `${H}@${name}`, `${H}@${name} is ${seen}; expected "${wanted}" (${why}).`);
  }
}

function readOrigin(header: XmlElement, origin: Record<string, string>): void {
  requiredAttr(header, 'msg_id', H, 'the UCC must identify its message.');
  requiredAttr(header, 'from_org_id', H, "the sender's EDRPOU code is required.");
  for (const name of ORIGIN_ATTRIBUTES) {
    const value = optionalAttr(header, name, H);
    if (value !== null) origin[name] = value;
  }
}

const emptyAuthor = (): IntakeAuthor => ({
  lastName: null,
  firstName: null,
  patronymic: null,
  phone: null,
  email: null,
  address: null,
  categories: [],
  socialStatus: null,
  sex: null,
});

function readAuthors(doc: XmlElement, subject: AppealSubject | null) {
  const els = elements(doc, 'Author');
  const authors = els.map((el, i) => readAuthor(el, `${D}.Author[${i}]`) ?? emptyAuthor());
  const resolved = subject ?? (els.length > 1 ? 'collective' : 'individual');
  if (resolved === 'anonymous' && !authors.some(carriesData))
    return { subject: resolved, author: null, coAuthors: [] };
  const [author, ...coAuthors] = authors;
  if (author === undefined)
    missing(`${D}.Author`, 'name the author, or mark an anonymous appeal with AppealCard@subject="5.3".');
  return { subject: resolved, author, coAuthors };
}

/** The Header as an intake item; `origin` (e.g. the batch id) is kept with the item's own origin. */
export function mapHeader(header: XmlElement, origin: Record<string, string> = {}): IntakeItem {
  expect(header, 'standart', '1207', 'UNSUPPORTED_STANDARD', 'SEV OVV order 1207');
  expect(header, 'version', '1.5', 'UNSUPPORTED_STANDARD', 'this line reads version 1.5');
  expect(header, 'msg_type', '1', 'NOT_A_MAIN_DOCUMENT', 'receipts and additions are not appeals');
  readOrigin(header, origin);
  const doc =
    firstElement(header, 'Document') ?? missing(D, 'a main-document message carries the appeal in it.');
  const type = requiredAttr(doc, 'type', D, 'a citizen\'s appeal has Document@type="2".');
  if (type !== '2') {
    fail(
      'NOT_AN_APPEAL',
      `${D}@type`,
      `${D}@type is "${type}"; only citizens' appeals (type "2") come in on this line.`,
    );
  }
  const externalId = requiredAttr(doc, 'idnumber', D, "the UCC's document id is the appeal's key.");
  const regNumber = firstElement(doc, 'RegNumber');
  const regPath = `${D}.RegNumber`;
  const regDate = regNumber === undefined ? null : optionalAttr(regNumber, 'regdate', regPath);
  const regDay = regDate === null ? null : kyivDay(regDate, `${regPath}@regdate`);
  const urgent = flagAttr(doc, 'urgent', D);
  const nonDisclosure = flagAttr(firstElement(doc, 'Confident'), 'flag', `${D}.Confident`);
  const summary = optionalAttr(doc, 'annotation', D, INTAKE_LIMITS.maxSummaryChars);
  const attachments = readAttachments(doc, D);
  const card = readAppealCard(header, H, origin);
  const { subject, author, coAuthors } = readAuthors(doc, card.subject);
  // The card's zoned registration time wins; else the day of RegNumber@regdate from 00:00 Kyiv time.
  const receivedAt =
    card.registered ??
    regDay ??
    missing(`${regPath}@regdate`, 'without AppealCard@registered it dates the appeal.');
  return {
    source: 'gov_hotline_1545',
    externalId,
    registrationNumber: regNumber === undefined ? null : cleanText(textOf(regNumber), regPath),
    receivedAt,
    kind: card.kind,
    subject,
    receiptSign: card.receiptSign,
    receiptForm: card.receiptForm,
    topicCode: card.topicCode,
    territoryCode: card.territoryCode,
    summary,
    urgent,
    nonDisclosure,
    author,
    coAuthors,
    attachments,
    directLine: card.directLine,
    complaintAbout: card.complaintAbout,
    origin,
  };
}
