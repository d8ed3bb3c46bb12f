// What `npm start` does before it answers anyone: ingest every source of
// ARCHIVE_SOURCES not yet read to the end (all of them on a first start; a
// line every five seconds on a long one), then load the index. A source is
// recorded as read when its ingest completes, with what it was (files, bytes,
// last change), so one cut short by a crash or a stop is read again on the
// next start, whatever the archive already holds.
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { IngestStore } from '../ingest/ingest.js';
import type { NetworkPolicy } from '../sources/network.js';
import type { Repositories } from '../store/store.js';
import { type ArchiveService, IndexNotReady } from './archive.js';
import { recordSourcesRead, unreadSources } from './sourcesRead.js';

type StartupStore = IngestStore & Pick<Repositories, 'meta'>;

export interface StartupOptions {
  store: StartupStore;
  archive: ArchiveService;
  sources: readonly string[];
  blogUrl: string;
  clock: Clock;
  log: Logger;
  /** Where the operator reads what to do about a source that could not be read. */
  tell: (line: string) => void;
  /** Aborted when the bot is asked to stop: the ingest stops at the next source or feed page. */
  signal?: AbortSignal;
  /** Default INTERNET: https to public addresses only. */
  network?: NetworkPolicy;
}

export async function prepareArchive(options: StartupOptions): Promise<void> {
  const { archive, log, store } = options;
  for (const warning of archive.warnings) log.warn({ warning }, 'store opened with a problem');
  // Not stats(): counting every comment and passage would add ~75 ms to a start at full size.
  const empty = archive.postCount() === 0;
  // A blog address is the sync's to finish (it resumes at the page it reached); on a first start it fills the archive.
  const unread = unreadSources(store, options.sources, empty);
  if (unread.length > 0) {
    if (!empty) {
      log.warn(
        { sources: unread },
        'sources not read to the end before (an ingest cut short) or changed since: reading them again; what is stored is kept',
      );
    }
    await ingestUnread(options, unread);
  }
  // Stopping: no index to build for a process about to exit.
  if (options.signal?.aborted) return;
  const posts = archive.postCount();
  try {
    const { origin, unsaved } = archive.index();
    if (unsaved) log.warn({ reason: unsaved }, 'the search index could not be saved: serving it from memory');
    log.info({ index: origin, posts }, 'archive ready');
  } catch (error) {
    if (!(error instanceof IndexNotReady)) throw error;
    // Members are answered meanwhile; a search says the index is being built, with how far it has got.
    log.info({ posts }, 'archive ready; the search index is being built in the background');
  }
}

async function ingestUnread(options: StartupOptions, sources: readonly string[]): Promise<void> {
  const { store, blogUrl, clock, log, tell, signal, network } = options;
  log.info({ sources }, 'ingesting ARCHIVE_SOURCES');
  let lastProgress = 0;
  // The parsers load with the first ingest, not with every start.
  const { ingestSources } = await import('../ingest/ingest.js');
  const report = await ingestSources(store, sources, {
    now: () => clock.now().toISOString(),
    blogUrl,
    // One retry: a bot that cannot reach the blog starts with what it has, and the sync tries again.
    // The configured blogs (all of them, read or not): a feed may redirect to their hosts.
    sync: { retries: 1, blogUrls: [blogUrl, ...options.sources], ...(network && { network }) },
    ...(signal && { signal }),
    onProgress: (e) => {
      if (e.type === 'source') {
        log.info({ source: e.source, n: e.index + 1, of: e.total }, 'ingesting');
        return;
      }
      // A long export or a first sync: a line every five seconds says it is moving.
      const at = clock.now().getTime();
      if (at - lastProgress < 5_000 && e.done !== e.total) return;
      lastProgress = at;
      const step = e.type === 'feed' ? `${e.feed} feed` : e.type;
      log.info({ source: e.source, step, done: e.done, total: e.total }, 'ingest progress');
    },
  });
  if (signal?.aborted) {
    log.warn(
      { where: report.sources.flatMap((s) => s.errors) },
      'ingest stopped: the sources not read to the end are read on the next start',
    );
    return;
  }
  for (const error of report.sources.flatMap((s) => s.errors)) {
    tell(
      `Could not ingest: ${error}\n  → set ARCHIVE_SOURCES in .env (for example ARCHIVE_SOURCES=../shared/seeds) or run: npm run cli -- ingest <path>`,
    );
  }
  recordSourcesRead(store, sources, report, clock.now().toISOString());
  log.info(report.counts, 'ingest of ARCHIVE_SOURCES done');
}
