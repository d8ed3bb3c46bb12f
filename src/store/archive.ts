// Reads and writes of the archive: idempotent upserts of parsed posts (one
// transaction per post, so a failure never leaves half a post) and the
// queries search, on-this-day and stats need.
import { randomUUID } from 'node:crypto';
import type { Comment, ParsedPost, Passage, PassageKind, Post } from '../archive/model.js';
import { passagesOf } from '../archive/passages.js';
import { inDateOrder } from '../archive/threads.js';
import { titleKey } from '../archive/text.js';
import type { PostContent } from '../search/archiveIndex.js';
import type { PassageInput } from '../search/segment.js';
import type { PassageDetail } from '../search/search.js';
import type { Db } from './db.js';
import { queueComment } from './postThreads.js';
import { addAnnouncement } from './deliveries.js';
import { recordPetitionLink } from './petitionLinks.js';
import { GONE_HASH, hashComment, hashPost } from './contentHash.js';
import { asStorageError, guarded, prepared, relaxedSync } from './statements.js';
import { describeStorageFault } from './storageErrors.js';

export interface IngestCounts {
  added: number;
  updated: number;
  skipped: number;
}

export function emptyCounts(): IngestCounts {
  return { added: 0, updated: 0, skipped: 0 };
}

export function addCounts(into: IngestCounts, more: IngestCounts): void {
  into.added += more.added;
  into.updated += more.updated;
  into.skipped += more.skipped;
}

/**
 * Store one post with its comments and passages. Same content again changes
 * nothing; changed content updates in place; comments missing from this
 * source are kept (sources overlap, they do not replace each other).
 */
export function storeParsedPost(db: Db, parsed: ParsedPost, source: string, now: string): IngestCounts {
  return asStorageError(db, () =>
    db.transaction(() => {
      const counts = emptyCounts();
      const { post, comments } = parsed;
      const postHash = hashPost(post);
      const existing = prepared<{ content_hash: string }>(db, 'SELECT content_hash FROM posts WHERE id = ?').get(
        post.id,
      );
      const twin = existing ? null : twinOf(db, post);
      if (twin && isPageCopy(post.id)) {
        // The blog's own copy is already here, with its permalinks: the page copy adds nothing.
        counts.skipped += 1 + comments.length;
        return counts;
      }
      if (twin) removePost(db, twin);
      if (!existing) {
        prepared(
          db,
          `INSERT INTO posts (id, title, date, time, author, url, labels, text, source, content_hash, stored_at, updated_at)
         VALUES (@id, @title, @date, @time, @author, @url, @labels, @text, @source, @hash, @now, @now)`,
        ).run({ ...post, labels: JSON.stringify(post.labels), source, hash: postHash, now });
        counts[twin ? 'updated' : 'added']++;
      } else if (existing.content_hash !== postHash) {
        prepared(
          db,
          `UPDATE posts SET title = @title, date = @date, time = @time, author = @author, url = @url, labels = @labels,
         text = @text, source = @source, content_hash = @hash, updated_at = @now WHERE id = @id`,
        ).run({ ...post, labels: JSON.stringify(post.labels), source, hash: postHash, now });
        counts.updated++;
      } else {
        counts.skipped++;
      }

      const nextOrd = prepared<{ n: number }>(
        db,
        'SELECT coalesce(max(ord) + 1, 0) AS n FROM comments WHERE post_id = ?',
      ).get(post.id)!.n;
      const find = prepared<{ content_hash: string }>(db, 'SELECT content_hash, ord FROM comments WHERE id = ?');
      const insert = prepared(
        db,
        `INSERT INTO comments (id, post_id, parent_id, ord, author, date, time, text, permalink, deleted, content_hash, stored_at)
       VALUES (@id, @postId, @parentId, @ord, @author, @date, @time, @text, @permalink, @deleted, @hash, @now)`,
      );
      const update = prepared(
        db,
        `UPDATE comments SET parent_id = @parentId, author = @author, date = @date, time = @time, text = @text,
       permalink = @permalink, deleted = @deleted, content_hash = @hash WHERE id = @id`,
      );
      let ord = nextOrd;
      for (const comment of comments) {
        const hash = hashComment(comment);
        const row = find.get(comment.id);
        const values = { ...comment, deleted: comment.deleted ? 1 : 0, hash, now };
        if (!row) {
          insert.run({ ...values, ord: ord++ });
          counts.added++;
        } else if (row.content_hash !== hash) {
          update.run(values);
          counts.updated++;
        } else {
          counts.skipped++;
        }
      }

      if (counts.added > 0 || counts.updated > 0) {
        rebuildPassages(db, post.id);
      }
      return counts;
    })(),
  );
}

