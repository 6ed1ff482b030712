/**
 * The status feed a body's SEV OVV node (or the local bridge in front of it) serves for pulling:
 *
 *   <StatusFeed org_id="99923101" cursor="7">
 *     <Item seq="6" idnumber="<the gateway's Document@idnumber>"> <Header msg_type="0">…receipt…</Header> </Item>
 *     <Item seq="7" idnumber="…"> <Header msg_type="3">…answer document…</Header> </Item>
 *   </StatusFeed>
 *
 * Each Item wraps one standard 1207 message the body sent about one appeal; `@idnumber` names the
 * appeal (a receipt names only the acknowledged msg_id, which cannot be turned back into an appeal).
 * An answer without it is linked by its `Document/Addressee/Referred[@retype="д"]@idnumber`. The
 * gateway's `Expansion/AppealStatus` on answers carries what 1207 has no place for: the event, the
 * result code (classifier section 9), a new due date, the body's registration number. `@cursor` is
 * the position to ask `?after=` next time. A bare `<Header>` is read as a feed of one message.
 */
import type { PullOutcome, StatusUpdate, UnmappedStatus } from '../port.js';
import { kyivDate, RESULT_CODES, resultOfCode, utcInstant } from './codes.js';
import { ackResults, headerAttributes, type Party, receiptTree } from './receipt.js';
import type { XmlElement } from './xml.js';
import {
  attr,
  attrs,
  buildXml,
  elements,
  firstElement,
  parseXml,
  text,
  textElement,
  XmlReadError,
  type XmlTree,
} from './xml.js';

export const FEED_ROOT = 'StatusFeed';
const EXPANSION_VERSION = '1.0';

type Event = StatusUpdate['event'];

/**
 * The one table from the node's codes to the gateway's events. A receipt (msg_type 0) speaks by its
 * `Acknowledgement@ack_type`; an answer document (msg_type 3) by the gateway's `AppealStatus@event`,
 * or, when that is absent, by its result code (the side exits of Art. 5, 7 and 8 are events of their
 * own), or, naming neither, as a plain answer. A code not listed is returned unmapped, never guessed.
 */
export const STATUS_CODES: Readonly<Record<string, Event>> = {
  'Acknowledgement@ack_type=1': 'deliver',
  // The node took the message in, not yet the office: still a delivery.
  'Acknowledgement@ack_type=2': 'deliver',
  'Acknowledgement@ack_type=3': 'accept',
  'Acknowledgement@ack_type=4': 'reject',
  'AppealStatus@event=answer': 'answer',
  'AppealStatus@event=extend': 'extend',
  'AppealStatus@event=forward': 'forward',
  'AppealStatus@event=return': 'return',
  'AppealStatus@event=reject': 'reject',
  'AppealStatus@result=9.1': 'answer',
  'AppealStatus@result=9.2': 'answer',
  'AppealStatus@result=9.3': 'answer',
  'AppealStatus@result=9.4': 'return',
  'AppealStatus@result=9.5': 'forward',
  'AppealStatus@result=9.6': 'reject',
  'Header@msg_type=3': 'answer',
};

const eventOf = (code: string): Event | undefined =>
  Object.hasOwn(STATUS_CODES, code) ? STATUS_CODES[code] : undefined;

type Base = Omit<StatusUpdate, 'event' | 'appealId'> & { appealId: string | null };
type Read = { update: StatusUpdate } | { unmapped: UnmappedStatus };

class FeedError extends Error {}

/** A mapped code makes an update (which must name its appeal); any other is returned unmapped. */
function mapped(code: string, base: Base, fields: Partial<StatusUpdate>): Read {
  const event = eventOf(code);
  const { appealId, externalEventId } = base;
  if (event === undefined) return { unmapped: { externalEventId, code, appealId } };
  if (appealId === null) throw new FeedError(`message ${externalEventId} names no appeal (Item@idnumber)`);
  return { update: { ...base, ...fields, appealId, event } };
}

