// A thread per new post: the blog's new comments queued by the sync (each
// once, in the transaction that stores it), each server's thread for a post,
// and how far the post's queued comments were mirrored there. A batch is held
// (`batch_to`) before it is claimed in the deliveries ledger, so a batch taken
// over after a crash covers exactly what the first attempt covered.
import type { Comment } from '../archive/model.js';
import type { Db } from './db.js';
import { guarded, prepared } from './statements.js';

/** One server's thread for a post. */
export interface PostThread {
  guildId: string;
  postId: string;
  channelId: string;
  threadId: string;
  openedAt: string;
  /** The last queue id mirrored (0: none yet). */
  mirroredTo: number;
  /** The last queue id of the batch being sent, if one is. */
  batchTo: number | null;
  lastBatchAt: string | null;
  /** Why mirroring stopped (the thread is gone); null while it goes on. */
  stopped: string | null;
  /** The post's date (YYYY-MM-DD), title and address, null when the archive has none. */
  postDate: string | null;
  postTitle: string | null;
  postUrl: string | null;
}

/** A queued comment as a batch shows it: `deleted` when the blog removed it since. */
export interface QueuedComment extends Omit<Comment, 'id' | 'parentId'> {
  queueId: number;
  commentId: string;
}

interface ThreadRow {
  guild_id: string;
  post_id: string;
  channel_id: string;
  thread_id: string;
  opened_at: string;
  mirrored_to: number;
  batch_to: number | null;
  last_batch_at: string | null;
  stopped: string | null;
  post_date: string | null;
  post_title: string | null;
  post_url: string | null;
}

const fromRow = (r: ThreadRow): PostThread => ({
  guildId: r.guild_id,
  postId: r.post_id,
  channelId: r.channel_id,
  threadId: r.thread_id,
  openedAt: r.opened_at,
  mirroredTo: r.mirrored_to,
  batchTo: r.batch_to,
  lastBatchAt: r.last_batch_at,
  stopped: r.stopped,
  postDate: r.post_date,
  postTitle: r.post_title,
  postUrl: r.post_url,
});

const THREAD_COLUMNS = `t.guild_id, t.post_id, t.channel_id, t.thread_id, t.opened_at, t.mirrored_to, t.batch_to,
  t.last_batch_at, t.stopped, p.date AS post_date, p.title AS post_title, p.url AS post_url`;

