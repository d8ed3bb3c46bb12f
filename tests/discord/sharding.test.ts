// `npm start` with SHARD_COUNT, as an operator runs it: the real process starts
// discord.js's ShardingManager, whose two shards (each the whole bot on one
// data directory) connect to a fake Discord holding two servers, one on each
// shard. Each shard answers its own server's commands and posts its own
// server's digest; one of them leads; SIGTERM stops them all cleanly. A shard
// that cannot start stops everything instead of being respawned, and shards
// whose manager is killed outright stop by themselves.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { APIMessage } from 'discord.js';
import { describe, it, type TestContext } from 'vitest';
import { openArchive } from '../../src/app/archive.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { BLOG_URL, ROOT, refusingUrl, SEEDS, tempDir } from '../helpers.js';
import { startFakeDiscord, type FakeDiscord } from './fakeDiscord.js';

const TOKEN = 'fake-sharding-token-for-tests-only';
/** Generous: two shards start one after the other, 5.5 s apart, on a machine that may be busy. */
const STARTED_WITHIN_MS = 60_000;

/** Each case starts a manager and two shards; on a busy machine that takes a while. */
const CASE_TIMEOUT_MS = 120_000;

/** The test's own hook: concurrent tests must not use the global one, which cannot tell them apart. */
type Finally = TestContext['onTestFinished'];

/** A fake Discord closed when the test finishes. */
async function fakeDiscord(
  onTestFinished: Finally,
  options: Parameters<typeof startFakeDiscord>[0],
): Promise<FakeDiscord> {
  const fake = await startFakeDiscord(options);
  onTestFinished(() => fake.close());
  return fake;
}

/** How the bot is run: `npm start` runs `tsx src/main.ts`; `node --import tsx` is the other usual way. */
const RUNNERS = {
  'npm start': [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'src/main.ts')],
  'node --import tsx': ['--import', 'tsx', join(ROOT, 'src/main.ts')],
};

type LogLine = Record<string, unknown> & { msg?: string; pid?: number; shard?: number; shards?: number[] };

/**
 * The bot in a process group of its own, its stderr read as log lines. Whatever a failed test leaves running
 * (the manager, its shards) is killed with the group when the test finishes.
 */
function start(onTestFinished: Finally, runner: keyof typeof RUNNERS, env: Record<string, string>) {
  const proc: ChildProcess = spawn(process.execPath, RUNNERS[runner], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    detached: true,
  });
  onTestFinished(() => {
    try {
      process.kill(-proc.pid!, 'SIGKILL');
    } catch {
      // the group is gone: everything stopped
    }
  });
  let stderr = '';
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const lines = (): LogLine[] =>
    stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as LogLine);
  /** Until the log shows `what`; failing at once if the bot exits first, unless `afterExit` (its shards go on). */
  const waitFor = async (what: string, test: (lines: LogLine[]) => boolean, { afterExit = false } = {}) => {
    const until = Date.now() + STARTED_WITHIN_MS;
    while (!test(lines())) {
      if (Date.now() > until) throw new Error(`no ${what} in the log after ${STARTED_WITHIN_MS} ms:\n${stderr}`);
      if (!afterExit && (proc.exitCode !== null || proc.signalCode !== null))
        throw new Error(`the bot exited (${proc.exitCode ?? proc.signalCode}) before ${what}:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const stopped = async (ms = 60_000) => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still running ${ms} ms after SIGTERM:\n${stderr}`)), ms);
    });
    try {
      return await Promise.race([exited, late]);
    } finally {
      clearTimeout(timer);
    }
  };
  return { proc, lines, waitFor, stopped, stderr: () => stderr };
}

/** The manager's own lines: it runs no shard, so they carry no `shards` field. */
const managerSays = (lines: LogLine[], msg: string) => lines.filter((l) => l.msg === msg && l.shards === undefined);
const bothShardsReady = (lines: LogLine[]) =>
  [0, 1].every((id) => managerSays(lines, 'shard ready').some((l) => l.shard === id));

/** The shards each IDENTIFY sent. */
const identifies = (f: FakeDiscord) =>
  f.gateway.filter((e) => e.direction === 'received' && e.op === 2).map((e) => (e.d as { shard: unknown }).shard);

/** A data directory holding the seeds, its index, and a digest due now (00:00 UTC) in each server's channel. */
async function dataDirWithDigests(f: FakeDiscord): Promise<string> {
  const dir = tempDir();
  const archive = openArchive(dir, BLOG_URL);
  try {
    await ingestSources(archive.store, [SEEDS], { now: () => new Date().toISOString() });
    archive.index();
    for (const g of f.guilds) {
      archive.store.settings.update(
        g.id,
        { kind: 'digest', channel: g.textChannel.id, time: '00:00', zone: 'UTC' },
        new Date().toISOString(),
      );
    }
  } finally {
    archive.close();
  }
  return dir;
}

