// Deletions followed while the bot runs: every RECONCILE_EVERY (a week by
// default) the leader compares the archive with the whole blog
// (src/ingest/reconcile.ts). When it last tried is kept in the store, so a
// restart does not read the whole blog again early. The index is refreshed
// after each run; other processes see the deletions at their next answer.
import type { Logger } from 'pino';
import type { ArchiveService } from '../app/archive.js';
import type { Clock } from '../clock.js';
import type { ReconcileOptions, ReconcileStore } from '../ingest/reconcile.js';
import { firstRunFrom, type Job } from './job.js';

export interface ReconcileJobOptions {
  store: ReconcileStore;
  archive: Pick<ArchiveService, 'refresh'>;
  blogUrl: string;
  every: number;
  clock: Clock;
  log: Logger;
  /** Wait before a first run that is due at start: members and a first sync go first. */
  startDelayMs?: number;
  /** How the feeds are fetched (tests point it at a fake blog). */
  feeds?: Omit<ReconcileOptions, 'now' | 'signal' | 'force'>;
}

export function reconcileJob(options: ReconcileJobOptions): Job {
  const { store, blogUrl: blog, clock, log } = options;
  return {
    name: `reconcile ${blog}`,
    every: options.every,
    leaderOnly: true,
    firstRunIn() {
      // From the last attempt, failed or not: a blog that fails to answer is not read again at every start.
      const last = store.deletions.record(blog).lastAttempt;
      return firstRunFrom(last, options.every, clock.now().getTime(), options.startDelayMs ?? 10 * 60_000);
    },
    async run(signal) {
      // Loaded with the first run, not with every start (as the sync's).
      const { reconcileBlog } = await import('../ingest/reconcile.js');
      const report = await reconcileBlog(store, blog, {
        ...options.feeds,
        now: () => clock.now().toISOString(),
        signal,
      });
      const { changedPosts } = options.archive.refresh();
      const { requests, seconds, deleted, restored, complete, refused, errors } = report;
      const fields = { blog, requests, seconds, deleted, restored, complete, changedPosts };
      // Nothing was changed when it failed: tried again at the next interval (or by hand: cli reconcile).
      if (errors.length > 0) log.warn({ ...fields, errors }, 'reconciliation with the blog failed; nothing changed');
      else if (refused) log.warn({ ...fields, refused }, 'reconciliation refused to mark so much deleted');
      else log.info(fields, 'reconciliation with the blog done');
    },
  };
}
