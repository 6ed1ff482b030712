/**
 * Worker thread of the gov-line parse pool: parses raw 1207 `<Header>` texts (already scanned with
 * their batch on the main thread) with the same reader as the main thread, maps and normalises them,
 * and posts the results back. Pure CPU work, no database: the main thread stores them, in order.
 */
import { parentPort } from 'node:worker_threads';
import { prepare } from '../normalise.js';
import type { Prepared } from '../types.js';
import { readHeaderText } from './read.js';
import { elementParser } from './safe-xml.js';

export interface ParseTask {
  id: number;
  start: number;
  texts: string[];
  origin: Record<string, string>;
}

const parse = elementParser();

export function prepareHeaders(task: ParseTask): Prepared[] {
  const context = { inBatch: true, origin: task.origin };
  return prepare(task.texts.map((text, k) => readHeaderText(parse, text, task.start + k, context)));
}

parentPort?.on('message', (task: ParseTask) => {
  try {
    parentPort?.postMessage({ id: task.id, prepared: prepareHeaders(task) });
  } catch (err) {
    parentPort?.postMessage({ id: task.id, error: (err as Error).message });
  }
});