// ── One post, whatever its sources ───────────────────────────────────────────
// A page copy (text dump) has no Blogger id, so the same post read from an
// export or the live feeds would be stored twice. Two copies are one post when
// they fall on the same day under the same title (case, punctuation and
// spacing aside); the blog's own copy is kept, with its permalinks.

/** Ids the text-dump parser makes (the page copy carries none of its own). */
function isPageCopy(postId: string): boolean {
  return postId.startsWith('txt-');
}

/** The stored copy of `post` from the other kind of source, when there is one. */
function twinOf(db: Db, post: Post): string | null {
  if (!post.date) return null;
  const key = titleKey(post.title);
  const sameDay = prepared<{ id: string; title: string }>(db, 'SELECT id, title FROM posts WHERE date = ?').all(
    post.date,
  );
  const twin = sameDay.find(
    (row) => row.id !== post.id && isPageCopy(row.id) !== isPageCopy(post.id) && titleKey(row.title) === key,
  );
  return twin?.id ?? null;
}

/** A post gone with its comments and passages (the index journal notes it, by trigger). */
function removePost(db: Db, postId: string): void {
  prepared(db, 'DELETE FROM posts WHERE id = ?').run(postId);
}

/** Bump when `passagesOf` cuts differently: stored passages are re-cut on the next open. */
export const PASSAGE_FORMAT_VERSION = 4;

/**
 * Re-cut every post's passages when they were cut by another version of
 * `passagesOf` (told first through `onRecutting`: seconds at full size), or
 * else those of posts an interrupted ingest left stale.
 */
export function ensurePassagesCurrent(db: Db, onRecutting?: () => void): boolean {
  return asStorageError(db, () => passagesCurrent(db, onRecutting));
}

