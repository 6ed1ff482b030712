/**
 * Worker thread of the gov-line parse pool: parses raw 1207 `<Header>` texts with the same hardened
 * reader as the main thread, maps and normalises them, and posts the results back. Pure CPU work,
 * no database: the main thread stores what comes back, in order.
 */
import { parentPort } from 'node:worker_threads';
import { DomainError } from '../../domain/errors.js';
import { normalise } from '../normalise.js';
import { type Prepared, UnreadableDocumentError } from '../types.js';
import { readGovLineHeader } from './read.js';
import { parseXmlDocument } from './safe-xml.js';

export interface ParseTask {
  id: number;
  start: number;
  texts: string[];
}

export function prepareHeaders(task: ParseTask): Prepared[] {
  return task.texts.map((text, k) => {
    const index = task.start + k;
    try {
      const outcome = readGovLineHeader(parseXmlDocument(text).root, index);
      if (!outcome.ok) return { ok: false, rejection: outcome.rejection };
      try {
        return { ok: true, index, appeal: normalise(outcome.item) };
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const { externalId } = outcome.item;
        return {
          ok: false,
          rejection: { index, externalId, path: err.path ?? '', code: err.code, message: err.message },
        };
      }
    } catch (err) {
      if (!(err instanceof UnreadableDocumentError)) throw err;
      return {
        ok: false,
        rejection: { index, externalId: null, path: 'Header', code: err.code, message: err.message },
      };
    }
  });
}

parentPort?.on('message', (task: ParseTask) => {
  try {
    parentPort?.postMessage({ id: task.id, prepared: prepareHeaders(task) });
  } catch (err) {
    parentPort?.postMessage({ id: task.id, error: (err as Error).message });
  }
});
