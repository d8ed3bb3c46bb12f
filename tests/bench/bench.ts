// `npm run bench`: generate archives at 10 % and 100 % of full size, ingest
// each into a fresh DATA_DIR, build the bot's index, and measure the bot's
// search against two baselines (a naive MiniSearch and SQLite FTS5) on the
// same queries. Every step runs in a child process of its own, one after
// another, so times and memory are each step's alone.
//
//   npm run bench [-- --quick] [--json] [--keep] [--sizes 0.01,0.1] [--seed N]
//                    [--source PATH] [--queries N] [--load N]
//
// Last, the load test (tests/bench/load.ts): the bot as `npm start` runs it,
// through a fake Discord on 127.0.0.1, swept over offered rates from 10 to
// 150 interactions/s on a full-size archive, N seconds each (--load N, default
// 20; --quick: 30 and 100/s for 8 s on a 10 % one; 0 skips it); it reports
// each rate and the capacity.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DATABASE_FILE } from '../../src/store/db.js';
import { BENCH_DIR, BLOG_URL, clockMs, log, ROOT, SEEDS, type ServeConfig, type ServeResult } from './common.js';
import type { Relevance, RelevanceConfig } from './relevance.js';
import { formatLoad, runLoad, type LoadResult } from './load.js';
import type { BuildResult, GeneratedArchive, IngestResult, PrepareConfig } from './prepare.js';
import {
  formatOverhead,
  formatSize,
  sizeFigures,
  type BaselineRun,
  type BenchReport,
  type BuiltStart,
  type Overhead,
  type SizeRun,
} from './report.js';
import type { Fts5BuildResult } from './serve-fts5.js';
import type { NaiveBuildResult } from './serve-naive.js';

const DEFAULT_SEED = 20131;
const FULL_SIZES = [0.1, 1];

/** How children start: one node process with tsx's loader (no second process as the tsx CLI would add). */
const RUNNER = ['--import', 'tsx'];
const RUNNER_LABEL = 'node --expose-gc --import tsx <script>';

interface Flags {
  quick: boolean;
  json: boolean;
  keep: boolean;
  sizes: number[];
  seed: number;
  source: string | null;
  perKind: number;
  load: number;
}

function parseFlags(argv: string[]): Flags {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      sizes: { type: 'string' },
      seed: { type: 'string' },
      source: { type: 'string' },
      queries: { type: 'string' },
      load: { type: 'string' },
    },
    strict: true,
  });
  const sizes = values.sizes ? values.sizes.split(',').map((s) => Number(s.trim())) : values.quick ? [0.1] : FULL_SIZES;
  if (sizes.length === 0 || sizes.some((s) => !(s > 0 && s <= 10)))
    throw new Error(`--sizes: fractions of the full archive, like 0.01,0.1 (got ${values.sizes})`);
  const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed: an integer (got ${values.seed})`);
  const perKind = values.queries === undefined ? 100 : Number(values.queries);
  if (!(Number.isInteger(perKind) && perKind > 0))
    throw new Error(`--queries: queries of each kind, a positive integer (got ${values.queries})`);
  return {
    quick: values.quick ?? false,
    json: values.json ?? false,
    keep: values.keep ?? false,
    // A given source is one archive: one run, whatever the sizes.
    sizes: values.source ? [Number.NaN] : sizes,
    seed,
    source: values.source ? resolve(values.source) : null,
    perKind,
    load: values.load === undefined ? (values.quick ? 8 : 20) : Number(values.load),
  };
}

/** The node options `npm start` runs the bot with (package.json's start script), so the built start is measured as run. */
function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const words = (pkg.scripts['start'] ?? '').split(/\s+/);
  return words.slice(words.indexOf('node') + 1).filter((w) => w.startsWith('--'));
}

/**
 * `npm start`'s program (the built bundle with npm start's node options) in console mode (no token) on the bench's
 * data directory, commands to be piped in. The petition site is a refusing address on 127.0.0.1: nothing leaves the
 * machine.
 */
function startConsole(dataDir: string, flags: readonly string[]) {
  return spawn(process.execPath, [...flags, join(ROOT, 'dist/main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      DATA_DIR: dataDir,
      BLOG_URL,
      PETITION_SITE_URL: 'https://127.0.0.1:9',
      LOG_LEVEL: 'warn',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/**
 * `npm start` itself, as an operator starts it (the built bundle, npm start's node options, console mode: no token), on
 * the bench's data directory: ms from spawn to the first line of the answer to a search piped in at spawn.
 */
function consoleStart(dataDir: string, query: string, flags: readonly string[]): Promise<number> {
  return new Promise((done, fail) => {
    const started = clockMs();
    const proc = startConsole(dataDir, flags);
    let answeredMs: number | null = null;
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.stdout.once('data', () => {
      answeredMs = clockMs() - started;
      proc.stdin.end();
    });
    proc.stdin.write(`/search query:${query}\n`);
    proc.on('error', fail);
    proc.on('exit', (code) =>
      answeredMs !== null && code === 0
        ? done(Math.round(answeredMs))
        : fail(new Error(`npm start's console exited ${code} without answering: ${stderr.slice(-500)}`)),
    );
  });
}

