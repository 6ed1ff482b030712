/**
 * A simulator of the Government Contact Center (UCC) for tests and the demo: a real HTTP server on
 * loopback that
 * - serves a feed of 1207 appeal messages (`GET /feed?after=&limit=`),
 * - accepts the gateway's status messages (`POST /status`: receipts `msg_type="0"` and answers
 *   `msg_type="3"`), answering each with a receipt; a repeated `msg_id` is acknowledged again and
 *   applied once,
 * - lists the appeals it considers open for the region (`GET /open`), for the nightly reconcile,
 * and keeps its own view of every appeal (last status, result, answer) for assertions. Faults can be
 * injected to test retries and dead letters.
 */
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { attr, attrs, buildXml, elements, firstElement, parseXml, text } from '../../adapters/sev-ovv/xml.js';

/** The UCC's view of one appeal it sent, as the gateway's messages told it. */
export interface UccAppealView {
  /** `Document@idnumber`: the appeal's number at the UCC. */
  number: string;
  /** The msg_id of the message that carried it. */
  msgId: string;
  state: string;
  result: string | null;
  answerText: string | null;
  executor: string | null;
  executorRegNumber: string | null;
  answeredAt: string | null;
  /** Events in the order their messages arrived. */
  events: string[];
}

export interface UccSimulator {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  feedUrl: string;
  statusUrl: string;
  openUrl: string;
  /** Adds 1207 `<Header>` messages (raw XML) to the feed, in order. */
  publish(...headers: string[]): void;
  /** The next `n` feed requests answer 503. */
  failNext(n: number): void;
  /** The next `n` status messages answer 503 (not applied). */
  failStatusNext(n: number): void;
  /** The next `n` status messages are refused with `ack_type` 4 (not applied). */
  rejectStatusNext(n: number): void;
  /** Every status message posted, as raw XML, repeats included. */
  received: string[];
  /** Status messages applied, by msg_id (each once). */
  applied: Map<string, { type: string; number: string | null; event: string | null }>;
  /** The UCC's view of each appeal, by its number. */
  appeals: Map<string, UccAppealView>;
  /** How many feed requests came in. */
  feedRequests: number;
  close(): Promise<void>;
}

/** States after which the UCC no longer lists an appeal as open. */
const CLOSED = new Set(['answered', 'closed', 'returned', 'forwarded', 'not_subject']);

function readPublished(xml: string): { number: string; msgId: string } | null {
  try {
    const { root } = parseXml(xml);
    const number = attr(firstElement(root, 'Document'), 'idnumber');
    const msgId = attr(root, 'msg_id');
    return number && msgId ? { number, msgId } : null;
  } catch {
    return null;
  }
}

function ackXml(msgId: string, forMsgId: string, ackType: string, code: string, why: string): string {
  return buildXml('Header', {
    $: attrs({
      standart: '1207',
      version: '1.5',
      charset: 'UTF-8',
      time: new Date().toISOString(),
      msg_type: '0',
      msg_id: msgId,
      msg_acknow: '0',
    }),
    Acknowledgement: {
      $: { msg_id: forMsgId, ack_type: ackType },
      AckResult: { $: { errorcode: code, errortext: why } },
    },
  });
}

