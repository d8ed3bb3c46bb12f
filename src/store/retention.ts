// What the store keeps for a year of running: petition snapshots thinned as
// they age (all of the last day, one an hour to 30 days, one a day after),
// their constituency breakdowns (one a day) kept 30 days,
// deliveries and announcements gone after 90 days, Napo news kept to each
// feed's newest 200, searches forgotten after a day, new comments queued for
// posts' threads after 400 days. Never what a check still needs: each petition's latest
// snapshot and the one its milestone check last looked at, or a delivery
// still open.
import type { Db } from './db.js';
import { guarded, prepared } from './statements.js';

const DAY = 86_400_000;

export interface PruneReport {
  petitionSnapshots: number;
  petitionBreakdowns: number;
  deliveries: number;
  announcements: number;
  newsItems: number;
  searchSessions: number;
  /** New comments queued for posts' threads more than COMMENT_QUEUE_DAYS ago (every thread is past them). */
  commentQueue: number;
}

/** Longer than any post's threads mirror its comments (POST_THREAD_DAYS is at most 365). */
const COMMENT_QUEUE_DAYS = 400;

/** Rows in each table and the database's size on disk, for the operator. */
export interface StoreSizes {
  tables: Record<string, number>;
  bytes: number;
}

function prune(db: Db, now: string): PruneReport {
  const at = Date.parse(now);
  const dayAgo = new Date(at - DAY).toISOString();
  const monthAgo = new Date(at - 30 * DAY).toISOString();
  const quarterAgo = new Date(at - 90 * DAY).toISOString();
  return db.transaction(
    (): PruneReport => ({
      petitionSnapshots: prepared(
        db,
        `DELETE FROM petition_snapshots WHERE id IN (
           SELECT id FROM (
             SELECT id, taken_at,
               row_number() OVER (PARTITION BY petition_id, substr(taken_at, 1, 13) ORDER BY taken_at DESC, id DESC) AS in_hour,
               row_number() OVER (PARTITION BY petition_id, substr(taken_at, 1, 10) ORDER BY taken_at DESC, id DESC) AS in_day
             FROM petition_snapshots)
           WHERE (taken_at < @dayAgo AND taken_at >= @monthAgo AND in_hour > 1) OR (taken_at < @monthAgo AND in_day > 1))
         AND id NOT IN (SELECT max(id) FROM petition_snapshots GROUP BY petition_id)
         AND taken_at NOT IN (SELECT value FROM meta WHERE key LIKE 'petition_milestones_checked:%')`,
      ).run({ dayAgo, monthAgo }).changes,
      // A breakdown a day for 30 days, and always each petition's newest.
      petitionBreakdowns: prepared(
        db,
        `DELETE FROM petition_breakdowns WHERE day < substr(@monthAgo, 1, 10)
         AND (petition_id, day) NOT IN (SELECT petition_id, max(day) FROM petition_breakdowns GROUP BY petition_id)`,
      ).run({ monthAgo }).changes,
      // Announcements first: a delivery row is what keeps its announcement from being sent again.
      announcements: prepared(db, 'DELETE FROM announcements WHERE created_at < ?').run(quarterAgo).changes,
      deliveries: prepared(
        db,
        `DELETE FROM deliveries WHERE state IN ('sent', 'skipped', 'failed') AND coalesce(sent_at, claimed_at) < ?`,
      ).run(quarterAgo).changes,
      newsItems: prepared(
        db,
        `DELETE FROM news_items WHERE id IN (
           SELECT id FROM (
             SELECT id, row_number() OVER (PARTITION BY source ORDER BY coalesce(published, first_seen) DESC, first_seen DESC, id) AS n
             FROM news_items)
           WHERE n > 200)`,
      ).run().changes,
      searchSessions: prepared(db, 'DELETE FROM search_sessions WHERE created_at < ?').run(dayAgo).changes,
      commentQueue: prepared(db, 'DELETE FROM comment_queue WHERE queued_at < ?').run(
        new Date(at - COMMENT_QUEUE_DAYS * DAY).toISOString(),
      ).changes,
    }),
  )();
}

const TABLES = [
  'posts',
  'comments',
  'passages',
  'petition_snapshots',
  'petition_breakdowns',
  'member_constituencies',
  'announcements',
  'deliveries',
  'news_items',
  'takedowns',
  'blog_deletions',
  'watches',
  'watch_matches',
];

function sizes(db: Db): StoreSizes {
  const tables: Record<string, number> = {};
  for (const table of TABLES) tables[table] = prepared<number>(db, `SELECT count(*) FROM ${table}`).pluck().get()!;
  return { tables, bytes: bytes(db) };
}

/** The database file's size (its pages), without counting rows. */
function bytes(db: Db): number {
  const pages = db.pragma('page_count', { simple: true }) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  return pages * pageSize;
}

export interface RetentionRepository {
  prune(now: string): PruneReport;
  sizes(): StoreSizes;
  bytes(): number;
}

export function retentionRepository(db: Db): RetentionRepository {
  return guarded(db, { prune: (now: string) => prune(db, now), sizes: () => sizes(db), bytes: () => bytes(db) });
}
