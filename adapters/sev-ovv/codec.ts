/**
 * SEV OVV (система електронної взаємодії органів виконавчої влади), message format "1207" v1.5:
 * one delivery → one main-document message (`Header@msg_type="1"`) carrying a citizen's appeal
 * (`Document@type="2"`), and the body's receipt (`Acknowledgement@ack_type`) → ForwardOutcome.
 * Pure: values in, values out; the clock comes in as `now`. The mapping is documented in
 * schema/sev-ovv/README.md; the examples there are this encoder's output.
 */
import type { DeliveryPayload, ForwardOutcome, PayloadAttachment, PayloadPerson } from '../port.js';
import {
  channelOf,
  EncodeError,
  KIND_CODES,
  kyivDate,
  kyivDateTime,
  msgIdFor,
  phoneType,
  ROLE_ATTRIBUTES,
  SUBJECT_CODES,
} from './codes.js';
import { ackResults } from './receipt.js';
import {
  attr,
  attrs,
  buildXml,
  firstElement,
  parseXml,
  text,
  textElement,
  XmlReadError,
  type XmlTree,
} from './xml.js';

export { EncodeError, msgIdFor } from './codes.js';
export { decodeStatusFeed } from './feed.js';

/** Systems named in the Header (`from_sys_id`, `to_sys_id`…): SEV OVV requires all four. */
export interface SevOvvSystems {
  fromSysId: string;
  fromSystem: string;
  toSysId: string;
  toSystem: string;
}

export const GATEWAY_SYSTEM = { sysId: 'APPEAL-GATEWAY', name: 'Шлюз маршрутизації звернень' } as const;

/** The Expansion version of the gateway's elements (AppealCard, Assignment, AppealStatus). */
export const EXPANSION_VERSION = '1.0';

const organization = (code: string, name: string): XmlTree => ({ $: attrs({ ogrn: code, fullname: name }) });

function rankOf(person: PayloadPerson): XmlTree[] {
  const sex = person.sex === 'male' ? '1' : person.sex === 'female' ? '2' : null;
  const [first = null, ...more] = person.categories;
  if (first === null && sex === null && person.socialStatus === null) return [];
  // One Rank with the social position, the sex and the first category; one more per further category.
  return [
    { $: attrs({ privilege: first, socialposition: person.socialStatus, sex }) },
    ...more.map((privilege) => ({ $: attrs({ privilege }) })),
  ];
}

function authorOf(person: PayloadPerson | null): XmlTree {
  if (person === null) return {};
  const contacts: XmlTree[] = [];
  if (person.phone) contacts.push(textElement(person.phone, { type: phoneType(person.phone) }));
  if (person.email) contacts.push(textElement(person.email, { type: 'п' }));
  const ranks = rankOf(person);
  const name = { secname: person.lastName, firstname: person.firstName, fathersname: person.patronymic };
  if (Object.keys(attrs(name)).length === 0 && ranks.length === 0 && contacts.length === 0 && !person.address)
    return {};
  const pp: XmlTree = { Name: { $: attrs(name) } };
  if (ranks.length > 0) pp.Rank = ranks;
  if (person.address) pp.Address = textElement(person.address);
  if (contacts.length > 0) pp.Econtact = contacts;
  return { PrivatePerson: pp };
}

/** `@type` is the file's extension, as 1207 senders write it ("pdf"), or its MIME type when it has none. */
function docTransfer(file: PayloadAttachment, idnumber: string): XmlTree {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(file.fileName)?.[1]?.toLowerCase() ?? null;
  const type = ext ?? file.mimeType;
  return textElement(
    file.contentBase64.replace(/\s+/g, ''),
    attrs({ type, description: file.fileName, idnumber }),
  );
}

function documentOf(p: DeliveryPayload, regNumber: XmlTree, confident: XmlTree): XmlTree {
  const role = ROLE_ATTRIBUTES[p.recipient.role];
  const doc: XmlTree = {
    $: attrs({
      idnumber: p.appealId,
      type: '2',
      kind: KIND_CODES[p.kind].label,
      title: p.topicLabel,
      annotation: p.summary,
      purpose_type: role.purposeType,
      urgent: p.urgent ? '1' : '0',
    }),
    RegNumber: regNumber,
    Confident: confident,
  };
  if (p.attachments.length > 0)
    doc.DocTransfer = p.attachments.map((f, i) => docTransfer(f, `${p.appealId}-${i + 1}`));
  doc.Author = [authorOf(p.author), ...p.coAuthors.map(authorOf)];
  doc.Writer = { Organization: organization(p.sender.code, p.sender.name) };
  return doc;
}

function taskListOf(
  p: DeliveryPayload,
  regNo: string,
  regNumber: XmlTree,
  confident: XmlTree,
  now: Date,
): XmlTree {
  const role = ROLE_ATTRIBUTES[p.recipient.role];
  const deadline = kyivDate(p.dueAt, 'dueAt');
  const task: XmlTree = {
    $: attrs({
      idnumber: `${p.appealId}-${p.recipient.code}`,
      task_reg: '1',
      task_copy: role.taskCopy,
      task_text: role.taskText,
      deadline,
      'referred-control': role.control,
    }),
    TaskNumber: textElement(regNo, { taskDate: kyivDate(now, 'now') }),
    Confident: confident,
    Referred: { $: attrs({ idnumber: p.appealId, retype: 'д' }), RegNumber: regNumber },
    Author: { Organization: organization(p.sender.code, p.sender.name) },
    Executor: {
      $: attrs({ responsible: role.responsible, deadline }),
      Organization: organization(p.recipient.code, p.recipient.name),
    },
  };
  return { Task: task };
}