function receiptUpdate(header: XmlElement, base: Base): Read {
  const ack = firstElement(header, 'Acknowledgement');
  if (ack === undefined) throw new FeedError('a receipt (msg_type 0) without Acknowledgement');
  const ackType = attr(ack, 'ack_type');
  if (!ackType) throw new FeedError('a receipt without Acknowledgement@ack_type');
  const notes = ackResults(ack);
  return mapped(`Acknowledgement@ack_type=${ackType}`, base, {
    registrationNumber: text(firstElement(ack, 'RegNumber')),
    note: notes.length > 0 ? notes.join('; ') : null,
  });
}

function answerUpdate(header: XmlElement, base: Base): Read {
  const doc = firstElement(header, 'Document');
  if (doc === undefined) throw new FeedError('an answer (msg_type 3) without Document');
  const status = firstElement(firstElement(header, 'Expansion'), 'AppealStatus');
  const resultCode = attr(status, 'result');
  const result = resultCode === null ? null : resultOfCode(resultCode);
  if (result === undefined) throw new FeedError(`AppealStatus@result "${resultCode}" is not a code 9.1–9.6`);
  const event = attr(status, 'event');
  const code =
    event !== null
      ? `AppealStatus@event=${event}`
      : resultCode !== null
        ? `AppealStatus@result=${resultCode}`
        : 'Header@msg_type=3';
  const due = attr(status, 'due_at');
  const dueAt = utcInstant(due);
  if (due !== null && dueAt === null)
    throw new FeedError(`AppealStatus@due_at "${due}" is not a zoned date-time`);
  return mapped(code, base, {
    result,
    dueAt,
    registrationNumber: attr(status, 'reg_number'),
    note: attr(doc, 'annotation'),
  });
}

function referredAppeal(header: XmlElement): string | null {
  for (const addressee of elements(firstElement(header, 'Document') ?? {}, 'Addressee')) {
    const ref = elements(addressee, 'Referred').find((r) => attr(r, 'retype') === 'д');
    if (ref) return attr(ref, 'idnumber');
  }
  return null;
}

/** One 1207 message of the feed → its update; null for messages that report no status (1, 2, 4). */
function updateOf(header: XmlElement, idnumber: string | null, expectFrom?: string): Read | null {
  const msgType = attr(header, 'msg_type');
  if (msgType !== '0' && msgType !== '3') return null;
  const from = attr(header, 'from_org_id');
  if (expectFrom !== undefined && from !== expectFrom)
    throw new FeedError(`a message from_org_id "${from ?? ''}", not from ${expectFrom}`);
  const externalEventId = attr(header, 'msg_id');
  if (externalEventId === null) throw new FeedError('a message without msg_id');
  const occurredAt = utcInstant(attr(header, 'time'));
  if (occurredAt === null) throw new FeedError(`message ${externalEventId} has no zoned Header@time`);
  const appealId = idnumber ?? (msgType === '3' ? referredAppeal(header) : null);
  const base: Base = {
    appealId,
    externalEventId,
    occurredAt,
    result: null,
    registrationNumber: null,
    dueAt: null,
    note: null,
  };
  return msgType === '0' ? receiptUpdate(header, base) : answerUpdate(header, base);
}

