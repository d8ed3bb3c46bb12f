// `npm start`: configuration → store → first-start ingest → index → Discord or
// the console mode. Logs go to stderr as structured lines; answers to stdout.
import 'dotenv/config';
import { DateTime } from 'luxon';
import { pino } from 'pino';
import { openArchive } from './archiveService.js';
import { ConfigError, readConfig, type Config } from './config.js';
import { runConsole } from './console.js';
import { ingestSources } from './ingest/ingest.js';

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
  const stop = () => {
    archive.close();
    process.exit(0);
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

  if (config.DISCORD_TOKEN) {
    log.warn('DISCORD_TOKEN is set, but the Discord connection is not part of this version yet: starting the console mode');
  }
  await runConsole({ archive, today: () => DateTime.now().setZone(config.DEFAULT_TIMEZONE).toISODate()! });
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
