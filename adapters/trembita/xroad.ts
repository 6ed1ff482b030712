/**
 * The X-Road Message Protocol v4.0 layer of Trembita: SOAP 1.1 envelopes whose header names the client
 * subsystem, the service, the message id, the user and the protocol version, and SOAP 1.1 faults.
 * Pure: no clock, no network.
 */
import { createHash } from 'node:crypto';
import { childOf, type XNode, xmlText } from './xml.js';

export const NS = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  xroad: 'http://x-road.eu/xsd/xroad.xsd',
  id: 'http://x-road.eu/xsd/identifiers',
  /** The gateway's own SOAP header extension: the purpose of the personal-data transfer. */
  gw: 'urn:ua:gateway:trembita:v1',
  /** The body of the appeal services. */
  appeals: 'urn:ua:gateway:appeals:v1',
} as const;

export const PROTOCOL_VERSION = '4.0';

export interface XRoadClientId {
  xRoadInstance: string;
  memberClass: string;
  memberCode: string;
  subsystemCode: string;
}

export interface XRoadServiceId extends XRoadClientId {
  serviceCode: string;
  serviceVersion: string | null;
}

export interface XRoadHeader {
  client: XRoadClientId;
  service: XRoadServiceId;
  id: string;
  userId: string;
  /** What the call belongs to in the client's work: the gateway's appeal id. */
  issue: string | null;
  protocolVersion: string;
  /** Why personal data travels (the gateway's header `gw:purpose`). */
  purpose: string | null;
  /** Filled in by the provider's security server on responses: base64 SHA-512 of the request. */
  requestHash: string | null;
}

// A fixed namespace for name-based (v5) UUIDs of the gateway's Trembita messages.
const MESSAGE_ID_NAMESPACE = Buffer.from('5b0c6f3e8a2d4c71b9e04d2f6a1c7e93', 'hex');

