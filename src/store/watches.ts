// Members' topic watches: their queries (theirs alone to list and delete), the new passages that matched one,
// waiting for the member's hourly direct message and then held by it (`batch_key`) until the ledger closes it, and
// the members whose direct messages are closed (their watches paused until they resume them).
import type { Db } from './db.js';
import { type Claim, type ClaimRequest, deliveryRepository } from './deliveries.js';
import { guarded, prepared } from './statements.js';

export interface Watch {
  id: number;
  userId: string;
  query: string;
  createdAt: string;
}

export interface WatchPause {
  reason: string;
  pausedAt: string;
  /** When the member was told (once); null until then. */
  toldAt: string | null;
}

/** A match a direct message holds, with what the message shows of it (read when it is sent, never before). */
export interface MatchedItem {
  postId: string;
  /** Null for a post's own text. */
  commentId: string | null;
  query: string;
  postTitle: string;
  postUrl: string | null;
  postDate: string | null;
  /** The comment's author (a comment) or the post's. */
  author: string | null;
  date: string | null;
  time: string | null;
  /** The comment's permalink, or the post's address. */
  url: string | null;
  /** The comment's text, or the whole post's (the excerpt is cut from its passage that matched). */
  text: string;
  /** The blog removed the comment ("This comment has been removed"). */
  removed: boolean;
}

const watchColumns = 'id, user_id AS userId, query, created_at AS createdAt';

/** The member's watches, oldest first. */
function watchesOf(db: Db, userId: string): Watch[] {
  return prepared<Watch>(db, `SELECT ${watchColumns} FROM watches WHERE user_id = ? ORDER BY id`).all(userId);
}

type Added = { added: Watch } | { exists: Watch } | { full: Watch[] };

/** Add a watch unless the member has it already or has `most`; counted and written in one transaction. */
function addWatch(db: Db, userId: string, query: string, now: string, most: number): Added {
  return db
    .transaction((): Added => {
      const own = watchesOf(db, userId);
      const same = own.find((w) => w.query === query);
      if (same) return { exists: same };
      if (own.length >= most) return { full: own };
      const id = Number(
        prepared(db, 'INSERT INTO watches (user_id, query, created_at) VALUES (?, ?, ?)').run(userId, query, now)
          .lastInsertRowid,
      );
      return { added: { id, userId, query, createdAt: now } };
    })
    .immediate();
}

/** Members with matches waiting from before `before` (ISO) whose watches are not paused. */
function membersWaiting(db: Db, before: string): string[] {
  return prepared<string>(
    db,
    `SELECT DISTINCT m.user_id FROM watch_matches m
     WHERE m.batch_key IS NULL AND m.matched_at < ?
       AND NOT EXISTS (SELECT 1 FROM watch_pauses p WHERE p.user_id = m.user_id)
     ORDER BY m.user_id`,
  )
    .pluck()
    .all(before);
}

function batchItems(db: Db, key: string): MatchedItem[] {
  const rows = prepared<Omit<MatchedItem, 'removed' | 'commentId'> & { commentId: string; removed: number }>(
    db,
    `SELECT m.post_id AS postId, m.comment_id AS commentId, w.query, p.title AS postTitle, p.url AS postUrl,
       p.date AS postDate,
       CASE WHEN m.comment_id = '' THEN p.author ELSE c.author END AS author,
       CASE WHEN m.comment_id = '' THEN p.date ELSE coalesce(c.date, p.date) END AS date,
       CASE WHEN m.comment_id = '' THEN p.time ELSE c.time END AS time,
       CASE WHEN m.comment_id = '' THEN p.url ELSE coalesce(c.permalink, p.url) END AS url,
       CASE WHEN m.comment_id = '' THEN p.text ELSE c.text END AS text,
       coalesce(c.deleted, 0) AS removed
     FROM watch_matches m
     JOIN watches w ON w.id = m.watch_id
     JOIN posts p ON p.id = m.post_id
     LEFT JOIN comments c ON c.id = m.comment_id AND m.comment_id <> ''
     WHERE m.batch_key = ? AND (m.comment_id = '' OR c.id IS NOT NULL)
     ORDER BY m.matched_at, m.id`,
  ).all(key);
  return rows.map((r) => ({ ...r, commentId: r.commentId || null, removed: r.removed === 1, text: r.text ?? '' }));
}

