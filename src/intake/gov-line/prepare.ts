/**
 * Reads and normalises a gov-line document. The document is scanned once on this thread (which
 * refuses DOCTYPE, depth, oversize attributes and over-large batches); a small one is then read here,
 * a large batch's Headers are parsed chunk by chunk by the worker pool.
 *
 * A large UTF-8 batch is scanned as bytes and never decoded on this thread: each worker decodes its
 * own Headers, and gets them while the scan is still going on. Decoding 37 MB of Cyrillic text took
 * 110 ms here and the scan 40 ms, during which no worker had anything to parse. This thread commits
 * the chunks in document order while the workers, at low priority, parse ahead of it with whatever
 * CPU is left; it parses only what it would otherwise wait for.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { prepare } from '../normalise.js';
import type { Prepared } from '../types.js';
import type { ParsePool } from './parse-pool.js';
import { type HeaderTask, headerTask, headerTaskOfBytes, prepareHeaders } from './prepare-headers.js';
import { layoutGovLineDocument, layoutUtf8Batch, readLayout } from './read.js';

/** Below this many messages, handing work to threads costs more than it saves. */
export const POOL_THRESHOLD = 200;
/** Below this size a body cannot hold POOL_THRESHOLD messages worth a worker: it is decoded and read here. */
const BYTE_SCAN_FROM = 64 * 1024;
const TASK_SIZE = 250;
/** Tasks queued per worker: one parsing, one waiting, so a worker never idles between replies. */
const QUEUED_PER_WORKER = 2;
/**
 * A due chunk waits this long for any worker to answer before this thread parses. A task of
 * TASK_SIZE messages takes a worker about 100 ms of CPU here, and with two workers an answer comes
 * about every 50 ms; only a worker that gets (almost) no CPU stays silent this long.
 */
export const STALL_MS = 250;

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
 * yields their results in document order. Parsing runs ahead of the consumer (bounded by the batch).
 *
 * The workers run at the lowest priority, so on a machine busy with other work they may get almost
 * no CPU, and this thread, at normal priority, must not wait on them for long (measured with two
 * CPU-bound processes beside it: a 4,000-message batch took 48 s instead of 1.7 s). While workers
 * answer, this thread only commits: taking parsing over from healthy workers slowed the whole import,
 * because the commits are what it should be doing. Once no worker has answered for STALL_MS while a
 * chunk is due, this thread parses until one answers again: a task no worker has taken yet, from the
 * back of the batch, or, when every task has gone to a worker, the due one itself (the worker's copy
 * of the work is dropped when it comes back). A chunk whose worker failed is parsed here when due.
 *
 * Once the consumer stops (storing failed, the request ended) or the document is abandoned, no more
 * tasks go to the shared pool.
 */
class PooledParse {
  /** Kept here after a copy went to a worker, in case this thread parses it; dropped once yielded. */
  private readonly tasks: (HeaderTask | null)[] = [];
  private readonly done: (Prepared[] | undefined)[] = [];
  private readonly failed = new Set<number>();
  /** Tasks before it went to a worker. */
  private sent = 0;
  /** Tasks from it on were parsed on this thread. */
  private tail = 0;
  private inFlight = 0;
  private stopped = false;
  /** No worker answered within STALL_MS while a chunk was due, and none has since. */
  private stalled = false;
  private wake: (() => void) | null = null;

  constructor(private readonly pool: ParsePool) {}

  add(task: HeaderTask): void {
    this.tasks.push(task);
    this.tail = this.tasks.length;
    this.feed();
  }

  abandon(): void {
    this.stopped = true;
  }

  async *results(): AsyncGenerator<Prepared[]> {
    try {
      for (let i = 0; i < this.tasks.length; i++) {
        while (this.done[i] === undefined) {
          if (this.failed.has(i)) this.parseHere(i);
          else if (this.stalled || !(await this.answer())) {
            this.stalled = true;
            this.parseHere(this.sent < this.tail ? --this.tail : i);
            await nextTurn(); // lets a worker's answer in
          }
        }
        const chunk = this.done[i] as Prepared[];
        this.done[i] = undefined;
        this.tasks[i] = null;
        yield chunk;
      }
    } finally {
      this.stopped = true;
      this.wake?.();
    }
  }

  private parseHere(k: number): void {
    this.done[k] = prepareHeaders(this.tasks[k] as HeaderTask);
  }

  /** Whether a worker answers (anything) within STALL_MS. */
  private answer(): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve(false);
      }, STALL_MS);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve(true);
      };
    });
  }

  private feed(): void {
    while (!this.stopped && this.inFlight < this.pool.size * QUEUED_PER_WORKER && this.sent < this.tail) {
      const k = this.sent++;
      this.inFlight++;
      this.pool
        .prepare(this.tasks[k] as HeaderTask)
        .then(
          // An answer for a chunk this thread has parsed meanwhile is dropped.
          (prepared) => {
            if (this.done[k] === undefined && this.tasks[k] !== null) this.done[k] = prepared;
          },
          () => this.failed.add(k),
        )
        .finally(() => {
          this.inFlight--;
          this.stalled = false;
          this.wake?.();
          this.feed();
        });
    }
  }
}
