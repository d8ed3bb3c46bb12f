// Live sync with the blog: read its posts feed, then its comments feed, page
// by page, and store what is new or changed. The first sync reads everything;
// later ones ask only for entries updated since the last complete sync
// (`orderby=updated&updated-min=…`, which Blogger ignores without the
// orderby), so an up-to-date archive costs one request per feed. Progress is
// saved after every stored page, so an interrupted sync resumes where it
// stopped; rows keep their Blogger ids, so a page read twice adds nothing.
// Feeds are read from the blog's own host, the configured blogs' hosts and
// Blogger's, redirects included, and never from anywhere else.
import { setImmediate } from 'node:timers/promises';
import { createBloggerExportParser, type BloggerExportSummary } from '../archive/blogger.js';
import type { Comment, Post } from '../archive/model.js';
import { normalBlogUrl } from '../archive/links.js';
import type { ArchiveItem } from '../store/archive.js';
import type { Repositories } from '../store/store.js';
import type { FeedKind } from '../store/syncState.js';
import { fetchText, SourceFetchError } from '../sources/http.js';
import type { NetworkPolicy } from '../sources/network.js';
import type { SourceReport } from './report.js';

/** What a sync needs of the store. */
export type SyncStore = Pick<Repositories, 'archive' | 'syncs'>;

export type { FeedKind } from '../store/syncState.js';

/** What a sync found that members may want to hear about (the first sync of a blog reports none: it is history). */
export type SyncEvent = { type: 'new-post'; post: Post } | { type: 'new-comment'; comment: Comment };

export type SyncProgress = { type: 'page'; feed: FeedKind; entries: number; read: number; total: number | null };

export interface SyncOptions {
  /** ISO time, for `stored_at` and the sync's own record. */
  now: () => string;
  /** Default INTERNET: https to public addresses only. */
  network?: NetworkPolicy;
  /**
   * The configured blog addresses (BLOG_URL and the blogs among
   * ARCHIVE_SOURCES): a feed may redirect to their hosts, as a blogspot.com
   * blog with its own domain does. The synced blog's host is always allowed.
   */
  blogUrls?: readonly string[];
  userAgent?: string;
  /** Per request. */
  timeoutMs?: number;
  /** Bytes of one feed page read at most (default 10 MB; a page of 150 entries is a few hundred KB). */
  maxBytes?: number;
  /** Retries per page on 5xx and timeouts. */
  retries?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Pages fetched at once, at most (the page stored next plus look-ahead). */
  concurrency?: number;
  /** Entries asked per page; Blogger caps it at about 150 whatever is asked. */
  pageSize?: number;
  /** How far before the last sync's newest entry a later sync starts, for entries edited while it ran. */
  overlapMs?: number;
  onProgress?: (progress: SyncProgress) => void;
  onEvent?: (event: SyncEvent) => void;
  /**
   * A new post's announcement (after the first sync), written in the same
   * transaction as the post, so a crash can never store one without the other.
   */
  announce?: (post: Post) => { title: string; body: string; link: string | null } | null;
  /**
   * What else a new post or comment causes (after the first sync: members' watches matched), written in the same
   * transaction as the item.
   */
  onAdded?: (item: ArchiveItem, now: string) => void;
  /** The petitions a new post (after the first sync) links to, from its text and HTML: recorded with the post, to be offered to admins. */
  petitionLinks?: (post: Post, html: string | undefined) => readonly number[];
  /**
   * Queue new comments (after the first sync) for the threads of their posts, in the transaction that stores
   * each, so a crash can never store one without the other.
   */
  queueComments?: boolean;
  /** Stops the sync at the next page boundary (the bot is stopping); the next sync resumes there. */
  signal?: AbortSignal;
}

export interface SyncReport extends SourceReport {
  /** Requests made, retries included. */
  requests: number;
  /** No sync of this blog had completed before: everything was read, and no events were reported. */
  firstSync: boolean;
  /** Every page of both feeds was read; otherwise the next sync resumes. */
  complete: boolean;
  events: SyncEvent[];
}

