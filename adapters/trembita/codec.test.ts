import { describe, expect, it } from 'vitest';
import {
  decodeListStatusChangesReply,
  decodeRegisterAppealReply,
  encodeListStatusChanges,
  encodeRegisterAppeal,
} from './codec.js';
import {
  minimalPayload,
  PURPOSE,
  RECIPIENT_CODE,
  SENDER_CODE,
  samplePayload,
  sampleUpdate,
} from './fixtures.js';
import { payloadFromXml } from './payload-xml.js';
import {
  encodeFault,
  encodeListStatusChangesResponse,
  encodeRegisterAppealResponse,
  readServiceRequest,
} from './provider.js';
import { STATUS_CODES } from './status-xml.js';
import { RAW_SETTINGS, settingsFrom } from './test-support.js';
import { childOf, parseXml } from './xml.js';
import { NS } from './xroad.js';

const settings = settingsFrom(RAW_SETTINGS);
const KEY = `01JD8Q7X4R2V6T9M3K5N8P1W0Z:${RECIPIENT_CODE}`;

function request(payload = samplePayload(), key = KEY) {
  const encoded = encodeRegisterAppeal(payload, key, settings);
  const read = readServiceRequest(encoded.xml);
  if (!read.ok) throw new Error(read.fault.message);
  return { encoded, read };
}

describe('registerAppeal request', () => {
  it('carries the X-Road v4.0 header fields, in the protocol order', () => {
    const { encoded } = request();
    const header = encoded.xml.slice(
      encoded.xml.indexOf('<soap:Header>'),
      encoded.xml.indexOf('</soap:Header>'),
    );
    expect(header.replace(/\s+</g, '<').trim()).toBe(
      '<soap:Header>' +
        '<xroad:client id:objectType="SUBSYSTEM"><id:xRoadInstance>SEVDEIR-TEST</id:xRoadInstance>' +
        '<id:memberClass>GOV</id:memberClass><id:memberCode>99923900</id:memberCode>' +
        '<id:subsystemCode>APPEAL_GATEWAY</id:subsystemCode></xroad:client>' +
        '<xroad:service id:objectType="SERVICE"><id:xRoadInstance>SEVDEIR-TEST</id:xRoadInstance>' +
        '<id:memberClass>GOV</id:memberClass><id:memberCode>00032684</id:memberCode>' +
        '<id:subsystemCode>APPEALS</id:subsystemCode><id:serviceCode>registerAppeal</id:serviceCode>' +
        '<id:serviceVersion>v1</id:serviceVersion></xroad:service>' +
        `<xroad:id>${encoded.id}</xroad:id><xroad:userId>UA/gateway</xroad:userId>` +
        '<xroad:issue>01JD8Q7X4R2V6T9M3K5N8P1W0Z</xroad:issue><xroad:protocolVersion>4.0</xroad:protocolVersion>' +
        `<gw:purpose>${PURPOSE}</gw:purpose>`,
    );
    expect(encoded.soapAction).toBe('"urn:ua:gateway:appeals:v1#registerAppeal"');
  });

  it('reads back through a namespace-aware parser with the same values', () => {
    const { encoded, read } = request();
    expect(read.header).toEqual({
      client: {
        xRoadInstance: 'SEVDEIR-TEST',
        memberClass: 'GOV',
        memberCode: SENDER_CODE,
        subsystemCode: 'APPEAL_GATEWAY',
      },
      service: {
        xRoadInstance: 'SEVDEIR-TEST',
        memberClass: 'GOV',
        memberCode: RECIPIENT_CODE,
        subsystemCode: 'APPEALS',
        serviceCode: 'registerAppeal',
        serviceVersion: 'v1',
      },
      id: encoded.id,
      userId: 'UA/gateway',
      issue: '01JD8Q7X4R2V6T9M3K5N8P1W0Z',
      protocolVersion: '4.0',
      purpose: PURPOSE,
      requestHash: null,
    });
  });

  it('derives xroad:id from the idempotency key: a retry is the same message', () => {
    const first = encodeRegisterAppeal(samplePayload(), KEY, settings);
    const retry = encodeRegisterAppeal(samplePayload(), KEY, settings);
    const other = encodeRegisterAppeal(samplePayload(), `${KEY}x`, settings);
    // Pinned: a delivery retried across a release of the gateway must still be the same message.
    expect(first.id).toBe('8df66224-fa33-5982-96d0-2078fe196321');
    expect(retry.xml).toBe(first.xml);
    expect(other.id).not.toBe(first.id);
  });

  it('keeps codes as strings with their leading zeros', () => {
    const code = '00012345';
    const payload = samplePayload({
      recipient: { code, name: 'Тест', role: 'co_executor' },
      topicCode: '006.01',
    });
    const s = settingsFrom({ ...RAW_SETTINGS, service: { ...RAW_SETTINGS.service, memberCode: code } });
    const xml = encodeRegisterAppeal(payload, KEY, s).xml;
    expect(xml).toContain(`<id:memberCode>${code}</id:memberCode>`);
    expect(xml).toContain(`<code>${code}</code>`);
    expect(xml).toContain('<topicCode>006.01</topicCode>');
    const read = readServiceRequest(xml);
    if (!read.ok) throw new Error(read.fault.message);
    expect(read.header.service.memberCode).toBe(code);
    expect(payloadFromXml(read.body, PURPOSE).recipient.code).toBe(code);
  });

  it('carries every payload field, Cyrillic and markup characters intact', () => {
    for (const payload of [samplePayload(), minimalPayload()]) {
      const { read } = request(payload);
      expect(payloadFromXml(read.body, read.header.purpose ?? '')).toEqual(payload);
    }
  });

  it('replaces characters XML cannot carry instead of failing the delivery', () => {
    const { read } = request(samplePayload({ summary: 'Шум\u0007 уночі\uD800' }));
    expect(payloadFromXml(read.body, PURPOSE).summary).toBe('Шум\uFFFD уночі\uFFFD');
  });

  it('asks for status changes after a cursor, with a fresh message id', () => {
    const encoded = encodeListStatusChanges('41', 100, 'a3f1c2d4-0000-4000-8000-000000000001', settings);
    const read = readServiceRequest(encoded.xml);
    if (!read.ok) throw new Error(read.fault.message);
    expect(read.header.service.serviceCode).toBe('listStatusChanges');
    expect(read.header.id).toBe('a3f1c2d4-0000-4000-8000-000000000001');
    expect(childOf(read.body, NS.appeals, 'after')?.text).toBe('41');
    expect(encodeListStatusChanges(null, 1, 'x', settings).xml).not.toContain('<after>');
  });
});

