/**
 * Trembita (Ukraine's X-Road, Message Protocol v4.0, SOAP 1.1): the gateway as service client.
 * Builds the `registerAppeal` and `listStatusChanges` requests of a body's appeal service and reads
 * their replies into the port's outcomes. Pure: the message id of a delivery is derived from its
 * idempotency key, so every retry is byte-for-byte the same message.
 */
import type { DeliveryFailure, DeliveryPayload, ForwardOutcome, PullOutcome } from '../port.js';
import { payloadTree } from './payload-xml.js';
import { readChanges } from './status-xml.js';
import { buildXml, parseXml, textOf, XmlReadError, type XNode } from './xml.js';
import {
  envelope,
  messageId,
  NS,
  PROTOCOL_VERSION,
  readEnvelope,
  readFault,
  type SoapFault,
  type XRoadHeader,
} from './xroad.js';

export const REGISTER_APPEAL = 'registerAppeal';
export const LIST_STATUS_CHANGES = 'listStatusChanges';
/** Replies are read up to this size; a page of status changes stays far below it. */
export const MAX_REPLY_BYTES = 16 * 1024 * 1024;

/** Who calls whom on Trembita: the X-Road identifiers of both ends. */
export interface Addressing {
  instance: string;
  client: { memberClass: string; memberCode: string; subsystemCode: string };
  service: { memberClass: string; memberCode: string; subsystemCode: string; serviceVersion: string };
  userId: string;
}

export interface SoapRequest {
  /** `xroad:id`. */
  id: string;
  /** The `SOAPAction` HTTP header value (quoted, as SOAP 1.1 writes it). */
  soapAction: string;
  xml: string;
}

export function requestHeader(
  addr: Addressing,
  serviceCode: string,
  id: string,
  issue: string | null,
  purpose: string | null,
): XRoadHeader {
  return {
    client: { xRoadInstance: addr.instance, ...addr.client },
    service: {
      xRoadInstance: addr.instance,
      ...addr.service,
      serviceCode,
      serviceVersion: addr.service.serviceVersion,
    },
    id,
    userId: addr.userId,
    issue,
    protocolVersion: PROTOCOL_VERSION,
    purpose,
    requestHash: null,
  };
}

const soapAction = (serviceCode: string): string => `"${NS.appeals}#${serviceCode}"`;

/** The delivery of one appeal to one body. `xroad:issue` carries the appeal id, `gw:purpose` the purpose. */
export function encodeRegisterAppeal(
  payload: DeliveryPayload,
  idempotencyKey: string,
  addr: Addressing,
): SoapRequest {
  const id = messageId(`${REGISTER_APPEAL}\n${idempotencyKey}`);
  const header = requestHeader(addr, REGISTER_APPEAL, id, payload.appealId, payload.purpose);
  const body = { $: { xmlns: NS.appeals }, deliveryKey: idempotencyKey, ...payloadTree(payload) };
  return {
    id,
    soapAction: soapAction(REGISTER_APPEAL),
    xml: buildXml(envelope(header, { [REGISTER_APPEAL]: body })),
  };
}

/** A page of the body's status changes after `after` (null: from the start). `id` is fresh per call. */
export function encodeListStatusChanges(
  after: string | null,
  limit: number,
  id: string,
  addr: Addressing,
): SoapRequest {
  const header = requestHeader(addr, LIST_STATUS_CHANGES, id, null, null);
  const body: Record<string, unknown> = { $: { xmlns: NS.appeals } };
  if (after !== null) body.after = after;
  body.limit = String(limit);
  return {
    id,
    soapAction: soapAction(LIST_STATUS_CHANGES),
    xml: buildXml(envelope(header, { [LIST_STATUS_CHANGES]: body })),
  };
}

const malformed = (why: string): DeliveryFailure => ({
  retryable: true,
  code: 'MALFORMED_REPLY',
  message: `The Trembita reply could not be read: ${why}.`,
});