/**
 * `npm start` itself (console mode) answering `queries` piped in at once: its peak RSS once the last answer is out,
 * and its RSS `settleMs` later, idle (V8's memory reducer gives back what the burst took ~20 s after it). From
 * /proc (Linux); null elsewhere. No collection is forced: this is what the operator's process holds.
 */
function consoleMemory(
  dataDir: string,
  queries: readonly string[],
  flags: readonly string[],
  settleMs = 45_000,
): Promise<{ peakRssMb: number; steadyRssMb: number } | null> {
  if (!existsSync('/proc/self/status')) return Promise.resolve(null);
  return new Promise((done, fail) => {
    const proc = startConsole(dataDir, flags);
    proc.stderr.resume(); // drained: only the answers are read
    const statusMb = (field: 'VmHWM' | 'VmRSS') =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'))?.[1]) /
      1024;
    let lastOutput = Date.now();
    let answered = 0;
    proc.stdout.on('data', () => {
      lastOutput = Date.now();
      answered++;
    });
    proc.on('error', fail);
    for (const query of queries) proc.stdin.write(`/search query:${query.replace(/\s+/g, ' ')}\n`);
    const quiet = setInterval(() => {
      if (answered === 0 || Date.now() - lastOutput < 2_000) return;
      clearInterval(quiet);
      const peakRssMb = statusMb('VmHWM');
      setTimeout(() => {
        const steadyRssMb = statusMb('VmRSS');
        proc.stdin.end();
        done({ peakRssMb: Math.round(peakRssMb * 10) / 10, steadyRssMb: Math.round(steadyRssMb * 10) / 10 });
      }, settleMs);
    }, 250);
  });
}

