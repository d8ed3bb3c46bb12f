// Takedowns as the operator makes them: what an id, a blog address or an author name points at; hidden or shown
// again with a record of who, when and why; and the hidden set every answer passes through, read again from the
// store only when a hide or unhide (by any process) or an ingest has changed it.
import { blogAddress } from '../archive/links.js';
import type { Repositories } from '../store/store.js';
import { authorKey, type Takedown, type TakedownKind } from '../store/takedowns.js';
import { UserProblem } from './userProblem.js';

export type TakedownStore = Pick<Repositories, 'takedowns'>;

/** What a takedown names: a post, a comment or an author name (folded), and how to show it to the operator. */
export interface TakedownTarget {
  kind: TakedownKind;
  target: string;
  label: string;
}

/** Longest id, address or name taken: anything longer is not one. */
const INPUT_MAX = 2_000;

function checked(input: string, what: string): string {
  const text = input.trim();
  if (!text) throw new UserProblem(`give ${what}`);
  if (text.length > INPUT_MAX || /[\u0000-\u001f\u007f]/.test(text)) throw new UserProblem(`not ${what}`);
  return text;
}

/** The post or comment an id (as `search --json` shows it) or a blog address names; a UserProblem when none. */
export function targetOf(store: TakedownStore, input: string): TakedownTarget {
  const text = checked(input, 'a post or comment id, or its address on the blog');
  const { takedowns } = store;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    const address = blogAddress(text);
    if (!address) throw new UserProblem(`not a blog address: ${shown(text)}`);
    const comment =
      (address.commentId !== null ? takedowns.comment(address.commentId) : null) ?? takedowns.commentAt(address.exact);
    if (comment) return commentTarget(comment);
    // An address naming a comment the archive lacks is refused: never widened to the whole post.
    const post = address.namesComment ? null : takedowns.postAt(address.post);
    if (post) return { kind: 'post', target: post.id, label: `post "${post.title}"` };
    throw new UserProblem(`no post or comment in the archive has the address ${shown(text)}`);
  }
  const comment = takedowns.comment(text);
  if (comment) return commentTarget(comment);
  const post = takedowns.post(text);
  if (post) return { kind: 'post', target: post.id, label: `post "${post.title}"` };
  throw new UserProblem(`no post or comment in the archive has the id ${shown(text)}`);
}

function commentTarget(comment: { id: string; author: string | null; postTitle: string }): TakedownTarget {
  return {
    kind: 'comment',
    target: comment.id,
    label: `comment by ${comment.author ?? 'Anonymous'} on "${comment.postTitle}"`,
  };
}

/** Everything signed with this name (any case): refused when nothing in the archive is. */
export function authorTarget(store: TakedownStore, name: string): TakedownTarget {
  const key = authorKey(checked(name, 'an author name'));
  const signed = store.takedowns.signedBy(key);
  if (signed.length === 0) throw new UserProblem(`nothing in the archive is signed ${shown(name.trim())}`);
  return { kind: 'author', target: key, label: `author ${signed.map((s) => `"${s.name}"`).join(', ')}` };
}

/** A takedown made or undone by the operator, to a process other than this one too: the next answer leaves it out. */
export function hide(
  store: TakedownStore,
  target: TakedownTarget,
  record: { reason: string | null; by: string; now: string; guildId?: string | null },
): { takedown: Takedown; already: boolean } {
  const reason = record.reason?.trim() || null;
  return store.takedowns.hide({ ...target, reason, by: record.by, now: record.now, guildId: record.guildId ?? null });
}

/**
 * Undo the takedown in force for an id, an address or an author name. An id hidden earlier is found among the
 * takedowns even when the archive no longer holds it.
 */
