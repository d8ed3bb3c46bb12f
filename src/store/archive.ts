// Reads and writes of the archive: idempotent upserts of parsed posts (one
// transaction per post, so a failure never leaves half a post) and the
// queries search, on-this-day and stats need.
import type { Comment, ParsedPost, Passage, PassageKind, Post } from '../archive/model.js';
import { passagesOf } from '../archive/passages.js';
import { stableId } from '../archive/text.js';
import type { PassageDetail } from '../search/search.js';
import type { Db } from './db.js';

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
  return db.transaction(() => {
    const counts = emptyCounts();
    const { post, comments } = parsed;
    const postHash = hashPost(post);
    const existing = db.prepare('SELECT content_hash FROM posts WHERE id = ?').get(post.id) as { content_hash: string } | undefined;
    if (!existing) {
      db.prepare(
        `INSERT INTO posts (id, title, date, time, author, url, labels, text, source, content_hash, stored_at, updated_at)
         VALUES (@id, @title, @date, @time, @author, @url, @labels, @text, @source, @hash, @now, @now)`,
      ).run({ ...post, labels: JSON.stringify(post.labels), source, hash: postHash, now });
      counts.added++;
    } else if (existing.content_hash !== postHash) {
      db.prepare(
        `UPDATE posts SET title = @title, date = @date, time = @time, author = @author, url = @url, labels = @labels,
         text = @text, source = @source, content_hash = @hash, updated_at = @now WHERE id = @id`,
      ).run({ ...post, labels: JSON.stringify(post.labels), source, hash: postHash, now });
      counts.updated++;
    } else {
      counts.skipped++;
    }

    const nextOrd = (db.prepare('SELECT coalesce(max(ord) + 1, 0) AS n FROM comments WHERE post_id = ?').get(post.id) as { n: number }).n;
    const find = db.prepare('SELECT content_hash, ord FROM comments WHERE id = ?');
    const insert = db.prepare(
      `INSERT INTO comments (id, post_id, parent_id, ord, author, date, time, text, permalink, deleted, content_hash, stored_at)
       VALUES (@id, @postId, @parentId, @ord, @author, @date, @time, @text, @permalink, @deleted, @hash, @now)`,
    );
    const update = db.prepare(
      `UPDATE comments SET parent_id = @parentId, author = @author, date = @date, time = @time, text = @text,
       permalink = @permalink, deleted = @deleted, content_hash = @hash WHERE id = @id`,
    );
    let ord = nextOrd;
    for (const comment of comments) {
      const hash = hashComment(comment);
      const row = find.get(comment.id) as { content_hash: string } | undefined;
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
      bumpGeneration(db);
    }
    return counts;
  })();
}

/** Bump when `passagesOf` cuts differently: stored passages are re-cut on the next open. */
export const PASSAGE_FORMAT_VERSION = 2;