/** SOAP 1.1 fault codes: `Client*` is the request's fault (permanent), `Server*` the provider's (retry). */
export function faultFailure(fault: SoapFault): DeliveryFailure {
  const local = fault.code.slice(fault.code.indexOf(':') + 1);
  const what = `${fault.code || 'no faultcode'}: ${fault.message || 'no faultstring'}${fault.detail ? ` [${fault.detail}]` : ''}`;
  if (/^Client(\.|$)/.test(local)) {
    return {
      retryable: false,
      code: 'SOAP_CLIENT_FAULT',
      message: `Trembita refused the message (${what}). Check the agency's Trembita settings and the appeal; resending it unchanged will not help.`,
    };
  }
  if (/^Server(\.|$)/.test(local)) {
    return {
      retryable: true,
      code: 'SOAP_SERVER_FAULT',
      message: `The security server or the agency's service failed (${what}); the delivery will be retried.`,
    };
  }
  return { retryable: false, code: 'SOAP_FAULT', message: `Trembita answered with a SOAP fault (${what}).` };
}

type Reply = { ok: true; body: XNode } | { ok: false; failure: DeliveryFailure };

/** Parses a reply, turns a fault into its failure, and checks it answers message `expectedId` with `wrapper`. */
function readReply(raw: Uint8Array | string, expectedId: string, wrapper: string): Reply {
  let root: XNode;
  try {
    root = parseXml(raw, MAX_REPLY_BYTES);
  } catch (error) {
    if (error instanceof XmlReadError) return { ok: false, failure: malformed(error.message) };
    throw error;
  }
  const message = readEnvelope(root);
  if (!message)
    return { ok: false, failure: malformed('it is not a SOAP 1.1 envelope with one body element') };
  const fault = readFault(message.body);
  if (fault) return { ok: false, failure: faultFailure(fault) };
  if (message.header && message.header.id !== expectedId) {
    return { ok: false, failure: malformed(`it answers message ${message.header.id}, not ${expectedId}`) };
  }
  if (message.body.ns !== NS.appeals || message.body.name !== wrapper) {
    return { ok: false, failure: malformed(`the body holds <${message.body.name}>, not <${wrapper}>`) };
  }
  return { ok: true, body: message.body };
}

const LEVELS = new Set(['delivered', 'accepted', 'registered'] as const);
type Level = typeof LEVELS extends Set<infer L> ? L : never;

/** The reply to registerAppeal: a receipt, the body's refusal, a fault, or something unreadable. */
export function decodeRegisterAppealReply(raw: Uint8Array | string, expectedId: string): ForwardOutcome {
  const reply = readReply(raw, expectedId, `${REGISTER_APPEAL}Response`);
  if (!reply.ok) return reply;
  const text = (name: string) => textOf(reply.body, NS.appeals, name)?.trim() || null;
  const status = text('status');
  if (status === 'rejected') {
    const reason = text('reason') ?? 'no reason given';
    return {
      ok: false,
      failure: {
        retryable: false,
        code: 'APPEAL_REJECTED',
        message: `The agency refused the appeal: ${reason}`,
      },
    };
  }
  if (!status || !LEVELS.has(status as Level))
    return { ok: false, failure: malformed(`unknown status "${status ?? ''}"`) };
  const duplicate = text('duplicate') === 'true';
  return {
    ok: true,
    receipt: {
      level: status as Level,
      agencyRef: text('agencyRef'),
      registrationNumber: text('registrationNumber'),
      detail: `trembita status=${status}${duplicate ? ' duplicate' : ''} xroad:id=${expectedId}`,
    },
  };
}

/** The reply to listStatusChanges. The cursor is null when the body gave none (keep the old one). */
export function decodeListStatusChangesReply(raw: Uint8Array | string, expectedId: string): PullOutcome {
  const reply = readReply(raw, expectedId, `${LIST_STATUS_CHANGES}Response`);
  if (!reply.ok) return reply;
  const changes = readChanges(reply.body);
  if (!changes.ok) return { ok: false, failure: malformed(changes.why) };
  return {
    ok: true,
    updates: changes.updates,
    unmapped: changes.unmapped,
    cursor: textOf(reply.body, NS.appeals, 'nextCursor')?.trim() || null,
  };
}
