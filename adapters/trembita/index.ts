/**
 * The Trembita adapter: delivers appeals to bodies that expose the gateway's appeal service on
 * Trembita (Ukraine's X-Road, Message Protocol v4.0, SOAP 1.1) through the gateway's local security
 * server, and pulls their status changes. X-Road itself gives no queue and no retry: the outbox does,
 * and a retry sends the very same message (same `xroad:id`), which the body applies at most once.
 */
import { randomUUID } from 'node:crypto';
import type { Adapter, CallContext, DeliveryFailure, ForwardOutcome, PullOutcome } from '../port.js';
import { httpFailure } from '../port.js';
import { type Exchange, postSoap } from './client.js';
import {
  decodeListStatusChangesReply,
  decodeRegisterAppealReply,
  encodeListStatusChanges,
  encodeRegisterAppeal,
  type SoapRequest,
} from './codec.js';
import { parseTrembitaSettings, type TrembitaSettings } from './settings.js';

export type { TrembitaSettings } from './settings.js';

/** Status changes asked for per pull. */
export const PAGE_SIZE = 100;

async function call(request: SoapRequest, s: TrembitaSettings, ctx: CallContext): Promise<Exchange> {
  const { service } = s;
  return postSoap(request, {
    url: s.securityServerUrl,
    timeoutMs: s.timeoutMs,
    concurrency: s.concurrency,
    limitKey: `${s.securityServerUrl} ${s.instance}/${service.memberClass}/${service.memberCode}/${service.subsystemCode}`,
    signal: ctx.signal,
  });
}

/** HTTP 200 carries a reply (or a fault); SOAP 1.1 sends faults with 500; anything else is HTTP's word. */
function settle<T extends ForwardOutcome | PullOutcome>(
  exchange: Exchange,
  decode: (body: Uint8Array) => T,
): T | { ok: false; failure: DeliveryFailure } {
  if (!exchange.ok) return exchange;
  const { status, body, retryAfter } = exchange;
  if (status === 200) return decode(body);
  const what = `The Trembita security server answered HTTP ${status}.`;
  if (status === 500) {
    const outcome = decode(body);
    if (!outcome.ok && outcome.failure.code.startsWith('SOAP_')) return outcome;
  }
  return { ok: false, failure: httpFailure(status, what, retryAfter) };
}

export const trembitaAdapter: Adapter<TrembitaSettings> = {
  kind: 'trembita',
  pushes: true,
  parseSettings: parseTrembitaSettings,

  async forward(payload, settings, idempotencyKey, ctx): Promise<ForwardOutcome> {
    // Personal data goes only to the body the appeal was assigned to: the settings must address that body.
    if (payload.recipient.code !== settings.service.memberCode) {
      const message =
        `The appeal is for ${payload.recipient.code}, but this agency's Trembita settings address the service of ` +
        `${settings.service.memberCode}; correct /service/memberCode.`;
      return { ok: false, failure: { retryable: false, code: 'RECIPIENT_MISMATCH', message } };
    }
    const request = encodeRegisterAppeal(payload, idempotencyKey, settings);
    const exchange = await call(request, settings, ctx);
    return settle(exchange, (body) => decodeRegisterAppealReply(body, request.id));
  },

  async pullStatuses(settings, cursor, ctx): Promise<PullOutcome> {
    const request = encodeListStatusChanges(cursor, PAGE_SIZE, randomUUID(), settings);
    const outcome = settle(await call(request, settings, ctx), (body) =>
      decodeListStatusChangesReply(body, request.id),
    );
    return outcome.ok ? { ...outcome, cursor: outcome.cursor ?? cursor } : outcome;
  },

  async health(settings, ctx) {
    const started = Date.now();
    const request = encodeListStatusChanges(null, 1, randomUUID(), settings);
    const outcome = settle(await call(request, settings, ctx), (body) =>
      decodeListStatusChangesReply(body, request.id),
    );
    if (!outcome.ok) return { ok: false, detail: `${outcome.failure.code}: ${outcome.failure.message}` };
    return {
      ok: true,
      detail: `listStatusChanges answered through ${settings.securityServerUrl} in ${Date.now() - started} ms`,
    };
  },
};
