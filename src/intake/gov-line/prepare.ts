/**
 * Reads and normalises a gov-line document. The document is scanned once on this thread (which
 * refuses DOCTYPE, depth, oversize attributes and over-large batches); a small one is then read here,
 * a large batch's Headers are parsed chunk by chunk by the worker pool.
 *
 * A large UTF-8 batch is scanned as bytes and never decoded on this thread: each worker decodes its
 * own Headers, and gets them while the scan is still going on. Decoding 37 MB of Cyrillic text took
 * 110 ms here and the scan 40 ms, during which no worker had anything to parse. This thread parses
 * nothing of a pooled batch: it commits the chunks in document order while the workers, at low
 * priority, parse ahead of it with whatever CPU is left.
 */
import { prepare } from '../normalise.js';
import type { Prepared } from '../types.js';
import type { ParsePool } from './parse-pool.js';
import { type HeaderTask, headerTask, headerTaskOfBytes } from './prepare-headers.js';
import { layoutGovLineDocument, layoutUtf8Batch, readLayout } from './read.js';

/** Below this many messages, handing work to threads costs more than it saves. */
export const POOL_THRESHOLD = 200;
/** Below this size a body cannot hold POOL_THRESHOLD messages worth a worker: it is decoded and read here. */
const BYTE_SCAN_FROM = 64 * 1024;
const TASK_SIZE = 250;
/** Tasks queued per worker: one parsing, one waiting, so a worker never idles between replies. */
const QUEUED_PER_WORKER = 2;

/** Chunks of prepared items in document order (an iterable of one chunk for a small document). */
export type PreparedChunks = AsyncIterable<Prepared[]> | Iterable<Prepared[]>;

export function prepareGovLineDocument(body: Buffer, pool: ParsePool | null): PreparedChunks {
  if (pool && body.length >= BYTE_SCAN_FROM) {
    // Tasks go to the workers while the scan goes on; the chunks are yielded only once it has passed.
    const parse = new PooledParse(pool);
    let cut = 0;
    const layout = layoutUtf8Batch(body, (bytes, headers, origin) => {
      if (headers.length - cut < TASK_SIZE) return;
      parse.add(headerTaskOfBytes(cut, bytes, headers.slice(cut), origin));
      cut = headers.length;
    });
    if (layout && layout.headers.length >= POOL_THRESHOLD) {
      if (cut < layout.headers.length) {
        parse.add(headerTaskOfBytes(cut, layout.bytes, layout.headers.slice(cut), layout.origin));
      }
      return parse.results();
    }
    parse.abandon();
  }
  // Small documents, other charsets, and whatever the byte scan refused (the text scan gives the verdict).
  const layout = layoutGovLineDocument(body);
  if (!pool || layout.headers.length < POOL_THRESHOLD) return [prepare(readLayout(layout))];
  const parse = new PooledParse(pool);
  for (let i = 0; i < layout.headers.length; i += TASK_SIZE) {
    const texts = layout.headers
      .slice(i, i + TASK_SIZE)
      .map(({ start, end }) => layout.text.slice(start, end));
    parse.add(headerTask(i, texts, layout.origin));
  }
  return parse.results();
}

/**
 * Hands tasks to the pool, a few per worker at a time and the next whenever one comes back, and
 * yields their results in document order. Parsing runs ahead of the consumer (bounded by the batch);
 * once the consumer stops (storing failed, the request ended) or the document is abandoned, no more
 * tasks go to the shared pool.
 */
class PooledParse {
  private readonly tasks: (HeaderTask | null)[] = [];
  private readonly done: Promise<Prepared[]>[] = [];
  private sent = 0;
  private inFlight = 0;
  private stopped = false;

  constructor(private readonly pool: ParsePool) {}

  add(task: HeaderTask): void {
    this.tasks.push(task);
    this.feed();
  }

  abandon(): void {
    this.stopped = true;
  }

  async *results(): AsyncGenerator<Prepared[]> {
    try {
      for (let i = 0; i < this.tasks.length; i++) yield await (this.done[i] as Promise<Prepared[]>);
    } finally {
      this.stopped = true;
    }
  }

  private feed(): void {
    while (
      !this.stopped &&
      this.inFlight < this.pool.size * QUEUED_PER_WORKER &&
      this.sent < this.tasks.length
    ) {
      const task = this.tasks[this.sent] as HeaderTask;
      this.tasks[this.sent] = null; // its buffer now belongs to the worker
      this.inFlight++;
      const done = this.pool.prepare(task).finally(() => {
        this.inFlight--;
        this.feed();
      });
      // If storing stops half-way, later chunks are never awaited: their failure must not go unhandled.
      done.catch(() => {});
      this.done[this.sent++] = done;
    }
  }
}