export async function startUccSimulator(opts: { token?: string } = {}): Promise<UccSimulator> {
  const messages: string[] = [];
  let feedFailures = 0;
  let statusFailures = 0;
  let statusRejections = 0;
  let acks = 0;
  const app = new Hono();
  const sim: Omit<UccSimulator, 'url' | 'feedUrl' | 'statusUrl' | 'openUrl' | 'close'> = {
    publish: (...headers) => {
      messages.push(...headers);
      for (const h of headers) {
        const p = readPublished(h);
        if (p && !sim.appeals.has(p.number)) {
          sim.appeals.set(p.number, {
            ...p,
            state: 'sent_to_region',
            result: null,
            answerText: null,
            executor: null,
            executorRegNumber: null,
            answeredAt: null,
            events: [],
          });
        }
      }
    },
    failNext: (n) => {
      feedFailures = n;
    },
    failStatusNext: (n) => {
      statusFailures = n;
    },
    rejectStatusNext: (n) => {
      statusRejections = n;
    },
    received: [],
    applied: new Map(),
    appeals: new Map(),
    feedRequests: 0,
  };
  const authorised = (header: string | undefined) => !opts.token || header === `Bearer ${opts.token}`;

  app.get('/feed', (c) => {
    sim.feedRequests++;
    if (!authorised(c.req.header('authorization'))) return c.text('unauthorised', 401);
    if (feedFailures > 0) {
      feedFailures--;
      return c.text('temporarily unavailable', 503);
    }
    const after = Number(c.req.query('after') ?? 0);
    const limit = Math.min(Number(c.req.query('limit') ?? 100), 1000);
    const start = Number.isInteger(after) && after > 0 ? after : 0;
    const page = messages.slice(start, start + limit);
    const cursor = String(start + page.length);
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<AppealBatch cursor="${cursor}">\n${page.join('\n')}\n</AppealBatch>\n`;
    return c.body(xml, 200, { 'content-type': 'application/xml; charset=utf-8' });
  });

  app.post('/status', async (c) => {
    if (!authorised(c.req.header('authorization'))) return c.text('unauthorised', 401);
    const xml = await c.req.text();
    sim.received.push(xml);
    if (statusFailures > 0) {
      statusFailures--;
      return c.text('temporarily unavailable', 503);
    }
    const reply = (forMsgId: string, ackType: string, code: string, why: string) =>
      c.body(ackXml(`ucc-ack-${++acks}`, forMsgId, ackType, code, why), 200, {
        'content-type': 'application/xml; charset=utf-8',
      });
    let root: ReturnType<typeof parseXml>['root'];
    try {
      root = parseXml(xml).root;
    } catch (err) {
      return reply('', '4', '1', `not readable XML: ${(err as Error).message}`);
    }
    const msgId = attr(root, 'msg_id') ?? '';
    const type = attr(root, 'msg_type') ?? '';
    if (!msgId) return reply('', '4', '4', 'no msg_id');
    if (type !== '0' && type !== '3')
      return reply(msgId, '4', '3', `msg_type ${type} is not a receipt or answer`);
    if (statusRejections > 0) {
      statusRejections--;
      return reply(msgId, '4', '99', 'refused by the simulator');
    }
    if (sim.applied.has(msgId)) return reply(msgId, '1', '0', 'already received');
    const status = firstElement(firstElement(root, 'Expansion'), 'AppealStatus');
    const number = attr(status, 'ucc_number');
    const event = attr(status, 'event');
    sim.applied.set(msgId, { type, number, event });
    const view = number ? sim.appeals.get(number) : undefined;
    if (view) {
      view.state = attr(status, 'state') ?? view.state;
      view.executor = attr(status, 'executor') ?? view.executor;
      if (event) view.events.push(event);
      if (type === '3') {
        const doc = firstElement(root, 'Document');
        view.result = attr(status, 'result');
        view.answerText = attr(doc, 'annotation');
        view.executorRegNumber = text(firstElement(doc, 'RegNumber'));
        view.answeredAt = attr(status, 'occurred_at');
      }
    }
    return reply(msgId, '1', '0', '');
  });

  app.get('/open', (c) => {
    if (!authorised(c.req.header('authorization'))) return c.text('unauthorised', 401);
    const open = [...sim.appeals.values()].filter((a) => !CLOSED.has(a.state));
    const xml = encodeOpenAppeals(open.map((a) => ({ number: a.number, msgId: a.msgId, state: a.state })));
    return c.body(xml, 200, { 'content-type': 'application/xml; charset=utf-8' });
  });

  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  return Object.assign(sim, {
    url,
    feedUrl: `${url}/feed`,
    statusUrl: `${url}/status`,
    openUrl: `${url}/open`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  });
}

/** The UCC's list of open appeals as `GET /open` answers it (schema/ucc-status/ucc-status.xsd). */
export function encodeOpenAppeals(
  items: readonly { number: string; msgId: string | null; state: string | null }[],
) {
  return buildXml('OpenAppeals', {
    $: { count: String(items.length) },
    Appeal: items.map((a) => ({ $: attrs({ idnumber: a.number, msg_id: a.msgId, state: a.state }) })),
  });
}

/** The UCC's list of open appeals (`GET /open`), read back: number, msg_id and state of each. */
export function decodeOpenAppeals(
  xml: string,
): { number: string; msgId: string | null; state: string | null }[] {
  const { name, root } = parseXml(xml);
  if (name !== 'OpenAppeals') throw new Error(`expected <OpenAppeals>, got <${name}>`);
  return elements(root, 'Appeal').map((a) => ({
    number: attr(a, 'idnumber') ?? '',
    msgId: attr(a, 'msg_id'),
    state: attr(a, 'state'),
  }));
}
