/**
 * Worker thread of the gov-line parse pool: parses raw 1207 `<Header>` texts (already scanned with
 * their batch on the main thread) with the same reader as the main thread, maps and normalises them,
 * and posts the results back. Pure CPU work, no database: the main thread stores them, in order.
 */
import { parentPort } from 'node:worker_threads';
import { type HeaderTask, prepareHeaders } from './prepare-headers.js';

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