/** Queue a comment the sync has just stored (called inside its transaction); a comment already queued is ignored. */
export function queueComment(db: Db, commentId: string, postId: string, now: string): void {
  prepared(
    db,
    'INSERT INTO comment_queue (comment_id, post_id, queued_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  ).run(commentId, postId, now);
}

function openThread(db: Db, t: { guildId: string; postId: string; channelId: string; threadId: string }, now: string) {
  prepared(
    db,
    `INSERT INTO post_threads (guild_id, post_id, channel_id, thread_id, opened_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  ).run(t.guildId, t.postId, t.channelId, t.threadId, now);
}

function threadOf(db: Db, guildId: string, postId: string): PostThread | null {
  const row = prepared<ThreadRow>(
    db,
    `SELECT ${THREAD_COLUMNS} FROM post_threads t LEFT JOIN posts p ON p.id = t.post_id
     WHERE t.guild_id = ? AND t.post_id = ?`,
  ).get(guildId, postId);
  return row ? fromRow(row) : null;
}

/** A server's threads still mirrored (not stopped) whose post is dated `since` or later (undated: when its thread opened). */
function liveThreads(db: Db, guildId: string, since: string): PostThread[] {
  return prepared<ThreadRow>(
    db,
    `SELECT ${THREAD_COLUMNS} FROM post_threads t JOIN posts p ON p.id = t.post_id
     WHERE t.guild_id = ? AND t.stopped IS NULL AND coalesce(p.date, substr(t.opened_at, 1, 10)) >= ? ORDER BY t.opened_at, t.post_id`,
  )
    .all(guildId, since)
    .map(fromRow);
}

/**
 * Posts announced in this server (sent on their own, with a message) since `since` that have no thread yet: the
 * announcement went out, its thread is still to be started.
 */
function awaitingThread(
  db: Db,
  guildId: string,
  since: string,
): { postId: string; channelId: string; messageId: string; title: string }[] {
  return prepared<{ postId: string; channelId: string; messageId: string; title: string }>(
    db,
    `SELECT d.key AS postId, d.channel_id AS channelId, d.message_id AS messageId, a.title AS title
     FROM deliveries d JOIN announcements a ON a.kind = 'posts' AND a.key = d.key
     WHERE d.guild_id = ? AND d.kind = 'posts' AND d.state = 'sent' AND d.summary_key IS NULL
       AND d.message_id IS NOT NULL AND d.channel_id IS NOT NULL AND d.sent_at >= ?
       AND NOT EXISTS (SELECT 1 FROM post_threads t WHERE t.guild_id = d.guild_id AND t.post_id = d.key)
     ORDER BY d.sent_at, d.key`,
  ).all(guildId, since);
}

/** The queue id that ends the next batch of a post after `after`: at most `max` comments. Null when none wait. */
function nextBatchEnd(db: Db, postId: string, after: number, max: number): number | null {
  const ids = prepared<number>(db, 'SELECT id FROM comment_queue WHERE post_id = ? AND id > ? ORDER BY id LIMIT ?')
    .pluck()
    .all(postId, after, max);
  return ids.length ? ids[ids.length - 1]! : null;
}

/** The comments queued for a post in (after, upTo], oldest first, as they are stored now. */
function queuedBetween(db: Db, postId: string, after: number, upTo: number): QueuedComment[] {
  return prepared<Omit<QueuedComment, 'deleted'> & { deleted: number }>(
    db,
    `SELECT q.id AS queueId, q.comment_id AS commentId, q.post_id AS postId, c.author, c.date, c.time,
       coalesce(c.text, '') AS text, c.permalink, coalesce(c.deleted, 1) AS deleted
     FROM comment_queue q LEFT JOIN comments c ON c.id = q.comment_id
     WHERE q.post_id = ? AND q.id > ? AND q.id <= ? ORDER BY q.id`,
  )
    .all(postId, after, upTo)
    .map((r) => ({ ...r, deleted: r.deleted !== 0 }));
}

/** Hold the next batch's end, unless one is held already: the batch held is the one sent. Returns the end held. */
function holdBatch(db: Db, guildId: string, postId: string, upTo: number): number {
  return db.transaction(() => {
    prepared(db, 'UPDATE post_threads SET batch_to = ? WHERE guild_id = ? AND post_id = ? AND batch_to IS NULL').run(
      upTo,
      guildId,
      postId,
    );
    return prepared<number>(db, 'SELECT batch_to FROM post_threads WHERE guild_id = ? AND post_id = ?')
      .pluck()
      .get(guildId, postId)!;
  })();
}

/** The held batch is done (sent, or nothing in it to send): mirrored up to its end. */
function batchDone(db: Db, guildId: string, postId: string, upTo: number, now: string): void {
  prepared(
    db,
    `UPDATE post_threads SET mirrored_to = max(mirrored_to, ?), batch_to = NULL, last_batch_at = ?
     WHERE guild_id = ? AND post_id = ?`,
  ).run(upTo, now, guildId, postId);
}

function stopThread(db: Db, guildId: string, postId: string, reason: string): void {
  prepared(db, 'UPDATE post_threads SET stopped = ?, batch_to = NULL WHERE guild_id = ? AND post_id = ?').run(
    reason,
    guildId,
    postId,
  );
}

export interface PostThreadRepository {
  /** Queue a comment just stored by the sync (inside its transaction); once per comment. */
  queueComment(commentId: string, postId: string, now: string): void;
  /** Record a post's thread in a server (the first record stands). */
  open(thread: { guildId: string; postId: string; channelId: string; threadId: string }, now: string): void;
  get(guildId: string, postId: string): PostThread | null;
  /** A server's threads still mirrored whose post is dated `since` (YYYY-MM-DD) or later. */
  live(guildId: string, since: string): PostThread[];
  awaitingThread(
    guildId: string,
    since: string,
  ): { postId: string; channelId: string; messageId: string; title: string }[];
  nextBatchEnd(postId: string, after: number, max: number): number | null;
  queued(postId: string, after: number, upTo: number): QueuedComment[];
  holdBatch(guildId: string, postId: string, upTo: number): number;
  batchDone(guildId: string, postId: string, upTo: number, now: string): void;
  /** Mirroring this post here stops for good, with why. */
  stop(guildId: string, postId: string, reason: string): void;
}

export function postThreadRepository(db: Db): PostThreadRepository {
  return guarded(db, {
    queueComment: (commentId: string, postId: string, now: string) => queueComment(db, commentId, postId, now),
    open: (t: { guildId: string; postId: string; channelId: string; threadId: string }, now: string) =>
      openThread(db, t, now),
    get: (guildId: string, postId: string) => threadOf(db, guildId, postId),
    live: (guildId: string, since: string) => liveThreads(db, guildId, since),
    awaitingThread: (guildId: string, since: string) => awaitingThread(db, guildId, since),
    nextBatchEnd: (postId: string, after: number, max: number) => nextBatchEnd(db, postId, after, max),
    queued: (postId: string, after: number, upTo: number) => queuedBetween(db, postId, after, upTo),
    holdBatch: (guildId: string, postId: string, upTo: number) => holdBatch(db, guildId, postId, upTo),
    batchDone: (guildId: string, postId: string, upTo: number, now: string) =>
      batchDone(db, guildId, postId, upTo, now),
    stop: (guildId: string, postId: string, reason: string) => stopThread(db, guildId, postId, reason),
  });
}