describe('registerAppeal reply', () => {
  const { encoded, read } = request();
  if (!read.ok) throw new Error('unreadable');
  const reply = (over: Partial<Parameters<typeof encodeRegisterAppealResponse>[2]> = {}) =>
    encodeRegisterAppealResponse(read.header, read.requestHash, {
      status: 'registered',
      agencyRef: 'МВС-2025-000123',
      registrationNumber: 'ВХ-11/3390',
      registeredAt: '2025-03-14T08:00:00.000Z',
      duplicate: false,
      ...over,
    });

  it('becomes a receipt with the agency reference and registration number', () => {
    expect(decodeRegisterAppealReply(reply(), encoded.id)).toEqual({
      ok: true,
      receipt: {
        level: 'registered',
        agencyRef: 'МВС-2025-000123',
        registrationNumber: 'ВХ-11/3390',
        detail: `trembita status=registered xroad:id=${encoded.id}`,
      },
    });
    const accepted = decodeRegisterAppealReply(
      Buffer.from(reply({ status: 'accepted', registrationNumber: null })),
      encoded.id,
    );
    expect(accepted).toMatchObject({ ok: true, receipt: { level: 'accepted', registrationNumber: null } });
  });

  it('says when the body had the message before', () => {
    const outcome = decodeRegisterAppealReply(reply({ duplicate: true }), encoded.id);
    expect(outcome.ok && outcome.receipt.detail).toContain('duplicate');
  });

  it('turns the body refusing the appeal into a permanent failure', () => {
    const outcome = decodeRegisterAppealReply(
      reply({ status: 'rejected', reason: 'Не належить до компетенції' }),
      encoded.id,
    );
    expect(outcome).toMatchObject({ ok: false, failure: { retryable: false, code: 'APPEAL_REJECTED' } });
  });

  it('refuses a reply to another message', () => {
    const outcome = decodeRegisterAppealReply(reply(), 'a3f1c2d4-0000-4000-8000-000000000009');
    expect(outcome).toMatchObject({ ok: false, failure: { retryable: true, code: 'MALFORMED_REPLY' } });
  });

  it.each([
    ['Client', false, 'SOAP_CLIENT_FAULT'],
    ['soap:Client', false, 'SOAP_CLIENT_FAULT'],
    ['SOAP-ENV:Client.InvalidBody', false, 'SOAP_CLIENT_FAULT'],
    ['Server', true, 'SOAP_SERVER_FAULT'],
    ['soap:Server', true, 'SOAP_SERVER_FAULT'],
    ['Server.ClientProxy.NetworkError', true, 'SOAP_SERVER_FAULT'],
    ['soap:VersionMismatch', false, 'SOAP_FAULT'],
    ['ClientSide', false, 'SOAP_FAULT'],
  ])('maps the fault code %s', (code, retryable, failureCode) => {
    const xml = encodeFault(read.header, null, { code, message: 'Помилка обробки', detail: 'f31e7451' });
    const outcome = decodeRegisterAppealReply(xml, encoded.id);
    expect(outcome).toMatchObject({ ok: false, failure: { retryable, code: failureCode } });
    expect(outcome.ok || outcome.failure.message).toContain('Помилка обробки');
  });

  it('reads a fault written by another stack with other prefixes', () => {
    const xml =
      '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault>' +
      '<faultcode>S:Server</faultcode><faultstring>Timeout</faultstring></S:Fault></S:Body></S:Envelope>';
    expect(decodeRegisterAppealReply(xml, encoded.id)).toMatchObject({
      ok: false,
      failure: { code: 'SOAP_SERVER_FAULT' },
    });
  });

  it.each([
    ['empty', ''],
    ['not XML', 'Service Unavailable'],
    ['HTML', '<html><body><h1>502 Bad Gateway</h1></body></html>'],
    ['truncated', reply().slice(0, 400)],
    ['entity bomb', '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>'],
    ['unbound prefix', '<x:Envelope><x:Body/></x:Envelope>'],
    ['invalid UTF-8', Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e])],
    ['other body', reply().replace(/registerAppealResponse/g, 'somethingElse')],
    ['unknown status', reply().replace('<status>registered</status>', '<status>зареєстровано</status>')],
  ])('treats a reply that is %s as retryable MALFORMED_REPLY', (_what, raw) => {
    expect(decodeRegisterAppealReply(raw, encoded.id)).toMatchObject({
      ok: false,
      failure: { retryable: true, code: 'MALFORMED_REPLY' },
    });
  });
});

