// The archive as the CLI, the console and the bot use it: the store's
// repositories, the index loaded (or rebuilt) once, and the queries on top.
import { LRUCache } from 'lru-cache';
import type { PassageKind } from '../archive/model.js';
import { onThisDay, type OnThisDay } from '../digest/onThisDay.js';
import { type ArchiveRoundUp, archiveRoundUp, type Week } from '../digest/weekly.js';
import { quoteOf, searchArchive, type Quote, type SearchHit } from '../search/search.js';
import { narrowsPassages, parseSearchQuery, type SearchOrder, type SearchQuery } from '../search/syntax.js';
import type { ArchiveStats, TitledPost } from '../store/archive.js';
import { IndexCorrupt, type LoadedIndex } from '../store/indexFile.js';
import type { ArchiveIndex } from '../search/archiveIndex.js';
import { StorageError } from '../store/storageErrors.js';
import type { OpenOptions } from '../store/db.js';
import { rebuildInChild } from '../store/indexBuilder.js';
import { type Hidden, hiddenReader, hide, targetOf, unhide } from './takedowns.js';
import type { ShownItem } from '../store/posted.js';
import type { Takedown } from '../store/takedowns.js';
import { threadReader, type ThreadView } from './threads.js';
import { UserProblem } from './userProblem.js';
import { openStore, type Repositories, type Store } from '../store/store.js';

export interface ArchiveService {
  /**
   * What could not be done on open and is worth telling the operator: the
   * store could not be repaired (a full disk, a read-only file), so some
   * posts' passages lag behind their comments until it can.
   */
  warnings: string[];
  /** The index, loaded on first use (rebuilt from the store when missing or stale). */
  index(): LoadedIndex;
  /**
   * A typed query, with its syntax ("exact phrase", -word, order:newest|oldest; a query that cannot be searched
   * as typed is a UserProblem). `wholeWords`: the words of a chat message (Find in archive), searched as words only.
   * `order` is the order asked outside the query (an option); the query's own order: must agree with it.
   */
  search(
    query: string,
    options?: { limit?: number; kinds?: readonly PassageKind[]; wholeWords?: boolean; order?: SearchOrder },
  ): SearchHit[];
  /** Quick hits for autocomplete as a member types (the last word is a prefix). */
  suggest(query: string, options?: { limit?: number }): SearchHit[];
  /** A passage whole, as /quote posts it; null when no passage has that id (any more), or it is hidden. */
  quote(passageId: number): Quote | null;
  /** A comment with its parent and replies (Context); null when it is gone or taken down. */
  commentContext(commentId: string): ThreadView | null;
  /** A post's comments in order (/thread); null when the post is gone or taken down. */
  postThread(postId: string): ThreadView | null;
  /** Posts with comments whose title holds the words typed (/thread's suggestions), newest first. */
  postsTitled(text: string, limit: number): TitledPost[];
  /** Whether a post is taken down (an announcement of it is not posted). */
  hidesPost(postId: string): boolean;
  /** Whether a comment is taken down (itself, its post or its author): it is not mirrored into a post's thread. */
  hidesComment(comment: { postId: string; commentId: string; author: string | null }): boolean;
  /** Hits kept from earlier (a search being paged) without those taken down since. */
  visible(hits: readonly SearchHit[]): SearchHit[];
  /** Bring the loaded index up to date with what was stored since it was built or last refreshed. */
  refresh(): { changedPosts: number };
  onThisDay(date: string): OnThisDay;
  /** A week's new posts and most discussed posts, without what is hidden: the archive's part of a round-up. */
  week(week: Week): ArchiveRoundUp;
  /** The posts in the archive, as stats() counts them, without counting the comments (cheap at start). */
  postCount(): number;
  stats(): ArchiveStats & {
    indexBytes: number | null;
    lastSync: string | null;
    /** Takedowns in force. */
    hidden: { posts: number; comments: number; authors: number };
  };
  /** What the archive takes on disk, for the operator (and admins in /config show). */
  storage(): { databaseBytes: number; indexBytes: number | null };
  /** Takedowns in force, newest first: what each was and when it was hidden (admins see them in /config show). */
  hiddenItems(): { label: string; hiddenAt: string; inThisServer: boolean }[];
  /** Forget the loaded index (after an ingest changed the store). */
  invalidate(): void;
  /**
   * The archive as a server sees it: what its admins hid there is hidden too, in every answer (search,
   * suggestions, quotes, context, threads, on this day, announcements). The same index and kept answers.
   */
  forServer(guildId: string): ArchiveService;
  /** The server this view is of; null: the archive as everyone sees it. */
  readonly guildId: string | null;
  /**
   * A server's view only: its admins hide a post or comment there (an id, a blog address, or a pick of
   * `shownHere`), recorded with who and why; `already` when it was hidden there before.
   */
  hideHere(
    input: string,
    record: { reason: string | null; by: string; now: string },
  ): { label: string; already: boolean };
  /** A server's view only: show again what its admins hid there. */
  unhideHere(input: string, record: { by: string; now: string }): { label: string };
  /** Posts and comments the bot's public messages showed in this server, most recent first (what admins may hide). */
  shownHere(words: string, limit: number): ShownItem[];
  /** What one of the bot's messages shows of the archive. */
  shownBy(messageId: string): ShownItem[];
  /** What this server's admins hid there, newest first. */
  hiddenHere(): Takedown[];
  /** A rebuild running elsewhere (`background` mode): passages indexed so far; null when none runs. */
  building(): { passages: number; of: number } | null;
}

