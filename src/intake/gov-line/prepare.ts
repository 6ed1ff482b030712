/**
 * Reads and normalises a gov-line document. The document is decoded and scanned once on this thread
 * (which refuses DOCTYPE, depth, oversize attributes and over-large batches); a small one is then read
 * here, a large batch's Headers are parsed by the worker pool, chunk by chunk.
 */
import { prepare } from '../normalise.js';
import type { Prepared } from '../types.js';
import type { ParsePool } from './parse-pool.js';
import { layoutGovLineDocument, readLayout } from './read.js';

/** Below this many messages, handing work to threads costs more than it saves. */
export const POOL_THRESHOLD = 200;
const TASK_SIZE = 250;

export function prepareGovLineDocument(body: Buffer, pool: ParsePool | null): Promise<Prepared[]>[] {
  const layout = layoutGovLineDocument(body);
  if (!pool || layout.headers.length < POOL_THRESHOLD) return [Promise.resolve(prepare(readLayout(layout)))];
  const texts = layout.headers.map(({ start, end }) => layout.text.slice(start, end));
  const tasks: Promise<Prepared[]>[] = [];
  for (let i = 0; i < texts.length; i += TASK_SIZE) {
    const task = pool.prepare(i, texts.slice(i, i + TASK_SIZE), layout.origin);
    // If storing fails half-way, later chunks are never awaited: their failure must not go unhandled.
    task.catch(() => {});
    tasks.push(task);
  }
  return tasks;
}
