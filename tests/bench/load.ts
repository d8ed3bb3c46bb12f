// The load test: the bot as `npm start` runs it (a child process, pointed at
// a fake Discord on 127.0.0.1 through DISCORD_API_URL), over a generated
// archive (full size in `npm run bench`), swept over offered rates: at each
// rate a fresh bot, warmed up for a few seconds, answers interactions fired in bursts by 500 members for a
// fixed time — searches, autocomplete, on-this-day, stats, help. Per rate it
// reports what was served, acknowledgement and answer times, the members told
// "busy", the keystrokes dropped, errors and the bot's peak memory; the
// capacity is the highest rate answered with p99 <= 500 ms, no errors and no
// more than 1 % told busy. Loopback only; run by `npm run bench` or alone:
//
//   npx tsx tests/bench/load.ts [--rates 10,30,60,100,150] [--seconds 20] [--scale 1] [--json]
//                               [--rebuild] [--data DIR]
//
// --data keeps the generated, ingested archive in DIR and reuses it next time.
// LOAD_BOT_LOG=<prefix> keeps each bot's log (<prefix>-<rate>.log); LOAD_NODE_FLAGS adds node flags.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { APIUser } from 'discord.js';
import { DATABASE_FILE, openDatabase } from '../../src/store/db.js';
import { startFakeDiscord, type InteractionHandle } from '../discord/fakeDiscord.js';
import { log, prng, ROOT } from './common.js';
import { generateArchive } from './generate.js';
import { generateQueries } from './queries.js';

/** One offered rate. */
export interface LoadPoint {
  /** Interactions offered per second, and how many in all. */
  rate: number;
  interactions: number;
  /** Interactions answered (not "busy") per second of the run. */
  served: number;
  durationMs: number;
  /** Until Discord had the first response (deferral, reply or suggestions). */
  ackMs: Percentiles;
  /** Until the member had the answer itself; "busy" answers and dropped keystrokes not counted. */
  answerMs: Percentiles;
  /** Members told "busy, try again in a few seconds" (not errors). */
  busy: number;
  /** Autocomplete keystrokes left unanswered by design (superseded by a newer one, or past their budget). */
  dropped: number;
  /** Members told they were going a little fast (past their own cooldown): not errors either. */
  paced: number;
  /** Missed Discord's 3 s, apologies ("Sorry…"), refused requests, timeouts. */
  errors: number;
  errorSamples: string[];
  rssAfterMb: number | null;
  rssPeakMb: number | null;
  /** The bot's own longest event-loop delay over the run (it logs it when it stops). */
  maxEventLoopDelayMs: number | null;
  /** The bot's CPU use over the measured part, in % of one core (its event loop can use at most about 100). */
  botCpuPercent: number | null;
  /** The same for this process (the fake Discord and the members firing at it), which shares the machine. */
  rigCpuPercent: number;
  /** A full index rebuild (`cli reindex`, another process on the same data) started halfway: how long it ran. */
  rebuildMs: number | null;
}

export interface LoadResult {
  /** The archive's size, as a share of full size ("10%", "100%"). */
  archive: string;
  members: number;
  secondsPerRate: number;
  sweep: LoadPoint[];
  /** The highest offered rate with answer p99 <= 500 ms, no errors and at most 1 % told busy; null if none. */
  capacity: number | null;
}

interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

const TOKEN = 'fake-load-token';
const MEMBERS = 500;
/** Discord shows "The application did not respond" past this. */
const DISCORD_DEADLINE_MS = 3_000;
const BUSY = /^Lots of members are asking at once/;
/** Before each rate is measured: five seconds of moderate use (the JIT and the caches warm, as in a bot up a while). */
const WARM_UP = { count: 200, perSecond: 40 };

function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  const round = (n: number) => Math.round(n * 10) / 10;
  return { p50: round(at(50)), p95: round(at(95)), p99: round(at(99)), max: round(sorted[sorted.length - 1] ?? 0) };
}

