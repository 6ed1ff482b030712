/**
 * The 1207 v1.5 messages the gateway sends back to the Government Contact Center (UCC) about an
 * appeal that came from the 1545 line, and the UCC's reply to them (see schema/ucc-status/README.md):
 * - a change of status → a receipt (`msg_type="0"`) acknowledging the UCC's original message
 *   (`Acknowledgement@msg_id` = its `Header@msg_id`): `ack_type` 3 when the gateway registered it
 *   (with the gateway's `RegNumber`), 1 when it reached its executor, 2 for every later change;
 * - the answer → an answer document (`msg_type="3"`) from the responsible body, referring to the
 *   UCC's registration (`Addressee/Referred`), with the answer's text as `Document@annotation` and
 *   the body's outgoing registration as `RegNumber`.
 * Both carry `Expansion/AppealStatus` with what 1207 has no place for: the canonical event and
 * state, the result code (classifier section 9), the due date and the executor.
 */
import { EXPANSION_VERSION, GATEWAY_SYSTEM } from '../../adapters/sev-ovv/codec.js';
import { kyivDate } from '../../adapters/sev-ovv/codes.js';
import { headerAttributes, type Party } from '../../adapters/sev-ovv/receipt.js';
import {
  attr,
  attrs,
  buildXml,
  elements,
  firstElement,
  parseXml,
  textElement,
  XmlReadError,
  type XmlTree,
} from '../../adapters/sev-ovv/xml.js';
import type { UccMessageContent, UccMessageKind } from '../db/entities/ucc-message.js';
import { type AppealState, STATE_LABELS } from '../domain/status.js';

/** The UCC as the recipient when the appeal's origin does not name it (a regional-line test, say). */
export const UCC_DEFAULT: Party = {
  code: '99900001', // a placeholder like the seed's: configure the real one (UCC_ORG_CODE)
  name: 'Урядовий контактний центр',
  sysId: 'UCC',
  system: 'Система УКЦ',
};

export const UCC_RECEIPT = '0';
export const UCC_ANSWER = '3';

/** Which 1207 message a status change becomes. */
export function kindOf(event: string, state: string): UccMessageKind {
  return event === 'answer' || state === 'answered' ? 'answer' : 'receipt';
}

/** `Acknowledgement@ack_type` of a status change: registered here 3, delivered to the executor 1, else 2. */
export function ackTypeOf(event: string): '1' | '2' | '3' {
  if (event === 'register') return '3';
  if (event === 'route' || event === 'send' || event === 'deliver') return '1';
  return '2';
}

const label = (state: string): string => STATE_LABELS[state as AppealState] ?? state;

function uccParty(c: UccMessageContent): Party {
  return {
    code: c.uccOrgCode ?? UCC_DEFAULT.code,
    name: c.uccOrgName ?? UCC_DEFAULT.name,
    sysId: UCC_DEFAULT.sysId,
    system: UCC_DEFAULT.system,
  };
}

function statusElement(c: UccMessageContent): XmlTree {
  return {
    $: attrs({
      appeal_id: c.appealId,
      ucc_number: c.uccNumber,
      ucc_reg_number: c.uccRegNumber,
      event: c.event,
      state: c.state,
      result: c.result,
      due_at: c.dueAt,
      occurred_at: c.occurredAt,
      executor: c.executor?.code,
      executor_name: c.executor?.name,
      reg_number: c.executor?.registrationNumber,
    }),
  };
}

const expansion = (from: Party, c: UccMessageContent): XmlTree => ({
  $: attrs({ organization: from.code, exp_ver: EXPANSION_VERSION }),
  StaticExpansion: '',
  AppealStatus: statusElement(c),
});

/** The gateway insists on the UCC's receipt for every message (`msg_acknow` 2: always). */
const toUcc = (header: Record<string, string>): Record<string, string> => ({ ...header, msg_acknow: '2' });

/** An EDRPOU code: 8 digits, leading zeros kept. */
export const EDRPOU = /^\d{8}$/;