function passagesCurrent(db: Db, onRecutting?: () => void): boolean {
  const row = prepared<{ value: string }>(db, "SELECT value FROM meta WHERE key = 'passage_format'").get();
  if (row && Number(row.value) === PASSAGE_FORMAT_VERSION) return recutStalePassages(db) > 0;
  if (onRecutting && prepared(db, 'SELECT 1 FROM posts LIMIT 1').get() !== undefined) onRecutting();
  db.transaction(() => {
    for (const { id } of prepared<{ id: string }>(db, 'SELECT id FROM posts').all()) rebuildPassages(db, id);
    prepared(db, 'UPDATE posts SET passages_stale = 0 WHERE passages_stale = 1').run();
    prepared(
      db,
      "INSERT INTO meta (key, value) VALUES ('passage_format', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    ).run(String(PASSAGE_FORMAT_VERSION));
  })();
  return true;
}

/**
 * Re-cut a post's passages from what is stored for it (post text and every
 * stored comment). Passages that come out the same keep their row (and id),
 * so the index journal records only what really changed.
 */
export function rebuildPassages(db: Db, postId: string): void {
  const post = readPost(db, postId);
  if (!post) return;
  const comments = prepared<CommentRow>(db, 'SELECT * FROM comments WHERE post_id = ? ORDER BY ord').all(postId);
  const existing = prepared<{
    id: number;
    commentId: string | null;
    kind: PassageKind;
    ord: number;
    author: string | null;
    text: string;
  }>(db, 'SELECT id, comment_id AS commentId, kind, ord, author, text FROM passages WHERE post_id = ?').all(postId);
  const key = (p: { commentId: string | null; kind: PassageKind; author: string | null; text: string }) =>
    `${p.kind}\u0000${p.commentId ?? ''}\u0000${p.author ?? ''}\u0000${p.text}`;
  const unclaimed = new Map<string, (typeof existing)[number][]>();
  for (const row of existing) {
    const list = unclaimed.get(key(row));
    if (list) list.push(row);
    else unclaimed.set(key(row), [row]);
  }
  const reorder = prepared(db, 'UPDATE passages SET ord = ? WHERE id = ?');
  const insert = prepared(
    db,
    'INSERT INTO passages (post_id, comment_id, kind, ord, author, text) VALUES (@postId, @commentId, @kind, @ord, @author, @text)',
  );
  const fresh: Passage[] = [];
  for (const passage of passagesOf(post, comments.map(commentFromRow))) {
    const same = unclaimed.get(key(passage))?.shift();
    if (!same) fresh.push(passage);
    else if (same.ord !== passage.ord) reorder.run(passage.ord, same.id);
  }
  const remove = prepared(db, 'DELETE FROM passages WHERE id = ?');
  for (const rows of unclaimed.values()) for (const row of rows) remove.run(row.id);
  for (const passage of fresh) insert.run(passage);
}

/** A posts row: the Post with its labels as stored (JSON text). */
type PostRow = Omit<Post, 'labels'> & { labels: string };

interface CommentRow {
  id: string;
  post_id: string;
  parent_id: string | null;
  author: string | null;
  date: string | null;
  time: string | null;
  text: string;
  permalink: string | null;
  deleted: number;
}

function postFromRow(row: PostRow): Post {
  return { ...row, labels: JSON.parse(row.labels) as string[] };
}

function commentFromRow(row: CommentRow): Comment {
  return {
    id: row.id,
    postId: row.post_id,
    parentId: row.parent_id,
    author: row.author,
    date: row.date,
    time: row.time,
    text: row.text,
    permalink: row.permalink,
    deleted: row.deleted === 1,
  };
}

export function readPost(db: Db, id: string): Post | null {
  const row = prepared<PostRow>(
    db,
    'SELECT id, title, date, time, author, url, labels, text FROM posts WHERE id = ?',
  ).get(id);
  return row ? postFromRow(row) : null;
}

export function readComments(db: Db, postId: string): Comment[] {
  return prepared<CommentRow>(db, 'SELECT * FROM comments WHERE post_id = ? ORDER BY ord')
    .all(postId)
    .map(commentFromRow);
}

/**
 * How far the index journal has come: every change to a post's indexed
 * content (its passages, its title) adds an entry, in the same transaction.
 */
export function journalPosition(db: Db): number {
  const row = prepared<{ seq: number }>(db, "SELECT seq FROM sqlite_sequence WHERE name = 'index_journal'").get();
  return row?.seq ?? 0;
}

/** The posts whose indexed content changed after journal position `since`, and the position read up to. */
export function postsChangedSince(db: Db, since: number): { upTo: number; postIds: string[] } {
  return db.transaction(() => {
    const upTo = journalPosition(db);
    const postIds = prepared<{ id: string }>(
      db,
      'SELECT DISTINCT post_id AS id FROM index_journal WHERE seq > ? AND seq <= ?',
    )
      .all(since, upTo)
      .map((r) => r.id);
    return { upTo, postIds };
  })();
}

/** Forget journal entries an index saved to disk already covers; an index older than that must be rebuilt. */
export function trimJournal(db: Db, upTo: number): void {
  db.transaction(() => {
    prepared(db, 'DELETE FROM index_journal WHERE seq <= ?').run(upTo);
    prepared(
      db,
      "INSERT INTO meta (key, value) VALUES ('journal_trimmed_to', ?) ON CONFLICT(key) DO UPDATE SET value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))",
    ).run(upTo);
  })();
}

/** Journal entries up to here are gone: an index at an earlier position cannot catch up. */
export function journalTrimmedTo(db: Db): number {
  const row = prepared<{ value: string }>(db, "SELECT value FROM meta WHERE key = 'journal_trimmed_to'").get();
  return row ? Number(row.value) : 0;
}

export interface ArchiveStats {
  posts: number;
  comments: number;
  passages: number;
  undatedPosts: number;
  firstDate: string | null;
  lastDate: string | null;
  /** Comments the blog itself removed ("This comment has been removed"): kept as thread shape, never shown. */
  removedComments: number;
  /** Posts and comments the blog deleted since they were archived (found by reconciliation): not counted above. */
  deletedPosts: number;
  deletedComments: number;
}

/**
 * The posts in the archive (less those the blog deleted), read from the posts' date index alone: cheap at any size,
 * for a start that only needs to know whether the archive is empty. Counting comments and passages reads indexes of
 * 150,000 rows (~75 ms from a cold cache), which stats() does.
 */
export function archivePostCount(db: Db): number {
  const posts = prepared<{ n: number }>(db, 'SELECT count(*) AS n FROM posts').get()!.n;
  const deleted = prepared<{ n: number }>(
    db,
    "SELECT count(*) AS n FROM blog_deletions WHERE restored_at IS NULL AND kind = 'post'",
  ).get()!.n;
  return posts - deleted;
}

export function archiveStats(db: Db): ArchiveStats {
  const posts = prepared<{ undated: number | null; firstDate: string | null; lastDate: string | null }>(
    db,
    'SELECT sum(date IS NULL) AS undated, min(date) AS firstDate, max(date) AS lastDate FROM posts',
  ).get()!;
  // Both counted from indexes, never from the rows: all comments, less those removed (a partial index).
  const all = prepared<{ n: number }>(db, 'SELECT count(*) AS n FROM comments').get()!.n;
  const removed = prepared<{ n: number }>(db, 'SELECT count(*) AS n FROM comments WHERE deleted = 1').get()!.n;
  const comments = all - removed;
  const passages = prepared<{ n: number }>(db, 'SELECT count(*) AS n FROM passages').get()!.n;
  // A deleted comment is stored as removed (deleted = 1) too: counted once, as deleted.
  const deleted = prepared<{ kind: 'post' | 'comment'; n: number }>(
    db,
    'SELECT kind, count(*) AS n FROM blog_deletions WHERE restored_at IS NULL GROUP BY kind',
  ).all();
  const deletedPosts = deleted.find((d) => d.kind === 'post')?.n ?? 0;
  const deletedComments = deleted.find((d) => d.kind === 'comment')?.n ?? 0;
  return {
    posts: archivePostCount(db),
    comments,
    passages,
    undatedPosts: posts.undated ?? 0,
    firstDate: posts.firstDate,
    lastDate: posts.lastDate,
    removedComments: removed - deletedComments,
    deletedPosts,
    deletedComments,
  };
}

/** A passage as the index takes it, with its post. */
export interface IndexablePassage {
  id: number;
  postId: string;
  title: string;
  kind: PassageKind;
  author: string | null;
  text: string;
}

/** Every passage, grouped by post, streamed from disk so the whole archive never sits in memory as rows. */
export function* indexablePassages(db: Db): Generator<IndexablePassage> {
  const rows = prepared<IndexablePassage>(
    db,
    `SELECT p.id, p.post_id AS postId, posts.title, p.kind, p.author, p.text
     FROM passages p JOIN posts ON posts.id = p.post_id ORDER BY p.post_id, p.ord`,
  );
  yield* rows.iterate();
}

/** What the index needs of one post now: title and passage ids, the passages' content on request; null when the post is gone. */
export function indexablePost(db: Db, postId: string): PostContent | null {
  const post = prepared<{ title: string }>(db, 'SELECT title FROM posts WHERE id = ?').get(postId);
  if (!post) return null;
  const passageIds = prepared<number>(db, 'SELECT id FROM passages WHERE post_id = ? ORDER BY ord').pluck().all(postId);
  return {
    title: post.title,
    passageIds,
    load: (ids) =>
      prepared<PassageInput>(
        db,
        'SELECT id, kind, author, text FROM passages WHERE id IN (SELECT value FROM json_each(?)) ORDER BY ord',
      ).all(JSON.stringify(ids)),
  };
}

/** A random id given to the database on first use: an index built from another database is never used. */
export function storeId(db: Db): string {
  const row = prepared<{ value: string }>(db, "SELECT value FROM meta WHERE key = 'store_id'").get();
  if (row) return row.value;
  const id = randomUUID();
  try {
    prepared(db, "INSERT INTO meta (key, value) VALUES ('store_id', ?) ON CONFLICT(key) DO NOTHING").run(id);
  } catch (error) {
    // A store that cannot be written has no id to give: one for this call, which no saved index will match.
    if (describeStorageFault(error, db.name)) return id;
    throw error;
  }
  return prepared<{ value: string }>(db, "SELECT value FROM meta WHERE key = 'store_id'").get()!.value;
}

export function passageDetails(db: Db, ids: readonly number[]): Map<number, PassageDetail> {
  const out = new Map<number, PassageDetail>();
  if (ids.length === 0) return out;
  const rows = prepared<{
    id: number;
    kind: PassageKind;
    text: string;
    author: string | null;
    postId: string;
    title: string;
    postDate: string | null;
    url: string | null;
    postAuthor: string | null;
    commentId: string | null;
    commentDate: string | null;
    commentTime: string | null;
    permalink: string | null;
  }>(
    db,
    `SELECT p.id, p.kind, p.text, p.author, posts.id AS postId, posts.title, posts.date AS postDate, posts.url,
            posts.author AS postAuthor, c.id AS commentId, c.date AS commentDate, c.time AS commentTime, c.permalink
     FROM passages p JOIN posts ON posts.id = p.post_id LEFT JOIN comments c ON c.id = p.comment_id
     WHERE p.id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(ids));
  for (const r of rows) {
    out.set(r.id, {
      id: r.id,
      kind: r.kind,
      text: r.text,
      author: r.author,
      post: { id: r.postId, title: r.title, date: r.postDate, url: r.url, author: r.postAuthor },
      comment: r.commentId
        ? { id: r.commentId, date: r.commentDate, time: r.commentTime, permalink: r.permalink }
        : null,
    });
  }
  return out;
}

/** Posts whose date falls on a month-day (`MM-DD`), newest first, each with its opening passage. */
export function postsOnDay(db: Db, monthDay: string): { post: Post; opening: Passage | null }[] {
  const rows = prepared<PostRow>(
    db,
    "SELECT id, title, date, time, author, url, labels, text FROM posts WHERE substr(date, 6, 5) = ? ORDER BY date DESC, coalesce(time, '') DESC",
  ).all(monthDay);
  const opening = prepared<Passage>(
    db,
    "SELECT post_id AS postId, comment_id AS commentId, kind, ord, author, text FROM passages WHERE post_id = ? AND kind != 'comment' ORDER BY ord LIMIT 1",
  );
  return rows.map((row) => ({ post: postFromRow(row), opening: opening.get(row.id) ?? null }));
}

/** Posts dated from `from` (YYYY-MM-DD) up to, not including, `to`, oldest first, each with its opening passage. */
export function postsBetween(db: Db, from: string, to: string): { post: Post; opening: Passage | null }[] {
  const rows = prepared<PostRow>(
    db,
    "SELECT id, title, date, time, author, url, labels, text FROM posts WHERE date >= ? AND date < ? ORDER BY date, coalesce(time, ''), id",
  ).all(from, to);
  const opening = prepared<Passage>(
    db,
    "SELECT post_id AS postId, comment_id AS commentId, kind, ord, author, text FROM passages WHERE post_id = ? AND kind != 'comment' ORDER BY ord LIMIT 1",
  );
  return rows.map((row) => ({ post: postFromRow(row), opening: opening.get(row.id) ?? null }));
}

/**
 * Comments (not removed by the blog) dated from `from` up to, not including, `to`, each with its post. A comment
 * whose source gives it no date (a text dump's) counts on its post's date.
 */
export function commentsBetween(
  db: Db,
  from: string,
  to: string,
): { commentId: string; author: string | null; post: Post }[] {
  const rows = prepared<PostRow & { commentId: string; commentAuthor: string | null }>(
    db,
    `SELECT c.id AS commentId, c.author AS commentAuthor, p.id, p.title, p.date, p.time, p.author, p.url, p.labels, '' AS text
     FROM comments c JOIN posts p ON p.id = c.post_id
     WHERE c.deleted = 0 AND coalesce(c.date, p.date) >= ? AND coalesce(c.date, p.date) < ?
     ORDER BY c.post_id, c.ord`,
  ).all(from, to);
  return rows.map(({ commentId, commentAuthor, ...post }) => ({
    commentId,
    author: commentAuthor,
    post: postFromRow(post),
  }));
}

/** The month-days (`MM-DD`) that have at least one post (dated in `upToYear` or before, when given). */
export function daysWithPosts(db: Db, upToYear?: number): string[] {
  if (upToYear !== undefined) {
    // A range of the date index: the posts up to that year, their month-days read from the index alone.
    return prepared<string>(
      db,
      'SELECT DISTINCT substr(date, 6, 5) AS day FROM posts WHERE date IS NOT NULL AND date < ? ORDER BY day',
    )
      .pluck()
      .all(`${String(upToYear + 1).padStart(4, '0')}-`);
  }
  return prepared<string>(
    db,
    // Written on the indexed expression, so the index is read rather than every post.
    'SELECT DISTINCT substr(date, 6, 5) AS day FROM posts WHERE substr(date, 6, 5) IS NOT NULL ORDER BY substr(date, 6, 5)',
  )
    .pluck()
    .all();
}

// ── Streaming ingest ────────────────────────────────────────────────────────
// A Blogger export is read as a stream of posts and comments, each comment
// arriving long after its post. Rows are stored as they arrive, in batched
// transactions with statements prepared once; a post whose rows changed is
// flagged `passages_stale` in the same transaction, and its passages are
// re-cut (clearing the flag in the re-cut's own transaction) at the end. A
// crash in between leaves flags that `ensurePassagesCurrent` repairs on open.

/** One row a source offered, with the 1-based line where its entry starts. */
export type ArchiveItem =
  /** `summaryOnly`: the source gave only the start of the text, which never replaces a stored post's full text. */
  | { kind: 'post'; post: Post; line: number; summaryOnly?: boolean; html?: string }
  | { kind: 'comment'; comment: Comment; line: number };

export interface ArchiveStreamOptions {
  /** Names the source in `posts.source`. */
  source: string;
  now: () => string;
  /** Items per transaction. */
  batchSize?: number;
  /** An item that could not be stored (its batch is retried item by item, so the others are). */
  onError: (item: ArchiveItem, message: string) => void;
  /** Each item once its transaction has committed, with what happened to it. */
  onStored?: (item: ArchiveItem, outcome: keyof IngestCounts) => void;
  /** A new post's announcement, written in the transaction that stores the post; null or absent: none. */
  announce?: (post: Post) => { title: string; body: string; link: string | null } | null;
  /** What a new post or comment causes besides (members' watches matched), written in the transaction that adds it. */
  onAdded?: (item: ArchiveItem, now: string) => void;
  /**
   * The petitions a new post links to (from its text and, when the source gave it, its HTML), recorded (each
   * petition once) in the transaction that stores the post.
   */
  petitionLinks?: (post: Post, html: string | undefined) => readonly number[];
  /**
   * Queue each new comment (not one updated, nor one the blog removed) to be mirrored into its post's threads, in
   * the transaction that stores it: only the live sync after a blog's first, whose new comments are news.
   */
  queueComments?: boolean;
  /**
   * Write back posts and comments the blog had deleted (their hash is GONE_HASH): only the reconciliation, which
   * has just seen them on the blog again, does. Any other source (an old export, a sync) leaves them deleted.
   */
  restoreGone?: boolean;
}

export interface ArchiveStream {
  add(item: ArchiveItem): void;
  /**
   * Store what is still queued, then retry comments that came before their
   * post. Returns the comments whose post is not in the archive after all.
   */
  finish(): { comment: Comment; line: number }[];
  /** Counts of what committed so far: posts and comments added, updated, unchanged. */
  readonly counts: IngestCounts;
}

export function openArchiveStream(db: Db, options: ArchiveStreamOptions): ArchiveStream {
  const batchSize = options.batchSize ?? 500;
  const counts = emptyCounts();
  const statements = {
    postHash: prepared<string>(db, 'SELECT content_hash FROM posts WHERE id = ?').pluck(),
    insertPost: prepared(
      db,
      `INSERT INTO posts (id, title, date, time, author, url, labels, text, source, content_hash, stored_at, updated_at, passages_stale)
       VALUES (@id, @title, @date, @time, @author, @url, @labels, @text, @source, @hash, @now, @now, 1)`,
    ),
    updatePost: prepared(
      db,
      `UPDATE posts SET title = @title, date = @date, time = @time, author = @author, url = @url, labels = @labels,
       text = @text, source = @source, content_hash = @hash, updated_at = @now, passages_stale = 1 WHERE id = @id`,
    ),
    commentRow: prepared<string>(db, 'SELECT content_hash FROM comments WHERE id = ?').pluck(),
    nextOrd: prepared<number>(db, 'SELECT coalesce(max(ord) + 1, 0) FROM comments WHERE post_id = ?').pluck(),
    insertComment: prepared(
      db,
      `INSERT INTO comments (id, post_id, parent_id, ord, author, date, time, text, permalink, deleted, content_hash, stored_at)
       VALUES (@id, @postId, @parentId, @ord, @author, @date, @time, @text, @permalink, @deleted, @hash, @now)`,
    ),
    updateComment: prepared(
      db,
      `UPDATE comments SET parent_id = @parentId, author = @author, date = @date, time = @time, text = @text,
       permalink = @permalink, deleted = @deleted, content_hash = @hash WHERE id = @id`,
    ),
    markStale: prepared(db, 'UPDATE posts SET passages_stale = 1 WHERE id = ? AND passages_stale = 0'),
  };

  type Outcome = keyof IngestCounts | 'no-post';
  const store = (item: ArchiveItem, now: string): Outcome => {
    if (item.kind === 'post') {
      const { post } = item;
      const hash = hashPost(post);
      const existing = statements.postHash.get(post.id);
      const gone = existing === GONE_HASH;
      if (gone && !options.restoreGone) return 'skipped';
      if (existing === hash || (existing !== undefined && item.summaryOnly && !gone)) return 'skipped';
      const twin = existing === undefined ? twinOf(db, post) : null;
      if (twin && isPageCopy(post.id)) return 'skipped';
      if (twin) removePost(db, twin);
      const values = { ...post, labels: JSON.stringify(post.labels), source: options.source, hash, now };
      (existing === undefined ? statements.insertPost : statements.updatePost).run(values);
      // The same post in its blog form (a page copy of it was stored first) is not news.
      if (existing !== undefined || twin) return 'updated';
      // What the new post causes is written with it: both stored, or neither.
      const announcement = options.announce?.(post);
      if (announcement) addAnnouncement(db, { kind: 'posts', key: post.id, ...announcement }, now);
      options.onAdded?.(item, now);
      for (const petitionId of options.petitionLinks?.(post, item.html) ?? [])
        recordPetitionLink(db, petitionId, post, now);
      return 'added';
    }
    const { comment } = item;
    if (statements.postHash.get(comment.postId) === undefined) return 'no-post';
    const hash = hashComment(comment);
    const existing = statements.commentRow.get(comment.id);
    if (existing === hash || (existing === GONE_HASH && !options.restoreGone)) return 'skipped';
    const values = { ...comment, deleted: comment.deleted ? 1 : 0, hash, now };
    if (existing === undefined) {
      statements.insertComment.run({ ...values, ord: statements.nextOrd.get(comment.postId)! });
      // What the new comment causes is written with it, as a new post's announcement is.
      if (options.queueComments && !comment.deleted) queueComment(db, comment.id, comment.postId, now);
    } else statements.updateComment.run(values);
    statements.markStale.run(comment.postId);
    if (existing === undefined) options.onAdded?.(item, now);
    return existing === undefined ? 'added' : 'updated';
  };

  let queue: ArchiveItem[] = [];
  let waiting: { comment: Comment; line: number }[] = [];
  /** Set when the disk failed (full, read-only): every later row would fail the same way, so the stream stops. */
  let failed: Error | null = null;
  const stop = (error: unknown): void => {
    const fault = describeStorageFault(error, db.name);
    if (!fault) return;
    failed = fault;
    throw fault;
  };
  /** Store items in one transaction; counts and orphans are taken only once it has committed. */
  const commit = (items: ArchiveItem[]): void => {
    const now = options.now();
    const outcomes = relaxedSync(db, () => db.transaction(() => items.map((item) => store(item, now)))());
    outcomes.forEach((outcome, i) => {
      const item = items[i]!;
      if (outcome !== 'no-post') {
        counts[outcome]++;
        options.onStored?.(item, outcome);
      } else if (item.kind === 'comment') waiting.push({ comment: item.comment, line: item.line });
    });
  };
  const flush = (): void => {
    const items = queue;
    queue = [];
    if (items.length === 0) return;
    try {
      commit(items);
    } catch (error) {
      stop(error);
      // Something in the batch failed and it rolled back whole: store the rest one by one.
      for (const item of items) {
        try {
          commit([item]);
        } catch (error) {
          stop(error);
          options.onError(item, error instanceof Error ? error.message : String(error));
        }
      }
    }
  };

  return {
    counts,
    add(item) {
      if (failed) throw failed;
      queue.push(item);
      if (queue.length >= batchSize) flush();
    },
    finish() {
      // The failure was thrown to whoever added the batch; what it held was rolled back, the rest is kept.
      if (failed) return [];
      flush();
      const retry = waiting;
      waiting = [];
      for (let i = 0; i < retry.length; i += batchSize) {
        queue = retry.slice(i, i + batchSize).map(({ comment, line }) => ({ kind: 'comment', comment, line }));
        flush();
      }
      const orphans = waiting;
      waiting = [];
      return orphans;
    },
  };
}

/** Posts whose stored rows changed since their passages were last cut. */
export function stalePostCount(db: Db): number {
  return prepared<number>(db, 'SELECT count(*) FROM posts WHERE passages_stale = 1').pluck().get()!;
}

/**
 * Re-cut the passages of every post flagged stale, a batch of posts per
 * transaction, each clearing its flags in the same transaction. Returns how
 * many posts were re-cut.
 */
export function recutStalePassages(
  db: Db,
  options: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
): number {
  return asStorageError(db, () => recutStale(db, options));
}

function recutStale(
  db: Db,
  options: { batchSize?: number; onProgress?: (done: number, total: number) => void },
): number {
  const batchSize = options.batchSize ?? 200;
  const total = stalePostCount(db);
  if (total === 0) return 0;
  const next = prepared<string>(db, 'SELECT id FROM posts WHERE passages_stale = 1 LIMIT ?').pluck();
  const clear = prepared(db, 'UPDATE posts SET passages_stale = 0 WHERE id = ?');
  const recut = db.transaction((ids: string[]) => {
    for (const id of ids) {
      orderThread(db, id);
      rebuildPassages(db, id);
      clear.run(id);
    }
  });
  let done = 0;
  for (let ids = next.all(batchSize); ids.length > 0; ids = next.all(batchSize)) {
    relaxedSync(db, () => recut(ids));
    done += ids.length;
    options.onProgress?.(Math.min(done, total), total);
  }
  return done;
}

/**
 * A post's comments numbered in thread order, by date and time, whatever order they arrived in (a comments feed
 * sends the newest first, and a comment held for moderation arrives after later ones). Only when every comment is
 * dated: a thread with undated comments keeps the order its source gave. Equal times keep their arrival order.
 */
function orderThread(db: Db, postId: string): void {
  const rows = prepared<{ id: string; date: string | null; time: string | null; ord: number }>(
    db,
    'SELECT id, date, time, ord FROM comments WHERE post_id = ? ORDER BY ord',
  ).all(postId);
  const sorted = inDateOrder(rows);
  const renumber = prepared(db, 'UPDATE comments SET ord = ? WHERE id = ?');
  sorted.forEach((row, i) => {
    if (row.ord !== rows[i]!.ord) renumber.run(rows[i]!.ord, row.id);
  });
}

/** Whether a comment's passage is one piece of a longer comment: pieces before it, pieces after it. */
export function commentPieces(db: Db, passageId: number): { before: boolean; after: boolean } {
  const row = prepared<{ before: number; after: number }>(
    db,
    `SELECT
       EXISTS(SELECT 1 FROM passages q WHERE q.post_id = p.post_id AND q.comment_id = p.comment_id AND q.ord < p.ord) AS before,
       EXISTS(SELECT 1 FROM passages q WHERE q.post_id = p.post_id AND q.comment_id = p.comment_id AND q.ord > p.ord) AS after
     FROM passages p WHERE p.id = ? AND p.comment_id IS NOT NULL`,
  ).get(passageId);
  return { before: row?.before === 1, after: row?.after === 1 };
}

/** The post a comment is on; null when no comment has that id. */
export function postOfComment(db: Db, commentId: string): string | null {
  return prepared<string>(db, 'SELECT post_id FROM comments WHERE id = ?').pluck().get(commentId) ?? null;
}

/** A post picked by its title as a member types it. */
export interface TitledPost {
  id: string;
  title: string;
  date: string | null;
  comments: number;
}

/**
 * Posts with comments whose title holds every typed word (any case), newest first: what /thread suggests. A scan
 * of titles, a few milliseconds for the whole archive.
 */
export function postsTitled(db: Db, words: readonly string[], limit: number): TitledPost[] {
  const like = words.map(() => "p.title LIKE ? ESCAPE '\\'").join(' AND ') || '1';
  return prepared<TitledPost>(
    db,
    `SELECT p.id, p.title, p.date, (SELECT count(*) FROM comments c WHERE c.post_id = p.id) AS comments
     FROM posts p WHERE ${like} AND EXISTS(SELECT 1 FROM comments c WHERE c.post_id = p.id)
     ORDER BY p.date IS NULL, p.date DESC, p.id LIMIT ?`,
  ).all(...words.map((w) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`), limit);
}

