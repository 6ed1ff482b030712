/**
 * A pool of worker threads that parse, map and normalise large UCC batches off the main thread, so
 * that parsing (xml2js is single-threaded) uses every core while the main thread commits earlier
 * chunks. Results come back per chunk, in document order.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Prepared } from '../types.js';
import type { ParseTask } from './parse-worker.js';

type Pending = { resolve: (p: Prepared[]) => void; reject: (e: Error) => void };

export class ParsePool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private turn = 0;

  /**
   * One core stays with the main thread and SQLite's own thread, which commit what the workers
   * prepare: starving them of CPU slows the whole pipeline (measured: 2 workers on 2 cores were
   * slower end to end than 1).
   */
  constructor(size = Math.max(1, availableParallelism() - 1)) {
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(new URL('./parse-worker-boot.js', import.meta.url));
      worker.on('message', (m: { id: number; prepared?: Prepared[]; error?: string }) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.error !== undefined || !m.prepared) p?.reject(new Error(`parse worker failed: ${m.error}`));
        else p?.resolve(m.prepared.map(revive));
      });
      worker.on('error', (err) => {
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      });
      return worker;
    });
  }

  get size(): number {
    return this.workers.length;
  }

  /** Parses `texts` (raw Header elements) whose first has document index `start`. */
  prepare(start: number, texts: string[]): Promise<Prepared[]> {
    const id = this.next++;
    const worker = this.workers[this.turn++ % this.workers.length] as Worker;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, start, texts } satisfies ParseTask);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Structured clone turns Buffers into Uint8Arrays; the database driver wants Buffers back. */
function revive(p: Prepared): Prepared {
  if (!p.ok) return p;
  for (const a of p.appeal.item.attachments) {
    a.content = Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength);
  }
  return p;
}
