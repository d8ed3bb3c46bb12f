// Keeps the archive in step with a blog while the bot runs: a sync every
// SYNC_INTERVAL, the first soon after start when the last complete sync is
// older than that. New posts are announced, and new comments queued for their
// posts' threads, in the transaction that stores them; the index is refreshed after each sync.
import type { Logger } from 'pino';
import { postAnnouncement } from '../app/announcements.js';
import type { ArchiveService } from '../app/archive.js';
import type { WatchMatcher } from '../app/watches.js';
import type { Clock } from '../clock.js';
import type { SyncStore, SyncOptions } from '../ingest/sync.js';
import { firstRunFrom, START_SETTLES_MS, type Job } from './job.js';
import { petitionLinksIn } from '../digest/petition.js';

export interface SyncJobOptions {
  store: SyncStore;
  archive: Pick<ArchiveService, 'refresh'>;
  blogUrl: string;
  every: number;
  clock: Clock;
  log: Logger;
  /** Wait before a first sync that is due at start, so the bot answers members first. */
  startDelayMs?: number;
  /** How the feeds are fetched (tests point it at a fake blog). */
  sync?: Omit<SyncOptions, 'now' | 'signal' | 'announce' | 'petitionLinks' | 'onEvent' | 'onAdded' | 'queueComments'>;
  /** Members' watches, read at the start of each sync: new posts and comments are matched against them as stored. */
  watches?: () => WatchMatcher;
}

export function syncJob(options: SyncJobOptions): Job {
  const { store, blogUrl: blog, clock, log } = options;
  return {
    name: `sync ${blog}`,
    every: options.every,
    leaderOnly: true,
    firstRunIn() {
      const last = store.syncs.get(blog).lastSuccess;
      return firstRunFrom(last, options.every, clock.now().getTime(), options.startDelayMs ?? START_SETTLES_MS);
    },
    async run(signal) {
      // The feed readers and parsers load with the first sync (10 s after start), not with every start.
      const { syncBlog } = await import('../ingest/sync.js');
      const report = await syncBlog(store, blog, {
        ...options.sync,
        now: () => clock.now().toISOString(),
        signal,
        announce: postAnnouncement,
        ...(options.watches && { onAdded: options.watches() }),
        // Offered to admins (/config petition), never followed by themselves.
        // Written out in the text, or behind a link's words (the HTML's href).
        petitionLinks: (post, html) => petitionLinksIn(`${post.text}\n${html ?? ''}`),
        // New comments wait, queued with them, for the threads of their posts (src/app/postThreads.ts).
        queueComments: true,
        onEvent: (e) => {
          if (e.type === 'new-post') log.info({ event: e.type, postId: e.post.id, title: e.post.title }, 'new post');
        },
      });
      const { changedPosts } = options.archive.refresh();
      const { counts, requests, complete, errors } = report;
      log.info({ blog, ...counts, requests, complete, changedPosts, errors }, 'sync done');
    },
  };
}
