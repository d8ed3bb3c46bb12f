// The load test: the bot as `npm start` runs it (a child process, pointed at
// a fake Discord on 127.0.0.1 through DISCORD_API_URL), over a generated
// archive of 10 % of full size, answering a few thousand interactions fired
// in bursts by many members: searches, autocomplete, on-this-day, stats.
// Reports throughput, response times, errors (which must be 0) and the bot's
// memory after. Loopback only; run by `npm run bench` or on its own:
//
//   npx tsx tests/bench/load.ts [--interactions 3000] [--rate 100] [--scale 0.1] [--json]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { APIUser } from 'discord.js';
import { openDatabase } from '../../src/store/db.js';
import { startFakeDiscord, type InteractionHandle } from '../discord/fakeDiscord.js';
import { log, prng, ROOT } from './common.js';
import { generateArchive } from './generate.js';
import { generateQueries } from './queries.js';

export interface LoadResult {
  interactions: number;
  members: number;
  ratePerSecond: number;
  durationMs: number;
  throughputPerSecond: number;
  ackMs: { p50: number; p95: number; p99: number; max: number };
  answerMs: { p50: number; p95: number; p99: number; max: number };
  errors: number;
  errorSamples: string[];
  rssAfterMb: number | null;
  rssPeakMb: number | null;
  /** The archive's size, as a share of full size ("10%", "100%"). */
  archive: string;
  /** A full index rebuild (`cli reindex`, another process on the same data) was started halfway: how long it ran. */
  rebuildMs: number | null;
  /** The bot's own longest event-loop delay over the whole run (it logs it when it stops). */
  maxEventLoopDelayMs: number | null;
}

const TOKEN = 'fake-load-token';

