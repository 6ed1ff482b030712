/**
 * The agency system the webhook simulator plays, without the sockets: it checks signatures, registers
 * each idempotency key's appeal at most once, serves the status feed, and answers as the current fault
 * says. `sim.ts` puts it behind a real HTTP server.
 */
import type { StatusUpdate } from '../port.js';
import type { SimulatorFault } from '../simulator.js';
import {
  encodeOpenList,
  encodeReceipt,
  encodeStatusFeed,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifySignature,
} from './codec.js';

export const PATH = '/appeals';

/** What each reported event leaves the body's copy in. */
const STATE_AFTER: Partial<Record<StatusUpdate['event'], string>> = {
  deliver: 'delivered',
  accept: 'under_consideration',
  extend: 'extended',
  answer: 'answered',
  forward: 'forwarded',
  reject: 'not_subject',
  return: 'returned',
};
const CLOSED = new Set(['answered', 'forwarded', 'not_subject', 'returned']);
const FEED_PAGE = 100;

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  header(name: string): string | undefined;
  body: Buffer;
}

export interface SimReply {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export class SimulatedBody {
  private readonly receipts = new Map<string, string>();
  /** Every application of an effect, in order: the record `accepted` counts, kept apart from the receipts. */
  private readonly applied: string[] = [];
  private readonly updates: StatusUpdate[] = [];
  /** Each registered appeal's state as the body's system holds it. */
  private readonly states = new Map<string, string>();
  private malformedReplies = 0;

  constructor(
    private readonly secret: string,
    private readonly retryAfterSeconds: number,
    private readonly year = new Date().getUTCFullYear(),
  ) {}

  accepted(key: string): number {
    return this.applied.filter((k) => k === key).length;
  }

  acceptedKeys(): string[] {
    return [...this.applied];
  }

  report(update: StatusUpdate): void {
    this.updates.push(update);
    const state = STATE_AFTER[update.event];
    if (state && this.states.has(update.appealId)) this.states.set(update.appealId, state);
  }

  /** The body's system loses an appeal (for reconcile tests): it no longer lists it as open. */
  forget(appealId: string): void {
    this.states.delete(appealId);
  }

  handle(req: SimRequest, fault: SimulatorFault | null): SimReply {
    if (fault === 'error500') return error(500, 'INTERNAL', 'Внутрішня помилка сервера');
    if (fault === 'rate_limited') {
      const reply = error(429, 'RATE_LIMITED', 'Забагато запитів');
      return { ...reply, headers: { ...reply.headers, 'Retry-After': String(this.retryAfterSeconds) } };
    }
    if (fault === 'reject') return error(422, 'REJECTED', 'Звернення не може бути прийняте системою органу');
    if (!this.signed(req)) return error(401, 'BAD_SIGNATURE', 'Підпис запиту не збігається або застарів');

    if (req.method === 'POST' && req.path === PATH) return this.register(req, fault);
    if (req.method === 'GET' && req.path === `${PATH}/statuses`)
      return this.feed(req.query.get('after'), fault);
    if (req.method === 'GET' && req.path === `${PATH}/open`) return this.openList();
    if ((req.method === 'GET' || req.method === 'HEAD') && req.path === `${PATH}/health`)
      return json(200, { status: 'ok' });
    return error(404, 'NOT_FOUND', 'Немає такого ресурсу');
  }

  private signed(req: SimRequest): boolean {
    const [timestamp, signature] = [req.header(TIMESTAMP_HEADER), req.header(SIGNATURE_HEADER)];
    return verifySignature(this.secret, timestamp, req.body, signature, Date.now());
  }

  private register(req: SimRequest, fault: SimulatorFault | null): SimReply {
    const key = req.header('Idempotency-Key');
    if (!key) return error(400, 'IDEMPOTENCY_KEY_MISSING', 'Потрібен заголовок Idempotency-Key');
    let appealId: unknown;
    try {
      appealId = JSON.parse(req.body.toString('utf8'))?.appeal?.id;
    } catch {}
    if (typeof appealId !== 'string')
      return error(400, 'BAD_REQUEST', 'Тіло запиту не є доставкою звернення');

    const seen = this.receipts.get(key);
    const receipt = seen ?? this.registerNew(key, appealId);
    if (fault === 'malformed') return this.malformed('{"status":"done","number":17}');
    if (fault === 'duplicate_receipt') return raw(409, receipt);
    return raw(seen ? 200 : 201, receipt);
  }

  private registerNew(key: string, appealId: string): string {
    this.applied.push(key);
    const n = this.applied.length;
    if (!this.states.has(appealId)) this.states.set(appealId, 'delivered');
    const receipt = encodeReceipt({
      status: 'registered',
      id: `wh-${n}`,
      registrationNumber: `ВХ-${n}/${this.year}`,
    });
    this.receipts.set(key, receipt);
    return receipt;
  }

  private openList(): SimReply {
    const open = [...this.states]
      .filter(([, state]) => !CLOSED.has(state))
      .map(([appealId, state]) => ({ appealId, state, externalRef: null }));
    return raw(200, encodeOpenList(open));
  }

  /** The cursor is the count of updates already handed out: opaque to the gateway. */
  private feed(after: string | null, fault: SimulatorFault | null): SimReply {
    const from = after === null ? 0 : /^\d{1,9}$/.test(after) ? Number(after) : Number.NaN;
    if (!(from <= this.updates.length)) return error(400, 'BAD_CURSOR', 'Невідомий курсор');
    if (fault === 'malformed')
      return this.malformed('{"updates":[{"appealId":42,"event":"done"}],"cursor":"1"}');
    const page = this.updates.slice(from, from + FEED_PAGE);
    return raw(200, encodeStatusFeed(page, String(from + page.length)));
  }

  /** Alternately not JSON at all and JSON of the wrong shape. */
  private malformed(wrongShape: string): SimReply {
    this.malformedReplies += 1;
    return this.malformedReplies % 2 === 1
      ? { status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html><body>OK</body></html>' }
      : raw(200, wrongShape);
  }
}

function raw(status: number, body: string): SimReply {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body };
}

function json(status: number, value: unknown): SimReply {
  return raw(status, JSON.stringify(value));
}

function error(status: number, code: string, message: string): SimReply {
  return json(status, { error: { code, message } });
}
