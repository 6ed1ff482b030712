/**
 * Reads and normalises a gov-line document. Small documents are read on this thread; a large batch
 * is split into its Header texts by a linear scan (which also refuses DOCTYPE, depth and oversize
 * attributes) and parsed by the worker pool, chunk by chunk.
 */
import { prepare } from '../ingest.js';
import { INTAKE_LIMITS, type Prepared, UnreadableDocumentError } from '../types.js';
import type { ParsePool } from './parse-pool.js';
import { readGovLineDocument } from './read.js';
import { decodeXmlBody } from './safe-xml.js';
import { splitBatch } from './split-batch.js';

/** Below this many messages, handing work to threads costs more than it saves. */
export const POOL_THRESHOLD = 200;
const TASK_SIZE = 250;

export function prepareGovLineDocument(body: Buffer, pool: ParsePool | null): Promise<Prepared[]>[] {
  if (!pool) return [Promise.resolve(prepare(readGovLineDocument(body)))];
  const text = decodeXmlBody(body);
  const pieces = splitBatch(text);
  if (pieces.length > INTAKE_LIMITS.maxItemsPerBatch) {
    throw new UnreadableDocumentError(
      'BATCH_TOO_LARGE',
      `The batch holds ${pieces.length} messages; at most ${INTAKE_LIMITS.maxItemsPerBatch} are accepted in one request.`,
      'AppealBatch',
    );
  }
  if (pieces.length < POOL_THRESHOLD) return [Promise.resolve(prepare(readGovLineDocument(text)))];
  const tasks: Promise<Prepared[]>[] = [];
  for (let i = 0; i < pieces.length; i += TASK_SIZE) {
    const task = pool.prepare(i, pieces.slice(i, i + TASK_SIZE));
    // If storing fails half-way, later chunks are never awaited: their failure must not go unhandled.
    task.catch(() => {});
    tasks.push(task);
  }
  return tasks;
}
