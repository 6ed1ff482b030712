/**
 * Job `pull-gov-line`: reads new messages from the UCC's feed since the stored cursor and feeds them
 * through the same path as `POST /intake/gov-line`. At-least-once: the cursor moves only after a
 * page is stored, and a page read twice is an idempotent replay.
 */

import { SyncCursor } from '../db/entities/index.js';
import type { Orm } from '../db/orm.js';
import { readGovLineDocument } from '../intake/gov-line/read.js';
import { ingest } from '../intake/ingest.js';
import { UnreadableDocumentError } from '../intake/types.js';
import type { Logger } from '../log.js';
import { type FeedClientOptions, fetchFeedPage } from '../ucc/feed-client.js';
import { recordJobRun } from './job-run.js';

export const GOV_LINE_CURSOR = 'ucc-feed';

export interface PullGovLineDeps {
  orm: Pick<Orm, 'em'>;
  feed: FeedClientOptions;
  log: Logger;
  now: () => Date;
  pageSize?: number;
  /** Upper bound of pages per run, so one run cannot go on forever. */
  maxPages?: number;
}

export async function pullGovLine(deps: PullGovLineDeps) {
  const em = deps.orm.em.fork();
  return recordJobRun(em, 'pull-gov-line', deps.now, async (counts) => {
    Object.assign(counts, { pages: 0, accepted: 0, created: 0, replayed: 0, rejected: 0 });
    for (let page = 0; page < (deps.maxPages ?? 50); page++) {
      const stored = await em.fork().findOne(SyncCursor, { name: GOV_LINE_CURSOR });
      const after = stored?.cursor ?? null;
      const result = await fetchFeedPage(deps.feed, after, deps.pageSize ?? 200);
      let outcomes: Awaited<ReturnType<typeof readGovLineDocument>>;
      try {
        outcomes = await readGovLineDocument(result.body);
      } catch (err) {
        if (err instanceof UnreadableDocumentError)
          throw new Error(`UCC feed page is unreadable: ${err.code}: ${err.message}`);
        throw err;
      }
      counts.pages = (counts.pages ?? 0) + 1;
      if (outcomes.length === 0 || result.cursor === null || result.cursor === after) break;
      const report = await ingest(em.fork(), outcomes, deps.now());
      counts.accepted = (counts.accepted ?? 0) + report.accepted.length;
      counts.created = (counts.created ?? 0) + report.accepted.filter((a) => a.outcome === 'created').length;
      counts.replayed =
        (counts.replayed ?? 0) + report.accepted.filter((a) => a.outcome === 'replayed').length;
      counts.rejected = (counts.rejected ?? 0) + report.rejected.length;
      for (const r of report.rejected) deps.log.warn({ rejection: r }, 'UCC feed: message rejected');
      await saveCursor(deps.orm, result.cursor);
    }
  });
}

async function saveCursor(orm: Pick<Orm, 'em'>, cursor: string): Promise<void> {
  const em = orm.em.fork();
  const row = await em.findOne(SyncCursor, { name: GOV_LINE_CURSOR });
  if (row) row.cursor = cursor;
  else em.create(SyncCursor, { name: GOV_LINE_CURSOR, cursor });
  await em.flush();
}
