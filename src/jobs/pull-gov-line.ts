/**
 * Job `pull-gov-line`: reads new messages from the UCC's feed since the stored cursor and feeds them
 * through the same path as `POST /intake/gov-line`. At-least-once: the cursor moves only after a
 * page is stored, and a page read twice is an idempotent replay.
 */

import { SyncCursor } from '../db/entities/index.js';
import type { Orm } from '../db/orm.js';
import { type GovLineLayout, layoutGovLineDocument, readLayout } from '../intake/gov-line/read.js';
import { ingest } from '../intake/ingest.js';
import { type ReadOutcome, UnreadableDocumentError } from '../intake/types.js';
import type { Logger } from '../log.js';
import { type FeedClientOptions, FeedError, type FeedPage, fetchFeedPage } from '../ucc/feed-client.js';
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
    let limit = deps.pageSize ?? 200;
    for (let page = 0; page < (deps.maxPages ?? 50); page++) {
      const stored = await em.fork().findOne(SyncCursor, { name: GOV_LINE_CURSOR });
      const after = stored?.cursor ?? null;
      let result: FeedPage;
      for (;;) {
        try {
          result = await fetchFeedPage(deps.feed, after, limit);
          break;
        } catch (err) {
          if (!(err instanceof FeedError && err.tooLarge)) throw err;
          // Large attachments: ask for fewer messages (for the rest of this run) until the page fits.
          if (limit === 1) {
            throw new Error(
              `the next UCC feed message after ${after ?? 'the start'} alone exceeds the page cap ` +
                `(${err.message}); raise INTAKE_MAX_BYTES or have the UCC send it otherwise`,
            );
          }
          limit = Math.max(1, Math.floor(limit / 2));
          counts.shrunk = (counts.shrunk ?? 0) + 1;
        }
      }
      let layout: GovLineLayout;
      let outcomes: ReadOutcome[];
      try {
        layout = layoutGovLineDocument(result.body);
        // A lone Header that is not well-formed throws here; in a batch it is that message's rejection.
        outcomes = layout.headers.length > 0 ? readLayout(layout) : [];
      } catch (err) {
        if (err instanceof UnreadableDocumentError)
          throw new Error(`UCC feed page is unreadable: ${err.code}: ${err.message}`);
        throw err;
      }
      counts.pages = (counts.pages ?? 0) + 1;
      const cursor = layout.batchAttributes.cursor?.trim() || null;
      if (layout.headers.length > 0) {
        // Whatever the page holds is stored (a replay changes nothing) before the cursor is judged.
        const report = await ingest(em.fork(), outcomes, deps.now());
        counts.accepted = (counts.accepted ?? 0) + report.accepted.length;
        counts.created =
          (counts.created ?? 0) + report.accepted.filter((a) => a.outcome === 'created').length;
        counts.replayed =
          (counts.replayed ?? 0) + report.accepted.filter((a) => a.outcome === 'replayed').length;
        counts.rejected = (counts.rejected ?? 0) + report.rejected.length;
        // Never the message: it may quote the citizen's data (a phone or e-mail that could not be read).
        for (const { index, externalId, path, code } of report.rejected) {
          deps.log.warn(
            { rejection: { index, externalId, path, code }, page: { after, cursor } },
            'UCC feed: message rejected',
          );
        }
        // A message the database did not take (not one the reader refused) must be read again: the
        // cursor stays, the run fails, and the next run retries the page.
        const unstored = report.rejected.filter((r) => r.code === 'STORE_FAILED');
        if (unstored.length) {
          throw new Error(
            `${unstored.length} message(s) of the UCC feed page after ${after ?? 'the start'} could not be stored ` +
              `(first: index ${unstored[0]?.index}, ${unstored[0]?.message}); the cursor stays, the page is read again next run`,
          );
        }
        if (cursor === null) {
          throw new Error(
            `the UCC feed page after ${after ?? 'the start'} holds ${layout.headers.length} message(s) but no ` +
              '`cursor` attribute on <AppealBatch>: they were stored, but the feed cannot be followed further',
          );
        }
      }
      if (cursor === null || cursor === after || layout.headers.length === 0) break;
      await saveCursor(deps.orm, cursor);
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