describe('XML reading', () => {
  it('keeps element names such as __proto__ as plain names', () => {
    const root = parseXml('<a><__proto__>x</__proto__><constructor b="1"/></a>', 1024);
    expect(root.children.map((c) => c.name)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('refuses documents that are too large', () => {
    expect(() => parseXml(`<a>${'я'.repeat(600)}</a>`, 1024)).toThrow(/larger than 1024 bytes/);
  });
});

describe('listStatusChanges reply', () => {
  const encoded = encodeListStatusChanges('1', 100, 'a3f1c2d4-0000-4000-8000-000000000002', settings);
  const read = readServiceRequest(encoded.xml);
  if (!read.ok) throw new Error('unreadable');
  const updates = [
    sampleUpdate(),
    sampleUpdate({
      externalEventId: 'MVS-EV-000982',
      event: 'extend',
      result: null,
      note: null,
      dueAt: '2025-04-28T20:59:59.000Z',
    }),
  ];
  const reply = (list = updates, cursor: string | null = '3') =>
    encodeListStatusChangesResponse(read.header, read.requestHash, list, cursor);

  it('gives the updates and the next cursor', () => {
    expect(decodeListStatusChangesReply(reply(), encoded.id)).toEqual({
      ok: true,
      updates,
      unmapped: [],
      cursor: '3',
    });
    expect(decodeListStatusChangesReply(reply([], null), encoded.id)).toEqual({
      ok: true,
      updates: [],
      unmapped: [],
      cursor: null,
    });
  });

  it('maps every event code of the service to the gateway event of the same name, and nothing else', () => {
    const events = ['deliver', 'accept', 'extend', 'answer', 'forward', 'reject', 'return'];
    expect(STATUS_CODES).toEqual(Object.fromEntries(events.map((e) => [e, e])));
    expect(Object.hasOwn(STATUS_CODES, 'toString')).toBe(false);
  });

  it('returns a change with an unmapped event code apart and reads the rest of the page', () => {
    const outcome = decodeListStatusChangesReply(
      reply().replace('<event>extend</event>', '<event>closed</event>'),
      encoded.id,
    );
    expect(outcome).toEqual({
      ok: true,
      updates: [updates[0]],
      unmapped: [{ externalEventId: 'MVS-EV-000982', code: 'closed', appealId: updates[1]?.appealId }],
      cursor: '3',
    });
  });

  it('distrusts a whole page with an unreadable change or an unknown result', () => {
    for (const bad of [
      reply().replace('<event>extend</event>', '<event></event>'),
      reply().replace('<eventId>MVS-EV-000982</eventId>', ''),
      reply().replace('explained', 'done'),
    ]) {
      expect(decodeListStatusChangesReply(bad, encoded.id)).toMatchObject({
        ok: false,
        failure: { code: 'MALFORMED_REPLY' },
      });
    }
  });
});
