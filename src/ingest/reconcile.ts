// Deletions followed: the blog's feeds leave deleted posts and comments out
// rather than marking them, and the sync asks only for what changed, so a
// deletion on the blog is never seen by it. A reconciliation reads both feeds
// whole (as the first sync does: page by page, politely), compares the ids the
// blog has with the archive's, marks what the blog no longer has as deleted
// (thread shape kept, text gone from the store and the index) and writes back
// what it has again. It changes nothing unless both feeds were read to the end,
// and marks no more than a share of the archive deleted unless forced: a fault
// (the network, the blog, this program) must never empty the archive.
import { normalBlogUrl } from '../archive/links.js';
import type { ArchiveItem } from '../store/archive.js';
import type { BlogItems } from '../store/blogDeletions.js';
import type { Repositories } from '../store/store.js';
import { SourceFetchError } from '../sources/http.js';
import { type FeedKind, type FeedOptions, feedPages } from './sync.js';

export type ReconcileStore = Pick<Repositories, 'archive' | 'deletions'>;

export interface ReconcileOptions extends FeedOptions {
  /** ISO time: when things were marked, and how long the run took. */
  now: () => string;
  /** Mark what the blog lacks even past `maxShare` (the operator's `cli reconcile --force`). */
  force?: boolean;
  /** The share of the blog's archived posts, or of its comments, one run marks deleted at most (default 0.2). */
  maxShare?: number;
  onProgress?: (progress: { feed: FeedKind; read: number; total: number | null }) => void;
}

export interface ReconcileReport {
  blog: string;
  /** Requests made, retries included. */
  requests: number;
  seconds: number;
  /** Entries the blog's feeds listed. */
  onBlog: { posts: number; comments: number };
  /** The blog's posts and comments the archive held as present, compared with the feeds. */
  compared: { posts: number; comments: number };
  deleted: { posts: number; comments: number };
  restored: { posts: number; comments: number };
  /** Both feeds were read to the end and the comparison was made. */
  complete: boolean;
  /** Why what the blog lacks was not marked deleted (too much at once): nothing was. */
  refused: string | null;
  warnings: string[];
  errors: string[];
}

const FEEDS: readonly FeedKind[] = ['posts', 'comments'];
const MAX_SHARE = 0.2;

/** What the blog's feeds hold: every id, and the entries of those the archive has recorded as deleted. */
interface BlogNow {
  ids: Record<FeedKind, Set<string>>;
  returning: ArchiveItem[];
}

/**
 * Compare the archive with the blog and follow its deletions. Never throws for what the network or the blog gets
 * wrong: that is in `errors`, and then nothing was changed.
 */
