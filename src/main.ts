// `npm start`: configuration → store → first-start ingest → index → Discord
// (or the console mode without a token) → the sync schedule. Logs go to
// stderr as structured lines; console answers to stdout. SIGINT/SIGTERM stop
// everything in order: no new work, the running sync finished, the store closed.
import 'dotenv/config';
import { DateTime } from 'luxon';
import { commands, type CommandContext } from '../commands/index.js';
import { openArchive } from './archiveService.js';
import { ConfigError, readConfig, type Config } from './config.js';
import { runConsole } from './console.js';
import { BotLoginError, startBot } from './discord/bot.js';
import { searchSessions } from './discord/sessions.js';
import { ingestSources } from './ingest/ingest.js';
import { syncBlog, syncState } from './ingest/sync.js';
import { scheduleSync, type SyncSchedule } from './ingest/syncSchedule.js';
import { currentNapoNews, currentPetition } from './campaign.js';
import { channelPoster } from './discord/poster.js';
import { createLogger } from './log.js';
import { StorageError } from './store/storageErrors.js';
import { announceNapoNews, announcePetitionMilestones, announcePost, createScheduler } from './scheduler.js';

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
  const log = createLogger(config.LOG_LEVEL);
  let archive: ReturnType<typeof openArchive>;
  try {
    archive = openArchive(config.DATA_DIR, config.BLOG_URL);
  } catch (error) {
    // A disk or permission problem: one line saying where and what to do, no stack trace.
    if (error instanceof StorageError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  for (const warning of archive.warnings) log.warn({ warning }, 'store opened with a problem');
  const schedules: SyncSchedule[] = [];
  let resolveStop: () => void = () => {};
  const stopRequested = new Promise<void>((resolve) => {
    resolveStop = resolve;
  });
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) process.exit(1); // a second Ctrl-C: the operator means it
    stopping = true;
    log.info({ signal }, 'stopping');
    resolveStop();
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  if (archive.stats().posts === 0) {
    log.info({ sources: config.ARCHIVE_SOURCES }, 'empty archive: ingesting ARCHIVE_SOURCES');
    let lastProgress = 0;
    const report = await ingestSources(archive.db, config.ARCHIVE_SOURCES, {
      now: () => new Date().toISOString(),
      blogUrl: config.BLOG_URL,
      // One retry: a bot that cannot reach the blog starts with what it has, and the hourly sync tries again.
      sync: { retries: 1 },
      onProgress: (e) => {
        if (e.type === 'source') {
          log.info({ source: e.source, n: e.index + 1, of: e.total }, 'ingesting');
          return;
        }
        // A long export or a first sync: a line every five seconds says it is moving.
        if (Date.now() - lastProgress < 5_000 && e.done !== e.total) return;
        lastProgress = Date.now();
        log.info(
          { source: e.source, step: e.type === 'feed' ? `${e.feed} feed` : e.type, done: e.done, total: e.total },
          'ingest progress',
        );
      },
    });
    for (const error of report.sources.flatMap((s) => s.errors)) {
      process.stderr.write(
        `Could not ingest: ${error}\n  → set ARCHIVE_SOURCES in .env (for example ARCHIVE_SOURCES=../shared/seeds) or run: npm run cli -- ingest <path>\n`,
      );
    }
    log.info(report.counts, 'first-start ingest done');
  }
  const { origin, unsaved } = archive.index();
  if (unsaved) log.warn({ reason: unsaved }, 'the search index could not be saved: serving it from memory');
  const stats = archive.stats();
  log.info({ index: origin, posts: stats.posts, comments: stats.comments }, 'archive ready');

  // Every blog address among the sources is kept in step on a schedule; new posts and comments are logged
  // as events (announcing them in channels comes with the scheduled posts).
  for (const blog of config.ARCHIVE_SOURCES.filter((s) => /^https?:\/\//i.test(s))) {
    schedules.push(
      scheduleSync({
        intervalMs: config.SYNC_INTERVAL_MS,
        lastSuccess: () => syncState(archive.db, blog).lastSuccess,
        run: () =>
          syncBlog(archive.db, blog, {
            now: () => new Date().toISOString(),
            onEvent: (e) => {
              if (e.type !== 'new-post') return;
              log.info({ event: e.type, postId: e.post.id, title: e.post.title }, 'new post');
              announcePost(archive, e.post, new Date().toISOString());
            },
          }),
        onReport: (report) => {
          const { changedPosts } = archive.refresh();
          log.info(
            {
              blog,
              ...report.counts,
              requests: report.requests,
              complete: report.complete,
              changedPosts,
              errors: report.errors,
            },
            'sync done',
          );
        },
        onError: (error) => log.error({ blog, err: error }, 'sync failed'),
      }),
    );
  }

  const context: CommandContext = {
    archive,
    today: () => DateTime.now().setZone(config.DEFAULT_TIMEZONE).toISODate()!,
    now: () => new Date(),
    blogUrl: config.BLOG_URL,
    petition: { id: Number(config.PETITION_ID), changeOrgUrl: config.CHANGE_ORG_URL ?? null },
    napo: { feedUrl: config.NAPO_FEED_URL ?? null },
    sessions: searchSessions(),
    log,
  };
  const shutDown = async () => {
    await Promise.all(schedules.map((s) => s.stop()));
    archive.close();
  };

  if (!config.DISCORD_TOKEN) {
    await Promise.race([runConsole(context), stopRequested]);
    await shutDown();
    return 0;
  }
  let bot: Awaited<ReturnType<typeof startBot>>;
  let exitCode = 0;
  try {
    bot = await startBot({
      token: config.DISCORD_TOKEN,
      commands,
      context,
      log,
      rest: config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : undefined,
      onFatal: (message) => {
        process.stderr.write(`${message}\n`);
        exitCode = 1;
        resolveStop();
      },
    });
  } catch (error) {
    await shutDown();
    if (error instanceof BotLoginError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  // Scheduled posts run with the bot: digests and announcements every half minute (the ledger makes
  // a second process harmless), the petition checked every 15 minutes, Napo's feed every 30.
  const scheduler = createScheduler({ archive, poster: channelPoster(bot.client), now: () => new Date(), log });
  const jobs = [
    repeat(30_000, () => scheduler.tick(), 'scheduled posts', log),
    repeat(
      15 * 60_000,
      async () => {
        await currentPetition(archive.db, { petitionId: context.petition.id, now: () => new Date(), freshForMs: 0 });
        announcePetitionMilestones(archive, context.petition.id, new Date().toISOString());
      },
      'petition check',
      log,
    ),
    ...(config.NAPO_FEED_URL
      ? [
          repeat(
            30 * 60_000,
            async () => {
              await currentNapoNews(archive.db, {
                feedUrl: config.NAPO_FEED_URL ?? null,
                now: () => new Date(),
                maxAgeMs: 0,
              });
              announceNapoNews(archive, new Date().toISOString());
            },
            'Napo check',
            log,
          ),
        ]
      : []),
  ];
  await stopRequested;
  await Promise.all(jobs.map((job) => job.stop()));
  await bot.stop();
  await shutDown();
  log.info('stopped');
  return exitCode;
}

/** Run `job` now and then every `ms`, never two at once; a failure is logged and the next run goes ahead. */
function repeat(ms: number, job: () => Promise<unknown>, name: string, log: ReturnType<typeof createLogger>) {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const run = () => {
    running = job().catch((error: unknown) => log.error({ err: error, job: name }, 'job failed'));
  };
  run();
  const timer = setInterval(() => {
    if (!stopped) void running.then(run);
  }, ms);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
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
