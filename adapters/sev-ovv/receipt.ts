/**
 * The body's side of SEV OVV "1207" v1.5: receipts (`Header@msg_type="0"` with `Acknowledgement`)
 * as a body's node writes them. The simulator answers with these, and the schema examples of a
 * registration (ack_type 3) and a rejection (ack_type 4) are their output.
 */
import { kyivDate, kyivDateTime } from './codes.js';
import {
  attr,
  attrs,
  buildXml,
  elements,
  textElement,
  type XmlElement,
  type XmlTree,
  xmlSafe,
} from './xml.js';

/** One end of a message: an organisation (EDRPOU, 8 digits as a string) and its system in SEV OVV. */
export interface Party {
  code: string;
  name: string;
  sysId: string;
  system: string;
}

/** The Header attributes of a message from `from` to `to`. */
export function headerAttributes(
  msgType: string,
  msgId: string,
  time: Date | string,
  from: Party,
  to: Party,
): Record<string, string> {
  return attrs({
    standart: '1207',
    version: '1.5',
    charset: 'UTF-8',
    time: kyivDateTime(time, 'time'),
    msg_type: msgType,
    msg_id: msgId,
    msg_acknow: '0',
    from_org_id: from.code,
    from_organization: from.name,
    from_sys_id: from.sysId,
    from_system: from.system,
    to_org_id: to.code,
    to_organization: to.name,
    to_sys_id: to.sysId,
    to_system: to.system,
  });
}

export type AckType = '1' | '2' | '3' | '4';

export interface ReceiptMessage {
  /** The receipt's own msg_id. */
  msgId: string;
  time: Date | string;
  /** The body that answers, and the sender of the acknowledged message. */
  from: Party;
  to: Party;
  /** The msg_id of the message acknowledged. */
  ackMsgId: string;
  ackType: AckType;
  /** The body's registration of the document (ack_type 3). */
  regNumber?: { number: string; date: Date | string } | null;
  /** 1207 requires at least one AckResult; errorcode 0 means no error. */
  results: { code: string; text: string }[];
}

/** The receipt as a Header tree, for embedding (the status feed) or building. */
export function receiptTree(r: ReceiptMessage): XmlTree {
  const ack: XmlTree = { $: attrs({ msg_id: r.ackMsgId, ack_type: r.ackType }) };
  if (r.regNumber) {
    ack.RegNumber = textElement(r.regNumber.number, { regdate: kyivDate(r.regNumber.date, 'regdate') });
  }
  const results = r.results.length > 0 ? r.results : [{ code: '0', text: '' }];
  // errortext is required by 1207 even when empty, so it is written as is.
  ack.AckResult = results.map(({ code, text }) => ({ $: { errorcode: code, errortext: xmlSafe(text) } }));
  return { $: headerAttributes('0', r.msgId, r.time, r.from, r.to), Acknowledgement: ack };
}

export const encodeReceipt = (r: ReceiptMessage): string => buildXml('Header', receiptTree(r));

/** "errorcode: errortext" of each AckResult that says something (code 0 with an empty text does not). */
export function ackResults(ack: XmlElement): string[] {
  return elements(ack, 'AckResult')
    .map((r) => [attr(r, 'errorcode'), attr(r, 'errortext')] as const)
    .filter(([code, why]) => why !== null || (code !== null && code !== '0'))
    .map(([code, why]) => (code !== null && code !== '0' ? `${code}: ${why ?? ''}`.trim() : (why ?? '')));
}
