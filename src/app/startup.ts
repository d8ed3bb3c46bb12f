// What `npm start` does before it answers anyone: on a first start with an
// empty store, ingest ARCHIVE_SOURCES (a line every five seconds on a long
// one), then load the index.
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { type IngestStore, ingestSources } from '../ingest/ingest.js';
import { type ArchiveService, IndexNotReady } from './archive.js';

export interface StartupOptions {
  store: IngestStore;
  archive: ArchiveService;
  sources: readonly string[];
  blogUrl: string;
  clock: Clock;
  log: Logger;
  /** Where the operator reads what to do about a source that could not be read. */
  tell: (line: string) => void;
}

export async function prepareArchive(options: StartupOptions): Promise<void> {
  const { archive, log } = options;
  for (const warning of archive.warnings) log.warn({ warning }, 'store opened with a problem');
  if (archive.stats().posts === 0) await firstIngest(options);
  const stats = archive.stats();
  try {
    const { origin, unsaved } = archive.index();
    if (unsaved) log.warn({ reason: unsaved }, 'the search index could not be saved: serving it from memory');
    log.info({ index: origin, posts: stats.posts, comments: stats.comments }, 'archive ready');
  } catch (error) {
    if (!(error instanceof IndexNotReady)) throw error;
    // Members are answered meanwhile; a search says the index is being built, with how far it has got.
    log.info(
      { posts: stats.posts, comments: stats.comments },
      'archive ready; the search index is being built in the background',
    );
  }
}

async function firstIngest({ store, sources, blogUrl, clock, log, tell }: StartupOptions): Promise<void> {
  log.info({ sources }, 'empty archive: ingesting ARCHIVE_SOURCES');
  let lastProgress = 0;
  const report = await ingestSources(store, sources, {
    now: () => clock.now().toISOString(),
    blogUrl,
    // One retry: a bot that cannot reach the blog starts with what it has, and the sync tries again.
    sync: { retries: 1 },
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
  for (const error of report.sources.flatMap((s) => s.errors)) {
    tell(
      `Could not ingest: ${error}\n  → set ARCHIVE_SOURCES in .env (for example ARCHIVE_SOURCES=../shared/seeds) or run: npm run cli -- ingest <path>`,
    );
  }
  log.info(report.counts, 'first-start ingest done');
}