function expansionOf(p: DeliveryPayload): XmlTree {
  return {
    $: attrs({ organization: p.sender.code, exp_ver: EXPANSION_VERSION }),
    StaticExpansion: '',
    AppealCard: {
      $: attrs({
        topic: p.topicCode,
        territory: p.territoryCode,
        channel: channelOf(p.source),
        subject: SUBJECT_CODES[p.subject],
        kind: KIND_CODES[p.kind].code,
        registered: kyivDateTime(p.receivedAt, 'receivedAt'),
      }),
    },
    Assignment: {
      $: attrs({
        role: p.recipient.role,
        priority: p.priority ? '1' : '0',
        due_at: p.dueAt,
        source: p.source,
        external_id: p.externalId,
        rule: p.routing.ruleId,
        ruleset_version: p.routing.ruleSetVersion === null ? null : String(p.routing.ruleSetVersion),
        reason: p.routing.reason,
        purpose: p.purpose,
      }),
    },
  };
}

/**
 * One delivery as a 1207 v1.5 main-document message. The same idempotency key gives the same msg_id
 * on every attempt. Throws EncodeError for a payload it cannot write (a date that is not a date).
 */
export function encodeAppeal(
  payload: DeliveryPayload,
  idempotencyKey: string,
  now: Date,
  systems: Partial<SevOvvSystems> = {},
): string {
  if (!/^\d{8}$/.test(payload.recipient.code) || !/^\d{8}$/.test(payload.sender.code)) {
    throw new EncodeError('sender and recipient must be EDRPOU codes of 8 digits, written as strings');
  }
  // 1207 requires a RegNumber: without the contact center's own number, the source's or the appeal id.
  const regNo = payload.registrationNumber ?? payload.externalId ?? payload.appealId;
  const regNumber = textElement(regNo, { regdate: kyivDate(payload.receivedAt, 'receivedAt') });
  const confident = { $: { flag: payload.nonDisclosure ? '1' : '0' } };
  const toSysId = systems.toSysId ?? 'SEV-OVV';
  return buildXml('Header', {
    $: attrs({
      standart: '1207',
      version: '1.5',
      charset: 'UTF-8',
      time: kyivDateTime(now, 'now'),
      msg_type: '1',
      msg_id: msgIdFor(idempotencyKey),
      msg_acknow: '2',
      from_org_id: payload.sender.code,
      from_organization: payload.sender.name,
      from_sys_id: systems.fromSysId ?? GATEWAY_SYSTEM.sysId,
      from_system: systems.fromSystem ?? GATEWAY_SYSTEM.name,
      to_org_id: payload.recipient.code,
      to_organization: payload.recipient.name,
      to_sys_id: toSysId,
      to_system: systems.toSystem ?? toSysId,
    }),
    Document: documentOf(payload, regNumber, confident),
    TaskList: taskListOf(payload, regNo, regNumber, confident, now),
    Expansion: expansionOf(payload),
  });
}

const LEVELS = { '1': 'delivered', '2': 'accepted', '3': 'registered' } as const;

const malformed = (why: string): ForwardOutcome => ({
  ok: false,
  failure: { retryable: true, code: 'MALFORMED_REPLY', message: `The SEV OVV reply cannot be read: ${why}.` },
});

/**
 * The body's answer to a POSTed message: a 1207 receipt (`Header/Acknowledgement`). ack_type 1
 * delivered, 2 accepted, 3 registered (with the body's RegNumber), 4 rejected → permanent
 * ACK_REJECTED. Anything else, or a receipt for another msg_id than `expectedMsgId`, is a retryable
 * MALFORMED_REPLY: the message may well have arrived, and resending it under the same msg_id is safe.
 */
export function decodeReply(xml: string, expectedMsgId?: string): ForwardOutcome {
  let header: ReturnType<typeof parseXml>;
  try {
    header = parseXml(xml);
  } catch (error) {
    return malformed(error instanceof XmlReadError ? error.message : String(error));
  }
  if (header.name !== 'Header') return malformed(`the root element is <${header.name}>, not <Header>`);
  const ack = firstElement(header.root, 'Acknowledgement');
  if (ack === undefined) return malformed('it carries no Acknowledgement');
  const ackType = attr(ack, 'ack_type');
  const ackedId = attr(ack, 'msg_id');
  if (expectedMsgId !== undefined && ackedId !== expectedMsgId) {
    return malformed(`it acknowledges msg_id "${ackedId ?? ''}", not the message sent (${expectedMsgId})`);
  }
  const notes = ackResults(ack);
  if (ackType === '4') {
    const why = notes.length > 0 ? notes.join('; ') : 'no reason given';
    return {
      ok: false,
      failure: {
        retryable: false,
        code: 'ACK_REJECTED',
        message: `The body's SEV OVV node rejected the message (ack_type=4): ${why}.`,
      },
    };
  }
  if (ackType !== '1' && ackType !== '2' && ackType !== '3') {
    return malformed(`Acknowledgement@ack_type is "${ackType ?? ''}"; 1207 knows 1, 2, 3 and 4`);
  }
  const reg = firstElement(ack, 'RegNumber');
  const registrationNumber = text(reg);
  const regDate = attr(reg, 'regdate');
  const detail = [
    `ack_type=${ackType}`,
    registrationNumber && `RegNumber ${registrationNumber}${regDate ? ` of ${regDate}` : ''}`,
    ...notes,
  ];
  return {
    ok: true,
    receipt: {
      level: LEVELS[ackType],
      agencyRef: attr(header.root, 'msg_id'),
      registrationNumber,
      detail: detail.filter(Boolean).join('; '),
    },
  };
}
