// Reading the thread around a hit: a comment with its parent and replies (the
// Context button), or a post's comments in order (/thread). Taken-down
// comments keep their place as "removed" and show nothing of themselves; a
// hidden post has no thread to read.
import { postLink } from '../archive/links.js';
import type { Comment } from '../archive/model.js';
import { contextOf, inDateOrder, type ThreadRole } from '../archive/threads.js';
import type { Repositories } from '../store/store.js';
import type { Hidden } from './takedowns.js';

export interface ThreadComment {
  commentId: string;
  /** How it relates to the comment asked about (Context); null in a whole thread. */
  role: ThreadRole | null;
  /** Why nothing of it is shown: taken out of the archive, or deleted on the blog; null when shown. */
  removed: 'hidden' | 'deleted' | null;
  /** Who wrote it, as credited ("Anonymous" when unsigned); null when removed. */
  author: string | null;
  date: string | null;
  time: string | null;
  /** Null when removed. */
  text: string | null;
  /** The comment's own address, else the post's; null when removed. */
  url: string | null;
  /** Who it answers, when that comment is shown too (a whole thread); null otherwise. */
  replyTo: string | null;
}

export interface ThreadView {
  postId: string;
  postTitle: string;
  postDate: string | null;
  postUrl: string;
  /** The comment asked about (Context); null for a whole thread. */
  focus: string | null;
  /** No reply links on this post: the comments around the one asked about are shown. */
  neighbours: boolean;
  comments: ThreadComment[];
}

export type ThreadStore = Pick<Repositories, 'archive'>;

/** The thread reader: `hidden` is what is hidden now (read at each call). */
export function threadReader(store: ThreadStore, hidden: () => Hidden, blogUrl: string) {
  const viewOf = (
    postId: string,
    picked: { comment: Comment; role: ThreadRole | null }[],
    focus: string | null,
    neighbours: boolean,
    now: Hidden,
  ): ThreadView | null => {
    const post = store.archive.readPost(postId);
    if (!post) return null;
    const postUrl = postLink(post, blogUrl);
    const removed = (c: Comment) =>
      now.passage({ postId, commentId: c.id, author: c.author }) ? 'hidden' : c.deleted ? 'deleted' : null;
    const authors = new Map(picked.map(({ comment }) => [comment.id, removed(comment) ? null : credit(comment)]));
    return {
      postId,
      postTitle: post.title,
      postDate: post.date,
      postUrl,
      focus,
      neighbours,
      comments: picked.map(({ comment, role }) => {
        const why = removed(comment);
        return {
          commentId: comment.id,
          role,
          removed: why,
          author: why ? null : credit(comment),
          // Nothing of a taken-down comment is shown, its date neither: only that one was there.
          date: why === 'hidden' ? null : comment.date,
          time: why === 'hidden' ? null : comment.time,
          text: why ? null : comment.text,
          url: why ? null : (comment.permalink ?? postUrl),
          replyTo: role === null && comment.parentId ? (authors.get(comment.parentId) ?? null) : null,
        };
      }),
    };
  };
  return {
    /** The comment with its parent and replies (or its neighbours); null when it is gone or taken down. */
    commentContext(commentId: string): ThreadView | null {
      const postId = store.archive.postOfComment(commentId);
      if (postId === null) return null;
      const now = hidden();
      if (now.post(postId)) return null;
      const context = contextOf(store.archive.readComments(postId), commentId);
      const asked = context?.comments.find((c) => c.role === 'this')?.comment;
      if (!context || !asked || now.passage({ postId, commentId, author: asked.author })) return null;
      return viewOf(postId, context.comments, commentId, context.neighbours, now);
    },
    /** A post's comments in date order; null when the post is gone or taken down. */
    postThread(postId: string): ThreadView | null {
      const now = hidden();
      if (now.post(postId)) return null;
      const comments = inDateOrder(store.archive.readComments(postId)).map((comment) => ({ comment, role: null }));
      return viewOf(postId, comments, null, false, now);
    },
    /** Posts with comments whose title holds the words typed, newest first, none taken down. */
    postsTitled(text: string, limit: number) {
      const words = text.trim().split(/\s+/).filter(Boolean).slice(0, 6);
      const now = hidden();
      return store.archive
        .postsTitled(words, limit + 10)
        .filter((p) => !now.post(p.id))
        .slice(0, limit);
    },
  };
}

export type ThreadReader = ReturnType<typeof threadReader>;

/** Who a comment is credited to. */
function credit(comment: Comment): string {
  return comment.author ?? 'Anonymous';
}