export interface ArchiveRepository {
  storePost(parsed: ParsedPost, source: string, now: string): IngestCounts;
  openStream(options: ArchiveStreamOptions): ArchiveStream;
  recutStale(options?: { batchSize?: number; onProgress?: (done: number, total: number) => void }): number;
  stalePostCount(): number;
  /** `onRecutting` is told before every stored post is cut again under changed rules. */
  ensurePassagesCurrent(onRecutting?: () => void): boolean;
  readPost(id: string): Post | null;
  readComments(postId: string): Comment[];
  postOfComment(commentId: string): string | null;
  postsTitled(words: readonly string[], limit: number): TitledPost[];
  stats(): ArchiveStats;
  /** stats().posts, without counting anything else. */
  postCount(): number;
  /** Moves on whenever a passage or a post's title changes, in any process: what is worth recounting. */
  changeMark(): number;
  passageDetails(ids: readonly number[]): Map<number, PassageDetail>;
  commentPieces(passageId: number): { before: boolean; after: boolean };
  postsOnDay(monthDay: string): { post: Post; opening: Passage | null }[];
  /** Month-days with a post, of posts dated in `upToYear` or before when given. */
  daysWithPosts(upToYear?: number): string[];
  /** Posts dated in [from, to) (YYYY-MM-DD), oldest first, with their openings. */
  postsBetween(from: string, to: string): { post: Post; opening: Passage | null }[];
  /** Comments dated in [from, to), each with its post (an undated comment counts on its post's date). */
  commentsBetween(from: string, to: string): { commentId: string; author: string | null; post: Post }[];
}

