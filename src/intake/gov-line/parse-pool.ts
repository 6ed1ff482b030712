/**
 * A pool of worker threads that parse, map and normalise large UCC batches off the main thread, so
 * that parsing (xml2js is single-threaded) uses every core while the main thread commits earlier
 * chunks. Results come back per chunk, in document order.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Prepared } from '../types.js';
import type { ParseTask } from './parse-worker.js';
import type { HeaderTask } from './prepare-headers.js';

type Pending = { slot: number; resolve: (p: Prepared[]) => void; reject: (e: Error) => void };

export class ParsePool {
  /** Workers start on first use (an idle gateway keeps its memory) and are replaced if one dies. */
  private readonly slots: (Worker | null)[];
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private turn = 0;

  /**
   * One worker per core. The workers run at the lowest scheduling priority (parse-worker.ts), so they
   * take only what CPU the main thread and SQLite's thread leave: those commit the batch and serve
   * other requests first. A starved worker never holds a request up: the main thread parses what
   * it would otherwise wait for (prepare.ts). Measured on 2 cores (`npm run bench`): 2 such workers
   * were 10-15 % faster end to end than 1 worker at normal priority, and 2 workers at normal
   * priority were the slowest. Where a worker cannot lower only its own priority (anything but Linux,
   * see parse-worker.ts), one core is left to the main thread instead.
   */
  constructor(readonly size = defaultPoolSize()) {
    this.slots = Array.from({ length: size }, () => null);
  }

  /** Parses a task's Headers on a worker (the task is copied to it; the caller keeps its own). */
  prepare(task: HeaderTask): Promise<Prepared[]> {
    const id = this.next++;
    const slot = this.turn++ % this.size;
    const worker = this.workerAt(slot);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { slot, resolve, reject });
      worker.postMessage({ id, ...task } satisfies ParseTask);
    });
  }

  async close(): Promise<void> {
    const running = this.slots.filter((w): w is Worker => w !== null);
    this.slots.fill(null);
    await Promise.all(running.map((w) => w.terminate()));
  }

  private workerAt(slot: number): Worker {
    const existing = this.slots[slot];
    if (existing) return existing;
    const worker = new Worker(new URL('./parse-worker-boot.js', import.meta.url));
    worker.on('message', (m: { id: number; prepared?: Prepared[]; error?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error !== undefined || !m.prepared) p?.reject(new Error(`parse worker failed: ${m.error}`));
      else p?.resolve(m.prepared.map(revive));
    });
    const fail = (err: Error) => {
      if (this.slots[slot] === worker) this.slots[slot] = null;
      for (const [id, p] of this.pending) {
        if (p.slot !== slot) continue;
        this.pending.delete(id);
        p.reject(err);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`parse worker exited with code ${code}`)));
    this.slots[slot] = worker;
    return worker;
  }
}

function defaultPoolSize(): number {
  const cores = availableParallelism();
  return process.platform === 'linux' ? cores : Math.max(1, cores - 1);
}

/** Structured clone turns Buffers into Uint8Arrays; the database driver wants Buffers back. */
function revive(p: Prepared): Prepared {
  if (!p.ok) return p;
  for (const a of p.appeal.item.attachments) {
    a.content = Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength);
  }
  return p;
}