/** VmRSS and VmHWM (peak) of a process, in MB, from /proc (Linux). */
function memoryOf(pid: number): { rss: number | null; peak: number | null } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return { rss: null, peak: null };
  }
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux); null elsewhere. */
function cpuMsOf(pid: number): number | null {
  try {
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th, in clock ticks (100/s).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** The highest rate answered well: p99 within 500 ms, no errors, at most 1 % told busy. */
export function capacityOf(sweep: readonly LoadPoint[]): number | null {
  const good = sweep.filter((p) => p.answerMs.p99 <= 500 && p.errors === 0 && p.busy <= p.interactions / 100);
  return good.length ? Math.max(...good.map((p) => p.rate)) : null;
}

/** A generated archive, ingested (and indexed) by the CLI into `dataDir`, unless it already holds one. */
async function prepareArchive(dataDir: string, scale: number, seed: number): Promise<string> {
  const source = join(dataDir, '..', 'archive.xml');
  if (existsSync(join(dataDir, DATABASE_FILE)) && existsSync(source)) {
    log(`load: reusing the archive in ${dataDir}`);
    return source;
  }
  mkdirSync(dataDir, { recursive: true });
  log(`load: generating a ${scale * 100} % archive and ingesting it`);
  await generateArchive({ scale, seed, out: source });
  const ingest = spawnSync(process.execPath, [TSX, join(ROOT, 'src/cli.ts'), 'ingest', source, '--json'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir },
    encoding: 'utf8',
  });
  if (ingest.status !== 0) throw new Error(`ingest failed: ${ingest.stderr.split('\n').slice(-3).join(' ')}`);
  return source;
}

const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');

export async function runLoad(options: {
  rates: readonly number[];
  seconds: number;
  scale: number;
  seed: number;
  /** Start a full rebuild of the index halfway through each rate. */
  rebuildMidway?: boolean;
  /** Keep (and reuse) the generated archive here instead of a temporary folder. */
  dataDir?: string;
}): Promise<LoadResult> {
  const work = options.dataDir ? null : mkdtempSync(join(tmpdir(), 'probation-load-'));
  const dataDir = options.dataDir ?? join(work!, 'data');
  try {
    const source = await prepareArchive(dataDir, options.scale, options.seed);
    const db = openDatabase(dataDir);
    const queries = generateQueries(db, { seed: options.seed, perKind: 60 });
    db.close();
    const sweep: LoadPoint[] = [];
    for (const rate of options.rates) {
      const point = await atRate(rate, { ...options, dataDir, source, queries });
      log(
        `load: ${rate}/s — served ${point.served}/s, ack p99 ${point.ackMs.p99} ms, answer p99 ${point.answerMs.p99} ms, busy ${point.busy}, dropped ${point.dropped}, errors ${point.errors}, peak ${point.rssPeakMb} MB`,
      );
      sweep.push(point);
    }
    return {
      archive: `${Math.round(options.scale * 100)}%`,
      members: MEMBERS,
      secondsPerRate: options.seconds,
      sweep,
      capacity: capacityOf(sweep),
    };
  } finally {
    if (work) rmSync(work, { recursive: true, force: true });
  }
}

async function atRate(
  rate: number,
  options: {
    seconds: number;
    seed: number;
    rebuildMidway?: boolean;
    dataDir: string;
    source: string;
    queries: ReturnType<typeof generateQueries>;
  },
): Promise<LoadPoint> {
  const { dataDir, source, queries } = options;
  const interactions = Math.round(rate * options.seconds);
  const searchWords = [...queries.plain, ...queries.multi, ...queries.prefix];
  const typed = queries.autocomplete;
  const fake = await startFakeDiscord({ token: TOKEN, waitTimeoutMs: 60_000, ackDeadlineMs: Infinity });
  const members: APIUser[] = Array.from({ length: MEMBERS }, (_, i) =>
    fake.addMember({ username: `fake-member-${i}` }),
  );
  // The built program, as `npm start` runs it (npm install builds it); the sources through tsx's loader otherwise.
  const built = join(ROOT, 'dist/main.js');
  const program = existsSync(built) ? [built] : ['--import', 'tsx', join(ROOT, 'src/main.ts')];
  const bot = spawn(
    process.execPath,
    [...(process.env['LOAD_NODE_FLAGS'] ?? '').split(' ').filter(Boolean), ...program],
    {
      cwd: ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '',
        DISCORD_TOKEN: TOKEN,
        DISCORD_API_URL: fake.restApi,
        DATA_DIR: dataDir,
        ARCHIVE_SOURCES: source,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  bot.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  try {
    const until = Date.now() + 60_000;
    while (!stderr.includes('"msg":"connected to Discord"')) {
      if (Date.now() > until || bot.exitCode !== null)
        throw new Error(`the bot did not connect:\n${stderr.slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const random = prng(options.seed + rate);
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    interface Tally {
      acks: number[];
      answers: number[];
      errors: string[];
      busy: number;
      dropped: number;
      paced: number;
    }
    const tally = (): Tally => ({ acks: [], answers: [], errors: [], busy: 0, dropped: 0, paced: 0 });
    let rebuild: Promise<number> | null = null;
    /** `count` interactions at `perSecond`, in bursts every 200 ms; resolves when every one has its answer. */
    const fire = async (count: number, perSecond: number, into: Tally, rebuildHalfway: boolean) => {
      const pending: Promise<void>[] = [];
      const burst = Math.max(1, Math.round(perSecond / 5));
      const started = performance.now();
      for (let i = 0; i < count; i++) {
        if (rebuildHalfway && i === Math.floor(count / 2)) {
          log('load: halfway; a full index rebuild starts (cli reindex) while members keep asking');
          const t = performance.now();
          const reindex = spawn(process.execPath, [TSX, join(ROOT, 'src/cli.ts'), 'reindex'], {
            cwd: ROOT,
            env: { ...process.env, DATA_DIR: dataDir },
            stdio: 'ignore',
          });
          rebuild = new Promise((resolve) => reindex.once('exit', () => resolve(performance.now() - t)));
        }
        if (i > 0 && i % burst === 0) {
          // Bursts every 200 ms: members answering the same message at once, then a pause.
          const due = started + (i / perSecond) * 1000;
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
        }
        pending.push(one(members[i % members.length]!, into));
      }
      await Promise.all(pending);
    };
    const one = async (user: APIUser, into: Tally) => {
      const roll = random();
      const sentAt = performance.now();
      let handle: InteractionHandle;
      if (roll < 0.5)
        handle = fake.slashCommand('search', [{ name: 'query', type: 3, value: pick(searchWords) }], { user });
      else if (roll < 0.8)
        handle = fake.autocomplete(
          'quote',
          [{ name: 'passage', type: 3, value: pick(typed), focused: true } as never],
          {
            user,
          },
        );
      else if (roll < 0.9)
        handle = fake.slashCommand(
          'onthisday',
          [
            {
              name: 'date',
              type: 3,
              value: `20${10 + Math.floor(random() * 14)}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-15`,
            },
          ],
          { user },
        );
      else handle = fake.slashCommand(random() < 0.5 ? 'stats' : 'help', [], { user });
      const autocomplete = roll >= 0.5 && roll < 0.8;
      try {
        // A keystroke the bot chose not to answer gets nothing; Discord gives up on it after 3 s.
        const ack = await handle.response(autocomplete ? DISCORD_DEADLINE_MS + 500 : 60_000).catch((error: unknown) => {
          if (autocomplete) return null;
          throw error;
        });
        if (ack === null) {
          into.dropped += 1;
          return;
        }
        const ackMs = performance.now() - sentAt;
        into.acks.push(ackMs);
        if (ackMs > DISCORD_DEADLINE_MS) into.errors.push(`acknowledged after ${Math.round(ackMs)} ms`);
        const content = ack.type === 5 ? (await handle.final(60_000)).content : (ack.data?.content ?? '');
        if (BUSY.test(content)) into.busy += 1;
        // A member past their own pace (6 searches in 30 s) is told so: their doing, not the bot's failing.
        else if (/^You are going a little fast/.test(content)) into.paced += 1;
        else if (/^Sorry/.test(content)) into.errors.push(content);
        else into.answers.push(performance.now() - sentAt);
      } catch (error) {
        into.errors.push(error instanceof Error ? error.message.split('\n')[0]! : String(error));
      }
    };

    // A bot that has been up a while: its caches (SQLite's pages, the index's postings) warm. Not measured.
    await fire(WARM_UP.count, WARM_UP.perSecond, tally(), false);
    const requestsBefore = fake.requests.length;
    log(`load: bot warmed up; firing ${interactions} interactions at ${rate}/s from ${members.length} members`);
    const measured = tally();
    const { acks, answers, errors } = measured;
    const started = performance.now();
    const cpuBefore = cpuMsOf(bot.pid!);
    const rigBefore = process.cpuUsage();
    await fire(interactions, rate, measured, options.rebuildMidway ?? false);
    const durationMs = performance.now() - started;
    const cpuAfter = cpuMsOf(bot.pid!);
    const rig = process.cpuUsage(rigBefore);
    const rebuildMs = rebuild ? Math.round(await rebuild) : null;
    const refused = fake.requests.slice(requestsBefore).filter((r) => r.status >= 400);
    for (const r of refused.slice(0, 5)) errors.push(`${r.method} ${r.path} → ${r.status}`);
    const memory = memoryOf(bot.pid!);
    bot.kill('SIGTERM');
    await new Promise((resolve) => (bot.exitCode !== null ? resolve(null) : bot.once('exit', resolve)));
    const stopped = /"eventLoopDelay":\{[^}]*"maxMs":([\d.]+)/.exec(stderr);
    const keepLog = process.env['LOAD_BOT_LOG'];
    if (keepLog) writeFileSync(`${keepLog}-${rate}.log`, stderr);
    return {
      rate,
      interactions,
      served: Math.round((answers.length / durationMs) * 1000 * 10) / 10,
      durationMs: Math.round(durationMs),
      ackMs: percentiles(acks),
      answerMs: percentiles(answers),
      busy: measured.busy,
      dropped: measured.dropped,
      paced: measured.paced,
      errors: errors.length + Math.max(0, refused.length - 5),
      errorSamples: errors.slice(0, 5),
      rssAfterMb: memory.rss,
      rssPeakMb: memory.peak,
      maxEventLoopDelayMs: stopped ? Number(stopped[1]) : null,
      botCpuPercent:
        cpuBefore === null || cpuAfter === null ? null : Math.round(((cpuAfter - cpuBefore) / durationMs) * 100),
      rigCpuPercent: Math.round(((rig.user + rig.system) / 1000 / durationMs) * 100),
      rebuildMs,
    };
  } finally {
    if (bot.exitCode === null && bot.signalCode === null) {
      bot.kill('SIGTERM');
      await new Promise((resolve) => bot.once('exit', resolve));
    }
    await fake.close();
  }
}

export function formatLoad(r: LoadResult): string {
  const row = (cells: (string | number)[]) => cells.map((c) => String(c).padStart(9)).join(' ');
  return [
    `load: ${r.archive} archive, ${r.members} members, ${r.secondsPerRate} s per offered rate, fired in bursts every 200 ms`,
    row([
      'offered',
      'served',
      'ack p50',
      'ack p99',
      'ans p50',
      'ans p99',
      'busy',
      'dropped',
      'errors',
      'peak MB',
      'loop ms',
    ]),
    ...r.sweep.map((p) =>
      row([
        `${p.rate}/s`,
        `${p.served}/s`,
        p.ackMs.p50,
        p.ackMs.p99,
        p.answerMs.p50,
        p.answerMs.p99,
        p.busy,
        p.dropped,
        p.errors,
        p.rssPeakMb ?? '?',
        p.maxEventLoopDelayMs ?? '?',
        p.botCpuPercent === null ? '?' : `${p.botCpuPercent}%`,
        `${p.rigCpuPercent}%`,
      ]),
    ),
    `  capacity ${r.capacity === null ? 'none of these rates' : `${r.capacity}/s`} (answer p99 <= 500 ms, no errors, <= 1 % busy; target >= 60/s)`,
    ...r.sweep.filter((p) => p.errors > 0).map((p) => `  errors at ${p.rate}/s: ${p.errorSamples.join('; ')}`),
  ].join('\n');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/tests\//, '/tests/'))) {
  const { values } = parseArgs({
    options: {
      rates: { type: 'string' },
      seconds: { type: 'string' },
      data: { type: 'string' },
      scale: { type: 'string' },
      seed: { type: 'string' },
      rebuild: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  runLoad({
    rates: (values.rates ?? '10,30,60,100,150').split(',').map(Number),
    seconds: Number(values.seconds ?? 20),
    scale: Number(values.scale ?? 1),
    seed: Number(values.seed ?? 20131),
    rebuildMidway: values.rebuild ?? false,
    ...(values.data && { dataDir: values.data }),
  }).then(
    (result) => {
      process.stdout.write(`${values.json ? JSON.stringify(result, null, 2) : formatLoad(result)}\n`);
      if (result.sweep.some((p) => p.errors > 0)) process.exitCode = 1;
    },
    (error: unknown) => {
      log(`load: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