export async function reconcileBlog(
  store: ReconcileStore,
  blogUrl: string,
  options: ReconcileOptions,
): Promise<ReconcileReport> {
  const blog = normalBlogUrl(blogUrl);
  const started = options.now();
  const report: ReconcileReport = {
    blog,
    requests: 0,
    seconds: 0,
    onBlog: { posts: 0, comments: 0 },
    compared: { posts: 0, comments: 0 },
    deleted: { posts: 0, comments: 0 },
    restored: { posts: 0, comments: 0 },
    complete: false,
    refused: null,
    warnings: [],
    errors: [],
  };
  const record = store.deletions.record(blog);
  store.deletions.saveRecord(blog, { ...record, lastAttempt: started });
  const finish = (error: string | null): ReconcileReport => {
    report.seconds = (Date.parse(options.now()) - Date.parse(started)) / 1000;
    if (error) report.errors.push(error);
    store.deletions.saveRecord(blog, {
      lastAttempt: started,
      lastSuccess: error ? record.lastSuccess : started,
      lastError: error,
    });
    return report;
  };

  const gone = store.deletions.deleted(blog);
  let onBlog: BlogNow;
  try {
    onBlog = await readBlog(blog, gone, options, report);
  } catch (error) {
    const message =
      error instanceof SourceFetchError
        ? error.message
        : `${blog}: ${error instanceof Error ? error.message : String(error)}`;
    return finish(`${message}; nothing was marked deleted or restored`);
  }
  report.onBlog = { posts: onBlog.ids.posts.size, comments: onBlog.ids.comments.size };

  try {
    compare(store, blog, onBlog, started, options, report);
  } catch (error) {
    // A full disk, a read-only store: what committed stays (each batch whole), the rest waits for the next run.
    return finish(
      `${blog}: the archive could not be changed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  report.complete = true;
  return finish(null);
}

/** Write back what the blog has again, then mark what it lacks (unless too much of it at once). */
function compare(
  store: ReconcileStore,
  blog: string,
  onBlog: BlogNow,
  started: string,
  options: ReconcileOptions,
  report: ReconcileReport,
): void {
  restore(store, blog, onBlog.returning, options.now, report);

  // Only what was stored before this run began: a post the sync stored meanwhile may be newer than the feed read.
  const present = store.deletions.present(blog, started);
  report.compared = { posts: present.posts.length, comments: present.comments.length };
  const missing: BlogItems = {
    posts: present.posts.filter((id) => !onBlog.ids.posts.has(id)),
    comments: present.comments.filter((id) => !onBlog.ids.comments.has(id)),
  };
  const share = options.maxShare ?? MAX_SHARE;
  const tooMany = (lacking: number, of: number) => lacking > 0 && lacking > share * of;
  if (
    !options.force &&
    (tooMany(missing.posts.length, present.posts.length) || tooMany(missing.comments.length, present.comments.length))
  ) {
    report.refused =
      `${blog}: the blog's feeds lack ${missing.posts.length} of the archive's ${present.posts.length} posts and ` +
      `${missing.comments.length} of its ${present.comments.length} comments, more than ${Math.round(share * 100)} % ` +
      'at once: nothing was marked deleted. If the blog really lost them, run `cli reconcile --force`.';
    report.warnings.push(report.refused);
  } else {
    report.deleted = store.deletions.markDeleted(blog, missing, options.now());
  }
}

/** Both feeds, every page; an error (a page unread, unreadable, or the feed's count not met) throws. */
async function readBlog(blog: string, gone: BlogItems, options: ReconcileOptions, report: ReconcileReport) {
  const wanted = { posts: new Set(gone.posts), comments: new Set(gone.comments) };
  const now: BlogNow = { ids: { posts: new Set(), comments: new Set() }, returning: [] };
  for (const feed of FEEDS) {
    let total: number | null = null;
    let read = 0;
    for await (const page of feedPages(blog, feed, { updatedMin: null, startIndex: 1 }, options)) {
      report.requests += page.requests;
      report.warnings.push(...page.warnings);
      const said = page.summary.totalResults;
      if (said === null) throw new Error(`the ${feed} feed did not say how many entries it has: it cannot be compared`);
      // The feeds list the newest first: an entry added while they are read pushes the rest down a place (one is
      // read twice), but one deleted pulls them up, and the entry crossing a page boundary would be missed.
      if (total !== null && said < total)
        throw new Error(`the ${feed} feed lost entries while it was read (${total}, then ${said}): try again later`);
      total = said;
      // An entry not read (no Blogger id, say) would be taken for a deletion: the run stops rather than guess.
      const { unreadable } = page.summary;
      if (unreadable > 0)
        throw new Error(
          `the ${feed} feed has ${unreadable} ${unreadable === 1 ? 'entry' : 'entries'} that could not be read`,
        );
      read += page.summary.entries;
      for (const item of page.items) {
        const id = item.kind === 'post' ? item.post.id : item.comment.id;
        now.ids[feed].add(id);
        if (wanted[feed].has(id)) now.returning.push(item);
      }
      options.onProgress?.({ feed, read, total });
    }
    if (total === null || read < total)
      throw new Error(`the ${feed} feed listed ${total ?? 'no'} entries but ${read} were read: it ended early`);
  }
  return now;
}

/** What the blog has again: its text written back from the feed, then shown again. */
function restore(
  store: ReconcileStore,
  blog: string,
  returning: ArchiveItem[],
  now: () => string,
  report: ReconcileReport,
): void {
  if (returning.length === 0) return;
  const failed = new Set<string>();
  const idOf = (item: ArchiveItem) => (item.kind === 'post' ? item.post.id : item.comment.id);
  const stream = store.archive.openStream({
    source: blog,
    now,
    restoreGone: true,
    onError: (item, message) => {
      failed.add(idOf(item));
      report.errors.push(`${blog}: ${item.kind} ${idOf(item)} not restored: ${message}`);
    },
  });
  // Posts first: a comment comes back onto its post.
  for (const item of returning) if (item.kind === 'post') stream.add(item);
  for (const item of returning) if (item.kind === 'comment') stream.add(item);
  for (const orphan of stream.finish()) failed.add(orphan.comment.id);
  store.archive.recutStale();
  const back = (kind: ArchiveItem['kind']) =>
    returning.filter((item) => item.kind === kind && !failed.has(idOf(item))).map(idOf);
  report.restored = store.deletions.restore(blog, { posts: back('post'), comments: back('comment') }, now());
}
