// Takedowns: posts, comments and author names the operator has hidden, each
// recorded (what, by whom, when, why) and kept when undone. Also the lookups
// that tell what an id or a permalink names, so `cli hide` refuses what the
// archive does not hold.
import type { Db } from './db.js';
import { guarded, prepared } from './statements.js';

export type TakedownKind = 'post' | 'comment' | 'author';

export interface Takedown {
  id: number;
  kind: TakedownKind;
  /** The post or comment id, or the author name folded (see `authorKey`). */
  target: string;
  /** What it was when hidden: a post's title, a comment's author and post, the name as given. */
  label: string;
  /** Null: hidden everywhere (a server's own hides will carry its id). */
  guildId: string | null;
  reason: string | null;
  hiddenBy: string;
  hiddenAt: string;
  undoneBy: string | null;
  undoneAt: string | null;
}

/**
 * What is hidden everywhere now, as ids; posts include those signed by a hidden author, and posts and comments
 * include those the blog deleted (src/store/blogDeletions.ts), which no answer shows either.
 */
export interface HiddenNow {
  /** Moves on with every hide and unhide, in any process. */
  version: number;
  postIds: string[];
  commentIds: string[];
  /** Hidden author names, folded. */
  authors: string[];
  /** Posts and comments a server's admins hid in their server only. */
  inServers: { guildId: string; kind: 'post' | 'comment'; target: string }[];
}

export interface NewTakedown {
  kind: TakedownKind;
  target: string;
  label: string;
  reason: string | null;
  by: string;
  now: string;
  /** A server's own takedown (its admins'); absent or null: everywhere (the operator's). */
  guildId?: string | null;
}

export interface StoredPost {
  id: string;
  title: string;
  author: string | null;
}

export interface StoredComment {
  id: string;
  postId: string;
  postTitle: string;
  author: string | null;
}

export interface TakedownRepository {
  /** Moves on with every hide and unhide, in any process: one key read. */
  version(): number;
  hiddenNow(): HiddenNow;
  /** Hide, unless the same is already hidden: then the takedown in force, with `already`. */
  hide(t: NewTakedown): { takedown: Takedown; already: boolean };
  /** Undo the takedown in force of this target (everywhere, or in one server); null when there is none. */
  unhide(kind: TakedownKind, target: string, by: string, now: string, guildId?: string | null): Takedown | null;
  /**
   * Takedowns in force, newest first; with `undone`, those undone too. `guildId`: those that apply in that server
   * (everywhere and its own); without it, all.
   */
  list(options?: { undone?: boolean; guildId?: string }): Takedown[];
  /** Takedowns in force, by kind. */
  counts(): { posts: number; comments: number; authors: number };
  post(id: string): StoredPost | null;
  comment(id: string): StoredComment | null;
  /** The post stored under one of these addresses. */
  postAt(urls: readonly string[]): StoredPost | null;
  /** The comment whose permalink is one of these addresses. */
  commentAt(urls: readonly string[]): StoredComment | null;
  /** The names as signed (posts and passages) that fold to `key`, with how many passages and posts each signs. */
  signedBy(key: string): { name: string; posts: number; passages: number }[];
}

/** Author names match whatever their case and surrounding spaces. */
export function authorKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

const COLUMNS = `id, kind, target, label, guild_id AS guildId, reason, hidden_by AS hiddenBy, hidden_at AS hiddenAt,
  undone_by AS undoneBy, undone_at AS undoneAt`;

const POST = 'SELECT id, title, author FROM posts';
const COMMENT = `SELECT c.id, c.post_id AS postId, p.title AS postTitle, c.author
  FROM comments c JOIN posts p ON p.id = c.post_id`;