/** Re-cut every post's passages when they were cut by another version of `passagesOf`. */
export function ensurePassagesCurrent(db: Db): boolean {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'passage_format'").get() as { value: string } | undefined;
  if (row && Number(row.value) === PASSAGE_FORMAT_VERSION) return false;
  db.transaction(() => {
    for (const { id } of db.prepare('SELECT id FROM posts').all() as { id: string }[]) rebuildPassages(db, id);
    db.prepare("INSERT INTO meta (key, value) VALUES ('passage_format', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .run(String(PASSAGE_FORMAT_VERSION));
    bumpGeneration(db);
  })();
  return true;
}

/** Re-cut a post's passages from what is stored for it (post text and every stored comment). */
function rebuildPassages(db: Db, postId: string): void {
  const post = readPost(db, postId);
  if (!post) return;
  const comments = db.prepare('SELECT * FROM comments WHERE post_id = ? ORDER BY ord').all(postId) as CommentRow[];
  db.prepare('DELETE FROM passages WHERE post_id = ?').run(postId);
  const insert = db.prepare(
    'INSERT INTO passages (post_id, comment_id, kind, ord, author, text) VALUES (@postId, @commentId, @kind, @ord, @author, @text)',
  );
  for (const passage of passagesOf(post, comments.map(commentFromRow))) insert.run(passage);
}

function hashPost(post: Post): string {
  return stableId('', post.title, post.date ?? '', post.time ?? '', post.author ?? '', post.url ?? '', post.labels.join('\n'), post.text);
}

function hashComment(c: Comment): string {
  return stableId('', c.parentId ?? '', c.author ?? '', c.date ?? '', c.time ?? '', c.text, c.permalink ?? '', String(c.deleted));
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
  const row = db.prepare('SELECT id, title, date, time, author, url, labels, text FROM posts WHERE id = ?').get(id) as PostRow | undefined;
  return row ? postFromRow(row) : null;
}

export function readComments(db: Db, postId: string): Comment[] {
  return (db.prepare('SELECT * FROM comments WHERE post_id = ? ORDER BY ord').all(postId) as CommentRow[]).map(commentFromRow);
}

/** Counter bumped by every ingest that changed something: the index records the one it was built from. */
function bumpGeneration(db: Db): void {
  db.prepare("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'").run();
}

/** The generation the store is at. */
export function generation(db: Db): number {
  return Number((db.prepare("SELECT value FROM meta WHERE key = 'generation'").get() as { value: string }).value);
}

export interface ArchiveStats {
  posts: number;
  comments: number;
  passages: number;
  undatedPosts: number;
  firstDate: string | null;
  lastDate: string | null;
}

export function archiveStats(db: Db): ArchiveStats {
  const posts = db.prepare(
    'SELECT count(*) AS posts, sum(date IS NULL) AS undated, min(date) AS firstDate, max(date) AS lastDate FROM posts',
  ).get() as { posts: number; undated: number | null; firstDate: string | null; lastDate: string | null };
  const comments = (db.prepare('SELECT count(*) AS n FROM comments WHERE deleted = 0').get() as { n: number }).n;
  const passages = (db.prepare('SELECT count(*) AS n FROM passages').get() as { n: number }).n;
  return {
    posts: posts.posts,
    comments,
    passages,
    undatedPosts: posts.undated ?? 0,
    firstDate: posts.firstDate,
    lastDate: posts.lastDate,
  };
}

/** A passage as the index needs it: its row id, the post it belongs to, and the words to index. */
export interface IndexablePassage {
  id: number;
  postId: string;
  kind: PassageKind;
  title: string;
  author: string | null;
  text: string;
}

/** Every passage, streamed from disk so the whole archive never sits in memory as rows. */
export function* indexablePassages(db: Db): Generator<IndexablePassage> {
  const rows = db.prepare(
    `SELECT p.id, p.post_id AS postId, p.kind, posts.title, p.author, p.text
     FROM passages p JOIN posts ON posts.id = p.post_id ORDER BY p.id`,
  );
  yield* rows.iterate() as IterableIterator<IndexablePassage>;
}

export function passageDetails(db: Db, ids: readonly number[]): Map<number, PassageDetail> {
  const out = new Map<number, PassageDetail>();
  if (ids.length === 0) return out;
  const rows = db.prepare(
    `SELECT p.id, p.kind, p.text, p.author, posts.id AS postId, posts.title, posts.date AS postDate, posts.url,
            posts.author AS postAuthor, c.id AS commentId, c.date AS commentDate, c.time AS commentTime, c.permalink
     FROM passages p JOIN posts ON posts.id = p.post_id LEFT JOIN comments c ON c.id = p.comment_id
     WHERE p.id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(ids)) as {
    id: number; kind: PassageKind; text: string; author: string | null; postId: string; title: string;
    postDate: string | null; url: string | null; postAuthor: string | null; commentId: string | null;
    commentDate: string | null; commentTime: string | null; permalink: string | null;
  }[];
  for (const r of rows) {
    out.set(r.id, {
      id: r.id,
      kind: r.kind,
      text: r.text,
      author: r.author,
      post: { id: r.postId, title: r.title, date: r.postDate, url: r.url, author: r.postAuthor },
      comment: r.commentId ? { id: r.commentId, date: r.commentDate, time: r.commentTime, permalink: r.permalink } : null,
    });
  }
  return out;
}

/** Posts whose date falls on a month-day (`MM-DD`), newest first, each with its opening passage. */
export function postsOnDay(db: Db, monthDay: string): { post: Post; opening: Passage | null }[] {
  const rows = db.prepare(
    "SELECT id, title, date, time, author, url, labels, text FROM posts WHERE substr(date, 6, 5) = ? ORDER BY date DESC, coalesce(time, '') DESC",
  ).all(monthDay) as PostRow[];
  const opening = db.prepare(
    "SELECT post_id AS postId, comment_id AS commentId, kind, ord, author, text FROM passages WHERE post_id = ? AND kind != 'comment' ORDER BY ord LIMIT 1",
  );
  return rows.map((row) => ({ post: postFromRow(row), opening: (opening.get(row.id) as Passage | undefined) ?? null }));
}

/** The month-days (`MM-DD`) that have at least one post. */
export function daysWithPosts(db: Db): string[] {
  return (db.prepare('SELECT DISTINCT substr(date, 6, 5) AS day FROM posts WHERE date IS NOT NULL ORDER BY day').all() as { day: string }[])
    .map((r) => r.day);
}