/** The daily digests the bot posted in a channel (each carries its delivery key in its title link). */
const digestsIn = (f: FakeDiscord, channelId: string): APIMessage[] =>
  f
    .channelMessages(channelId)
    .filter((m) => m.author.id === f.botUser.id)
    .filter((m) => {
      const url = m.embeds[0]?.url;
      return url ? (new URLSearchParams(new URL(url).hash.slice(1)).get('ref') ?? '').startsWith('digest:') : false;
    });

/** Paths of the files a process holds open (Linux), or null where /proc is not there to ask. */
function openFiles(pid: number): string[] | null {
  if (!existsSync(`/proc/${pid}/fd`)) return null;
  return readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/${pid}/fd/${fd}`)];
    } catch {
      return []; // closed meanwhile
    }
  });
}

/** Whether a process is still running: not gone, and not a zombie left for a parent that died to reap. */
const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/^\d+ \(.*\) Z/.test(stat);
};

// The two cases run side by side: most of their time is the shards starting one after the other.
describe.concurrent('npm start with SHARD_COUNT', () => {
  it('runs two shards, each answering and posting for its own server, one leading, and stops them all on SIGTERM', {
    timeout: CASE_TIMEOUT_MS,
  }, async ({ expect, onTestFinished }) => {
    const fake = await fakeDiscord(onTestFinished, { token: TOKEN, guilds: 2 });
    const dataDir = await dataDirWithDigests(fake);
    const run = start(onTestFinished, 'npm start', {
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_URL: fake.restApi,
      SHARD_COUNT: '2',
      DATA_DIR: dataDir,
      ARCHIVE_SOURCES: SEEDS,
      PETITION_SITE_URL: await refusingUrl(),
      LOG_LEVEL: 'info',
    });
    await run.waitFor('two shards ready', bothShardsReady);
    expect(identifies(fake)).toEqual([
      [0, 2],
      [1, 2],
    ]);

    // The manager itself holds nothing in the data directory: only the shards open the store.
    const managerPid = managerSays(run.lines(), 'starting shards')[0]!.pid!;
    const managerFiles = openFiles(managerPid);
    if (managerFiles) expect(managerFiles.filter((f) => f.startsWith(dataDir))).toEqual([]);

    // A command in each server reaches that server's shard alone, which answers it.
    for (const [shard, guild] of fake.guilds.entries()) {
      const handle = fake.slashCommand('stats', [], { guildId: guild.id });
      const answer = await handle.final(15_000);
      expect(answer.embeds.length + answer.content.length).toBeGreaterThan(0);
      const sentOn = fake.gateway
        .filter((e) => e.t === 'INTERACTION_CREATE' && (e.d as { id: string }).id === handle.id)
        .map((e) => e.shard);
      expect(sentOn).toEqual([[shard, 2]]);
    }

    // Each server's digest, due since midnight, is posted once, by the shard the server is on.
    const postsSent = (lines: LogLine[]) => lines.filter((l) => l.msg === 'scheduled post sent');
    await run.waitFor('both digests sent', (lines) => postsSent(lines).length >= 2);
    const sent = postsSent(run.lines());
    expect(sent.map((l) => [(l['delivery'] as { guildId: string }).guildId, l.shards]).sort()).toEqual(
      fake.guilds.map((g, shard) => [g.id, [shard]]).sort(),
    );
    for (const guild of fake.guilds) expect(digestsIn(fake, guild.textChannel.id)).toHaveLength(1);

    // The leader rule holds across shards: one of them syncs and polls.
    expect(run.lines().filter((l) => l.msg === 'leading: this process syncs and polls')).toHaveLength(1);

    const shardPids = managerSays(run.lines(), 'shard spawned').map((l) => l['childPid'] as number);
    expect(shardPids).toHaveLength(2);
    // SIGTERM to the manager, as a service manager sends it. (Not to the tsx CLI in front of it: tsx SIGKILLs a
    // child that does not acknowledge a relayed signal within 30 ms, which a busy machine can miss.)
    process.kill(managerPid, 'SIGTERM');
    expect(await run.stopped()).toBe(0);
    const lines = run.lines();
    expect(lines.filter((l) => l.msg === 'stopped' && l.shards).map((l) => l.shards)).toEqual(
      expect.arrayContaining([[0], [1]]),
    );
    expect(managerSays(lines, 'shard stopped').map((l) => [l.shard, l['code']])).toEqual(
      expect.arrayContaining([
        [0, 0],
        [1, 0],
      ]),
    );
    expect(managerSays(lines, 'shard died')).toEqual([]);
    expect(managerSays(lines, 'stopped')).toHaveLength(1);
    expect(shardPids.filter(isRunning)).toEqual([]);
    expect(run.stderr()).not.toContain(TOKEN);
  });

  it('stops every shard, with exit code 1 and one clear line, when a shard fails before it is ready', {
    timeout: CASE_TIMEOUT_MS,
  }, async ({ expect, onTestFinished }) => {
    const fake = await fakeDiscord(onTestFinished, { token: TOKEN, guilds: 2 });
    const run = start(onTestFinished, 'npm start', {
      DISCORD_TOKEN: 'not-the-right-token',
      DISCORD_API_URL: fake.restApi,
      SHARD_COUNT: '2',
      DATA_DIR: await dataDirWithDigests(fake),
      ARCHIVE_SOURCES: SEEDS,
      PETITION_SITE_URL: await refusingUrl(),
      LOG_LEVEL: 'info',
    });
    expect(await run.stopped()).toBe(1);
    expect(run.stderr()).toMatch(/Discord refused the login \(.+\): check DISCORD_TOKEN in \.env/);
    // A refused token would be refused again: shard 0 is not respawned, and shard 1 is never started.
    expect(managerSays(run.lines(), 'shard spawned').map((l) => l.shard)).toEqual([0]);
    expect(identifies(fake)).toEqual([]);
    expect(run.stderr()).not.toContain('not-the-right-token');
  });

  it('with SHARD_COUNT=auto starts as many shards as Discord recommends, restarts one that dies, and a manager killed outright takes its shards with it', {
    timeout: CASE_TIMEOUT_MS,
  }, async ({ expect, onTestFinished }) => {
    const fake = await fakeDiscord(onTestFinished, { token: TOKEN, guilds: 2, recommendedShards: 2 });
    // Run as `node --import tsx`, the shards get that loader too: they run the way the manager runs.
    const run = start(onTestFinished, 'node --import tsx', {
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_URL: fake.restApi,
      SHARD_COUNT: 'auto',
      DATA_DIR: await dataDirWithDigests(fake),
      ARCHIVE_SOURCES: SEEDS,
      PETITION_SITE_URL: await refusingUrl(),
      LOG_LEVEL: 'info',
    });
    await run.waitFor('two shards ready', bothShardsReady);
    expect(managerSays(run.lines(), 'starting shards').map((l) => l['shardCount'])).toEqual([2]);
    // Asked through DISCORD_API_URL, before any shard connected.
    const asked = fake.requests.find((r) => r.path === '/gateway/bot');
    const firstIdentify = fake.gateway.find((e) => e.direction === 'received' && e.op === 2);
    expect(asked && firstIdentify && asked.at <= firstIdentify.at).toBe(true);
    expect(identifies(fake)).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const answer = await fake.slashCommand('stats', [], { guildId: fake.guilds[1]!.id }).final(15_000);
    expect(answer.embeds.length + answer.content.length).toBeGreaterThan(0);

    // A shard that dies once it has been ready is started again (respawn), and serves its server again.
    const shardOne = managerSays(run.lines(), 'shard spawned').find((l) => l.shard === 1)!['childPid'] as number;
    process.kill(shardOne, 'SIGKILL');
    const readyTimes = (lines: LogLine[], shard: number) =>
      managerSays(lines, 'shard ready').filter((l) => l.shard === shard).length;
    await run.waitFor('shard 1 ready again', (lines) => readyTimes(lines, 1) === 2);
    expect(managerSays(run.lines(), 'shard died').map((l) => [l.shard, l['signal'], l['respawn']])).toEqual([
      [1, 'SIGKILL', true],
    ]);
    const again = await fake.slashCommand('stats', [], { guildId: fake.guilds[1]!.id }).final(15_000);
    expect(again.embeds.length + again.content.length).toBeGreaterThan(0);

    // A manager killed outright leaves no shard behind: each sees its channel to the manager close and stops.
    const shardPids = managerSays(run.lines(), 'shard spawned').map((l) => l['childPid'] as number);
    run.proc.kill('SIGKILL');
    const stoppedShards = (lines: LogLine[]) => lines.filter((l) => l.msg === 'stopped' && l.shards);
    await run.waitFor('both shards stopped', (lines) => stoppedShards(lines).length === 2, { afterExit: true });
    expect(
      run
        .lines()
        .filter((l) => l.msg === 'stopping' && l.shards)
        .map((l) => [l.shards, l['reason']]),
    ).toEqual(
      expect.arrayContaining([
        [[0], 'the shard manager is gone'],
        [[1], 'the shard manager is gone'],
      ]),
    );
    await expect.poll(() => shardPids.filter(isRunning), { timeout: 30_000 }).toEqual([]);
  });
});