/** A feed page (or one bare message) → the updates in it and the cursor to continue from. */
export function decodeStatusFeed(xml: string, expectFrom?: string): PullOutcome {
  try {
    const { name, root } = parseXml(xml);
    let items: { idnumber: string | null; header: XmlElement }[];
    if (name === 'Header') items = [{ idnumber: null, header: root }];
    else if (name === FEED_ROOT) {
      items = elements(root, 'Item').map((item) => {
        const header = firstElement(item, 'Header');
        if (header === undefined) throw new FeedError(`Item ${attr(item, 'seq') ?? ''} holds no Header`);
        return { idnumber: attr(item, 'idnumber'), header };
      });
    } else throw new FeedError(`the root element is <${name}>, not <${FEED_ROOT}>`);
    const updates: StatusUpdate[] = [];
    const unmapped: UnmappedStatus[] = [];
    for (const { idnumber, header } of items) {
      const read = updateOf(header, idnumber, expectFrom);
      if (read === null) continue;
      if ('update' in read) updates.push(read.update);
      else unmapped.push(read.unmapped);
    }
    return { ok: true, updates, unmapped, cursor: name === FEED_ROOT ? attr(root, 'cursor') : null };
  } catch (error) {
    if (!(error instanceof FeedError || error instanceof XmlReadError)) throw error;
    return {
      ok: false,
      failure: {
        retryable: true,
        code: 'MALFORMED_REPLY',
        message: `The SEV OVV status feed cannot be read: ${error.message}.`,
      },
    };
  }
}

export interface FeedEntry {
  seq: number;
  update: StatusUpdate;
  /** For receipts: the msg_id of the acknowledged message. */
  ackMsgId?: string;
  /** For answers: the gateway's registration of the appeal, referred to by the answer. */
  referred?: { number: string; date: string } | null;
}

function answerTree(e: FeedEntry, body: Party, gateway: Party): XmlTree {
  const u = e.update;
  const doc: XmlTree = {
    $: attrs({ idnumber: u.externalEventId, type: '2', purpose_type: '0', urgent: '0', annotation: u.note }),
    RegNumber: textElement(`Вих-${e.seq}`, { regdate: kyivDate(u.occurredAt, 'occurredAt') }),
    Confident: { $: { flag: '0' } },
    Author: { Organization: { $: attrs({ ogrn: body.code, fullname: body.name }) } },
  };
  if (e.referred) {
    doc.Addressee = {
      $: { type: '0' },
      Organization: { $: attrs({ ogrn: gateway.code, fullname: gateway.name }) },
      Referred: {
        $: attrs({ idnumber: u.appealId, retype: 'д' }),
        RegNumber: textElement(e.referred.number, { regdate: e.referred.date }),
      },
    };
  }
  doc.Writer = { Organization: { $: attrs({ ogrn: body.code, fullname: body.name }) } };
  const status = {
    event: u.event,
    result: u.result === null ? null : RESULT_CODES[u.result],
    due_at: u.dueAt,
    reg_number: u.registrationNumber,
  };
  return {
    $: headerAttributes('3', u.externalEventId, u.occurredAt, body, gateway),
    Document: doc,
    Expansion: {
      $: attrs({ organization: body.code, exp_ver: EXPANSION_VERSION }),
      StaticExpansion: '',
      AppealStatus: { $: attrs(status) },
    },
  };
}

/** The message a body sends for an update: a receipt for deliver/accept, an answer document otherwise. */
function messageTree(e: FeedEntry, body: Party, gateway: Party): XmlTree {
  const u = e.update;
  if (u.event !== 'deliver' && u.event !== 'accept') return answerTree(e, body, gateway);
  return receiptTree({
    msgId: u.externalEventId,
    time: u.occurredAt,
    from: body,
    to: gateway,
    ackMsgId: e.ackMsgId ?? u.appealId,
    ackType: u.event === 'deliver' ? '1' : '3',
    regNumber: u.registrationNumber ? { number: u.registrationNumber, date: u.occurredAt } : null,
    results: [{ code: '0', text: u.note ?? '' }],
  });
}

/** A feed page as the body's node serves it. */
export function encodeStatusFeed(page: {
  body: Party;
  gateway: Party;
  cursor: string;
  entries: readonly FeedEntry[];
}): string {
  return buildXml(FEED_ROOT, {
    $: attrs({ org_id: page.body.code, cursor: page.cursor }),
    Item: page.entries.map((e) => ({
      $: attrs({ seq: String(e.seq), idnumber: e.update.appealId }),
      Header: messageTree(e, page.body, page.gateway),
    })),
  });
}