/** Run a child script to its end; its progress goes to our stderr, its result comes back in a file. */
function child<T>(
  script: string,
  config: { resultFile: string; mode?: string; [key: string]: unknown },
  nodeFlags: string[] = [],
  runner: readonly string[] = RUNNER,
): Promise<T> {
  return new Promise((done, fail) => {
    rmSync(config.resultFile, { force: true });
    const args = [...nodeFlags, ...runner, join(BENCH_DIR, script), JSON.stringify(config)];
    const proc = spawn(process.execPath, [...args, String(clockMs())], { cwd: ROOT, stdio: ['ignore', 2, 2] });
    proc.on('error', fail);
    proc.on('exit', (code, signal) => {
      if (code !== 0) {
        fail(new Error(`${script} ${config.mode ?? ''} failed (${signal ?? `exit ${code}`})`));
        return;
      }
      try {
        done(JSON.parse(readFileSync(config.resultFile, 'utf8')) as T);
      } catch (error) {
        fail(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

/** Median of spawn → first line of an empty script, for node alone, node + tsx loader, and the tsx CLI. */
function measureOverhead(): Overhead {
  const empty = join(BENCH_DIR, 'empty.ts');
  const code = 'process.stdout.write(String(performance.timeOrigin + performance.now() - Number(process.argv[1])))';
  const time = (args: (origin: string) => string[]) => {
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = spawnSync(process.execPath, args(String(clockMs())), { cwd: ROOT, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`measuring start-up overhead failed: ${r.stderr}`);
      samples.push(Number(r.stdout.trim()));
    }
    return Math.round(samples.sort((a, b) => a - b)[2]! * 10) / 10;
  };
  return {
    runner: RUNNER_LABEL,
    nodeMs: time((o) => ['-e', code, o]),
    nodeTsxMs: time((o) => [...RUNNER, empty, o]),
    tsxCliMs: time((o) => [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), empty, o]),
  };
}

function labelOf(scale: number): string {
  return Number.isNaN(scale) ? 'source' : `${Number((scale * 100).toFixed(4))}%`;
}

/** Bytes of everything in the data directory but the SQLite store itself: what the index build wrote. */
function indexBytesIn(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += indexBytesIn(path);
    else if (entry.isFile() && !entry.name.startsWith(DATABASE_FILE)) total += statSync(path).size;
  }
  return total;
}

async function measureSize(scale: number, flags: Flags, root: string): Promise<SizeRun> {
  const label = labelOf(scale);
  const dir = join(root, label.replace('%', 'pct'));
  const dataDir = join(dir, 'data');
  const work = join(dir, 'work');
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(work, { recursive: true });
  const result = (name: string) => join(work, `${name}.result.json`);
  const step = (what: string) =>
    log(`[${label}] ${what} (${((performance.now() - benchStart) / 1000).toFixed(0)} s into the run)`);

  let source = flags.source;
  let generated: SizeRun['generated'] = null;
  if (!source) {
    step(`generating ${scale * 100} % of the full archive`);
    source = join(dir, 'export.xml');
    const config: PrepareConfig = {
      mode: 'generate',
      scale,
      seed: flags.seed,
      out: source,
      resultFile: result('generate'),
    };
    generated = await child<GeneratedArchive>('prepare.ts', config);
    log(
      `  generated ${generated.posts} posts, ${generated.comments} comments, ${(generated.bytes / 2 ** 20).toFixed(1)} MB in ${(generated.generateMs / 1000).toFixed(1)} s`,
    );
  }

  step(`ingesting ${source}`);
  const queriesFile = join(work, 'queries.json');
  const ingestConfig: PrepareConfig = {
    mode: 'ingest',
    dataDir,
    source,
    // A generated archive gets the seed posts mixed in: the judged queries look for them among look-alikes.
    alsoSources: generated ? [SEEDS] : [],
    seed: flags.seed,
    perKind: flags.perKind,
    queriesFile,
    resultFile: result('ingest'),
  };
  const ingest = await child<IngestResult>('prepare.ts', ingestConfig);
  log(
    `  stored ${ingest.posts} posts, ${ingest.comments} comments, ${ingest.passages} passages in ${(ingest.ingestMs / 1000).toFixed(1)} s` +
      `; queries drawn in ${(ingest.queriesMs / 1000).toFixed(1)} s`,
  );
  if (ingest.errors.length > 0) {
    log(`  ${ingest.errors.length} source errors, the first: ${ingest.errors.slice(0, 3).join(' | ')}`);
  }
  if (ingest.passages === 0) throw new Error(`nothing was stored from ${source}: ${ingest.errors[0] ?? 'no posts'}`);

  step("building the bot's index");
  const build = await child<BuildResult>('prepare.ts', {
    mode: 'build',
    dataDir,
    resultFile: result('build'),
  } satisfies PrepareConfig);
  const indexBytes = indexBytesIn(dataDir);
  log(`  built in ${(build.buildMs / 1000).toFixed(1)} s, ${(indexBytes / 2 ** 20).toFixed(1)} MB on disk`);

  const serve = (name: string, indexFile: string): ServeConfig => ({
    dataDir,
    queriesFile,
    resultFile: result(name),
    indexFile,
    newCommentRounds: 20,
    newCommentBudgetMs: 20_000,
  });
  const gc = ['--expose-gc'];

  // A baseline that fails (the naive one can run out of memory) is reported, and the run goes on.
  const failures: string[] = [];
  const baseline = async (name: string, what: () => Promise<BaselineRun>): Promise<BaselineRun | null> => {
    try {
      return await what();
    } catch (error) {
      const message = `${name}: ${error instanceof Error ? error.message : String(error)}`;
      log(`  ${message}`);
      failures.push(message);
      return null;
    }
  };

  step('FTS5 baseline: insert, then serve');
  const fts5 = await baseline('fts5', async () => {
    const file = join(work, 'fts5.sqlite');
    const built = await child<Fts5BuildResult>('serve-fts5.ts', { ...serve('fts5-build', file), mode: 'build' }, gc);
    const served = await child<ServeResult>('serve-fts5.ts', { ...serve('fts5', file), mode: 'serve' }, gc);
    rmSync(file, { force: true });
    return { build: built, serve: served };
  });

  step('naive MiniSearch baseline: build and save, then serve');
  const naive = await baseline('naive', async () => {
    const file = join(work, 'naive.minisearch.json');
    const big = [...gc, '--max-old-space-size=4096'];
    try {
      const built = await child<NaiveBuildResult>(
        'serve-naive.ts',
        { ...serve('naive-build', file), mode: 'build' },
        big,
      );
      const served = await child<ServeResult>('serve-naive.ts', { ...serve('naive', file), mode: 'serve' }, big);
      return { build: { ...built, buildMs: built.buildMs + built.saveMs }, serve: served };
    } finally {
      rmSync(file, { force: true });
    }
  });

  // The built program (plain node with the flags npm start gives it), before the store is written to: the median of
  // five starts, each a fresh process (three left a spread of 100 ms between runs on a shared machine).
  const startOptions = startFlags();
  step(
    `start to first answer, built program (dist/, no loader${startOptions.length ? `, ${startOptions.join(' ')}` : ''}), five starts`,
  );
  let built: BuiltStart | null = null;
  try {
    const starts: BuiltStart[] = [];
    for (let i = 0; i < 5; i++) {
      starts.push(
        await child<BuiltStart>(
          'serve-built.mjs',
          { ...serve('built', ''), blogUrl: BLOG_URL },
          [...gc, ...startOptions],
          [],
        ),
      );
    }
    const median = starts.sort((a, b) => a.startToFirstAnswerMs - b.startToFirstAnswerMs)[2]!;
    const query = (JSON.parse(readFileSync(queriesFile, 'utf8')) as { plain: string[] }).plain[0] ?? 'probation';
    const consoleStarts: number[] = [];
    for (let i = 0; i < 5; i++) consoleStarts.push(await consoleStart(dataDir, query, startOptions));
    const consoleMedian = [...consoleStarts].sort((a, b) => a - b)[2]!;
    const asked = Object.values(JSON.parse(readFileSync(queriesFile, 'utf8')) as Record<string, string[]>)
      .flat()
      .slice(0, 400);
    const memory = await consoleMemory(dataDir, asked, startOptions);
    built = {
      ...median,
      nodeOptions: startOptions,
      consoleStartToFirstAnswerMs: consoleMedian,
      consoleStarts,
      ...(memory && { consolePeakRssMb: memory.peakRssMb, consoleSteadyRssMb: memory.steadyRssMb }),
    };
    log(
      `  archive alone (dist/src): first answer ${starts.map((s) => s.startToFirstAnswerMs).join(', ')} ms after spawn (median ${median.startToFirstAnswerMs}), peak ${median.peakRssMb} MB, steady ${median.steadyRssMb} MB`,
    );
    log(`  npm start (console): first answer ${consoleStarts.join(', ')} ms after spawn (median ${consoleMedian})`);
    if (memory)
      log(
        `  npm start (console), ${asked.length} searches piped in: peak ${memory.peakRssMb} MB, ${memory.steadyRssMb} MB 45 s after the last answer`,
      );
  } catch (error) {
    failures.push(`built start: ${error instanceof Error ? error.message : String(error)}`);
  }

  // Last: its new-comment rounds write to the store.
  step("serving with the bot's own index");
  const ours = await child<ServeResult>('serve-ours.ts', { ...serve('ours', '') }, gc);

  let relevance: Relevance | null = null;
  if (generated) {
    step('the judged queries: the seed post each one names, among the generated archive');
    relevance = await child<Relevance>('relevance.ts', {
      dataDir,
      resultFile: result('relevance'),
    } satisfies RelevanceConfig);
    log(`  hit@3 ${relevance.hitAt3}, MRR@10 ${relevance.mrrAt10} over ${relevance.n} queries`);
  }

  return {
    label,
    scale: Number.isNaN(scale) ? null : scale,
    source,
    generated,
    ingest,
    build,
    indexBytes,
    ours,
    built,
    naive,
    fts5,
    relevance,
    failures,
  };
}

const benchStart = performance.now();

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const print = (text: string) => (flags.json ? process.stderr : process.stdout).write(`${text}\n`);
  const root = mkdtempSync(join(tmpdir(), 'probation-bench-'));
  log(`bench: working in ${root}${flags.keep ? ' (kept)' : ''}`);
  // Warm tsx's transform cache so the first size does not pay for compiling the sources.
  await child('prepare.ts', { mode: 'warm', resultFile: join(root, 'warm.result.json') } satisfies PrepareConfig);
  const overhead = measureOverhead();
  print(formatOverhead(overhead));

  const report: BenchReport & { load?: LoadResult | { error: string } } = {
    seed: flags.seed,
    overhead,
    sizes: [],
    totalMs: 0,
  };
  try {
    for (const scale of flags.sizes) {
      const run = await measureSize(scale, flags, root);
      const figures = sizeFigures(run);
      report.sizes.push(figures);
      print('');
      print(formatSize(figures));
      if (!flags.keep) rmSync(join(root, labelOf(scale).replace('%', 'pct')), { recursive: true, force: true });
    }
    if (flags.load > 0) {
      try {
        // Full: a full-size archive swept from 10 to 150 interactions/s; quick: a 10 % one, fewer rates, shorter.
        report.load = await runLoad({
          rates: flags.quick ? [30, 100] : [10, 30, 60, 100, 150],
          seconds: flags.load,
          scale: flags.quick ? 0.1 : 1,
          seed: flags.seed,
        });
        print('');
        print(formatLoad(report.load));
      } catch (error) {
        report.load = { error: error instanceof Error ? error.message : String(error) };
        print(`load: failed: ${report.load.error}`);
      }
    }
  } finally {
    if (!flags.keep) rmSync(root, { recursive: true, force: true });
  }
  report.totalMs = Math.round(performance.now() - benchStart);
  const minutes = report.totalMs / 60_000;
  print('');
  print(
    `bench: done in ${minutes.toFixed(1)} min${minutes > 10 ? ' — over the 10-minute budget' : ''}${flags.keep ? `; files kept in ${root}` : ''}`,
  );
  if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main().catch((error: unknown) => {
  log(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
