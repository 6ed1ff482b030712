/**
 * Idempotent-consumer and correlation rules of intake, pure: given what is already stored (and what
 * came earlier in the same batch), decide each new appeal's receipt sign and links.
 * - the same citizen (phone, or surname + name + address) on the same question:
 *   after that question was answered → 2.2 repeated (looking back REPEAT_LOOKBACK_DAYS);
 *   within DUPLICATE_WINDOW_DAYS, not yet answered → 2.3 duplicate of the first one;
 * - MASS_MIN_AUTHORS or more different authors with the same normalised text within
 *   DUPLICATE_WINDOW_DAYS → 2.5 mass, all linked to the first of the group.
 * Candidates are indexed by phone, identity and text, so a batch costs O(items × matches).
 */
import type { ReceiptSign } from '../domain/appeal.js';
import type { AppealState } from '../domain/status.js';

export const DUPLICATE_WINDOW_DAYS = 30;
export const REPEAT_LOOKBACK_DAYS = 365;
export const MASS_MIN_AUTHORS = 3;
const DAY = 86_400_000;

export interface KnownAppeal {
  id: string;
  receivedAt: Date;
  topicCode: string;
  status: AppealState;
  receiptSign: ReceiptSign;
  massOf: string | null;
  phone: string | null;
  identityKey: string | null;
  textFingerprint: string | null;
}

export type Candidate = Omit<KnownAppeal, 'id' | 'status' | 'receiptSign' | 'massOf'> & {
  receiptSign: ReceiptSign;
};

export interface Correlation {
  receiptSign: ReceiptSign;
  duplicateOf: string | null;
  repeatOf: string | null;
  massOf: string | null;
  /** Earlier appeals that become part of a mass group now: they get sign 2.5 and link to the root. */
  joinMass: { ids: string[]; root: string } | null;
}

/** 006 and 006.01 are the same question coded at two depths; 006.01 and 006.02 are not. */
export function sameQuestion(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

const ANSWERED: ReadonlySet<AppealState> = new Set(['answered', 'closed']);

/** Stored and just-accepted appeals, indexed by the keys correlation looks up. */
export class KnownAppeals {
  private readonly byPhone = new Map<string, KnownAppeal[]>();
  private readonly byIdentity = new Map<string, KnownAppeal[]>();
  private readonly byText = new Map<string, KnownAppeal[]>();
  private readonly byId = new Map<string, KnownAppeal>();

  constructor(initial: Iterable<KnownAppeal> = []) {
    for (const k of initial) this.add(k);
  }

  add(k: KnownAppeal): void {
    if (this.byId.has(k.id)) return;
    this.byId.set(k.id, k);
    if (k.phone) push(this.byPhone, k.phone, k);
    if (k.identityKey) push(this.byIdentity, k.identityKey, k);
    if (k.textFingerprint) push(this.byText, k.textFingerprint, k);
  }

  get(id: string): KnownAppeal | undefined {
    return this.byId.get(id);
  }

  sameCitizen(c: Candidate): KnownAppeal[] {
    const found = new Set<KnownAppeal>([
      ...(c.phone ? (this.byPhone.get(c.phone) ?? []) : []),
      ...(c.identityKey ? (this.byIdentity.get(c.identityKey) ?? []) : []),
    ]);
    return [...found];
  }

  sameText(fingerprint: string): KnownAppeal[] {
    return this.byText.get(fingerprint) ?? [];
  }
}

function push(map: Map<string, KnownAppeal[]>, key: string, k: KnownAppeal): void {
  const list = map.get(key);
  if (list) list.push(k);
  else map.set(key, [k]);
}

export function correlate(item: Candidate, known: KnownAppeals): Correlation {
  const t = item.receivedAt.getTime();
  const before = (k: KnownAppeal, days: number) =>
    k.receivedAt.getTime() <= t && t - k.receivedAt.getTime() <= days * DAY;
  const sameCitizen = known
    .sameCitizen(item)
    .filter((k) => before(k, REPEAT_LOOKBACK_DAYS) && sameQuestion(k.topicCode, item.topicCode));
  const answered = sameCitizen.filter((k) => ANSWERED.has(k.status)).sort(byNewest)[0];
  if (answered) return { ...none(item.receiptSign), receiptSign: 'repeated', repeatOf: answered.id };
  const original = sameCitizen
    .filter((k) => before(k, DUPLICATE_WINDOW_DAYS) && k.receiptSign !== 'duplicate')
    .sort(byOldest)[0];
  if (original) return { ...none(item.receiptSign), receiptSign: 'duplicate', duplicateOf: original.id };
  return item.textFingerprint
    ? mass(
        item,
        known.sameText(item.textFingerprint).filter((k) => before(k, DUPLICATE_WINDOW_DAYS)),
      )
    : none(item.receiptSign);
}

function mass(item: Candidate, group: KnownAppeal[]): Correlation {
  const already = group.find((k) => k.receiptSign === 'mass');
  if (already)
    return { ...none(item.receiptSign), receiptSign: 'mass', massOf: already.massOf ?? already.id };
  const authors = new Set(group.map(authorKey));
  authors.add(authorKey(item));
  const root = [...group].sort(byOldest)[0];
  if (!root || authors.size < MASS_MIN_AUTHORS) return none(item.receiptSign);
  return {
    ...none(item.receiptSign),
    receiptSign: 'mass',
    massOf: root.id,
    joinMass: { ids: group.map((k) => k.id), root: root.id },
  };
}

function none(sign: ReceiptSign): Correlation {
  return { receiptSign: sign, duplicateOf: null, repeatOf: null, massOf: null, joinMass: null };
}

let anonymous = 0;
/** Anonymous authors are all different people. */
function authorKey(k: { phone: string | null; identityKey: string | null }): string {
  return k.phone ?? k.identityKey ?? `anonymous:${anonymous++}`;
}

const byOldest = (a: KnownAppeal, b: KnownAppeal) => a.receivedAt.getTime() - b.receivedAt.getTime();
const byNewest = (a: KnownAppeal, b: KnownAppeal) => b.receivedAt.getTime() - a.receivedAt.getTime();