const FEEDS: readonly FeedKind[] = ['posts', 'comments'];
const FEED_TYPES = /xml|atom/i;
/** Characters of a feed page parsed between two turns of the event loop (about 20 ms of work). */
const PARSE_SLICE = 24_000;
/** Where Blogger itself serves and redirects feeds. */
const BLOGGER_HOSTS = ['*.blogspot.com', 'www.blogger.com'];
const USER_AGENT = 'probation-archive-bot/0.1 (Discord bot keeping an archive of this blog; polite: one sync an hour)';

/** One feed page read whole: its entries as archive items, in the feed's order. */
export interface FeedPage {
  startIndex: number;
  items: ArchiveItem[];
  summary: BloggerExportSummary;
  warnings: string[];
  /** Requests this page took, retries included. */
  requests: number;
  /** Where the next page starts; null after the last page. */
  next: number | null;
}

/** How a feed is fetched: the sync's own options, less what only storing needs. */
export type FeedOptions = Pick<
  SyncOptions,
  | 'network'
  | 'blogUrls'
  | 'userAgent'
  | 'timeoutMs'
  | 'maxBytes'
  | 'retries'
  | 'sleep'
  | 'concurrency'
  | 'pageSize'
  | 'signal'
>;

/**
 * Bring the store up to date with the blog. Never throws for what the network
 * or the blog gets wrong: that is reported in `errors`, and what was stored
 * before it stays stored.
 */
