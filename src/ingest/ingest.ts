// Ingest: sources (files, directories walked recursively, URLs) → parse →
// store. Each file is read and detected on its own, so one bad file is
// reported and skipped while the others are still stored. Blogger exports
// (up to 150 MB) are streamed: read in chunks, stored as they are parsed;
// files read whole (text dumps, saved JSON feed pages) have a size cap.
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import {
  createBloggerExportParser,
  readBloggerJsonFeed,
  type BloggerExportHandlers,
  type BloggerExportSummary,
} from '../archive/blogger.js';
import { detectFormat } from '../archive/detect.js';
import { ArchiveFormatError, type ParsedPost } from '../archive/model.js';
import { parseTextDump } from '../archive/textDump.js';
import { addCounts, emptyCounts, type IngestCounts } from '../store/archive.js';
import type { FeedKind } from '../store/syncState.js';
import type { SourceReport } from './report.js';
import { emptySource, expand } from './sourceFiles.js';
import { type SyncStore, syncBlog, type SyncOptions } from './sync.js';

export type { SourceReport } from './report.js';

/** What ingesting needs of the store. */
export type IngestStore = SyncStore;

export interface IngestReport {
  sources: SourceReport[];
  counts: IngestCounts;
}

export type IngestProgress =
  | { type: 'source'; source: string; index: number; total: number }
  | { type: 'posts'; source: string; done: number; total: number }
  /** A streamed file read so far. */
  | { type: 'bytes'; source: string; done: number; total: number }
  /** Posts whose passages were re-cut after a streamed file was stored. */
  | { type: 'passages'; source: string; done: number; total: number }
  /** Entries of a blog's live feed read so far (`total` as the feed states it). */
  | { type: 'feed'; source: string; feed: FeedKind; done: number; total: number | null };

export interface IngestOptions {
  /** ISO time for `stored_at` (the clock stays at the edge). */
  now: () => string;
  onProgress?: (event: IngestProgress) => void;
  /** The blog's address, for exports that give posts only a file name (Takeout). */
  blogUrl?: string;
  /** Bytes read at a time from a streamed file (default 1 MB). */
  chunkBytes?: number;
  /** For blog addresses: how the live feeds are fetched (tests point `fetch` at a local server). */
  sync?: Omit<SyncOptions, 'now'>;
  /** Stop before the next source (and a blog's sync before its next page): the bot is stopping. */
  signal?: AbortSignal;
}

/** Streamed files are read this much at a time. */
const CHUNK_BYTES = 1024 * 1024;
/** Detection looks at the start of a file only. */
const HEAD_BYTES = 64 * 1024;
/**
 * Files read whole, at most. The seed page copies are ~100 KB and a saved
 * feed page a few MB; a larger one is a mistake or hostile, and reading it
 * whole would cost several times its size in memory.
 */
const MAX_WHOLE_FILE_BYTES = 64 * 1024 * 1024;
/** U+FFFD as UTF-8: a replacement character the file itself holds, not one decoding put there. */
const REPLACEMENT_BYTES = Buffer.from([0xef, 0xbf, 0xbd]);

/** Ingest every input; never throws for bad input, which is reported per source instead. */
export async function ingestSources(
  store: IngestStore,
  inputs: readonly string[],
  options: IngestOptions,
): Promise<IngestReport> {
  const report: IngestReport = { sources: [], counts: emptyCounts() };
  // Expand every input first so progress can say "3/40"; failures keep their place in input order.
  const planned = inputs.flatMap((input) => expand(input));
  const sources = planned.filter((p) => typeof p === 'string' || 'blog' in p);
  let index = 0;
  for (const item of planned) {
    if (typeof item !== 'string' && !('blog' in item)) {
      report.sources.push(item);
      continue;
    }
    const source = typeof item === 'string' ? item : item.blog;
    // What is stored stays; the sources not reached are read on the next start.
    if (options.signal?.aborted) break;
    options.onProgress?.({ type: 'source', source, index: index++, total: sources.length });
    const result =
      typeof item === 'string'
        ? await ingestFile(store, item, options)
        : await syncBlog(store, item.blog, {
            ...options.sync,
            ...(options.signal && { signal: options.signal }),
            now: options.now,
            onProgress: (p) =>
              options.onProgress?.({ type: 'feed', source, feed: p.feed, done: p.read, total: p.total }),
          });
    addCounts(report.counts, result.counts);
    report.sources.push(result);
  }
  return report;
}