export function unhide(
  store: TakedownStore,
  input: { id?: string; author?: string },
  record: { by: string; now: string; guildId?: string | null },
): Takedown {
  const { takedowns } = store;
  const guildId = record.guildId ?? null;
  let undone: Takedown | null = null;
  if (input.author !== undefined) {
    undone = takedowns.unhide('author', authorKey(checked(input.author, 'an author name')), record.by, record.now);
    if (!undone) throw new UserProblem(`no takedown in force for the author ${shown(input.author.trim())}`);
    return undone;
  }
  const text = checked(input.id ?? '', 'a post or comment id, or its address on the blog');
  undone =
    takedowns.unhide('comment', text, record.by, record.now, guildId) ??
    takedowns.unhide('post', text, record.by, record.now, guildId);
  if (undone) return undone;
  const target = targetOf(store, text);
  undone = takedowns.unhide(target.kind, target.target, record.by, record.now, guildId);
  if (!undone) throw new UserProblem(`${target.label} is not hidden${guildId ? ' in this server' : ''}`);
  return undone;
}

/** What is hidden now, to test a passage or a post against. */
export interface Hidden {
  /** Anything hidden at all: when not, answers are given as they are. */
  any: boolean;
  /** Changes whenever what is hidden may have: part of the key of an answer kept for members. */
  token: string;
  post(postId: string): boolean;
  /** A passage of a hidden post or comment, or signed by a hidden author. */
  passage(p: { postId: string; commentId: string | null; author: string | null }): boolean;
}

/**
 * The hidden set, read from the store only when it may have changed: a hide or unhide by any process (one key
 * read), and, while an author is hidden, an ingest (a new post of theirs is hidden too). Given a server, what its
 * admins hid there is hidden too.
 */
export function hiddenReader(store: Pick<Repositories, 'takedowns' | 'archive'>): (guildId?: string | null) => Hidden {
  type Kept = {
    version: number;
    mark: number | null;
    everywhere: Hidden;
    inServer: Map<string, { posts: Set<string>; comments: Set<string> }>;
    views: Map<string, Hidden>;
  };
  let kept: Kept | null = null;
  const current = (): Kept => {
    const version = store.takedowns.version();
    if (kept && kept.version === version && (kept.mark === null || kept.mark === store.archive.changeMark())) {
      return kept;
    }
    const mark = store.archive.changeMark();
    const now = store.takedowns.hiddenNow();
    const posts = new Set(now.postIds);
    const comments = new Set(now.commentIds);
    const authors = new Set(now.authors);
    const any = posts.size > 0 || comments.size > 0 || authors.size > 0;
    const inServer = new Map<string, { posts: Set<string>; comments: Set<string> }>();
    for (const h of now.inServers) {
      const sets = inServer.get(h.guildId) ?? { posts: new Set<string>(), comments: new Set<string>() };
      (h.kind === 'post' ? sets.posts : sets.comments).add(h.target);
      inServer.set(h.guildId, sets);
    }
    kept = {
      version: now.version,
      mark: authors.size > 0 ? mark : null,
      everywhere: {
        any,
        token: any ? `${now.version}:${authors.size > 0 ? mark : ''}` : '',
        post: (postId) => posts.has(postId),
        passage: (p) =>
          posts.has(p.postId) ||
          (p.commentId !== null && comments.has(p.commentId)) ||
          (p.author !== null && authors.size > 0 && authors.has(authorKey(p.author))),
      },
      inServer,
      views: new Map(),
    };
    return kept;
  };
  return (guildId) => {
    const now = current();
    const own = guildId ? now.inServer.get(guildId) : undefined;
    if (!own) return now.everywhere;
    let view = now.views.get(guildId!);
    if (!view) {
      const everywhere = now.everywhere;
      view = {
        any: true,
        // An answer kept for this server is kept apart from everyone else's.
        token: `${now.version}:${now.mark ?? ''}:${guildId}`,
        post: (postId) => everywhere.post(postId) || own.posts.has(postId),
        passage: (p) =>
          everywhere.passage(p) || own.posts.has(p.postId) || (p.commentId !== null && own.comments.has(p.commentId)),
      };
      now.views.set(guildId!, view);
    }
    return view;
  };
}

/** Input echoed back on one short line. */
function shown(text: string): string {
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 117)}…` : text);
}
