/**
 * Worker thread of the gov-line parse pool: decodes and parses raw 1207 `<Header>` elements (already
 * scanned with their batch on the main thread) with the same reader as the main thread, maps and
 * normalises them, and posts the results back. Pure CPU work, no database: the main thread stores them, in order.
 */
import { constants, setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { type HeaderTask, prepareHeaders } from './prepare-headers.js';

// The lowest scheduling priority, for this thread only: on Linux a nice value belongs to a thread,
// and "process 0" is the calling thread. Elsewhere it would be the whole gateway, so it stays as is.
if (process.platform === 'linux') {
  try {
    setPriority(0, constants.priority.PRIORITY_LOW);
  } catch {
    // A container may forbid it; parsing then competes with the main thread as an equal.
  }
}

export interface ParseTask extends HeaderTask {
  id: number;
}

parentPort?.on('message', (task: ParseTask) => {
  try {
    parentPort?.postMessage({ id: task.id, prepared: prepareHeaders(task) });
  } catch (err) {
    parentPort?.postMessage({ id: task.id, error: (err as Error).message });
  }
});