export async function syncBlog(store: SyncStore, blogUrl: string, options: SyncOptions): Promise<SyncReport> {
  const blog = normalBlogUrl(blogUrl);
  const report: SyncReport = {
    source: blog,
    format: null,
    posts: 0,
    comments: 0,
    counts: { added: 0, updated: 0, skipped: 0 },
    warnings: [],
    errors: [],
    requests: 0,
    firstSync: false,
    complete: false,
    events: [],
  };
  const state = store.syncs.get(blog);
  report.firstSync = state.lastSuccess === null;
  state.lastAttempt = options.now();
  store.syncs.save(blog, state);

  let orphanComments = 0;
  let summaryOnly = 0;
  const stream = store.archive.openStream({
    source: blog,
    ...(options.announce && !report.firstSync && { announce: options.announce }),
    ...(options.onAdded && !report.firstSync && { onAdded: options.onAdded }),
    ...(options.petitionLinks && !report.firstSync && { petitionLinks: options.petitionLinks }),
    ...(options.queueComments && !report.firstSync && { queueComments: true }),
    now: options.now,
    onError: (item, message) =>
      report.errors.push(
        item.kind === 'post'
          ? `${blog}: post "${item.post.title}" not stored: ${message}`
          : `${blog}: comment ${item.comment.id} not stored: ${message}`,
      ),
    onStored: (item, outcome) => {
      if (outcome !== 'added' || report.firstSync) return;
      const event: SyncEvent =
        item.kind === 'post' ? { type: 'new-post', post: item.post } : { type: 'new-comment', comment: item.comment };
      report.events.push(event);
      options.onEvent?.(event);
    },
  });

  // Posts are read even when the comments feed is the one resumed: that costs a request or two and
  // stores new posts before the comments that answer them.
  const interrupted = state.resume;
  try {
    for (const feed of FEEDS) {
      const resume = interrupted?.feed === feed ? interrupted : null;
      const cursor = state.cursors[feed];
      const updatedMin = resume
        ? resume.updatedMin
        : cursor === null
          ? null
          : new Date(Date.parse(cursor) - (options.overlapMs ?? 3_600_000)).toISOString();
      let newest = resume?.newest ?? null;
      let startIndex = resume?.startIndex ?? 1;
      state.resume = { feed, startIndex, updatedMin, newest };
      store.syncs.save(blog, state);

      let read = 0;
      for await (const page of feedPages(blog, feed, { updatedMin, startIndex }, options)) {
        report.requests += page.requests;
        report.warnings.push(...page.warnings);
        for (const item of page.items) {
          if (item.kind === 'post') report.posts++;
          else report.comments++;
          stream.add(item);
        }
        const orphans = stream.finish();
        orphanComments += orphans.length;
        report.comments -= orphans.length;
        summaryOnly += page.summary.summaryOnly;
        read += page.summary.entries;
        newest = later(newest, page.summary.newestUpdate);
        options.onProgress?.({
          type: 'page',
          feed,
          entries: page.summary.entries,
          read,
          total: page.summary.totalResults,
        });
        if (page.next === null) break;
        startIndex = page.next;
        state.resume = { feed, startIndex, updatedMin, newest };
        store.syncs.save(blog, state);
      }
      state.cursors[feed] = later(cursor, newest);
      state.resume = null;
      store.syncs.save(blog, state);
    }
    report.complete = true;
    state.lastSuccess = options.now();
    state.lastError = null;
  } catch (error) {
    const message =
      error instanceof SourceFetchError
        ? error.message
        : `${blog}: ${error instanceof Error ? error.message : String(error)}`;
    const resume = state.resume;
    const where =
      resume && (resume.startIndex > 1 || resume.feed !== 'posts')
        ? `; the next sync resumes at entry ${resume.startIndex} of the ${resume.feed} feed`
        : '';
    report.errors.push(`${message}${where}`);
    state.lastError = message;
  } finally {
    try {
      store.syncs.save(blog, state);
    } catch (error) {
      // A full disk or a read-only store: the sync's record stays as the last page left it.
      report.errors.push(
        `${blog}: the sync's progress could not be saved: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  if (orphanComments > 0) {
    report.warnings.push(`${blog}: ${orphanComments} comments are on pages or posts not in the archive: not stored`);
  }
  if (summaryOnly > 0) {
    report.warnings.push(
      `${blog}: the blog publishes summary feeds: ${summaryOnly} posts were read as summaries (a summary never replaces full text already stored; ingest a Blogger export for the whole text)`,
    );
  }
  try {
    store.archive.recutStale();
  } catch (error) {
    // The posts stay flagged stale; the next open re-cuts them.
    report.errors.push(
      `${blog}: passages could not be re-cut now: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  report.counts = { ...stream.counts };
  return report;
}

/**
 * Every page of one feed from `startIndex` on, in order, each read whole (a page that cannot be is an error, thrown
 * as SourceFetchError). The pages after the one handed out are fetched ahead, `concurrency` at once at most; the
 * next is asked for only once the caller has finished with the last (stored it, saved its place). Stops, with an
 * error, when `signal` is aborted. The sync and the reconciliation both read feeds through it.
 */
export async function* feedPages(
  blog: string,
  feed: FeedKind,
  from: { updatedMin: string | null; startIndex: number },
  options: FeedOptions,
): AsyncGenerator<FeedPage> {
  const pages = pageReader(blog, feed, from.updatedMin, options);
  let startIndex = from.startIndex;
  for (;;) {
    if (options.signal?.aborted) throw new Error(`reading the ${feed} feed was stopped: the bot is stopping`);
    const page = await pages.read(startIndex);
    const next = page.items.length === 0 && page.summary.entries === 0 ? null : startOf(page.summary.next);
    const last = next === null || next <= startIndex;
    yield { ...page, next: last ? null : next };
    if (last) return;
    startIndex = next;
    pages.lookAhead(startIndex, next - page.startIndex, page.summary.totalResults, onBlog(page.summary.next!, blog));
  }
}

type Page = Omit<FeedPage, 'next'>;

/**
 * Fetches pages of one feed. The page stored next is always read (awaited);
 * `lookAhead` starts the pages after it, up to `concurrency` at once, when the
 * feed's total says they exist. Pages are parsed as they arrive but stored in
 * order by the caller, so a resume point is always a page boundary.
 */
function pageReader(blog: string, feed: FeedKind, updatedMin: string | null, options: FeedOptions) {
  const inFlight = new Map<number, Promise<Page>>();
  let template = firstPageUrl(blog, feed, updatedMin, options.pageSize ?? 150);

  const fetchPage = (startIndex: number): Promise<Page> => {
    const promise = readPage(withStart(template, startIndex), startIndex, feed, blog, options);
    promise.catch(() => {}); // awaited when its turn comes; a look-ahead never reached must not be an unhandled rejection
    inFlight.set(startIndex, promise);
    return promise;
  };

  return {
    read(startIndex: number): Promise<Page> {
      const promise = inFlight.get(startIndex) ?? fetchPage(startIndex);
      inFlight.delete(startIndex);
      return promise;
    },
    lookAhead(next: number, step: number, total: number | null, nextUrl: string): void {
      template = nextUrl;
      const concurrency = Math.max(1, options.concurrency ?? 2);
      for (let i = 0; i < concurrency; i++) {
        const start = next + i * step;
        if (i > 0 && (total === null || start > total)) break;
        if (!inFlight.has(start)) fetchPage(start);
      }
      for (const start of inFlight.keys()) if (start < next) inFlight.delete(start);
    },
  };
}

async function readPage(
  url: string,
  startIndex: number,
  feed: FeedKind,
  blog: string,
  options: FeedOptions,
): Promise<Page> {
  const fetched = await fetchText(url, {
    network: options.network,
    hosts: feedHosts(blog, options.blogUrls ?? []),
    timeoutMs: options.timeoutMs ?? 30_000,
    maxBytes: options.maxBytes,
    retries: options.retries ?? 3,
    sleep: options.sleep,
    userAgent: options.userAgent ?? USER_AGENT,
    accept: 'application/atom+xml, application/xml;q=0.9',
    types: FEED_TYPES,
    what: `the ${feed} feed`,
  });
  if (!/<feed[\s>]/.test(fetched.text.slice(0, 8192))) {
    throw new SourceFetchError(
      'wrong-type',
      `the ${feed} feed ${url} did not send an Atom feed: is ${blog} a Blogger blog?`,
    );
  }
  const items: ArchiveItem[] = [];
  const warnings: string[] = [];
  const problems: string[] = [];
  const parser = createBloggerExportParser({
    source: url,
    blogUrl: blog,
    onPost: (post, line, { summaryOnly, html }) => {
      // A posts feed holds only posts; a comment entry there would be a misreading, and vice versa.
      if (feed === 'posts') items.push({ kind: 'post', post, line, summaryOnly, html });
    },
    onComment: (comment, line) => {
      if (feed === 'comments') items.push({ kind: 'comment', comment, line });
    },
    onWarning: (w) => warnings.push(`${url}:${w.line}: ${w.message}`),
    onError: (e) => problems.push(`${url}:${e.line}: ${e.message}`),
  });
  // A page of 150 comments takes a tenth of a second to read: in slices, so members are answered in between.
  const { text } = fetched;
  for (let at = 0; at < text.length; ) {
    let end = Math.min(text.length, at + PARSE_SLICE);
    // Never between the two halves of a character outside the BMP (an emoji).
    if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end--;
    parser.write(text.slice(at, end));
    at = end;
    await setImmediate();
  }
  const summary = parser.end();
  // A page cut off or too deep to read is not stored at all: the sync stops here and the next one reads it again.
  if (problems.length > 0)
    throw new SourceFetchError('unreadable', `the ${feed} feed could not be read whole: ${problems[0]}`);
  return { startIndex, items, summary, warnings, requests: fetched.attempts };
}

/** The hosts a blog's feeds may be read from: its own, the configured blogs', and Blogger's. */
export function feedHosts(blog: string, blogUrls: readonly string[]): string[] {
  const hosts = [blog, ...blogUrls].flatMap((address) => {
    try {
      return /^https?:\/\//i.test(address) ? [new URL(address).host] : [];
    } catch {
      return [];
    }
  });
  return [...new Set([...hosts, ...BLOGGER_HOSTS])];
}

function firstPageUrl(blog: string, feed: FeedKind, updatedMin: string | null, pageSize: number): string {
  const url = new URL(`${blog}/feeds/${feed}/default`);
  url.searchParams.set('max-results', String(pageSize));
  if (updatedMin) {
    url.searchParams.set('orderby', 'updated');
    url.searchParams.set('updated-min', updatedMin);
  }
  return url.toString();
}

/**
 * A feed page's own "next" address, put on the blog's scheme and host: a feed
 * first read over http lists its pages as http, and a page's links never take
 * the sync to another site.
 */
function onBlog(next: string, blog: string): string {
  const url = new URL(next);
  const home = new URL(blog);
  url.protocol = home.protocol;
  url.host = home.host;
  return url.toString();
}

/** The same query at another `start-index`. */
function withStart(url: string, startIndex: number): string {
  const next = new URL(url);
  next.searchParams.set('start-index', String(startIndex));
  return next.toString();
}

function startOf(url: string | null): number | null {
  if (!url) return null;
  try {
    const value = Number(new URL(url).searchParams.get('start-index'));
    return Number.isSafeInteger(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}

function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}
