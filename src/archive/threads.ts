// A comment in its thread: the comment it answers and the replies to it, or,
// where the source kept no reply links, the comments around it on the post.
// Pure: the comments in, the ones to show (and how each relates) out.
import type { Comment } from './model.js';

/** How a comment shown relates to the one asked about. */
export type ThreadRole = 'parent' | 'this' | 'reply' | 'around';

export interface CommentInContext {
  comment: Comment;
  role: ThreadRole;
}

export interface CommentContext {
  comments: CommentInContext[];
  /** The post's comments carry no reply links (a text copy, an old flat thread): the neighbours are shown instead. */
  neighbours: boolean;
}

/** Comments before and after the one asked about, when there are no reply links to follow. */
export const NEIGHBOURS = 3;

/**
 * A post's comments in date and time order when every one is dated, else in the order given; equal times keep the
 * order given (the sort is stable).
 */
export function inDateOrder<C extends Pick<Comment, 'date' | 'time'>>(comments: readonly C[]): C[] {
  if (comments.some((c) => c.date === null)) return [...comments];
  const when = (c: C) => `${c.date} ${c.time ?? ''}`;
  return [...comments].sort((a, b) => (when(a) < when(b) ? -1 : when(a) > when(b) ? 1 : 0));
}

/**
 * The comment `commentId` with what answers it and what it answers, in date order; null when the post has no such
 * comment. `comments` are the post's, as stored.
 */
export function contextOf(comments: readonly Comment[], commentId: string): CommentContext | null {
  const ordered = inDateOrder(comments);
  const at = ordered.findIndex((c) => c.id === commentId);
  if (at === -1) return null;
  const asked = ordered[at]!;
  const threaded = ordered.some((c) => c.parentId !== null);
  if (!threaded) {
    const around = ordered.slice(Math.max(0, at - NEIGHBOURS), at + NEIGHBOURS + 1);
    return {
      comments: around.map((comment) => ({ comment, role: comment === asked ? 'this' : 'around' })),
      neighbours: true,
    };
  }
  const shown = ordered.filter((c) => c === asked || c.id === asked.parentId || c.parentId === asked.id);
  return {
    comments: shown.map((comment) => ({
      comment,
      role: comment === asked ? 'this' : comment.id === asked.parentId ? 'parent' : 'reply',
    })),
    neighbours: false,
  };
}
