/**
 * Reads and normalises a gov-line document. The document is decoded and scanned once on this thread
 * (which refuses DOCTYPE, depth, oversize attributes and over-large batches); a small one is then read
 * here, a large batch's Headers are parsed chunk by chunk by the worker pool and by this thread.
 *
 * Sharing the parse: the workers take chunks from the front of the batch, a couple at a time so they
 * never wait for work; whenever the chunk due next for storing is still with a worker, this thread
 * parses a chunk from the back instead of idling. The two meet in the middle, so on a 2-core machine
 * both cores parse while the database commits, and chunks still come out in document order.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { prepare } from '../normalise.js';
import type { Prepared } from '../types.js';
import type { ParsePool } from './parse-pool.js';
import { type HeaderTask, prepareHeaders } from './prepare-headers.js';
import { type GovLineLayout, layoutGovLineDocument, readLayout } from './read.js';

/** Below this many messages, handing work to threads costs more than it saves. */
export const POOL_THRESHOLD = 200;
const TASK_SIZE = 250;
/** Tasks queued per worker: one parsing, one waiting, so a worker never idles between replies. */
const QUEUED_PER_WORKER = 2;

/** Chunks of prepared items in document order (an iterable of one chunk for a small document). */
export type PreparedChunks = AsyncIterable<Prepared[]> | Iterable<Prepared[]>;

export function prepareGovLineDocument(body: Buffer, pool: ParsePool | null): PreparedChunks {
  const layout = layoutGovLineDocument(body);
  if (!pool || layout.headers.length < POOL_THRESHOLD) return [prepare(readLayout(layout))];
  return sharedParse(layout, pool);
}

async function* sharedParse(layout: GovLineLayout, pool: ParsePool): AsyncGenerator<Prepared[]> {
  const tasks: HeaderTask[] = [];
  for (let i = 0; i < layout.headers.length; i += TASK_SIZE) {
    const texts = layout.headers
      .slice(i, i + TASK_SIZE)
      .map(({ start, end }) => layout.text.slice(start, end));
    tasks.push({ start: i, texts, origin: layout.origin });
  }
  const results: (Prepared[] | Promise<Prepared[]>)[] = [];
  const settled: boolean[] = [];
  let head = 0; // tasks before it went to a worker
  let tail = tasks.length; // tasks from it on were parsed here
  let queued = 0;
  // Once the consumer stops (storing failed, the request ended), no more work goes to the shared pool.
  let stopped = false;
  const feedWorkers = () => {
    if (stopped) return;
    while (queued < pool.size * QUEUED_PER_WORKER && head < tail) {
      const k = head++;
      const task = tasks[k] as HeaderTask;
      queued++;
      const done = pool.prepare(task.start, task.texts, task.origin).finally(() => {
        settled[k] = true;
        queued--;
        feedWorkers();
      });
      // If storing stops half-way, later chunks are never awaited: their failure must not go unhandled.
      done.catch(() => {});
      results[k] = done;
    }
  };
  feedWorkers();
  try {
    for (let i = 0; i < tasks.length; i++) {
      if (i === head && head < tail) {
        head++;
        results[i] = prepareHeaders(tasks[i] as HeaderTask);
      }
      while (i < head && !settled[i] && head < tail) {
        tail--;
        results[tail] = prepareHeaders(tasks[tail] as HeaderTask);
        await nextTurn(); // lets a worker's reply in
      }
      yield await (results[i] as Prepared[] | Promise<Prepared[]>);
    }
  } finally {
    stopped = true;
  }
}