/** The archive's posts, comments and passages; statements prepared once per connection, storage faults in one line. */
export function archiveRepository(db: Db): ArchiveRepository {
  return guarded(db, {
    storePost: (parsed: ParsedPost, source: string, now: string) => storeParsedPost(db, parsed, source, now),
    openStream: (options: ArchiveStreamOptions) => openArchiveStream(db, options),
    recutStale: (options?: { batchSize?: number; onProgress?: (done: number, total: number) => void }) =>
      recutStalePassages(db, options),
    stalePostCount: () => stalePostCount(db),
    ensurePassagesCurrent: (onRecutting) => ensurePassagesCurrent(db, onRecutting),
    readPost: (id: string) => readPost(db, id),
    readComments: (postId: string) => readComments(db, postId),
    postOfComment: (commentId: string) => postOfComment(db, commentId),
    postsTitled: (words: readonly string[], limit: number) => postsTitled(db, words, limit),
    stats: () => archiveStats(db),
    postCount: () => archivePostCount(db),
    changeMark: () => journalPosition(db),
    passageDetails: (ids: readonly number[]) => passageDetails(db, ids),
    commentPieces: (passageId: number) => commentPieces(db, passageId),
    postsOnDay: (monthDay: string) => postsOnDay(db, monthDay),
    daysWithPosts: (upToYear?: number) => daysWithPosts(db, upToYear),
    postsBetween: (from: string, to: string) => postsBetween(db, from, to),
    commentsBetween: (from: string, to: string) => commentsBetween(db, from, to),
  });
}