/**
 * Where a full rebuild runs when the saved index cannot be used: `inline` (the CLI, tests: the call waits) or a
 * function building and saving it away from this event loop (the bot: `rebuildInChild`), meanwhile the index
 * already loaded keeps answering, and without one a search says it is being built.
 */
export type Rebuild = 'inline' | ((onProgress: (passages: number) => void) => Promise<unknown>);

/** How long a kept answer may be given again, at most (it goes sooner when the index changes). */
const ANSWERS_KEPT_MS = 60_000;

/** A search before the index exists, while it is built elsewhere. */
export class IndexNotReady extends UserProblem {
  override name = 'IndexNotReady';
}

/** The archive service and the store it runs on, for whoever opened it (and closes it). */
export interface OpenArchive extends ArchiveService {
  store: Store;
  close(): void;
}

/** What the archive service reads. */
export type ArchiveStore = Pick<Repositories, 'archive' | 'index' | 'syncs' | 'retention' | 'takedowns' | 'posted'>;

/** Hits asked of the index beyond the limit when something is hidden, at first (then more, twice at most). */
const HIDDEN_MARGIN = 5;

/**
 * Hits asked of the index when a phrase or an exclusion drops some, or the hits are put in date order: a phrase's
 * words are found in many passages that do not hold them side by side, and the newest hits need not be among the
 * few most relevant. The same pool as /search's author and year filters.
 */
export const SYNTAX_POOL = 300;

/** A typed query read, or the member told what is wrong with it. */
function readQuery(query: string, wholeWords: boolean): SearchQuery {
  // Words from a chat message are no syntax: a quote mark or a dash there is just how the message was written.
  if (wholeWords) return { positive: query, phrases: [], excludedTerms: [], excludedPhrases: [], order: null };
  const parsed = parseSearchQuery(query);
  if ('problem' in parsed) throw new UserProblem(parsed.problem);
  return parsed;
}

/** The order asked, from the query or the option; both given must agree. */
function orderOf(typed: SearchOrder | null, option: SearchOrder | undefined): SearchOrder {
  if (typed !== null && option !== undefined && option !== typed) {
    throw new UserProblem(`The query says order:${typed} but the order option says ${option}: give one.`);
  }
  return typed ?? option ?? 'relevance';
}

/** Hits by date, newest or oldest first (undated ones last), relevance deciding between equal dates. */
export function inOrder(hits: readonly SearchHit[], order: SearchOrder): SearchHit[] {
  if (order === 'relevance') return [...hits];
  const sign = order === 'newest' ? -1 : 1;
  return [...hits].sort((a, b) => {
    if (a.date === b.date) return 0;
    if (a.date === null) return 1;
    if (b.date === null) return -1;
    return sign * (a.date < b.date ? -1 : 1);
  });
}

/**
 * Hits with the hidden ones left out, still up to `limit` where the archive has them: the index is asked for a
 * few more than the limit, and for more again while what is hidden takes too many of them.
 */
