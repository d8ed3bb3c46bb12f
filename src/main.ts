// `npm start`: configuration → store → first-start ingest → index → the
// console (no token) or Discord → jobs. Only wiring: what each part does is
// in src/app (use cases), src/jobs (what runs on a schedule) and the edges.
// SIGINT/SIGTERM stop it in order: no new runs, running jobs finished
// (bounded), the connection to Discord closed, the store closed last.
import 'dotenv/config';
import { DateTime } from 'luxon';
import { commands } from '../commands/index.js';
import { openArchive } from './app/archive.js';
import { campaignViews } from './app/campaign.js';
import { createScheduler } from './app/deliveries.js';
import { serverSettings } from './app/serverSettings.js';
import { prepareArchive } from './app/startup.js';
import { systemClock as clock } from './clock.js';
import { loadConfig } from './config.js';
import { runConsole } from './console/console.js';
import { loginRefused, startBot } from './discord/bot.js';
import { channelPoster } from './discord/poster.js';
import { searchSessions } from './discord/sessions.js';
import { napoJob, petitionJob } from './jobs/campaign.js';
import { startJobs } from './jobs/runner.js';
import { scheduledPostsJob } from './jobs/scheduledPosts.js';
import { syncJob } from './jobs/sync.js';
import { createLogger } from './log.js';
import { onStopSignal, orExplain } from './process.js';

async function main(): Promise<number> {
  const config = loadConfig(process.env, (line) => process.stderr.write(`${line}\n`));
  if (!config) return 1;
  const log = createLogger(config.LOG_LEVEL);
  const archive = orExplain(() => openArchive(config.DATA_DIR, config.BLOG_URL));
  if (!archive) return 1;
  const { store } = archive;
  const stop = onStopSignal(log);
  const tell = (line: string) => process.stderr.write(`${line}\n`);
  await prepareArchive({ store, archive, sources: config.ARCHIVE_SOURCES, blogUrl: config.BLOG_URL, clock, log, tell });

  const petition = { id: Number(config.PETITION_ID), changeOrgUrl: config.CHANGE_ORG_URL ?? null };
  const napo = { feedUrl: config.NAPO_FEED_URL ?? null };
  const context = {
    archive,
    today: () => DateTime.now().setZone(config.DEFAULT_TIMEZONE).toISODate()!,
    now: () => clock.now(),
    blogUrl: config.BLOG_URL,
    campaign: campaignViews(store, { petition, napo }, () => clock.now()),
    settings: serverSettings(store, clock),
    sessions: searchSessions(),
    log,
  };
  const jobs = [
    ...config.ARCHIVE_SOURCES.filter((s) => /^https?:\/\//i.test(s)).map((blogUrl) =>
      syncJob({ store, archive, blogUrl, every: config.SYNC_INTERVAL_MS, clock, log }),
    ),
    petitionJob(store, petition, clock),
    ...(napo.feedUrl ? [napoJob(store, { feedUrl: napo.feedUrl }, clock)] : []),
  ];

  let exitCode = 0;
  const bot = config.DISCORD_TOKEN
    ? await startBot({
        token: config.DISCORD_TOKEN,
        commands,
        context,
        log,
        rest: config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : undefined,
        onFatal: (message) => {
          exitCode = 1;
          stop.now(message);
        },
      }).catch(loginRefused)
    : undefined;
  if (bot === null) {
    archive.close();
    return 1;
  }
  if (bot)
    jobs.push(scheduledPostsJob(createScheduler({ store, archive, poster: channelPoster(bot.client), clock, log })));
  const runner = startJobs(jobs, { clock, log });
  await (bot ? stop.requested : Promise.race([runConsole(commands, context), stop.requested]));
  await runner.stop();
  await bot?.stop();
  archive.close();
  log.info('stopped');
  return exitCode;
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
