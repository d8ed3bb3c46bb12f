// `npm start`: configuration → store → first-start ingest → index → the
// console (no token) or Discord → jobs. Only wiring: what each part does is
// in src/app (use cases), src/jobs (what runs on a schedule) and the edges.
// SIGINT/SIGTERM stop it in order: no new runs, running jobs finished
// (bounded), the connection to Discord closed, the store closed last.
// With SHARD_COUNT (and a token) this process is the shard manager instead,
// and each shard it starts runs this file again as the bot.
import { join } from 'node:path';
import { whenFree } from './store/busy.js';
import type { PostedMessage } from './store/posted.js';
import 'dotenv/config';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { commands } from '../commands/index.js';
import { openArchive } from './app/archive.js';
import { campaignSources, campaignViews } from './app/campaign.js';
import { announcementChart } from './app/petitionChart.js';
import { serverSettings } from './app/serverSettings.js';
import { watchService } from './app/watches.js';
import { prepareArchive } from './app/startup.js';
import { systemClock as clock } from './clock.js';
import { loadConfig } from './config.js';
import { runConsole } from './console/console.js';
import { renderChart } from './render/chart.js';
import { storedSessions } from './discord/sessions.js';
import { allJobs } from './jobs/all.js';
import { startJobs } from './jobs/runner.js';
import { createLogger } from './log.js';
import { startOps } from './ops/health.js';
import { onStopSignal, orExplain, watchEventLoop } from './process.js';

async function main(): Promise<number> {
  const config = loadConfig(process.env, (line) => process.stderr.write(`${line}\n`));
  if (!config) return 1;
  // discord.js only with a token: the console starts without loading it (~300 ms).
  const discord = config.DISCORD_TOKEN
    ? { token: config.DISCORD_TOKEN, ...(await import('./discord/frontEnd.js')) }
    : null;
  const shard = discord?.shardOfThisProcess() ?? null;
  const log = shard ? createLogger(config.LOG_LEVEL).child({ shards: shard.ids }) : createLogger(config.LOG_LEVEL);
  if (discord && config.SHARD_COUNT !== 1 && !shard) {
    const { SHARD_COUNT: count, DISCORD_API_URL: api } = config;
    return discord.runShards({ entry: fileURLToPath(import.meta.url), count, token: discord.token, api, log });
  }
  // Writes wait for another process's lock between timers (whenFree), not inside SQLite with the event loop blocked.
  // With Discord, full index rebuilds run in a child process, the loaded index answering meanwhile (members
  // have 3 s); the console's operator can wait for one.
  const archive = orExplain(() =>
    openArchive(config.DATA_DIR, config.BLOG_URL, {
      busyTimeoutMs: 100,
      backupDir: config.BACKUP_DIR,
      background: Boolean(config.DISCORD_TOKEN),
      onRebuildFailed: (error) => log.error({ err: error }, 'the search index could not be rebuilt; tried again later'),
      onRecutting: () =>
        log.info("this version cuts passages differently: every post's passages are cut again, once (seconds)"),
      onIndexDamaged: (error) =>
        log.error({ err: error }, 'the saved search index is damaged: set aside as search.index.corrupt and rebuilt'),
    }),
  );
  if (!archive) return 1;
  const { store } = archive;
  // A shard's manager passes every stop on, and is the one to end a shard at once.
  const stop = onStopSignal(log, { repeatEndsAtOnce: !shard });
  if (shard) discord?.followManager(stop);
  const tell = (line: string) => process.stderr.write(`${line}\n`);
  // Health and metrics (HEALTH_PORT) from before the first ingest: "starting" is an answer too. Shard i: HEALTH_PORT + i.
  const ops = await startOps(config, { store, archive, log, now: () => clock.now(), shard }).catch(tellAndNull);
  if (ops === null) {
    archive.close();
    return 1;
  }
  const stopping = new AbortController();
  void stop.requested.then(() => stopping.abort());
  await prepareArchive({
    store,
    archive,
    sources: config.ARCHIVE_SOURCES,
    blogUrl: config.BLOG_URL,
    clock,
    log,
    tell,
    signal: stopping.signal,
  });
  ops?.started();
  if (stopping.signal.aborted) {
    await ops?.close();
    archive.close();
    log.info('stopped');
    return stop.failed() ? 1 : 0;
  }

  const context = {
    archive,
    today: () => DateTime.now().setZone(config.DEFAULT_TIMEZONE).toISODate()!,
    now: () => clock.now(),
    blogUrl: config.BLOG_URL,
    campaign: campaignViews(store, campaignSources(config), () => clock.now(), renderChart),
    settings: serverSettings(store, clock),
    sessions: storedSessions(store.sessions, clock),
    log,
    eventLoopDelay: watchEventLoop(),
    metrics: ops?.interactions,
    posted: { record: (m: PostedMessage) => store.posted.record(m, clock.now().toISOString()) },
    watches: watchService(store, clock),
  };
  const bot = discord
    ? await discord
        .startBot({
          token: discord.token,
          commands,
          context,
          log,
          rest: config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : undefined,
          onFatal: stop.fatal,
        })
        .catch(discord.loginRefused)
    : undefined;
  if (bot === null) {
    await ops?.close();
    archive.close();
    return 1;
  }
  if (discord && bot) ops?.watchGateway(() => discord.gatewayProblem(bot.client));
  // Slash commands registered only when they differ from this version's (one process does it: shard 0).
  if (discord && bot && (!shard || shard.ids.includes(0)))
    void discord.reconcileAtStart(bot.client, commands, config.DISCORD_GUILD_ID, log);
  const poster =
    discord && bot
      ? discord.channelPoster(
          bot.client,
          config.BLOG_URL,
          (announcement) => announcementChart(store, announcement, renderChart),
          (error) => log.warn({ err: error }, 'a milestone chart could not be drawn; announced without it'),
        )
      : null;
  const { jobs, leader } = allJobs({ archive, config, clock, log, poster });
  const runner = startJobs(jobs, { clock, log, isLeader: leader.isLeader });
  await (bot
    ? stop.requested
    : Promise.race([
        runConsole(commands, context, process.stdin, process.stdout, stopping.signal, join(config.DATA_DIR, 'charts')),
        stop.requested,
      ]));
  await runner.stop();
  // Shards stop together when their manager goes: another's write lock is waited out, and a lease that still
  // cannot be given back runs out by itself; neither turns a clean stop into a failure.
  await whenFree(() => leader.release()).catch((error: unknown) =>
    log.warn({ err: error }, 'the leader lease could not be given back: it runs out by itself'),
  );
  await bot?.stop();
  await ops?.close();
  archive.close();
  log.info({ eventLoopDelay: context.eventLoopDelay() }, 'stopped');
  return stop.failed() ? 1 : 0;
}

/** A start-up failure an operator can fix (the health port taken), said in one line. */
function tellAndNull(error: unknown): null {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  return null;
}

main()
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`fatal: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  )
  // A shard's channel to its manager, which discord.js listens on, must not keep a finished shard alive.
  .finally(() => process.channel?.unref());
