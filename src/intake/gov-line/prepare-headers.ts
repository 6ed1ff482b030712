/** Parses, maps and normalises raw 1207 `<Header>` texts of one batch: the same code on any thread. */
import { prepare } from '../normalise.js';
import type { Prepared } from '../types.js';
import { readHeaderText } from './read.js';
import { type ElementParser, elementParser } from './safe-xml.js';

export interface HeaderTask {
  /** Document index of the first text. */
  start: number;
  texts: string[];
  /** Attributes of the batch wrapper that every message inherits. */
  origin: Record<string, string>;
}

let shared: ElementParser | undefined;

export function prepareHeaders(task: HeaderTask): Prepared[] {
  shared ??= elementParser();
  const parse = shared;
  const context = { inBatch: true, origin: task.origin };
  return prepare(task.texts.map((text, k) => readHeaderText(parse, text, task.start + k, context)));
}
