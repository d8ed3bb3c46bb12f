// The content hashes by which an ingest tells a changed post or comment from one it already holds. Stored archives
// carry them: a change to a recipe makes every stored post or comment look changed on the next sync (rewritten, its
// passages cut again), so tests/store/changeDetection.test.ts pins them.
import type { Comment, Post } from '../archive/model.js';
import { stableId } from '../archive/text.js';

/**
 * The content hash of a post or comment the blog deleted (src/store/blogDeletions.ts): its text is cleared, and
 * only the reconciliation that sees it on the blog again writes it back; any other source skips it.
 */
export const GONE_HASH = 'gone';

export function hashPost(post: Post): string {
  return stableId(
    '',
    post.title,
    post.date ?? '',
    post.time ?? '',
    post.author ?? '',
    post.url ?? '',
    post.labels.join('\n'),
    post.text,
  );
}

export function hashComment(c: Comment): string {
  return stableId(
    '',
    c.parentId ?? '',
    c.author ?? '',
    c.date ?? '',
    c.time ?? '',
    c.text,
    c.permalink ?? '',
    String(c.deleted),
  );
}
