// Sharding (SHARD_COUNT): past 2,500 servers Discord requires a bot to split
// its servers among shards, one gateway connection each. discord.js's
// ShardingManager runs every shard as a process of the bot's own entry point
// (the ordinary bot: store, jobs with the leader lease, commands); this
// process, the manager, only starts, watches and stops them, and opens
// nothing in DATA_DIR.
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DiscordAPIError,
  REST,
  type RESTGetAPIGatewayBotResult,
  Routes,
  type Shard,
  ShardClientUtil,
  ShardingManager,
} from 'discord.js';
import type { Logger } from 'pino';

/** Discord lets a bot identify once per 5 s (max_concurrency 1): shards start this far apart, as discord.js does. */
const SPAWN_DELAY_MS = 5_500;
/**
 * How long the next shard waits for the one before to be ready. A first start ingests the archive before
 * connecting, which can take minutes; a shard slower than this does not hold the others back.
 */
const READY_WAIT_MS = 5 * 60_000;
/** How long the shards have to stop in order (each finishes its running jobs, bounded at 15 s) before they are killed. */
const STOP_WAIT_MS = 30_000;

/** The shard(s) this process runs when a ShardingManager started it; null in a bot that is not sharded. */
export function shardOfThisProcess(env: NodeJS.ProcessEnv = process.env): { ids: number[]; count: number } | null {
  if (!env['SHARDING_MANAGER'] || env['SHARDS'] === undefined) return null;
  const ids = ([] as unknown[]).concat(JSON.parse(env['SHARDS'])).map(Number);
  return { ids, count: Number(env['SHARD_COUNT']) };
}

/**
 * Whether this client delivers for `guildId`: the guild's shard is one of the client's. Without a
 * ShardingManager a client connects every shard itself and serves every guild.
 */
export function servesGuild(shard: ShardClientUtil | null, guildId: string): boolean {
  if (!shard) return true;
  return shard.ids.includes(ShardClientUtil.shardIdForGuildId(guildId, shard.count));
}