function visibleHits(hidden: Hidden, limit: number, search: (limit: number) => SearchHit[]): SearchHit[] {
  if (!hidden.any) return search(limit);
  let asked = limit + HIDDEN_MARGIN;
  for (let round = 0; ; round++) {
    const hits = search(asked);
    const shown = hits.filter((hit) => !hidden.passage(hit));
    if (shown.length >= limit || hits.length < asked || round === 2) return shown.slice(0, limit);
    asked = asked * 2 + limit;
  }
}

export function archiveService(
  store: ArchiveStore,
  blogUrl: string,
  options: {
    rebuild?: Rebuild;
    onRebuildFailed?: (error: unknown) => void;
    /** The saved index was found damaged by a search (and set aside to be rebuilt): worth telling the operator. */
    onIndexDamaged?: (error: Error) => void;
    /** An archive with fewer passages is rebuilt inline all the same: a few hundred milliseconds at most. */
    inlineBelow?: number;
    /** How many answers (searches, suggestions, days) are kept for members asking the same again; 0 keeps none. */
    answersKept?: number;
    /** Told before every stored post's passages are cut again under changed rules. */
    onRecutting?: () => void;
  } = {},
): ArchiveService {
  const warnings: string[] = [];
  const inlineBelow = options.inlineBelow ?? 5_000;
  const rebuildFor = (): Rebuild =>
    options.rebuild === undefined || store.archive.stats().passages < inlineBelow ? 'inline' : options.rebuild;
  try {
    store.archive.ensurePassagesCurrent(options.onRecutting);
  } catch (error) {
    // The store as it is still answers; the re-cut is tried again on the next open.
    if (!(error instanceof StorageError)) throw error;
    warnings.push(`passages of posts an interrupted ingest left could not be re-cut: ${error.message}`);
  }
  let loaded: LoadedIndex | null = null;
  const details = (ids: readonly number[]) => store.archive.passageDetails(ids);
  // Takedowns apply to the very next answer, whoever made them: an answer kept is kept under what was hidden then.
  const hiddenIn = hiddenReader(store);
  // Answers members repeat (the same search, the same keystrokes, today's date, the archive's size) are kept a
  // short while, and forgotten the moment the index changes: a burst of members asking alike costs one answer.
  const keep = options.answersKept ?? 1_000;
  const answers = new LRUCache<string, object>({ max: Math.max(1, keep), ttl: ANSWERS_KEPT_MS });
  const remembered = <T extends object>(key: string, compute: () => T): T => {
    if (keep === 0) return compute();
    const earlier = answers.get(key);
    if (earlier !== undefined) return earlier as T;
    const value = compute();
    answers.set(key, value);
    return value;
  };
  const forget = () => {
    loaded?.close();
    loaded = null;
    answers.clear();
  };
  const swapTo = (fresh: LoadedIndex) => {
    loaded?.close();
    loaded = fresh;
    answers.clear();
  };

  // Background mode: one rebuild at a time; when it is saved, its file replaces what is loaded.
  let progress: { passages: number; of: number } | null = null;
  const startRebuild = (build: Exclude<Rebuild, 'inline'>) => {
    if (progress) return;
    progress = { passages: 0, of: store.archive.stats().passages };
    const running = progress;
    void build((passages) => {
      running.passages = passages;
    })
      .then(() => {
        const fresh = store.index.loadSaved();
        if (fresh) swapTo(fresh);
      })
      .catch((error: unknown) => options.onRebuildFailed?.(error))
      .finally(() => {
        progress = null;
      });
  };
  const notReady = () => {
    const share = progress && progress.of > 0 ? ` (${Math.floor((100 * progress.passages) / progress.of)}% done)` : '';
    return new IndexNotReady(`The search index is being built${share}: try again in a minute.`);
  };
  // A search that meets a damaged block of the saved index (IndexCorrupt) drops that index, sets its file aside and
  // asks again: of an index rebuilt at once (a small archive, the console), or the rebuild's "try again" meanwhile.
  const searched = <T>(run: (index: ArchiveIndex) => T): T => {
    const used = index();
    try {
      return run(used.index);
    } catch (error) {
      if (!(error instanceof IndexCorrupt)) throw error;
      if (loaded === used) {
        used.discard();
        loaded = null;
        answers.clear();
        options.onIndexDamaged?.(error);
      }
      return run(index().index);
    }
  };
  const index = (): LoadedIndex => {
    if (loaded) return loaded;
    // Every search while the first index is built lands here: no counting, no reading the saved file each time.
    if (progress) throw notReady();
    const rebuild = rebuildFor();
    if (rebuild === 'inline') return (loaded = store.index.load());
    const saved = store.index.loadSaved();
    if (saved) return (loaded = saved);
    startRebuild(rebuild);
    throw notReady();
  };
  const views = new Map<string | null, ArchiveService>();
  const viewFor = (guildId: string | null): ArchiveService => {
    const known = views.get(guildId);
    if (known) return known;
    const view = serviceView(guildId);
    // Views of servers are few (one per server the bot is in) and hold nothing but closures.
    views.set(guildId, view);
    return view;
  };
  const serviceView = (guildId: string | null): ArchiveService => {
    const hidden = () => hiddenIn(guildId);
    const inServer = (): string => {
      if (guildId === null) throw new Error("a server's own takedowns are made in a server");
      return guildId;
    };
    const threads = threadReader(store, hidden, blogUrl);
    return {
      warnings,
      index,
      guildId,
      forServer: viewFor,
      search: (query, options = {}) => {
        const now = hidden();
        const { order: asked, ...rest } = options;
        const syntax = readQuery(query, options.wholeWords ?? false);
        const order = orderOf(syntax.order, asked);
        const limit = options.limit ?? 10;
        const pool = narrowsPassages(syntax) || order !== 'relevance' ? Math.max(SYNTAX_POOL, limit) : limit;
        return remembered(`search\0${query}\0${JSON.stringify(options)}\0${now.token}`, () =>
          inOrder(
            visibleHits(now, pool, (n) =>
              searched((loadedIndex) =>
                searchArchive(loadedIndex, details, syntax.positive, { blogUrl, ...rest, limit: n, syntax }),
              ),
            ),
            order,
          ).slice(0, limit),
        );
      },
      suggest: (query, options = {}) => {
        const now = hidden();
        return remembered(`suggest\0${query}\0${options.limit}\0${now.token}`, () =>
          visibleHits(now, options.limit ?? 25, (limit) =>
            searched((loadedIndex) =>
              searchArchive(loadedIndex, details, query, { blogUrl, limit, quick: true, excerptLength: 100 }),
            ),
          ),
        );
      },
      quote: (passageId) => {
        const detail = details([passageId]).get(passageId);
        if (!detail) return null;
        const passage = { postId: detail.post.id, commentId: detail.comment?.id ?? null, author: detail.author };
        if (hidden().passage(passage)) return null;
        return quoteOf(detail, blogUrl, store.archive.commentPieces(passageId));
      },
      commentContext: (commentId) => threads.commentContext(commentId),
      postThread: (postId) => threads.postThread(postId),
      postsTitled: (text, limit) => threads.postsTitled(text, limit),
      hidesPost: (postId) => hidden().post(postId),
      hidesComment: (comment) => hidden().passage(comment),
      visible: (hits) => {
        const now = hidden();
        // A hit kept from before commentId was recorded has none: its comment is still refused by quote().
        return now.any ? hits.filter((hit) => !now.passage({ ...hit, commentId: hit.commentId ?? null })) : [...hits];
      },
      refresh: () => {
        if (!loaded) {
          try {
            return { changedPosts: index().caughtUp };
          } catch (error) {
            if (error instanceof IndexNotReady) return { changedPosts: 0 };
            throw error;
          }
        }
        const changedPosts = store.index.catchUp(loaded.index);
        if (changedPosts !== null) {
          if (changedPosts > 0) answers.clear();
          return { changedPosts };
        }
        const rebuild = rebuildFor();
        if (rebuild === 'inline') {
          forget();
          return { changedPosts: index().caughtUp };
        }
        // Another process saved a newer file (and trimmed the journal): load it. Else too much is held in memory:
        // build a new base elsewhere, answering from this one (already caught up) meanwhile.
        const fresh = store.index.loadSaved();
        if (fresh) {
          swapTo(fresh);
          return { changedPosts: fresh.caughtUp };
        }
        startRebuild(rebuild);
        return { changedPosts: 0 };
      },
      onThisDay: (date) => {
        const now = hidden();
        return remembered(`onthisday\0${date}\0${store.archive.changeMark()}\0${now.token}`, () => {
          // Only days with a post from that year or before can answer: the nearest is found at the first try.
          const year = Number(date.slice(0, 4));
          const days = remembered(`days\0${year}\0${store.archive.changeMark()}`, () =>
            store.archive.daysWithPosts(year),
          );
          // A day whose posts are all hidden has none: the nearest day with a post shown answers instead.
          const postsOn = (day: string) =>
            store.archive
              .postsOnDay(day)
              .filter(
                ({ post, opening }) =>
                  !now.post(post.id) &&
                  !(opening && now.passage({ postId: post.id, commentId: null, author: opening.author })),
              );
          return onThisDay(date, postsOn, days, blogUrl);
        });
      },
      week: (week) => {
        const { from, to } = week;
        const now = hidden();
        return remembered(`week\0${from}\0${to}\0${store.archive.changeMark()}\0${now.token}`, () =>
          archiveRoundUp(
            week,
            {
              posts: store.archive
                .postsBetween(from, to)
                .filter(
                  ({ post, opening }) =>
                    !now.post(post.id) &&
                    !(opening && now.passage({ postId: post.id, commentId: null, author: opening.author })),
                ),
              comments: store.archive
                .commentsBetween(from, to)
                .filter(
                  (c) =>
                    !now.post(c.post.id) &&
                    !now.passage({ postId: c.post.id, commentId: c.commentId, author: c.author }) &&
                    !now.passage({ postId: c.post.id, commentId: null, author: c.post.author }),
                ),
            },
            blogUrl,
          ),
        );
      },
      postCount: () => store.archive.postCount(),
      stats: () => ({
        // Counting every comment is the cost here: counted again when a passage has changed since.
        ...remembered(`stats\0${store.archive.changeMark()}`, () => store.archive.stats()),
        indexBytes: store.index.fileBytes(),
        lastSync: store.syncs.get(blogUrl).lastSuccess,
        hidden: store.takedowns.counts(),
      }),
      storage: () => ({ databaseBytes: store.retention.bytes(), indexBytes: store.index.fileBytes() }),
      hiddenItems: () =>
        store.takedowns
          .list(guildId === null ? {} : { guildId })
          // The archive as everyone sees it lists the takedowns made for everyone.
          .filter((t) => guildId !== null || t.guildId === null)
          .map(({ label, hiddenAt, guildId: by }) => ({ label, hiddenAt, inThisServer: by !== null })),
      invalidate: forget,
      building: () => (progress ? { ...progress } : null),
      hideHere: (input, record) => {
        const target = targetOf(store, input);
        const { already } = hide(store, target, { ...record, guildId: inServer() });
        return { label: target.label, already };
      },
      unhideHere: (input, record) => {
        const undone = unhide(store, { id: input }, { ...record, guildId: inServer() });
        return { label: undone.label };
      },
      shownHere: (words, limit) => store.posted.shownIn(inServer(), words, limit),
      shownBy: (messageId) => store.posted.shownBy(messageId),
      hiddenHere: () => store.takedowns.list({ guildId: inServer() }).filter((t) => t.guildId !== null),
    };
  };
  return viewFor(null);
}