function percentiles(values: number[]) {
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

export async function runLoad(options: {
  interactions: number;
  rate: number;
  scale: number;
  seed: number;
  /** Start a full rebuild of the index when half the interactions have been fired. */
  rebuildMidway?: boolean;
}): Promise<LoadResult> {
  const work = mkdtempSync(join(tmpdir(), 'probation-load-'));
  const dataDir = join(work, 'data');
  const tsx = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
  try {
    log(`load: generating a ${options.scale * 100} % archive and ingesting it`);
    const source = join(work, 'archive.xml');
    await generateArchive({ scale: options.scale, seed: options.seed, out: source });
    const ingest = spawnSync(process.execPath, [tsx, join(ROOT, 'src/cli.ts'), 'ingest', source, '--json'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir },
      encoding: 'utf8',
    });
    if (ingest.status !== 0) throw new Error(`ingest failed: ${ingest.stderr.split('\n').slice(-3).join(' ')}`);
    const db = openDatabase(dataDir);
    const queries = generateQueries(db, { seed: options.seed, perKind: 60 });
    db.close();
    const searchWords = [...queries.plain, ...queries.multi, ...queries.prefix];
    const typed = queries.autocomplete;

    const fake = await startFakeDiscord({ token: TOKEN, waitTimeoutMs: 60_000, ackDeadlineMs: Infinity });
    const members: APIUser[] = Array.from({ length: 500 }, (_, i) => fake.addMember({ username: `fake-member-${i}` }));
    // Node with tsx's loader, not the tsx CLI: one process, so its memory is the bot's own.
    const bot = spawn(
      process.execPath,
      [
        ...(process.env['LOAD_NODE_FLAGS'] ?? '').split(' ').filter(Boolean),
        '--import',
        'tsx',
        join(ROOT, 'src/main.ts'),
      ],
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
      log(
        `load: bot connected; firing ${options.interactions} interactions at ${options.rate}/s from ${members.length} members`,
      );

      const random = prng(options.seed);
      const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
      const acks: number[] = [];
      const answers: number[] = [];
      const errors: string[] = [];
      const pending: Promise<void>[] = [];
      const burst = Math.max(1, Math.round(options.rate / 5));
      const started = performance.now();
      let rebuild: Promise<number> | null = null;
      for (let i = 0; i < options.interactions; i++) {
        if (options.rebuildMidway && i === Math.floor(options.interactions / 2)) {
          log('load: halfway; a full index rebuild starts (cli reindex) while members keep asking');
          const t = performance.now();
          const reindex = spawn(process.execPath, [tsx, join(ROOT, 'src/cli.ts'), 'reindex'], {
            cwd: ROOT,
            env: { ...process.env, DATA_DIR: dataDir },
            stdio: 'ignore',
          });
          rebuild = new Promise((resolve) => reindex.once('exit', () => resolve(performance.now() - t)));
        }
        if (i > 0 && i % burst === 0) {
          // Bursts every 200 ms: members answering the same message at once, then a pause.
          const due = started + (i / options.rate) * 1000;
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
        }
        const user = members[i % members.length]!;
        const roll = random();
        const sentAt = performance.now();
        let handle: InteractionHandle;
        if (roll < 0.5)
          handle = fake.slashCommand('search', [{ name: 'query', type: 3, value: pick(searchWords) }], { user });
        else if (roll < 0.8)
          handle = fake.autocomplete(
            'quote',
            [{ name: 'passage', type: 3, value: pick(typed), focused: true } as never],
            { user },
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
        pending.push(
          (async () => {
            try {
              const ack = await handle.response(60_000);
              acks.push(performance.now() - sentAt);
              if (ack.type === 5) {
                const final = await handle.final(60_000);
                if (/^Sorry/.test(final.content)) errors.push(`${handle.payload.type}: ${final.content}`);
              }
              if (ack.data?.content && /^(Sorry|You are going a little fast)/.test(ack.data.content))
                errors.push(ack.data.content);
              answers.push(performance.now() - sentAt);
            } catch (error) {
              errors.push(error instanceof Error ? error.message : String(error));
            }
          })(),
        );
      }
      await Promise.all(pending);
      const durationMs = performance.now() - started;
      const rebuildMs = rebuild ? Math.round(await rebuild) : null;
      const refused = fake.requests.filter((r) => r.status >= 400);
      for (const r of refused.slice(0, 5)) errors.push(`${r.method} ${r.path} → ${r.status}`);
      const memory = memoryOf(bot.pid!);
      bot.kill('SIGTERM');
      await new Promise((resolve) => (bot.exitCode !== null ? resolve(null) : bot.once('exit', resolve)));
      const stopped = /"eventLoopDelay":\{[^}]*"maxMs":([\d.]+)/.exec(stderr);
      const result: LoadResult = {
        interactions: options.interactions,
        members: members.length,
        ratePerSecond: options.rate,
        durationMs: Math.round(durationMs),
        throughputPerSecond: Math.round((options.interactions / durationMs) * 1000 * 10) / 10,
        ackMs: percentiles(acks),
        answerMs: percentiles(answers),
        errors: errors.length + Math.max(0, refused.length - 5),
        errorSamples: errors.slice(0, 5),
        rssAfterMb: memory.rss,
        rssPeakMb: memory.peak,
        archive: `${Math.round(options.scale * 100)}%`,
        rebuildMs,
        maxEventLoopDelayMs: stopped ? Number(stopped[1]) : null,
      };
      // LOAD_BOT_LOG=<file> keeps the bot's own log of the run, to see what it did when the figures look wrong.
      const keepLog = process.env['LOAD_BOT_LOG'];
      if (keepLog) writeFileSync(keepLog, stderr);
      return result;
    } finally {
      if (bot.exitCode === null && bot.signalCode === null) {
        bot.kill('SIGTERM');
        await new Promise((resolve) => bot.once('exit', resolve));
      }
      await fake.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function formatLoad(r: LoadResult): string {
  return [
    `load: ${r.interactions} interactions from ${r.members} members, fired at ${r.ratePerSecond}/s in bursts, on a ${r.archive} archive${r.rebuildMs === null ? '' : `, a full rebuild (${(r.rebuildMs / 1000).toFixed(1)} s) started halfway`}`,
    `  throughput   ${r.throughputPerSecond}/s (all answered in ${(r.durationMs / 1000).toFixed(1)} s)`,
    `  first answer p50 ${r.ackMs.p50} ms  p95 ${r.ackMs.p95} ms  p99 ${r.ackMs.p99} ms  max ${r.ackMs.max} ms   (Discord allows 3,000)`,
    `  full answer  p50 ${r.answerMs.p50} ms  p95 ${r.answerMs.p95} ms  p99 ${r.answerMs.p99} ms  max ${r.answerMs.max} ms`,
    `  errors       ${r.errors}${r.errors ? ` — ${r.errorSamples.join('; ')}` : ' (target 0)'}`,
    `  bot memory   ${r.rssAfterMb ?? '?'} MB after, ${r.rssPeakMb ?? '?'} MB peak`,
    `  event loop   held up ${r.maxEventLoopDelayMs ?? '?'} ms at most`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/tests\//, '/tests/'))) {
  const { values } = parseArgs({
    options: {
      interactions: { type: 'string' },
      rate: { type: 'string' },
      scale: { type: 'string' },
      seed: { type: 'string' },
      rebuild: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  runLoad({
    interactions: Number(values.interactions ?? 3000),
    rate: Number(values.rate ?? 100),
    scale: Number(values.scale ?? 0.1),
    seed: Number(values.seed ?? 20131),
    rebuildMidway: values.rebuild ?? false,
  }).then(
    (result) => {
      process.stdout.write(`${values.json ? JSON.stringify(result, null, 2) : formatLoad(result)}\n`);
      if (result.errors > 0) process.exitCode = 1;
    },
    (error: unknown) => {
      log(`load: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
