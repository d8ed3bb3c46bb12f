// `npm start`: configuration → store → first-start ingest → index → Discord or
// the console mode. Logs go to stderr as structured lines; answers to stdout.
import 'dotenv/config';
import { DateTime } from 'luxon';
import { pino } from 'pino';
import { openArchive } from './archiveService.js';
import { ConfigError, readConfig, type Config } from './config.js';
import { runConsole } from './console.js';
import { ingestSources } from './ingest/ingest.js';
import { syncBlog, syncState } from './ingest/sync.js';
import { scheduleSync, type SyncSchedule } from './ingest/syncSchedule.js';

async function main(): Promise<number> {
  let config: Config;
  try {
    config = readConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable.\n`);
      return 1;
    }
    throw error;
  }
  const log = pino({ level: config.LOG_LEVEL, redact: ['DISCORD_TOKEN', '*.DISCORD_TOKEN', 'token'] }, pino.destination(2));
  const archive = openArchive(config.DATA_DIR, config.BLOG_URL);
  const schedules: SyncSchedule[] = [];
  const stop = () => {
    void Promise.all(schedules.map((s) => s.stop())).finally(() => {
      archive.close();
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  if (archive.stats().posts === 0) {
    log.info({ sources: config.ARCHIVE_SOURCES }, 'empty archive: ingesting ARCHIVE_SOURCES');
    const report = await ingestSources(archive.db, config.ARCHIVE_SOURCES, {
      now: () => new Date().toISOString(),
      blogUrl: config.BLOG_URL,
      // One retry: a bot that cannot reach the blog starts with what it has, and the hourly sync tries again.
      sync: { retries: 1 },
      onProgress: (e) => {
        if (e.type === 'source') log.info({ source: e.source, n: e.index + 1, of: e.total }, 'ingesting');
      },
    });
    for (const error of report.sources.flatMap((s) => s.errors)) {
      process.stderr.write(`Could not ingest: ${error}\n  → set ARCHIVE_SOURCES in .env (for example ARCHIVE_SOURCES=../shared/seeds) or run: npm run cli -- ingest <path>\n`);
    }
    log.info(report.counts, 'first-start ingest done');
  }
  const { origin } = archive.index();
  const stats = archive.stats();
  log.info({ index: origin, posts: stats.posts, comments: stats.comments }, 'archive ready');

  // Every blog address among the sources is kept in step on a schedule; new posts and comments are logged
  // as events (announcing them in channels comes with the scheduled posts).
  for (const blog of config.ARCHIVE_SOURCES.filter((s) => /^https?:\/\//i.test(s))) {
    schedules.push(scheduleSync({
      intervalMs: config.SYNC_INTERVAL_MS,
      lastSuccess: () => syncState(archive.db, blog).lastSuccess,
      run: () => syncBlog(archive.db, blog, {
        now: () => new Date().toISOString(),
        onEvent: (e) => log.info(e.type === 'new-post'
          ? { event: e.type, postId: e.post.id, title: e.post.title }
          : { event: e.type, commentId: e.comment.id, postId: e.comment.postId }, 'sync event'),
      }),
      onReport: (report) => {
        const { changedPosts } = archive.refresh();
        log.info({ blog, ...report.counts, requests: report.requests, complete: report.complete, changedPosts, errors: report.errors }, 'sync done');
      },
      onError: (error) => log.error({ blog, err: error }, 'sync failed'),
    }));
  }

  if (config.DISCORD_TOKEN) {
    log.warn('DISCORD_TOKEN is set, but the Discord connection is not part of this version yet: starting the console mode');
  }
  await runConsole({ archive, today: () => DateTime.now().setZone(config.DEFAULT_TIMEZONE).toISODate()! });
  await Promise.all(schedules.map((s) => s.stop()));
  archive.close();
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`fatal: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
