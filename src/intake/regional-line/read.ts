/**
 * Reader of the regional hotline's JSON documents (`schema/regional-line/`): one appeal card, or
 * `{ "appeals": [ ...cards ] }`. A document that is not JSON or has the wrong root is refused as a
 * whole; every card is then checked on its own, so one bad card never costs the good ones.
 */
import { INTAKE_LIMITS, type IntakeRejection, type ReadOutcome, UnreadableDocumentError } from '../types.js';
import { jsonErrorOffset } from './json-position.js';
import type { LocalTopicMap } from './local-topics.js';
import { toIntakeItem } from './to-item.js';
import { type Problem, validateCard } from './validate.js';

export type { LocalTopicMap } from './local-topics.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decode(body: string | Buffer): string {
  if (typeof body === 'string') return body.replace(/^\uFEFF/, '');
  try {
    return utf8.decode(body);
  } catch {
    throw new UnreadableDocumentError(
      'JSON_MALFORMED',
      'The document is not valid UTF-8 text; send it as UTF-8',
    );
  }
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `line ${line}, column ${column} (position ${position})`;
}

function parse(body: string | Buffer): unknown {
  const text = decode(body);
  try {
    return JSON.parse(text);
  } catch {
    const at = jsonErrorOffset(text);
    const what =
      at >= text.length ? 'the document ends too early' : `unexpected ${JSON.stringify(text.charAt(at))}`;
    throw new UnreadableDocumentError(
      'JSON_MALFORMED',
      `The document is not valid JSON: ${what} at ${lineAndColumn(text, at)}`,
    );
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The cards of the document with the JSON pointer prefix of each. */
function cardsOf(root: unknown): { cards: unknown[]; prefix: (index: number) => string } {
  if (Array.isArray(root)) {
    throw new UnreadableDocumentError(
      'JSON_WRONG_ROOT',
      'The document is a JSON array; send one appeal card or wrap the cards as {"appeals": [...]}',
    );
  }
  if (!isPlainObject(root)) {
    throw new UnreadableDocumentError(
      'JSON_WRONG_ROOT',
      'The document must be one appeal card (an object) or {"appeals": [...]}',
    );
  }
  if (!Object.hasOwn(root, 'appeals')) return { cards: [root], prefix: () => '' };
  const appeals = root.appeals;
  if (!Array.isArray(appeals)) {
    throw new UnreadableDocumentError(
      'JSON_WRONG_ROOT',
      '"appeals" must be an array of appeal cards',
      '/appeals',
    );
  }
  const extra = Object.keys(root).filter((k) => k !== 'appeals');
  if (extra.length > 0) {
    const names = extra.slice(0, 5).map((k) => JSON.stringify(k.slice(0, 50)));
    throw new UnreadableDocumentError(
      'JSON_WRONG_ROOT',
      `A batch holds only "appeals"; unknown: ${names.join(', ')}`,
    );
  }
  if (appeals.length > INTAKE_LIMITS.maxItemsPerBatch) {
    throw new UnreadableDocumentError(
      'BATCH_TOO_LARGE',
      `The batch has ${appeals.length} cards; at most ${INTAKE_LIMITS.maxItemsPerBatch} per document`,
      '/appeals',
    );
  }
  return { cards: appeals, prefix: (i) => `/appeals/${i}` };
}

function externalIdOf(card: unknown): string | null {
  if (!isPlainObject(card) || !Object.hasOwn(card, 'cardId')) return null;
  return typeof card.cardId === 'string' && card.cardId !== '' ? card.cardId : null;
}

function rejection(index: number, card: unknown, prefix: string, problems: Problem[]): ReadOutcome {
  const [first, ...rest] = problems;
  const main = first ?? { path: '', code: 'SCHEMA_VIOLATION', message: 'The card does not match the schema' };
  const more = rest.slice(0, 5).map((p) => `${prefix}${p.path} ${p.code}`);
  if (rest.length > more.length) more.push('…');
  const r: IntakeRejection = {
    index,
    externalId: externalIdOf(card),
    path: `${prefix}${main.path}`,
    code: main.code,
    message: more.length > 0 ? `${main.message} (also: ${more.join(', ')})` : main.message,
  };
  return { ok: false, rejection: r };
}

/**
 * Reads a regional hotline document. Throws `UnreadableDocumentError` (JSON_MALFORMED, JSON_WRONG_ROOT,
 * BATCH_TOO_LARGE) when nothing in it can be read; otherwise returns one outcome per card, in order.
 * Rejection paths are JSON pointers into the document (`/appeals/3/author/email`, `/author/email`).
 */
export function readRegionalLineDocument(body: string | Buffer, topicMap: LocalTopicMap): ReadOutcome[] {
  const { cards, prefix } = cardsOf(parse(body));
  return cards.map((card, index): ReadOutcome => {
    const checked = validateCard(card);
    if (!checked.ok) return rejection(index, card, prefix(index), checked.problems);
    const mapped = toIntakeItem(checked.card, topicMap);
    if (!mapped.ok) return rejection(index, card, prefix(index), [mapped.problem]);
    return { ok: true, index, item: mapped.item };
  });
}