/** How many shards: the number asked for, or for `auto` what Discord recommends (`GET /gateway/bot`). */
export async function shardCount(asked: number | 'auto', token: string, api?: string): Promise<number> {
  if (asked !== 'auto') return asked;
  // Asked through the configured API (not discord.js's fetchRecommendedShardCount, which always asks discord.com).
  const rest = new REST(api ? { api } : {}).setToken(token);
  try {
    const gateway = (await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
    return Math.max(1, gateway.shards);
  } finally {
    rest.clearHandlerSweeper();
    rest.clearHashSweeper();
  }
}

export interface ShardsOptions {
  /** The bot's entry point (src/main.ts), run once per shard. */
  entry: string;
  count: number | 'auto';
  token: string;
  /** DISCORD_API_URL: tests point it at a fake Discord. */
  api?: string;
  log: Logger;
}

/**
 * Start the shards, one every 5.5 s, and run until SIGINT/SIGTERM, which is passed on to every shard; resolves
 * with the exit code once all have stopped. A shard that dies after it was ready is started again (discord.js's
 * `respawn`); one that dies before it was ready (a refused token, a data directory it cannot open) would only
 * fail again, so everything stops, with exit code 1.
 */
export async function runShards(options: ShardsOptions): Promise<number> {
  const { log } = options;
  let count: number;
  try {
    count = await shardCount(options.count, options.token, options.api);
  } catch (error) {
    process.stderr.write(`${refusal(error)}\n`);
    return 1;
  }
  const manager = new ShardingManager(options.entry, {
    totalShards: count,
    mode: 'process',
    respawn: true,
    token: options.token,
    // The shards run the way this process runs: under `npm start` that is tsx's TypeScript loader.
    execArgv: process.execArgv,
  });
  log.info({ shardCount: count }, 'starting shards');

  let stopping = false;
  let failed = false;
  const stopped = new AbortController();
  const exits = new Map<number, Promise<void>>();

  const stopAll = (why: string) => {
    if (stopping) return;
    stopping = true;
    manager.respawn = false;
    log.info({ reason: why }, 'stopping every shard');
    stopped.abort();
    for (const shard of manager.shards.values()) shard.process?.kill('SIGTERM');
  };

  manager.on('shardCreate', (shard) => {
    let wasReady = false;
    shard.on('spawn', (spawned) => {
      const child = spawned as ChildProcess;
      wasReady = false;
      log.info({ shard: shard.id, childPid: child.pid }, 'shard spawned');
      // Ahead of discord.js's own listener, which respawns the shard if `manager.respawn` still holds.
      child.prependListener('exit', () => {
        if (!wasReady) manager.respawn = false;
      });
      exits.set(shard.id, new Promise((resolve) => child.once('exit', () => resolve())));
    });
    shard.on('ready', () => {
      wasReady = true;
      log.info({ shard: shard.id }, 'shard ready');
    });
    shard.on('death', (child) => {
      const { exitCode: code, signalCode: signal } = child as ChildProcess;
      if (stopping) {
        if (code !== 0) failed = true;
        log.info({ shard: shard.id, code, signal }, 'shard stopped');
        return;
      }
      log.warn({ shard: shard.id, code, signal, respawn: wasReady }, 'shard died');
      if (!wasReady) {
        failed = true;
        stopAll(`shard ${shard.id} stopped before it was ready: starting it again would fail the same way`);
      }
    });
    // A respawn that failed to get ready: its death above has said what happened.
    shard.on('error', (error) => log.debug({ shard: shard.id, err: error }, 'shard start failed'));
  });

  const onSignal = (signal: NodeJS.Signals) => {
    if (!stopping) return stopAll(signal);
    // A second Ctrl-C: the operator means it.
    for (const shard of manager.shards.values()) shard.process?.kill('SIGKILL');
    process.exit(1);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  for (let id = 0; id < count && !stopping; id++) {
    const shard = manager.createShard(id);
    await Promise.all([
      shard.spawn(READY_WAIT_MS).catch((error: unknown) => {
        if (!stopping) log.warn({ shard: id, err: error }, 'shard not ready yet: starting the next one');
      }),
      id < count - 1 ? sleep(SPAWN_DELAY_MS, undefined, { signal: stopped.signal }).catch(() => {}) : undefined,
    ]);
  }

  await new Promise<void>((resolve) => {
    if (stopped.signal.aborted) resolve();
    else stopped.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await stopInTime([...manager.shards.values()], exits, log);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  log.info('stopped');
  return failed ? 1 : 0;
}

/** Wait for every shard's process to exit; those still running after STOP_WAIT_MS are killed. */
async function stopInTime(shards: Shard[], exits: Map<number, Promise<void>>, log: Logger): Promise<void> {
  const running = shards.filter((s) => s.process && s.process.exitCode === null && s.process.signalCode === null);
  const timeout = new AbortController();
  const late = await Promise.race([
    Promise.all(running.map((s) => exits.get(s.id))).then(() => false),
    sleep(STOP_WAIT_MS, true, { signal: timeout.signal }).catch(() => false),
  ]);
  timeout.abort();
  if (!late) return;
  for (const shard of running.filter((s) => s.process)) {
    log.warn({ shard: shard.id }, 'shard did not stop in time: killed');
    shard.process?.kill('SIGKILL');
  }
  await Promise.all(running.map((s) => exits.get(s.id)));
}

function refusal(error: unknown): string {
  const what = error instanceof Error ? error.message : String(error);
  if (error instanceof DiscordAPIError && error.status === 401)
    return `Discord refused the login (${what}): check DISCORD_TOKEN in .env`;
  return `Could not ask Discord how many shards to run (${what}): set SHARD_COUNT to a number, or try again`;
}

/**
 * A shard's process follows its manager: it stops in order when the manager's channel closes (the manager was
 * killed). Once stopped, `process.channel.unref()` lets it end: discord.js listens on that channel.
 */
export function followManager(stop: { now(reason: string): void }): void {
  process.once('disconnect', () => stop.now('the shard manager is gone'));
  // While it stops, discord.js still reports each shard's state to the manager (ShardClientUtil), on a channel now
  // closed: an `error` on the process that would end it before its stop completed. Nobody is left to hear it.
  process.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ERR_IPC_CHANNEL_CLOSED') throw error;
  });
}