export interface WatchRepository {
  list(userId: string): Watch[];
  /** Every watch of a member whose watches are not paused: what new passages are matched against. */
  active(): Watch[];
  add(userId: string, query: string, now: string, most: number): Added;
  /** Remove one of the member's own watches (its waiting matches with it); false when they have none by that id. */
  remove(userId: string, watchId: number): boolean;
  /** Everything kept about the member's watches: the watches, their matches waiting, a pause. How many watches. */
  clear(userId: string): number;
  /** Queue a new passage for the member; false when it is queued for them already (another watch of theirs). */
  queue(match: { userId: string; watchId: number; postId: string; commentId: string | null }, now: string): boolean;
  membersWaiting(before: string): string[];
  /**
   * Claim the member's message in the ledger and, when the claim is new and `before` is given, put their matches
   * waiting from before it under the message's key, in one transaction: a match stored after it waits for the next.
   */
  claimBatch(request: ClaimRequest, userId: string, before: string | null): Claim;
  /** What the delivery `key` holds, as it reads now. */
  batch(key: string): MatchedItem[];
  /** Deliveries still claimed (a crash, a failed send) with the member they are for: carried on past their lease. */
  openBatches(): { userId: string; key: string }[];
  /** Forget the matches of deliveries the ledger has closed (sent or given up): they are not needed again. */
  sweep(): number;
  /** Pause the member's watches (their direct messages are closed) and drop what was waiting. False when already paused. */
  pause(userId: string, reason: string, now: string): boolean;
  pauseOf(userId: string): WatchPause | null;
  /** Record that the member was told of the pause: true only the first time, so they are told once. */
  markTold(userId: string, now: string): boolean;
  /** Watches on again; false when they were not paused. */
  resume(userId: string): boolean;
}

export function watchRepository(db: Db): WatchRepository {
  const ledger = deliveryRepository(db);
  return guarded(db, {
    list: (userId: string) => watchesOf(db, userId),
    active: () =>
      prepared<Watch>(
        db,
        `SELECT ${watchColumns} FROM watches w
         WHERE NOT EXISTS (SELECT 1 FROM watch_pauses p WHERE p.user_id = w.user_id) ORDER BY id`,
      ).all(),
    add: (userId: string, query: string, now: string, most: number) => addWatch(db, userId, query, now, most),
    remove: (userId: string, watchId: number) =>
      prepared(db, 'DELETE FROM watches WHERE id = ? AND user_id = ?').run(watchId, userId).changes > 0,
    clear: (userId: string) =>
      db.transaction(() => {
        prepared(db, 'DELETE FROM watch_matches WHERE user_id = ?').run(userId);
        prepared(db, 'DELETE FROM watch_pauses WHERE user_id = ?').run(userId);
        return prepared(db, 'DELETE FROM watches WHERE user_id = ?').run(userId).changes;
      })(),
    queue: (match: { userId: string; watchId: number; postId: string; commentId: string | null }, now: string) =>
      prepared(
        db,
        `INSERT INTO watch_matches (user_id, watch_id, post_id, comment_id, matched_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      ).run(match.userId, match.watchId, match.postId, match.commentId ?? '', now).changes === 1,
    membersWaiting: (before: string) => membersWaiting(db, before),
    claimBatch: (request: ClaimRequest, userId: string, before: string | null) =>
      db
        .transaction((): Claim => {
          const claim = ledger.claim(request);
          if (claim.claimed && !claim.recovering && before !== null) {
            prepared(
              db,
              'UPDATE watch_matches SET batch_key = ? WHERE user_id = ? AND batch_key IS NULL AND matched_at < ?',
            ).run(request.key, userId, before);
          }
          return claim;
        })
        .immediate(),
    batch: (key: string) => batchItems(db, key),
    openBatches: () =>
      prepared<{ userId: string; key: string }>(
        db,
        `SELECT DISTINCT m.user_id AS userId, m.batch_key AS key FROM watch_matches m
         JOIN deliveries d ON d.guild_id = '' AND d.kind = 'watch' AND d.key = m.batch_key AND d.state = 'claimed'
         WHERE m.batch_key IS NOT NULL ORDER BY m.batch_key`,
      ).all(),
    sweep: () =>
      prepared(
        db,
        `DELETE FROM watch_matches WHERE batch_key IS NOT NULL AND EXISTS (
           SELECT 1 FROM deliveries d WHERE d.guild_id = '' AND d.kind = 'watch' AND d.key = watch_matches.batch_key
             AND d.state <> 'claimed')`,
      ).run().changes,
    pause: (userId: string, reason: string, now: string) =>
      db.transaction(() => {
        prepared(db, 'DELETE FROM watch_matches WHERE user_id = ? AND batch_key IS NULL').run(userId);
        return (
          prepared(
            db,
            'INSERT INTO watch_pauses (user_id, reason, paused_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
          ).run(userId, reason, now).changes === 1
        );
      })(),
    pauseOf: (userId: string) =>
      prepared<WatchPause>(
        db,
        'SELECT reason, paused_at AS pausedAt, told_at AS toldAt FROM watch_pauses WHERE user_id = ?',
      ).get(userId) ?? null,
    markTold: (userId: string, now: string) =>
      prepared(db, 'UPDATE watch_pauses SET told_at = ? WHERE user_id = ? AND told_at IS NULL').run(now, userId)
        .changes === 1,
    resume: (userId: string) => prepared(db, 'DELETE FROM watch_pauses WHERE user_id = ?').run(userId).changes > 0,
  });
}
