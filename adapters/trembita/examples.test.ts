/**
 * The example messages in schema/trembita are what agencies build their service against: this test
 * fails when the codec stops producing exactly them (`npx vitest run adapters/trembita -u` rewrites them
 * after a deliberate change). The clock is fixed.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeListStatusChangesReply,
  decodeRegisterAppealReply,
  encodeListStatusChanges,
  encodeRegisterAppeal,
} from './codec.js';
import { RECIPIENT_CODE, samplePayload, sampleUpdate } from './fixtures.js';
import {
  encodeFault,
  encodeListStatusChangesResponse,
  encodeRegisterAppealResponse,
  readServiceRequest,
} from './provider.js';
import { RAW_SETTINGS, settingsFrom } from './test-support.js';

const DIR = '../../schema/trembita';
const NOW = new Date('2025-03-14T08:03:27.000Z');
const settings = settingsFrom({ ...RAW_SETTINGS, securityServerUrl: 'http://ss1.oblrada.example/' });

function read(xml: string) {
  const request = readServiceRequest(xml);
  if (!request.ok) throw new Error(request.fault.message);
  return request;
}

describe('schema/trembita examples', () => {
  const payload = samplePayload();
  const register = encodeRegisterAppeal(payload, `${payload.appealId}:${RECIPIENT_CODE}`, settings);
  const registerRead = read(register.xml);
  const cursorId = '2f9d7c1e-4b8a-4e0f-9a61-3c5d8e7f1a20';
  const list = encodeListStatusChanges('41', 100, cursorId, settings);
  const listRead = read(list.xml);

  it('registerAppeal request', async () => {
    await expect(register.xml).toMatchFileSnapshot(`${DIR}/register-appeal.request.xml`);
  });

  it('registerAppeal response', async () => {
    const xml = encodeRegisterAppealResponse(registerRead.header, registerRead.requestHash, {
      status: 'registered',
      agencyRef: '00032684-000417',
      registrationNumber: 'ВХ-417/2025',
      registeredAt: NOW.toISOString(),
      duplicate: false,
    });
    await expect(xml).toMatchFileSnapshot(`${DIR}/register-appeal.response.xml`);
    expect(decodeRegisterAppealReply(xml, register.id)).toMatchObject({
      ok: true,
      receipt: { level: 'registered' },
    });
  });

  it('registerAppeal client fault', async () => {
    const xml = encodeFault(registerRead.header, registerRead.requestHash, {
      code: 'soap:Client.InvalidBody',
      message: '/recipient/code: code is required',
      detail: register.id,
    });
    await expect(xml).toMatchFileSnapshot(`${DIR}/register-appeal.fault-client.xml`);
    expect(decodeRegisterAppealReply(xml, register.id)).toMatchObject({
      ok: false,
      failure: { retryable: false },
    });
  });

  it('server fault of a security server', async () => {
    const xml = encodeFault(null, null, {
      code: 'Server.ServerProxy.ServiceFailed',
      message: 'Service is unavailable',
      detail: 'f31e7451-f0ac-48f6-9f05-1f0459e48eea',
    });
    await expect(xml).toMatchFileSnapshot(`${DIR}/fault-server.xml`);
    expect(decodeRegisterAppealReply(xml, register.id)).toMatchObject({
      ok: false,
      failure: { retryable: true },
    });
  });

  it('listStatusChanges request and response', async () => {
    await expect(list.xml).toMatchFileSnapshot(`${DIR}/list-status-changes.request.xml`);
    const updates = [
      sampleUpdate({ externalEventId: 'MVS-EV-000980', event: 'accept', result: null, note: null }),
      sampleUpdate(),
    ];
    const xml = encodeListStatusChangesResponse(listRead.header, listRead.requestHash, updates, '43');
    await expect(xml).toMatchFileSnapshot(`${DIR}/list-status-changes.response.xml`);
    expect(decodeListStatusChangesReply(xml, cursorId)).toEqual({
      ok: true,
      updates,
      unmapped: [],
      cursor: '43',
    });
  });
});
