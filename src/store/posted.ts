// What the bot's public messages show of the archive: each message's passages
// (post, comment, signature), written when the message is posted, so that a
// takedown finds every message showing what it hides. Which of those are still
// to be retracted is asked of the deliveries ledger: a retraction is a delivery
// (kind 'retraction', one per message and takedown), claimed, done, recorded.
// A post or comment the blog deleted (blog_deletions) is retracted the same way.
import type { Db } from './db.js';
import { guarded, prepared } from './statements.js';
import { authorKey } from './takedowns.js';

export type PostedWhat = 'quote' | 'digest' | 'announcement';

/** A passage as a message shows it: its post, its comment (null: the post's own text), who signed it. */
export interface ShownPassage {
  postId: string;
  commentId: string | null;
  author: string | null;
}

export interface PostedMessage {
  /** Null in a direct message. */
  guildId: string | null;
  channelId: string;
  messageId: string;
  what: PostedWhat;
  /** A digest's date, an announcement's key, a quote's passage id: what the message is of. */
  key: string;
  shows: readonly ShownPassage[];
}

/**
 * A message that shows what a takedown in force hides, or what the blog deleted, with no retraction recorded for
 * that takedown (or deletion) yet. One of `takedownId` and `deletionId` is set.
 */
export interface DueRetraction {
  guildId: string | null;
  channelId: string;
  messageId: string;
  what: PostedWhat;
  key: string;
  takedownId: number | null;
  deletionId: number | null;
}

export interface PostedRepository {
  record(message: PostedMessage, now: string): void;
  /** Oldest first; retractions in progress (claimed) are listed too, for their claim to be taken over. */
  dueRetractions(limit: number): DueRetraction[];
  /**
   * Posts and comments the bot's public messages showed in a server, most recently shown first, each once, with
   * what names them to its admins; `words` (a title's or an author's) narrow them.
   */
  shownIn(guildId: string, words: string, limit: number): ShownItem[];
  /** What one of the bot's messages shows (none when it showed no archive text, or is not the bot's). */
  shownBy(messageId: string): ShownItem[];
}

/** A post or comment the bot showed in a server, named as its admins would recognise it. */
export interface ShownItem {
  postId: string;
  /** Null: the post's own text. */
  commentId: string | null;
  postTitle: string;
  /** The comment's author (a comment), the post's (a post). */
  author: string | null;
  date: string | null;
  shownAt: string;
}

const SHOWN = `SELECT p.post_id AS postId, nullif(p.comment_id, '') AS commentId, po.title AS postTitle,
    CASE WHEN p.comment_id = '' THEN po.author ELSE c.author END AS author,
    CASE WHEN p.comment_id = '' THEN po.date ELSE c.date END AS date, max(p.posted_at) AS shownAt
  FROM posted_passages p JOIN posts po ON po.id = p.post_id LEFT JOIN comments c ON c.id = p.comment_id`;

export function postedRepository(db: Db): PostedRepository {
  return guarded(db, {
    record: (m: PostedMessage, now: string) => {
      const insert = prepared(
        db,
        `INSERT INTO posted_passages (guild_id, channel_id, message_id, what, key, post_id, comment_id, author_key, posted_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      );
      db.transaction(() => {
        for (const p of m.shows) {
          insert.run(
            m.guildId ?? '',
            m.channelId,
            m.messageId,
            m.what,
            m.key,
            p.postId,
            p.commentId ?? '',
            p.author ? authorKey(p.author) : '',
            now,
          );
        }
      })();
    },
    dueRetractions: (limit: number) =>
      prepared<DueRetraction & { guildId: string; postedAt: string; cause: number; causeId: number }>(
        db,
        `SELECT DISTINCT p.guild_id AS guildId, p.channel_id AS channelId, p.message_id AS messageId, p.what, p.key,
                t.id AS takedownId, NULL AS deletionId, 0 AS cause, t.id AS causeId, p.posted_at AS postedAt
         FROM takedowns t
         JOIN posted_passages p ON
              (t.kind = 'post' AND p.post_id = t.target)
           OR (t.kind = 'comment' AND p.comment_id = t.target)
           OR (t.kind = 'author' AND p.author_key = t.target)
         WHERE t.undone_at IS NULL AND (t.guild_id IS NULL OR t.guild_id = p.guild_id)
           AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.guild_id = p.guild_id AND d.kind = 'retraction'
                           AND d.key = p.message_id || '/' || t.id AND d.state <> 'claimed')
         UNION
         SELECT DISTINCT p.guild_id, p.channel_id, p.message_id, p.what, p.key, NULL, b.id, 1, b.id, p.posted_at
         FROM blog_deletions b
         JOIN posted_passages p ON
              (b.kind = 'post' AND p.post_id = b.target)
           OR (b.kind = 'comment' AND p.comment_id = b.target)
         WHERE b.restored_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.guild_id = p.guild_id AND d.kind = 'retraction'
                           AND d.key = p.message_id || '/deleted-' || b.id AND d.state <> 'claimed')
         ORDER BY cause, causeId, postedAt LIMIT ?`,
      )
        .all(limit)
        .map(({ postedAt: _at, cause: _cause, causeId: _id, ...r }) => ({ ...r, guildId: r.guildId || null })),
    shownIn: (guildId: string, words: string, limit: number) => {
      const like = words.trim() ? `%${words.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : '%';
      return prepared<ShownItem>(
        db,
        `${SHOWN} WHERE p.guild_id = ? AND (po.title LIKE ? ESCAPE '\\' OR coalesce(c.author, po.author, '') LIKE ? ESCAPE '\\')
         GROUP BY p.post_id, p.comment_id ORDER BY shownAt DESC LIMIT ?`,
      ).all(guildId, like, like, limit);
    },
    shownBy: (messageId: string) =>
      prepared<ShownItem>(
        db,
        `${SHOWN} WHERE p.message_id = ? GROUP BY p.post_id, p.comment_id ORDER BY p.post_id, p.comment_id`,
      ).all(messageId),
  });
}

/** The ledger's key of a message's retraction for a takedown, or for a deletion on the blog. */
export function retractionKey(r: Pick<DueRetraction, 'messageId' | 'takedownId' | 'deletionId'>): string {
  return r.takedownId !== null ? `${r.messageId}/${r.takedownId}` : `${r.messageId}/deleted-${r.deletionId}`;
}
