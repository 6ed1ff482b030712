/**
 * The SEV OVV adapter: bodies on the system of electronic interaction of executive bodies get each
 * appeal as a 1207 v1.5 message. The real SEV OVV transport is the SOAP service of its WSDL
 * (IntegrationService: OpenUploadingSession / UploadMessageChunk / … with an identity and a signed
 * hash per session); this adapter does not speak it. It POSTs the 1207 message itself over plain
 * HTTP to a local SEV OVV node or bridge that does, and reads the 1207 receipt the node answers
 * with. Statuses are pulled from the node's feed (feed.ts). Mapping: schema/sev-ovv/README.md.
 */
import type {
  Adapter,
  CallContext,
  DeliveryPayload,
  ForwardOutcome,
  HealthOutcome,
  PullOutcome,
} from '../port.js';
import { httpCall } from './client.js';
import { decodeReply, EncodeError, encodeAppeal, msgIdFor } from './codec.js';
import { decodeStatusFeed } from './feed.js';
import { parseSevOvvSettings, type SevOvvSettings } from './settings.js';

export type { SevOvvSettings } from './settings.js';

const XML = 'application/xml; charset=utf-8';

async function forward(
  payload: DeliveryPayload,
  settings: SevOvvSettings,
  idempotencyKey: string,
  ctx: CallContext,
): Promise<ForwardOutcome> {
  if (payload.recipient.code !== settings.orgCode) {
    // Personal data must not reach another body's node because of a misconfigured agency.
    const message = `The delivery is for ${payload.recipient.code}, but this agency's SEV OVV settings address ${settings.orgCode}.`;
    return { ok: false, failure: { retryable: false, code: 'RECIPIENT_MISMATCH', message } };
  }
  let xml: string;
  try {
    xml = encodeAppeal(payload, idempotencyKey, new Date(), { toSysId: settings.sysId });
  } catch (error) {
    if (!(error instanceof EncodeError)) throw error;
    return { ok: false, failure: { retryable: false, code: 'PAYLOAD_INVALID', message: error.message } };
  }
  const sent = await httpCall({
    method: 'POST',
    url: settings.url,
    headers: {
      'content-type': XML,
      accept: 'application/xml',
      // The node de-duplicates by msg_id; the key travels too for bridges that log or index by it.
      'idempotency-key': encodeURIComponent(idempotencyKey),
    },
    body: xml,
    timeoutMs: settings.timeoutMs,
    signal: ctx.signal,
  });
  return sent.ok ? decodeReply(sent.text, msgIdFor(idempotencyKey)) : sent;
}

function feedUrl(settings: SevOvvSettings, cursor: string | null, limit?: number): string {
  const url = new URL(settings.feedUrl);
  if (cursor !== null) url.searchParams.set('after', cursor);
  if (limit !== undefined) url.searchParams.set('limit', String(limit));
  return url.href;
}

async function pullStatuses(
  settings: SevOvvSettings,
  cursor: string | null,
  ctx: CallContext,
): Promise<PullOutcome> {
  const got = await httpCall({
    method: 'GET',
    url: feedUrl(settings, cursor),
    headers: { accept: 'application/xml' },
    timeoutMs: settings.timeoutMs,
    signal: ctx.signal,
  });
  if (!got.ok) return got;
  const page = decodeStatusFeed(got.text, settings.orgCode);
  return page.ok ? { ...page, cursor: page.cursor ?? cursor } : page;
}

/** The node answers a feed request for nothing, and the answer is a feed. */
async function health(settings: SevOvvSettings, ctx: CallContext): Promise<HealthOutcome> {
  const got = await httpCall({
    method: 'GET',
    url: feedUrl(settings, null, 0),
    headers: { accept: 'application/xml' },
    timeoutMs: settings.timeoutMs,
    signal: ctx.signal,
  });
  const page = got.ok ? decodeStatusFeed(got.text, settings.orgCode) : got;
  if (!page.ok) return { ok: false, detail: `${page.failure.code}: ${page.failure.message}` };
  return {
    ok: true,
    detail: `SEV OVV node of ${settings.orgCode} answers (feed cursor ${page.cursor ?? 'none'}).`,
  };
}

export const sevOvvAdapter: Adapter<SevOvvSettings> = {
  kind: 'sev-ovv',
  pushes: true,
  parseSettings: parseSevOvvSettings,
  forward,
  pullStatuses,
  health,
};