/** Open the store under `dataDir` and the archive on it. */
export function openArchive(
  dataDir: string,
  blogUrl: string,
  options: OpenOptions & {
    background?: boolean;
    onRebuildFailed?: (error: unknown) => void;
    onIndexDamaged?: (error: Error) => void;
    /** Answers kept for members asking the same again (default 1,000); the bench keeps none, to time the search. */
    answersKept?: number;
    /** Every stored post's passages are about to be cut again (new rules): seconds at full size, worth a line. */
    onRecutting?: () => void;
  } = {},
): OpenArchive {
  const store = openStore(dataDir, options);
  const stopping = new AbortController();
  try {
    const service = archiveService(store, blogUrl, {
      ...(options.background && {
        rebuild: (onProgress) => rebuildInChild({ dataDir }, { onProgress, signal: stopping.signal }),
      }),
      ...(options.answersKept !== undefined && { answersKept: options.answersKept }),
      ...(options.onIndexDamaged && { onIndexDamaged: options.onIndexDamaged }),
      ...(options.onRecutting && { onRecutting: options.onRecutting }),
      // A build stopped by close() is no failure.
      onRebuildFailed: (error) => {
        if (!stopping.signal.aborted) options.onRebuildFailed?.(error);
      },
    });
    return {
      ...service,
      store,
      close: () => {
        stopping.abort();
        service.invalidate();
        store.close();
      },
    };
  } catch (error) {
    store.close();
    throw error;
  }
}