/** The message for one queued change, from the contact center (`from`) to the UCC. */
export function encodeUccMessage(
  kind: UccMessageKind,
  msgId: string,
  c: UccMessageContent,
  from: { code: string; name: string },
): string {
  if (!EDRPOU.test(from.code)) {
    throw new Error(
      `the contact center's EDRPOU code "${from.code}" is not 8 digits: 1207 needs it as the sender`,
    );
  }
  const sender: Party = {
    code: from.code,
    name: from.name,
    sysId: GATEWAY_SYSTEM.sysId,
    system: GATEWAY_SYSTEM.name,
  };
  const ucc = uccParty(c);
  if (kind === 'receipt') {
    const ackType = ackTypeOf(c.event);
    const ack: XmlTree = { $: attrs({ msg_id: c.uccMsgId ?? c.uccNumber ?? c.appealId, ack_type: ackType }) };
    if (ackType === '3') {
      // Registered here: the gateway's id is the number to refer to it by.
      ack.RegNumber = textElement(c.appealId, { regdate: kyivDate(c.occurredAt, 'occurredAt') });
    }
    const text = [label(c.state), c.executor ? `виконавець: ${c.executor.name}` : null, c.note]
      .filter(Boolean)
      .join('; ');
    ack.AckResult = { $: { errorcode: '0', errortext: text } };
    return buildXml('Header', {
      $: toUcc(headerAttributes(UCC_RECEIPT, msgId, c.occurredAt, sender, ucc)),
      Expansion: expansion(sender, c),
      Acknowledgement: ack,
    });
  }
  const executor = c.executor ?? { code: from.code, name: from.name, registrationNumber: null };
  const org = { Organization: { $: attrs({ ogrn: executor.code, fullname: executor.name }) } };
  const doc: XmlTree = {
    $: attrs({
      // Each answer its own document (a second answer after rework is a new one).
      idnumber: msgId,
      type: '2',
      purpose_type: '0',
      urgent: '0',
      annotation: c.note ?? label(c.state),
    }),
    RegNumber: textElement(executor.registrationNumber ?? c.appealId, {
      regdate: kyivDate(c.occurredAt, 'occurredAt'),
    }),
    Confident: { $: { flag: '0' } },
    Author: org,
    Addressee: {
      $: { type: '0' },
      Organization: { $: attrs({ ogrn: ucc.code, fullname: ucc.name }) },
      Referred: {
        $: attrs({ idnumber: c.uccNumber ?? c.appealId, retype: 'д' }),
        RegNumber: textElement(c.uccRegNumber ?? c.uccNumber ?? c.appealId, {
          regdate: kyivDate(c.receivedAt, 'receivedAt'),
        }),
      },
    },
    Writer: org,
  };
  return buildXml('Header', {
    $: toUcc(headerAttributes(UCC_ANSWER, msgId, c.occurredAt, sender, ucc)),
    Document: doc,
    Expansion: expansion(sender, c),
  });
}

/** What the UCC answered to one message. */
export type UccReply =
  | { ok: true; ackType: string }
  | { ok: false; retryable: boolean; code: string; message: string };

/**
 * The UCC's reply: a receipt (`msg_type="0"`) acknowledging `msgId`; `ack_type` 4 is a refusal,
 * permanent (the same bytes will be refused again). Anything else is unreadable and worth a retry.
 */
export function decodeUccReply(xml: string, msgId: string): UccReply {
  try {
    const { name, root } = parseXml(xml);
    const ack = firstElement(root, 'Acknowledgement');
    if (name !== 'Header' || attr(root, 'msg_type') !== '0' || !ack) {
      return {
        ok: false,
        retryable: true,
        code: 'MALFORMED_REPLY',
        message: 'the UCC did not answer with a receipt',
      };
    }
    if (attr(ack, 'msg_id') !== msgId) {
      return {
        ok: false,
        retryable: true,
        code: 'MALFORMED_REPLY',
        message: `the UCC's receipt acknowledges ${attr(ack, 'msg_id') ?? 'nothing'}, not ${msgId}`,
      };
    }
    const ackType = attr(ack, 'ack_type') ?? '';
    if (ackType === '4') {
      const why = elements(ack, 'AckResult')
        .map((r) => `${attr(r, 'errorcode') ?? ''}: ${attr(r, 'errortext') ?? ''}`)
        .join('; ');
      return {
        ok: false,
        retryable: false,
        code: 'UCC_REJECTED',
        message: `the UCC refused the message (${why})`,
      };
    }
    if (!['1', '2', '3'].includes(ackType)) {
      return {
        ok: false,
        retryable: true,
        code: 'MALFORMED_REPLY',
        message: `unknown ack_type "${ackType}"`,
      };
    }
    return { ok: true, ackType };
  } catch (err) {
    if (err instanceof XmlReadError || err instanceof Error) {
      return {
        ok: false,
        retryable: true,
        code: 'MALFORMED_REPLY',
        message: `unreadable reply: ${err.message}`,
      };
    }
    throw err;
  }
}