export function takedownRepository(db: Db): TakedownRepository {
  const version = () =>
    Number(prepared<string>(db, "SELECT value FROM meta WHERE key = 'takedowns_changes'").pluck().get() ?? 0);
  const inForce = (kind: TakedownKind, target: string, guildId: string | null) =>
    prepared<Takedown>(
      db,
      `SELECT ${COLUMNS} FROM takedowns WHERE kind = ? AND target = ? AND coalesce(guild_id, '') = ? AND undone_at IS NULL`,
    ).get(kind, target, guildId ?? '') ?? null;
  const hiddenNow = db.transaction((): HiddenNow => {
    const all = prepared<{ kind: TakedownKind; target: string; guildId: string | null }>(
      db,
      'SELECT kind, target, guild_id AS guildId FROM takedowns WHERE undone_at IS NULL',
    ).all();
    const rows = all.filter((r) => r.guildId === null);
    const inServers = all.flatMap((r) =>
      r.guildId !== null && r.kind !== 'author' ? [{ guildId: r.guildId, kind: r.kind, target: r.target }] : [],
    );
    const of = (kind: TakedownKind) => rows.filter((r) => r.kind === kind).map((r) => r.target);
    const authors = of('author');
    const postIds = of('post');
    if (authors.length > 0) {
      // Post authors are few: folded here, as the search folds a passage's author, rather than by SQL's lower().
      const wanted = new Set(authors);
      const names = prepared<string>(db, 'SELECT DISTINCT author FROM posts WHERE author IS NOT NULL')
        .pluck()
        .all()
        .filter((name) => wanted.has(authorKey(name)));
      if (names.length > 0) {
        postIds.push(
          ...prepared<string>(db, 'SELECT id FROM posts WHERE author IN (SELECT value FROM json_each(?))')
            .pluck()
            .all(JSON.stringify(names)),
        );
      }
    }
    const deleted = prepared<{ kind: 'post' | 'comment'; target: string }>(
      db,
      'SELECT kind, target FROM blog_deletions WHERE restored_at IS NULL',
    ).all();
    postIds.push(...deleted.filter((d) => d.kind === 'post').map((d) => d.target));
    const commentIds = [...of('comment'), ...deleted.filter((d) => d.kind === 'comment').map((d) => d.target)];
    return { version: version(), postIds, commentIds, authors, inServers };
  });
  return guarded(db, {
    version,
    hiddenNow: () => hiddenNow(),
    hide: (t: NewTakedown) =>
      db.transaction(() => {
        const guildId = t.guildId ?? null;
        const existing = inForce(t.kind, t.target, guildId);
        if (existing) return { takedown: existing, already: true };
        const { lastInsertRowid } = prepared(
          db,
          `INSERT INTO takedowns (kind, target, label, guild_id, reason, hidden_by, hidden_at)
           VALUES (@kind, @target, @label, @guildId, @reason, @by, @now)`,
        ).run({ kind: t.kind, target: t.target, label: t.label, guildId, reason: t.reason, by: t.by, now: t.now });
        const takedown = prepared<Takedown>(db, `SELECT ${COLUMNS} FROM takedowns WHERE id = ?`).get(lastInsertRowid)!;
        return { takedown, already: false };
      })(),
    unhide: (kind: TakedownKind, target: string, by: string, now: string, guildId: string | null = null) =>
      db.transaction(() => {
        const existing = inForce(kind, target, guildId);
        if (!existing) return null;
        prepared(db, 'UPDATE takedowns SET undone_by = ?, undone_at = ? WHERE id = ?').run(by, now, existing.id);
        return { ...existing, undoneBy: by, undoneAt: now };
      })(),
    list: (options: { undone?: boolean; guildId?: string } = {}) => {
      const where = [
        ...(options.undone ? [] : ['undone_at IS NULL']),
        ...(options.guildId === undefined ? [] : ['(guild_id IS NULL OR guild_id = @guildId)']),
      ];
      const query = prepared<Takedown>(
        db,
        `SELECT ${COLUMNS} FROM takedowns ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC`,
      );
      return options.guildId === undefined ? query.all() : query.all({ guildId: options.guildId });
    },
    counts: () => {
      const rows = prepared<{ kind: TakedownKind; n: number }>(
        db,
        'SELECT kind, count(*) AS n FROM takedowns WHERE undone_at IS NULL AND guild_id IS NULL GROUP BY kind',
      ).all();
      const n = (kind: TakedownKind) => rows.find((r) => r.kind === kind)?.n ?? 0;
      return { posts: n('post'), comments: n('comment'), authors: n('author') };
    },
    post: (id: string) => prepared<StoredPost>(db, `${POST} WHERE id = ?`).get(id) ?? null,
    comment: (id: string) => prepared<StoredComment>(db, `${COMMENT} WHERE c.id = ?`).get(id) ?? null,
    postAt: (urls: readonly string[]) =>
      prepared<StoredPost>(db, `${POST} WHERE url IN (SELECT value FROM json_each(?)) LIMIT 1`).get(
        JSON.stringify(urls),
      ) ?? null,
    commentAt: (urls: readonly string[]) =>
      prepared<StoredComment>(db, `${COMMENT} WHERE c.permalink IN (SELECT value FROM json_each(?)) LIMIT 1`).get(
        JSON.stringify(urls),
      ) ?? null,
    signedBy: (key: string) => {
      // Every passage read once (an operator's command, not a member's): names folded as the filter folds them.
      const rows = prepared<{ name: string; passages: number }>(
        db,
        'SELECT author AS name, count(*) AS passages FROM passages WHERE author IS NOT NULL GROUP BY author',
      ).all();
      const posts = prepared<{ name: string; posts: number }>(
        db,
        'SELECT author AS name, count(*) AS posts FROM posts WHERE author IS NOT NULL GROUP BY author',
      ).all();
      const byName = new Map<string, { name: string; posts: number; passages: number }>();
      for (const r of rows)
        if (authorKey(r.name) === key) byName.set(r.name, { name: r.name, posts: 0, passages: r.passages });
      for (const r of posts) {
        if (authorKey(r.name) !== key) continue;
        const entry = byName.get(r.name) ?? { name: r.name, posts: 0, passages: 0 };
        byName.set(r.name, { ...entry, posts: r.posts });
      }
      return [...byName.values()];
    },
  });
}
