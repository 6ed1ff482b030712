/**
 * What the simulated body's SEV OVV node does with messages, without the HTTP around it (sim.ts):
 * checks each incoming 1207 message, registers each msg_id at most once (a repeat gets the same
 * receipt with the same RegNumber), and keeps the status feed of what the body reports.
 */
import type { StatusUpdate } from '../port.js';
import { derivedId } from './codes.js';
import { encodeStatusFeed, type FeedEntry } from './feed.js';
import { encodeReceipt, type Party } from './receipt.js';
import { attr, decodeXmlBytes, firstElement, parseXml, text, type XmlElement, XmlReadError } from './xml.js';

/** AckResult@errorcode values of this simulator (1207 leaves them to each system). */
export const SIM_ERRORS = {
  unreadable: '1',
  notStandard: '2',
  notMainDocument: '3',
  noMsgId: '4',
  wrongAddressee: '5',
  notAnAppeal: '6',
  refused: '99',
} as const;

/** How to answer a well-formed message: normally, as if seen before, or with a refusal. */
export type ReceiveMode = 'normal' | 'duplicate' | 'reject';

interface Registered {
  key: string;
  appealId: string | null;
  regNumber: string;
  regDate: Date;
  gateway: Party;
  referred: { number: string; date: string } | null;
}

class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const NO_PARTY: Party = { code: '00000000', name: 'Невідомий відправник', sysId: '-', system: '-' };

function partyOf(h: XmlElement, side: 'from' | 'to'): Party {
  return {
    code: attr(h, `${side}_org_id`) ?? NO_PARTY.code,
    name: attr(h, `${side}_organization`) ?? NO_PARTY.name,
    sysId: attr(h, `${side}_sys_id`) ?? NO_PARTY.sysId,
    system: attr(h, `${side}_system`) ?? NO_PARTY.system,
  };
}

export class SimulatedNode {
  private readonly byMsgId = new Map<string, Registered>();
  private readonly byAppeal = new Map<string, { msgId: string; registered: Registered }>();
  private readonly counts = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly feed: FeedEntry[] = [];
  private gateway: Party = NO_PARTY;
  readonly messages: string[] = [];

  constructor(private readonly body: Party) {}

  private check(h: XmlElement, name: string): string {
    if (name !== 'Header')
      throw new Refusal(SIM_ERRORS.notStandard, `Кореневий елемент <${name}>, а не <Header>.`);
    if (attr(h, 'standart') !== '1207' || attr(h, 'version') !== '1.5')
      throw new Refusal(SIM_ERRORS.notStandard, 'Повідомлення не відповідає формату 1207 версії 1.5.');
    const msgId = attr(h, 'msg_id');
    if (msgId === null) throw new Refusal(SIM_ERRORS.noMsgId, 'Не вказано msg_id.');
    if (attr(h, 'msg_type') !== '1')
      throw new Refusal(SIM_ERRORS.notMainDocument, 'Очікується основний документ (msg_type="1").');
    if (attr(h, 'to_org_id') !== this.body.code)
      throw new Refusal(
        SIM_ERRORS.wrongAddressee,
        `Повідомлення адресоване не організації ${this.body.code}.`,
      );
    if (attr(firstElement(h, 'Document'), 'type') !== '2')
      throw new Refusal(SIM_ERRORS.notAnAppeal, 'Документ не є зверненням громадянина (Document@type="2").');
    return msgId;
  }

  private register(h: XmlElement, msgId: string, key: string): Registered {
    const doc = firstElement(h, 'Document');
    const reg = firstElement(doc, 'RegNumber');
    const regNumber = text(reg);
    const regDate = attr(reg, 'regdate');
    const registered: Registered = {
      key,
      appealId: attr(doc, 'idnumber'),
      regNumber: `Вх-${String(this.byMsgId.size + 1).padStart(5, '0')}`,
      regDate: new Date(),
      gateway: partyOf(h, 'from'),
      referred: regNumber && regDate ? { number: regNumber, date: regDate } : null,
    };
    this.byMsgId.set(msgId, registered);
    if (registered.appealId !== null) this.byAppeal.set(registered.appealId, { msgId, registered });
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.keys.push(key);
    this.gateway = registered.gateway;
    return registered;
  }

  private receipt(msgId: string, to: Party, r: Registered | null, code: string, why: string): string {
    return encodeReceipt({
      msgId: derivedId(`${this.body.code}:ack:${msgId}:${code}`),
      time: new Date(),
      from: this.body,
      to,
      ackMsgId: msgId,
      ackType: r === null ? '4' : '3',
      regNumber: r === null ? null : { number: r.regNumber, date: r.regDate },
      results: [{ code, text: why }],
    });
  }

  /** One POSTed message → the receipt to answer with. `key`: the Idempotency-Key header, if any. */
  receive(bytes: Uint8Array, key: string | null, mode: ReceiveMode): string {
    let h: XmlElement | undefined;
    try {
      const { name, root } = parseXml(decodeXmlBytes(bytes));
      h = root;
      const msgId = this.check(root, name);
      if (mode === 'reject') throw new Refusal(SIM_ERRORS.refused, 'Повідомлення відхилено вузлом органу.');
      this.messages.push(Buffer.from(bytes).toString('utf8'));
      const seen = this.byMsgId.get(msgId);
      const r = seen ?? this.register(root, msgId, key ?? msgId);
      const repeat = seen !== undefined || mode === 'duplicate';
      const why = repeat ? 'Повідомлення з цим msg_id уже зареєстровано.' : 'Зареєстровано.';
      return this.receipt(msgId, partyOf(root, 'from'), r, '0', why);
    } catch (error) {
      const to = h === undefined ? NO_PARTY : partyOf(h, 'from');
      const msgId = (h && attr(h, 'msg_id')) ?? '';
      if (error instanceof Refusal) return this.receipt(msgId, to, null, error.code, error.message);
      if (error instanceof XmlReadError)
        return this.receipt(
          msgId,
          to,
          null,
          SIM_ERRORS.unreadable,
          `Повідомлення не прочитано: ${error.message}.`,
        );
      throw error;
    }
  }

  accepted(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  acceptedKeys(): string[] {
    return [...this.keys];
  }

  report(update: StatusUpdate): void {
    const known = this.byAppeal.get(update.appealId);
    this.feed.push({
      seq: this.feed.length + 1,
      update: { ...update },
      ...(known ? { ackMsgId: known.msgId, referred: known.registered.referred } : {}),
    });
  }

  /** The feed after position `after`, at most `limit` items. */
  feedPage(after: number, limit: number): string {
    const entries = this.feed.filter((e) => e.seq > after).slice(0, limit);
    const cursor = String(entries.at(-1)?.seq ?? after);
    return encodeStatusFeed({ body: this.body, gateway: this.gateway, cursor, entries });
  }
}
