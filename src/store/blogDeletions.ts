// Posts and comments the blog has deleted since they were archived, as the
// reconciliation with its feeds finds them: each kept as thread shape (its row,
// parent, order and date) with its text cleared and its passages re-cut away,
// recorded in `blog_deletions` (hidden like a takedown, in every process at
// once), and written back when the blog has it again.
import { normalBlogUrl } from '../archive/links.js';
import { rebuildPassages } from './archive.js';
import { GONE_HASH } from './contentHash.js';
import type { Db } from './db.js';
import { guarded, prepared, relaxedSync } from './statements.js';

export interface BlogItems {
  posts: string[];
  comments: string[];
}

/** When a blog was last reconciled and how it went, so a restart does not read the whole blog again early. */
export interface ReconcileRecord {
  lastAttempt: string | null;
  lastSuccess: string | null;
  lastError: string | null;
}

export interface BlogDeletionRepository {
  /**
   * The blog's posts and comments the archive holds as present (not deleted, not removed on the blog), stored
   * before `before`: what the blog's feeds are compared with. Page copies (text dumps) and other blogs' posts are
   * not the blog's: their ids are not in its feeds.
   */
  present(blog: string, before: string): BlogItems;
  /** What is recorded as deleted from this blog and not restored. */
  deleted(blog: string): BlogItems;
  /** Clear the text of these and record them deleted, in batches; returns how many were marked. */
  markDeleted(blog: string, items: BlogItems, now: string): { posts: number; comments: number };
  /** The blog has these again (their text already written back): shown again. Returns how many were restored. */
  restore(blog: string, items: BlogItems, now: string): { posts: number; comments: number };
  /** Deletions in force, by kind. */
  counts(): { posts: number; comments: number };
  record(blog: string): ReconcileRecord;
  saveRecord(blog: string, record: ReconcileRecord): void;
}

const BATCH = 500;

function likePrefix(origin: string): string {
  return `${origin.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`;
}

/** The blog's own posts: by the source that stored them, or by their address on the blog's host (an export of it). */
function blogPosts(blog: string): { where: string; params: Record<string, string> } {
  const home = normalBlogUrl(blog);
  let host = home;
  try {
    host = new URL(home).host;
  } catch {
    // Not an address: matched by source alone (LIKE patterns that match nothing real).
  }
  return {
    where: `p.id NOT LIKE 'txt-%' AND (p.source = @blog OR p.url LIKE @https ESCAPE '\\' OR p.url LIKE @http ESCAPE '\\')`,
    params: { blog: home, https: likePrefix(`https://${host}`), http: likePrefix(`http://${host}`) },
  };
}

export function blogDeletionRepository(db: Db): BlogDeletionRepository {
  const key = (blog: string) => `reconcile:${normalBlogUrl(blog)}`;
  const clearPost = () => prepared(db, `UPDATE posts SET text = '', content_hash = '${GONE_HASH}' WHERE id = ?`);
  const clearComment = () =>
    prepared(
      db,
      `UPDATE comments SET text = '', author = NULL, deleted = 1, content_hash = '${GONE_HASH}' WHERE id = ? RETURNING post_id`,
    );
  const insert = () =>
    prepared(
      db,
      'INSERT INTO blog_deletions (kind, target, blog, deleted_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );

  const markBatch = db.transaction((blog: string, kind: 'post' | 'comment', ids: string[], now: string) => {
    const touched = new Set<string>();
    let marked = 0;
    for (const id of ids) {
      if (insert().run(kind, id, blog, now).changes === 0) continue;
      marked++;
      if (kind === 'post') {
        clearPost().run(id);
        touched.add(id);
      } else {
        const row = clearComment().get(id) as { post_id: string } | undefined;
        if (row) touched.add(row.post_id);
      }
    }
    // The passages go in the same transaction: the index journal notes them, and no answer shows the text again.
    for (const postId of touched) rebuildPassages(db, postId);
    return marked;
  });

  const restoreBatch = db.transaction((blog: string, kind: 'post' | 'comment', ids: string[], now: string) => {
    const undo = prepared(
      db,
      'UPDATE blog_deletions SET restored_at = ? WHERE kind = ? AND target = ? AND blog = ? AND restored_at IS NULL',
    );
    let restored = 0;
    for (const id of ids) restored += undo.run(now, kind, id, blog).changes;
    return restored;
  });

  const inBatches = (
    run: (blog: string, kind: 'post' | 'comment', ids: string[], now: string) => number,
    blog: string,
    items: BlogItems,
    now: string,
  ) => {
    const home = normalBlogUrl(blog);
    const counts = { posts: 0, comments: 0 };
    for (const [kind, ids] of [
      ['post', items.posts],
      ['comment', items.comments],
    ] as const) {
      for (let i = 0; i < ids.length; i += BATCH) {
        const n = relaxedSync(db, () => run(home, kind, ids.slice(i, i + BATCH), now));
        counts[kind === 'post' ? 'posts' : 'comments'] += n;
      }
    }
    return counts;
  };

  return guarded(db, {
    present: (blog: string, before: string): BlogItems => {
      const { where, params } = blogPosts(blog);
      const posts = prepared<string>(
        db,
        `SELECT p.id FROM posts p WHERE ${where} AND p.content_hash <> '${GONE_HASH}' AND p.stored_at < @before`,
      )
        .pluck()
        .all({ ...params, before });
      const comments = prepared<string>(
        db,
        `SELECT c.id FROM comments c JOIN posts p ON p.id = c.post_id
         WHERE ${where} AND c.deleted = 0 AND c.stored_at < @before`,
      )
        .pluck()
        .all({ ...params, before });
      return { posts, comments };
    },
    deleted: (blog: string): BlogItems => {
      const rows = prepared<{ kind: 'post' | 'comment'; target: string }>(
        db,
        'SELECT kind, target FROM blog_deletions WHERE blog = ? AND restored_at IS NULL',
      ).all(normalBlogUrl(blog));
      return {
        posts: rows.filter((r) => r.kind === 'post').map((r) => r.target),
        comments: rows.filter((r) => r.kind === 'comment').map((r) => r.target),
      };
    },
    markDeleted: (blog: string, items: BlogItems, now: string) => inBatches(markBatch, blog, items, now),
    restore: (blog: string, items: BlogItems, now: string) => inBatches(restoreBatch, blog, items, now),
    counts: () => {
      const rows = prepared<{ kind: 'post' | 'comment'; n: number }>(
        db,
        'SELECT kind, count(*) AS n FROM blog_deletions WHERE restored_at IS NULL GROUP BY kind',
      ).all();
      return {
        posts: rows.find((r) => r.kind === 'post')?.n ?? 0,
        comments: rows.find((r) => r.kind === 'comment')?.n ?? 0,
      };
    },
    record: (blog: string): ReconcileRecord => {
      const empty: ReconcileRecord = { lastAttempt: null, lastSuccess: null, lastError: null };
      const value = prepared<string>(db, 'SELECT value FROM meta WHERE key = ?').pluck().get(key(blog));
      if (!value) return empty;
      try {
        return { ...empty, ...(JSON.parse(value) as Partial<ReconcileRecord>) };
      } catch {
        return empty;
      }
    },
    saveRecord: (blog: string, record: ReconcileRecord) => {
      prepared(
        db,
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ).run(key(blog), JSON.stringify(record));
    },
  });
}
