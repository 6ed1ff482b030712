/**
 * The other end of the appeal services on Trembita: how a body's service (behind its security server)
 * reads the gateway's requests and writes its replies. The simulator speaks through it, and the example
 * messages in schema/trembita are rendered by it. Replies copy the request's X-Road header, as the
 * protocol demands, with the `requestHash` a provider's security server adds. Pure.
 */
import type { StatusUpdate } from '../port.js';
import { changeTree } from './status-xml.js';
import { buildXml, parseXml, XmlReadError, type XNode, xmlText } from './xml.js';
import {
  envelope,
  faultBody,
  NS,
  readEnvelope,
  requestHash,
  type SoapFault,
  type XRoadHeader,
} from './xroad.js';

/** Requests carry the attachments inline: allow for them. */
export const MAX_REQUEST_BYTES = 64 * 1024 * 1024;

export type ServiceRequest =
  | { ok: true; header: XRoadHeader; body: XNode; requestHash: string }
  | { ok: false; header: XRoadHeader | null; fault: SoapFault };

const clientFault = (header: XRoadHeader | null, code: string, message: string): ServiceRequest => ({
  ok: false,
  header,
  fault: { code: `soap:Client.${code}`, message, detail: null },
});

/** Reads a request as a security server and the service would: an envelope with a complete X-Road header. */
export function readServiceRequest(raw: Uint8Array | string): ServiceRequest {
  let root: XNode;
  try {
    root = parseXml(raw, MAX_REQUEST_BYTES);
  } catch (error) {
    if (error instanceof XmlReadError)
      return clientFault(null, 'InvalidXml', `Malformed SOAP message: ${error.message}`);
    throw error;
  }
  const message = readEnvelope(root);
  if (!message)
    return clientFault(null, 'InvalidSoap', 'Malformed SOAP message: no envelope with one body element');
  const header = message.header;
  if (!header)
    return clientFault(
      null,
      'MissingHeaderField',
      'The X-Road header lacks client, service, id or protocolVersion',
    );
  if (header.protocolVersion !== '4.0') {
    return clientFault(
      header,
      'InvalidProtocolVersion',
      `Unsupported protocolVersion "${header.protocolVersion}"`,
    );
  }
  if (message.body.ns !== NS.appeals || message.body.name !== header.service.serviceCode) {
    return clientFault(header, 'InconsistentHeaders', 'The body element does not match the serviceCode');
  }
  return { ok: true, header, body: message.body, requestHash: requestHash(raw) };
}

const echo = (header: XRoadHeader, hash: string | null): XRoadHeader => ({ ...header, requestHash: hash });

export interface RegistrationReply {
  status: 'delivered' | 'accepted' | 'registered' | 'rejected';
  agencyRef: string | null;
  registrationNumber: string | null;
  registeredAt: string | null;
  /** The body had this message (or key) before: nothing new was done. */
  duplicate: boolean;
  reason?: string;
}

export function encodeRegisterAppealResponse(
  header: XRoadHeader,
  hash: string,
  reply: RegistrationReply,
): string {
  const body: Record<string, unknown> = { $: { xmlns: NS.appeals }, status: reply.status };
  if (reply.agencyRef !== null) body.agencyRef = xmlText(reply.agencyRef);
  if (reply.registrationNumber !== null) body.registrationNumber = xmlText(reply.registrationNumber);
  if (reply.registeredAt !== null) body.registeredAt = reply.registeredAt;
  if (reply.reason !== undefined) body.reason = xmlText(reply.reason);
  body.duplicate = String(reply.duplicate);
  return buildXml(envelope(echo(header, hash), { registerAppealResponse: body }));
}

export function encodeListStatusChangesResponse(
  header: XRoadHeader,
  hash: string,
  changes: readonly StatusUpdate[],
  nextCursor: string | null,
): string {
  const body: Record<string, unknown> = { $: { xmlns: NS.appeals } };
  if (changes.length > 0) body.change = changes.map(changeTree);
  if (nextCursor !== null) body.nextCursor = nextCursor;
  return buildXml(envelope(echo(header, hash), { listStatusChangesResponse: body }));
}

/** A SOAP fault, with the request's X-Road header when it could be read. */
export function encodeFault(header: XRoadHeader | null, hash: string | null, fault: SoapFault): string {
  return buildXml(envelope(header ? echo(header, hash) : null, faultBody(fault)));
}
