/**
 * What the simulator plays behind its security server: one body's appeal service on Trembita. It checks
 * the X-Road header as a provider's security server would (protocol 4.0, the service is this body's, an
 * id is present), registers each message id at most once (a repeat gets the first reply again), and
 * serves the status changes the test reports. No I/O: the HTTP side lives in sim.ts.
 */
import type { DeliveryPayload, StatusUpdate } from '../port.js';
import { LIST_STATUS_CHANGES, REGISTER_APPEAL } from './codec.js';
import { BodyError, payloadFromXml } from './payload-xml.js';
import {
  encodeFault,
  encodeListStatusChangesResponse,
  encodeRegisterAppealResponse,
  readServiceRequest,
} from './provider.js';
import { textOf, type XNode } from './xml.js';
import { NS, type SoapFault, type XRoadHeader } from './xroad.js';

export interface ServiceReply {
  status: number;
  xml: string;
}

export interface ReceivedAppeal {
  header: XRoadHeader;
  idempotencyKey: string;
  payload: DeliveryPayload;
}

export class AppealService {
  private readonly replies = new Map<string, string>();
  private readonly counts = new Map<string, number>();
  readonly keys: string[] = [];
  readonly received: ReceivedAppeal[] = [];
  readonly updates: StatusUpdate[] = [];

  constructor(private readonly agencyCode: string) {}

  accepted(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** A fault for the request, with its X-Road header echoed when it can be read; nothing is applied. */
  fault(raw: Uint8Array, fault: SoapFault): string {
    const request = readServiceRequest(raw);
    return request.ok
      ? encodeFault(request.header, request.requestHash, fault)
      : encodeFault(request.header, null, fault);
  }

  /** One request. `duplicateReply`: apply as usual but answer as if the message had been seen before. */
  handle(raw: Uint8Array, now: Date, duplicateReply = false): ServiceReply {
    const request = readServiceRequest(raw);
    if (!request.ok) return { status: 500, xml: encodeFault(request.header, null, request.fault) };
    const { header, body, requestHash } = request;
    const fault = (code: string, message: string): ServiceReply => ({
      status: 500,
      xml: encodeFault(header, requestHash, { code: `soap:Client.${code}`, message, detail: header.id }),
    });
    if (header.service.memberCode !== this.agencyCode) {
      return fault(
        'UnknownService',
        `Service ${header.service.memberCode}/${header.service.subsystemCode} is not served here`,
      );
    }
    try {
      if (header.service.serviceCode === REGISTER_APPEAL)
        return this.register(header, body, requestHash, now, duplicateReply);
      if (header.service.serviceCode === LIST_STATUS_CHANGES) return this.list(header, body, requestHash);
    } catch (error) {
      if (error instanceof BodyError) return fault('InvalidBody', `${error.path}: ${error.message}`);
      throw error;
    }
    return fault('UnknownService', `Unknown serviceCode ${header.service.serviceCode}`);
  }

  private register(
    header: XRoadHeader,
    body: XNode,
    hash: string,
    now: Date,
    duplicateReply: boolean,
  ): ServiceReply {
    const seen = this.replies.get(header.id);
    if (seen !== undefined) return { status: 200, xml: seen };
    const key = textOf(body, NS.appeals, 'deliveryKey')?.trim();
    if (!key) throw new BodyError('/deliveryKey', 'deliveryKey is required');
    if (!header.purpose?.trim())
      throw new BodyError('/Header/purpose', 'the purpose of the personal-data transfer is required');
    const payload = payloadFromXml(body, header.purpose);
    this.counts.set(key, this.accepted(key) + 1);
    this.keys.push(key);
    this.received.push({ header, idempotencyKey: key, payload });
    const n = this.keys.length;
    const reply = {
      status: 'registered' as const,
      agencyRef: `${this.agencyCode}-${String(n).padStart(6, '0')}`,
      registrationNumber: `ВХ-${n}/${now.getUTCFullYear()}`,
      registeredAt: now.toISOString(),
      duplicate: false,
    };
    const xml = encodeRegisterAppealResponse(header, hash, reply);
    this.replies.set(header.id, xml);
    return {
      status: 200,
      xml: duplicateReply ? encodeRegisterAppealResponse(header, hash, { ...reply, duplicate: true }) : xml,
    };
  }

  private list(header: XRoadHeader, body: XNode, hash: string): ServiceReply {
    const after = textOf(body, NS.appeals, 'after')?.trim() ?? '0';
    const limit = Number(textOf(body, NS.appeals, 'limit') ?? '100');
    if (!/^\d+$/.test(after) || Number(after) > this.updates.length)
      throw new BodyError('/after', `unknown cursor "${after}"`);
    if (!Number.isInteger(limit) || limit < 1)
      throw new BodyError('/limit', 'limit must be a positive whole number');
    const start = Number(after);
    const page = this.updates.slice(start, start + limit);
    return {
      status: 200,
      xml: encodeListStatusChangesResponse(header, hash, page, String(start + page.length)),
    };
  }
}
