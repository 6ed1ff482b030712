/**
 * The appeal as it travels in `registerAppeal` (namespace urn:ua:gateway:appeals:v1, every element
 * qualified): one element per DeliveryPayload field, in a fixed order; a null field is left out, codes
 * are text (leading zeros stay), booleans are `true`/`false`, attachments are base64 inline.
 * Reading it back (`payloadFromXml`) is what a body's service — and the simulator — does.
 */
import type { AppealKind, AppealSubject, SourceLine } from '../../src/domain/appeal.js';
import type { DeliveryPayload, PayloadPerson, RecipientRole } from '../port.js';
import { childOf, childrenOf, type XNode, xmlText } from './xml.js';
import { NS } from './xroad.js';

type Tree = Record<string, unknown>;

function put(tree: Tree, name: string, value: string | null): void {
  if (value !== null) tree[name] = xmlText(value);
}

function personTree(p: PayloadPerson): Tree {
  const t: Tree = {};
  put(t, 'lastName', p.lastName);
  put(t, 'firstName', p.firstName);
  put(t, 'patronymic', p.patronymic);
  put(t, 'phone', p.phone);
  put(t, 'email', p.email);
  put(t, 'address', p.address);
  if (p.categories.length > 0) t.categories = { category: p.categories.map(xmlText) };
  put(t, 'socialStatus', p.socialStatus);
  put(t, 'sex', p.sex);
  return t;
}

/** The children of the registerAppeal element for one payload. */
export function payloadTree(p: DeliveryPayload): Tree {
  const t: Tree = {};
  put(t, 'appealId', p.appealId);
  put(t, 'registrationNumber', p.registrationNumber);
  put(t, 'source', p.source);
  put(t, 'externalId', p.externalId);
  put(t, 'receivedAt', p.receivedAt);
  put(t, 'dueAt', p.dueAt);
  put(t, 'kind', p.kind);
  put(t, 'subject', p.subject);
  put(t, 'topicCode', p.topicCode);
  put(t, 'topicLabel', p.topicLabel);
  put(t, 'territoryCode', p.territoryCode);
  put(t, 'summary', p.summary);
  t.urgent = String(p.urgent);
  t.priority = String(p.priority);
  t.nonDisclosure = String(p.nonDisclosure);
  if (p.author) t.author = personTree(p.author);
  if (p.coAuthors.length > 0) t.coAuthors = { coAuthor: p.coAuthors.map(personTree) };
  if (p.attachments.length > 0) {
    t.attachments = {
      attachment: p.attachments.map((a) => ({
        fileName: xmlText(a.fileName),
        mimeType: xmlText(a.mimeType),
        content: a.contentBase64,
      })),
    };
  }
  t.recipient = { code: p.recipient.code, name: xmlText(p.recipient.name), role: p.recipient.role };
  t.sender = { code: p.sender.code, name: xmlText(p.sender.name) };
  const routing: Tree = {};
  put(routing, 'reason', p.routing.reason);
  put(routing, 'ruleId', p.routing.ruleId);
  put(routing, 'ruleSetVersion', p.routing.ruleSetVersion === null ? null : String(p.routing.ruleSetVersion));
  t.routing = routing;
  return t;
}

/** A required field is missing or unreadable; `path` names it from the body element. */
export class BodyError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

const opt = (el: XNode | undefined, name: string): string | null =>
  el ? (childOf(el, NS.appeals, name)?.text ?? null) : null;

function req(el: XNode | undefined, name: string, path: string): string {
  const v = opt(el, name);
  if (v === null || v.trim() === '') throw new BodyError(`${path}/${name}`, `${name} is required`);
  return v;
}

function bool(el: XNode, name: string): boolean {
  const v = req(el, name, '').trim();
  if (v !== 'true' && v !== 'false') throw new BodyError(`/${name}`, `${name} must be true or false`);
  return v === 'true';
}

function person(el: XNode): PayloadPerson {
  const categories = childOf(el, NS.appeals, 'categories');
  const sex = opt(el, 'sex');
  return {
    lastName: opt(el, 'lastName'),
    firstName: opt(el, 'firstName'),
    patronymic: opt(el, 'patronymic'),
    phone: opt(el, 'phone'),
    email: opt(el, 'email'),
    address: opt(el, 'address'),
    categories: categories ? childrenOf(categories, NS.appeals, 'category').map((c) => c.text) : [],
    socialStatus: opt(el, 'socialStatus'),
    sex: sex === 'male' || sex === 'female' ? sex : null,
  };
}

/** Reads a registerAppeal element's appeal back. Values of enumerations are taken as sent. */
export function payloadFromXml(el: XNode, purpose: string): DeliveryPayload {
  const author = childOf(el, NS.appeals, 'author');
  const coAuthors = childOf(el, NS.appeals, 'coAuthors');
  const attachments = childOf(el, NS.appeals, 'attachments');
  const recipient = childOf(el, NS.appeals, 'recipient');
  const sender = childOf(el, NS.appeals, 'sender');
  const routing = childOf(el, NS.appeals, 'routing');
  const version = opt(routing, 'ruleSetVersion');
  return {
    appealId: req(el, 'appealId', ''),
    registrationNumber: opt(el, 'registrationNumber'),
    source: req(el, 'source', '') as SourceLine,
    externalId: opt(el, 'externalId'),
    receivedAt: req(el, 'receivedAt', ''),
    dueAt: req(el, 'dueAt', ''),
    kind: req(el, 'kind', '') as AppealKind,
    subject: req(el, 'subject', '') as AppealSubject,
    topicCode: req(el, 'topicCode', ''),
    topicLabel: opt(el, 'topicLabel') ?? '',
    territoryCode: opt(el, 'territoryCode'),
    summary: req(el, 'summary', ''),
    urgent: bool(el, 'urgent'),
    priority: bool(el, 'priority'),
    nonDisclosure: bool(el, 'nonDisclosure'),
    author: author ? person(author) : null,
    coAuthors: coAuthors ? childrenOf(coAuthors, NS.appeals, 'coAuthor').map(person) : [],
    attachments: attachments
      ? childrenOf(attachments, NS.appeals, 'attachment').map((a) => ({
          fileName: req(a, 'fileName', '/attachments/attachment'),
          mimeType: req(a, 'mimeType', '/attachments/attachment'),
          contentBase64: (opt(a, 'content') ?? '').replace(/\s+/g, ''),
        }))
      : [],
    recipient: {
      code: req(recipient, 'code', '/recipient').trim(),
      name: opt(recipient, 'name') ?? '',
      role: req(recipient, 'role', '/recipient').trim() as RecipientRole,
    },
    sender: { code: req(sender, 'code', '/sender').trim(), name: opt(sender, 'name') ?? '' },
    routing: {
      reason: opt(routing, 'reason'),
      ruleId: opt(routing, 'ruleId'),
      ruleSetVersion: version === null ? null : Number(version),
    },
    purpose,
  };
}
