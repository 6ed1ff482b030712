/**
 * The webhook adapter: deliveries POSTed as signed JSON to a body's own HTTP(S) endpoint, statuses
 * pulled from its feed. Wire format and signature in `codec.ts`.
 */
import {
  type Adapter,
  type CallContext,
  type DeliveryFailure,
  type ForwardOutcome,
  httpFailure,
} from '../port.js';
import { type HttpReply, type Sent, sendSigned } from './client.js';
import { decodeOpenList, decodeReceipt, decodeStatusFeed, encodeDelivery } from './codec.js';
import { parseWebhookSettings, type WebhookSettings } from './settings.js';

export type { WebhookSettings } from './settings.js';

export const webhookAdapter: Adapter<WebhookSettings> = {
  kind: 'webhook',
  pushes: true,
  parseSettings: parseWebhookSettings,

  async forward(payload, settings, idempotencyKey, ctx) {
    const sent = await call(settings, ctx, 'POST', settings.url, encodeDelivery(payload), {
      'Idempotency-Key': idempotencyKey,
    });
    return sent.ok ? receiptOutcome(sent.reply) : sent;
  },

  async pullStatuses(settings, cursor, ctx) {
    const url = new URL(settings.statusUrl);
    if (cursor !== null) url.searchParams.set('after', cursor);
    const sent = await call(settings, ctx, 'GET', url.href, '');
    if (!sent.ok) return sent;
    const { status, text, headers } = sent.reply;
    if (status < 200 || status > 299)
      return {
        ok: false,
        failure: httpFailure(status, refusal('status feed', sent.reply), headers.get('retry-after')),
      };
    const feed = decodeStatusFeed(text);
    // A feed that names no cursor leaves ours where it was rather than starting over.
    if (!feed.ok) return feed;
    const { updates, unmapped } = feed.value;
    return { ok: true, updates, unmapped, cursor: feed.value.cursor ?? cursor };
  },

  async listOpen(settings, ctx) {
    if (!settings.openUrl) return null;
    const sent = await call(settings, ctx, 'GET', settings.openUrl, '');
    if (!sent.ok) return sent;
    const { status, headers, text } = sent.reply;
    if (status < 200 || status > 299)
      return {
        ok: false,
        failure: httpFailure(status, refusal('open list', sent.reply), headers.get('retry-after')),
      };
    const list = decodeOpenList(text);
    return list.ok ? { ok: true, items: list.value } : list;
  },

  async health(settings, ctx) {
    const sent = await call(settings, ctx, 'GET', `${settings.url}/health`, '');
    if (!sent.ok) return { ok: false, detail: `${sent.failure.code}: ${sent.failure.message}` };
    const { status } = sent.reply;
    return { ok: status >= 200 && status <= 299, detail: `HTTP ${status} from ${settings.url}/health` };
  },
};

async function call(
  settings: WebhookSettings,
  ctx: CallContext,
  method: 'GET' | 'POST',
  url: string,
  body: string,
  headers?: Record<string, string>,
): Promise<Sent> {
  const secret = ctx.secret(settings.secretEnv);
  if (!secret) return { ok: false, failure: secretMissing(settings.secretEnv) };
  return sendSigned({
    method,
    url,
    body,
    headers,
    secret,
    timeoutMs: settings.timeoutMs,
    signal: ctx.signal,
  });
}

function receiptOutcome(reply: HttpReply): ForwardOutcome {
  const { status, text, headers } = reply;
  if (status >= 200 && status <= 299) {
    const receipt = decodeReceipt(text, `HTTP ${status}`);
    return receipt.ok ? { ok: true, receipt: receipt.value } : receipt;
  }
  if (status === 409) {
    // The body had this idempotency key already: its receipt stands for this attempt too.
    const receipt = decodeReceipt(text, 'HTTP 409 (seen before)');
    if (receipt.ok) return { ok: true, receipt: receipt.value };
  }
  return { ok: false, failure: httpFailure(status, refusal('delivery', reply), headers.get('retry-after')) };
}

/** An operator-readable line: the body's own `error.message` when it gives one, else the start of the reply. */
function refusal(what: string, { status, text }: HttpReply): string {
  let said = text.trim().slice(0, 200);
  try {
    const message = JSON.parse(text)?.error?.message;
    if (typeof message === 'string') said = message;
  } catch {}
  return `The body answered the ${what} with HTTP ${status}${said ? `: ${said}` : ''}`;
}

function secretMissing(name: string): DeliveryFailure {
  return {
    retryable: false,
    code: 'SECRET_MISSING',
    message: `The webhook secret is not set: environment variable ${name} is empty or missing on the gateway`,
  };
}