/** RFC 9562 UUID version 5 of `name`: the same name always gives the same message id. */
export function messageId(name: string): string {
  const hash = createHash('sha1').update(MESSAGE_ID_NAMESPACE).update(name, 'utf8').digest();
  const b = hash.subarray(0, 16);
  b[6] = ((b[6] as number) & 0x0f) | 0x50;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** `xroad:requestHash` as a provider's security server computes it over the request bytes. */
export function requestHash(request: Uint8Array | string): string {
  return createHash('sha512').update(request).digest('base64');
}

function identifier(objectType: 'SUBSYSTEM' | 'SERVICE', id: XRoadClientId | XRoadServiceId) {
  const out: Record<string, unknown> = {
    $: { 'id:objectType': objectType },
    'id:xRoadInstance': id.xRoadInstance,
    'id:memberClass': id.memberClass,
    'id:memberCode': id.memberCode,
    'id:subsystemCode': id.subsystemCode,
  };
  if ('serviceCode' in id) {
    out['id:serviceCode'] = id.serviceCode;
    if (id.serviceVersion !== null) out['id:serviceVersion'] = id.serviceVersion;
  }
  return out;
}

function headerTree(h: XRoadHeader): Record<string, unknown> {
  const tree: Record<string, unknown> = {
    'xroad:client': identifier('SUBSYSTEM', h.client),
    'xroad:service': identifier('SERVICE', h.service),
    'xroad:id': h.id,
    'xroad:userId': h.userId,
  };
  if (h.issue !== null) tree['xroad:issue'] = xmlText(h.issue);
  tree['xroad:protocolVersion'] = h.protocolVersion;
  if (h.purpose !== null) tree['gw:purpose'] = xmlText(h.purpose);
  if (h.requestHash !== null) {
    tree['xroad:requestHash'] = {
      $: { algorithmId: 'http://www.w3.org/2001/04/xmlenc#sha512' },
      _: h.requestHash,
    };
  }
  return tree;
}

/** A whole SOAP envelope: X-Road header (when given) and one body element (`{ name: tree }`). */
export function envelope(header: XRoadHeader | null, body: Record<string, unknown>): Record<string, unknown> {
  const attrs: Record<string, string> = { 'xmlns:soap': NS.soap };
  if (header) Object.assign(attrs, { 'xmlns:xroad': NS.xroad, 'xmlns:id': NS.id, 'xmlns:gw': NS.gw });
  const env: Record<string, unknown> = { $: attrs };
  if (header) env['soap:Header'] = headerTree(header);
  env['soap:Body'] = body;
  return { 'soap:Envelope': env };
}

export interface SoapFault {
  /** As written, e.g. `soap:Client`, `Server.ClientProxy.NetworkError`. */
  code: string;
  message: string;
  detail: string | null;
}

export function faultBody(fault: SoapFault): Record<string, unknown> {
  const tree: Record<string, unknown> = { faultcode: fault.code, faultstring: xmlText(fault.message) };
  if (fault.detail !== null) tree.detail = { faultDetail: xmlText(fault.detail) };
  return { 'soap:Fault': tree };
}

export interface SoapMessage {
  header: XRoadHeader | null;
  /** The one element inside soap:Body. */
  body: XNode;
}

/** Splits a parsed document into its X-Road header and body element; null when it is no SOAP 1.1 envelope. */
export function readEnvelope(root: XNode): SoapMessage | null {
  if (root.ns !== NS.soap || root.name !== 'Envelope') return null;
  const bodyEl = childOf(root, NS.soap, 'Body');
  const body = bodyEl?.children[0];
  if (!bodyEl || !body || bodyEl.children.length !== 1) return null;
  const headerEl = childOf(root, NS.soap, 'Header');
  return { header: headerEl ? readHeader(headerEl) : null, body };
}

const x = (el: XNode, name: string): string | null => childOf(el, NS.xroad, name)?.text.trim() ?? null;
const i = (el: XNode, name: string): string | null => childOf(el, NS.id, name)?.text.trim() ?? null;

function readId(el: XNode | undefined, objectType: string): XRoadServiceId | null {
  if (!el || el.attrs.get(`{${NS.id}}objectType`) !== objectType) return null;
  const [xRoadInstance, memberClass, memberCode] = [
    i(el, 'xRoadInstance'),
    i(el, 'memberClass'),
    i(el, 'memberCode'),
  ];
  if (!xRoadInstance || !memberClass || !memberCode) return null;
  const subsystemCode = i(el, 'subsystemCode') ?? '';
  return {
    xRoadInstance,
    memberClass,
    memberCode,
    subsystemCode,
    serviceCode: i(el, 'serviceCode') ?? '',
    serviceVersion: i(el, 'serviceVersion'),
  };
}

/** The X-Road fields of a SOAP header; null when client, service, id or protocolVersion is missing. */
export function readHeader(el: XNode): XRoadHeader | null {
  const client = readId(childOf(el, NS.xroad, 'client'), 'SUBSYSTEM');
  const service = readId(childOf(el, NS.xroad, 'service'), 'SERVICE');
  const id = x(el, 'id');
  const protocolVersion = x(el, 'protocolVersion');
  if (!client || !service?.serviceCode || !id || !protocolVersion) return null;
  const { serviceCode: _s, serviceVersion: _v, ...clientId } = client;
  return {
    client: clientId,
    service,
    id,
    userId: x(el, 'userId') ?? '',
    issue: childOf(el, NS.xroad, 'issue')?.text ?? null,
    protocolVersion,
    purpose: childOf(el, NS.gw, 'purpose')?.text ?? null,
    requestHash: x(el, 'requestHash'),
  };
}

/** The fault in a body element, or null when the body is not a SOAP fault. */
export function readFault(body: XNode): SoapFault | null {
  if (body.ns !== NS.soap || body.name !== 'Fault') return null;
  // SOAP 1.1 leaves these unqualified; some stacks qualify them anyway, so only the local name counts.
  const child = (name: string) => body.children.find((c) => c.name === name);
  const text = (name: string) => child(name)?.text.trim() ?? null;
  const detailEl = child('detail');
  const detail = detailEl ? (detailEl.children[0]?.text ?? detailEl.text).trim() || null : null;
  return { code: text('faultcode') ?? '', message: text('faultstring') ?? '', detail };
}