async function ingestFile(store: IngestStore, source: string, options: IngestOptions): Promise<SourceReport> {
  const result = emptySource(source);
  let parsed: ParsedPost[];
  try {
    const detection = detectFormat(readHead(source));
    if ('problem' in detection) throw new ArchiveFormatError(source, detection.problem);
    result.format = detection.format;
    if (detection.format === 'blogger-export' || detection.format === 'blogger-takeout') {
      return ingestBloggerExport(store, source, result, options);
    }
    if (detection.format === 'blogger-feed-json') {
      return ingestBloggerJsonFeed(store, source, result, options);
    }
    if (detection.format !== 'text-dump') {
      throw new ArchiveFormatError(
        source,
        `${detection.format} sources are recognised but not yet supported by this version`,
      );
    }
    const bytes = readWhole(source, 'a page copy');
    const checked = badBytes();
    const text = checked.decoded(bytes, new TextDecoder('utf-8').decode(bytes));
    checked.report(source, result.warnings);
    parsed = parseTextDump(text, source);
  } catch (error) {
    result.errors.push(describe(error, source));
    return result;
  }

  parsed.forEach((item, done) => {
    options.onProgress?.({ type: 'posts', source, done, total: parsed.length });
    result.warnings.push(...item.warnings.map((w) => `${source}:${w.line}: ${w.message}`));
    try {
      addCounts(result.counts, store.archive.storePost(item, source, options.now()));
      result.posts++;
      result.comments += item.comments.length;
    } catch (error) {
      // The post's transaction rolled back: nothing of it is stored, everything before it is.
      result.errors.push(
        `${source}:${item.line}: post "${item.post.title}" not stored: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  });
  options.onProgress?.({ type: 'posts', source, done: parsed.length, total: parsed.length });
  return result;
}

/** A file read whole, refused past MAX_WHOLE_FILE_BYTES. */
function readWhole(source: string, what: string): Buffer {
  const size = statSync(source).size;
  if (size > MAX_WHOLE_FILE_BYTES) {
    throw new ArchiveFormatError(
      source,
      `${Math.round(size / 1024 / 1024)} MB is too large for ${what} (at most ${MAX_WHOLE_FILE_BYTES / 1024 / 1024} MB): not read`,
    );
  }
  return readFileSync(source);
}

/**
 * Bytes that are not UTF-8 text: decoding reads them as U+FFFD, and a NUL
 * (never text, and SQLite and terminals treat it badly) is read the same way.
 * Counted chunk by chunk, with the line of the first, so one warning can say
 * where to look.
 */
function badBytes() {
  let count = 0;
  let firstLine: number | null = null;
  let linesBefore = 0;
  return {
    /** `text` decoded from `bytes`, with NULs read as U+FFFD; counts what decoding replaced. */
    decoded(bytes: Uint8Array, text: string): string {
      const out = text.includes('\u0000') ? text.replace(/\u0000/g, '\uFFFD') : text;
      const bad = out.includes('\uFFFD') ? out.split('\uFFFD').length - 1 - occurrences(bytes, REPLACEMENT_BYTES) : 0;
      if (bad > 0 && firstLine === null) {
        const at = out.search(/\uFFFD/);
        firstLine = linesBefore + newlines(out, at) + 1;
      }
      count += Math.max(0, bad);
      if (firstLine === null) linesBefore += newlines(out, out.length);
      return out;
    },
    report(source: string, warnings: string[]): void {
      if (count === 0 || firstLine === null) return;
      const more = count > 1 ? `, here and in ${count - 1} more places` : '';
      warnings.push(
        `${source}:${firstLine}: bytes that are not valid UTF-8 text${more}: read as "\uFFFD" (is the file in another encoding?)`,
      );
    },
  };
}

function occurrences(bytes: Uint8Array, needle: Uint8Array): number {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let n = 0;
  for (let i = buffer.indexOf(needle); i !== -1; i = buffer.indexOf(needle, i + needle.length)) n++;
  return n;
}

function newlines(text: string, before: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < before; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function readHead(source: string): Uint8Array {
  const fd = openSync(source, 'r');
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    return head.subarray(0, readSync(fd, head, 0, HEAD_BYTES, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * Stream a Blogger export into the store: chunks of the file feed the parser,
 * whose posts and comments are stored in batches as they come; passages of
 * the posts that changed are re-cut at the end. Memory stays flat whatever
 * the file's size.
 */
async function ingestBloggerExport(
  store: IngestStore,
  source: string,
  result: SourceReport,
  options: IngestOptions,
): Promise<SourceReport> {
  const into = bloggerInto(store, source, result, options);
  const parser = createBloggerExportParser(into.handlers);

  try {
    const total = statSync(source).size;
    const fd = openSync(source, 'r');
    try {
      const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
      const buffer = Buffer.alloc(chunkBytes);
      const decoder = new TextDecoder('utf-8'); // drops a byte-order mark; `stream` keeps characters split across chunks whole
      const checked = badBytes();
      let done = 0;
      options.onProgress?.({ type: 'bytes', source, done, total });
      for (let n = readSync(fd, buffer, 0, chunkBytes, null); n > 0; n = readSync(fd, buffer, 0, chunkBytes, null)) {
        const bytes = buffer.subarray(0, n);
        parser.write(checked.decoded(bytes, decoder.decode(bytes, { stream: true })));
        done += n;
        options.onProgress?.({ type: 'bytes', source, done, total });
        // A turn of the event loop per chunk: a stop asked for meanwhile (SIGTERM) is heard, and honoured here.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (options.signal?.aborted)
          throw new Error(`${source}: stopped after ${done} of ${total} bytes: the rest is read next time`);
      }
      parser.write(checked.decoded(new Uint8Array(0), decoder.decode()));
      checked.report(source, result.warnings);
    } finally {
      closeSync(fd);
    }
    noteFeedPage(parser.end(), result);
  } catch (error) {
    // What was stored stays stored; the re-cut below still runs for it.
    result.errors.push(describe(error, source));
  }
  return into.finish();
}

/** A feed saved with `?alt=json`: one page, small enough to read whole. */
function ingestBloggerJsonFeed(
  store: IngestStore,
  source: string,
  result: SourceReport,
  options: IngestOptions,
): SourceReport {
  const into = bloggerInto(store, source, result, options);
  try {
    let json: unknown;
    try {
      json = JSON.parse(readWhole(source, 'a saved feed page').toString('utf8'));
    } catch (error) {
      throw new ArchiveFormatError(
        source,
        `JSON that does not parse (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    noteFeedPage(readBloggerJsonFeed(json, into.handlers), result);
  } catch (error) {
    result.errors.push(describe(error, source));
  }
  return into.finish();
}

/** A saved feed page is not the whole blog: say so, and say when it holds summaries only. */
function noteFeedPage(summary: BloggerExportSummary, result: SourceReport): void {
  if (summary.format !== 'feed') return;
  if (summary.next !== null || (summary.totalResults !== null && summary.totalResults > summary.entries)) {
    const total = summary.totalResults === null ? '' : ` of ${summary.totalResults}`;
    result.warnings.push(
      `${result.source}: one page of a feed (${summary.entries}${total} entries): ingest the blog's address to read them all`,
    );
  }
  if (summary.summaryOnly > 0) {
    result.warnings.push(
      `${result.source}: a summary feed: ${summary.summaryOnly} posts are stored with their summary only, until a full export or feed replaces them`,
    );
  }
}

/**
 * Where parsed Blogger entries go: a store stream batching them into
 * transactions, with the source's report kept up to date. `finish` stores
 * what is queued, reports orphans and re-cuts passages.
 */
function bloggerInto(store: IngestStore, source: string, result: SourceReport, options: IngestOptions) {
  const at = (line: number) => `${source}:${line}`;
  const stream = store.archive.openStream({
    source,
    now: options.now,
    onError: (item, message) =>
      result.errors.push(
        item.kind === 'post'
          ? `${at(item.line)}: post "${item.post.title}" not stored: ${message}`
          : `${at(item.line)}: comment ${item.comment.id} not stored: ${message}`,
      ),
  });
  const handlers: BloggerExportHandlers = {
    source,
    blogUrl: options.blogUrl ?? null,
    onPost: (post, line, { summaryOnly }) => {
      result.posts++;
      stream.add({ kind: 'post', post, line, summaryOnly });
    },
    onComment: (comment, line) => {
      result.comments++;
      stream.add({ kind: 'comment', comment, line });
    },
    onWarning: (w) => result.warnings.push(`${at(w.line)}: ${w.message}`),
    onError: (e) => result.errors.push(`${at(e.line)}: ${e.message}`),
  };
  return { handlers, finish: () => finishStream() };

  function finishStream(): SourceReport {
    try {
      const orphans = stream.finish();
      result.comments -= orphans.length;
      for (const { comment, line } of orphans) {
        result.warnings.push(
          `${at(line)}: comment ${comment.id} is on post ${comment.postId}, which is not in this file or the archive: not stored`,
        );
      }
      store.archive.recutStale({
        onProgress: (done, total) => options.onProgress?.({ type: 'passages', source, done, total }),
      });
    } catch (error) {
      // Rows already committed keep their stale flag: the next open re-cuts their passages.
      result.errors.push(describe(error, source));
    }
    addCounts(result.counts, stream.counts);
    return result;
  }
}

function describe(error: unknown, source: string): string {
  if (error instanceof ArchiveFormatError) return error.message;
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    return `${source}: ${error.code === 'EACCES' ? 'permission denied' : error.code === 'EISDIR' ? 'is a directory' : error.message}`;
  }
  return `${source}: ${error instanceof Error ? error.message : String(error)}`;
}
