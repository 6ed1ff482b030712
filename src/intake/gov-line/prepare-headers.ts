/** Parses, maps and normalises raw 1207 `<Header>` elements of one batch: the same code on any thread. */
import { prepare } from '../normalise.js';
import type { Prepared } from '../types.js';
import { readHeaderText } from './read.js';
import { type ElementParser, elementParser } from './safe-xml.js';

/**
 * A run of Headers of one batch as UTF-8 bytes: bytes, not strings, so that the thread that cut the
 * batch never decodes it (whoever parses a task decodes its own pieces), and copying one to a worker
 * is a copy of compact bytes.
 */
export interface HeaderTask {
  /** Document index of the first Header. */
  start: number;
  bytes: Uint8Array;
  /** Byte offsets in `bytes`: Header k spans spans[2k] to spans[2k + 1]. */
  spans: number[];
  /** Attributes of the batch wrapper that every message inherits. */
  origin: Record<string, string>;
}

/** A task of the Headers at byte ranges `ranges` of `source`, copied out of it. */
export function headerTaskOfBytes(
  start: number,
  source: Uint8Array,
  ranges: readonly { start: number; end: number }[],
  origin: Record<string, string>,
): HeaderTask {
  const from = ranges[0]?.start ?? 0;
  const to = ranges[ranges.length - 1]?.end ?? from;
  const bytes = new Uint8Array(to - from);
  bytes.set(source.subarray(from, to));
  const spans = ranges.flatMap((r) => [r.start - from, r.end - from]);
  return { start, bytes, spans, origin };
}

/** A task of Header texts (a batch that was decoded from another charset, tests). */
export function headerTask(
  start: number,
  texts: readonly string[],
  origin: Record<string, string> = {},
): HeaderTask {
  const bytes = Buffer.alloc(texts.reduce((n, t) => n + Buffer.byteLength(t), 0));
  const spans: number[] = [];
  let at = 0;
  for (const text of texts) {
    spans.push(at);
    at += bytes.write(text, at, 'utf8');
    spans.push(at);
  }
  return { start, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), spans, origin };
}

let shared: ElementParser | undefined;

export function prepareHeaders(task: HeaderTask): Prepared[] {
  shared ??= elementParser();
  const parse = shared;
  const context = { inBatch: true, origin: task.origin };
  const bytes = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength);
  const outcomes = [];
  for (let k = 0; k < task.spans.length / 2; k++) {
    const text = bytes.toString('utf8', task.spans[2 * k], task.spans[2 * k + 1]);
    outcomes.push(readHeaderText(parse, text, task.start + k, context));
  }
  return prepare(outcomes);
}
