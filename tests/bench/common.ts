// What the benchmark's parent and its child processes share: the query kinds,
// latency summaries, the engine seam every contender is measured through, and
// the small protocol (config in argv, result in a JSON file) between them.
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(BENCH_DIR, '../..');
export const BLOG_URL = 'https://probationmatters.blogspot.com';
/** The seed posts, mixed into every generated archive: the judged queries' answers (relevance.ts). */
export const SEEDS = resolve(process.env['PROBATION_SHARED_DIR'] ?? resolve(ROOT, '../shared'), 'seeds');

export const QUERY_KINDS = ['plain', 'multi', 'prefix', 'fuzzy', 'autocomplete', 'worst'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];
export type QuerySet = Record<QueryKind, string[]>;

export interface Latency {
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

/** A contender as the query loop sees it: post ids, best first. */
export interface BenchEngine {
  /** Top posts for what a member typed (limit 10); `kind` only matters to engines that cannot tell by themselves. */
  search(query: string, kind: QueryKind): string[];
  /** Autocomplete: posts for a half-typed query (limit 25). */
  suggest(query: string): string[];
  /** False when the engine cannot do typo-tolerant search (its fuzzy figures are then null). */
  fuzzy: boolean;
}

/** Latencies of every query, and the top 10 of the plain and multi-word ones (for relevance overlap). */
export interface QueryRun {
  samples: Record<QueryKind, number[] | null>;
  top10: { plain: string[][]; multi: string[][] };
}

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same queries on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Nearest-rank percentile of ascending samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    p99Ms: round(percentile(sorted, 99)),
  };
}

export function round(ms: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(ms * f) / f;
}

/**
 * Run every query once, the kinds interleaved (plain, multi, prefix, … then
 * the next of each) so warm-up, garbage collection and background work fall
 * on all kinds alike.
 */
export function runQueries(engine: BenchEngine, queries: QuerySet): QueryRun {
  const samples: Record<QueryKind, number[] | null> = {
    plain: [],
    multi: [],
    prefix: [],
    fuzzy: engine.fuzzy ? [] : null,
    autocomplete: [],
    worst: [],
  };
  const top10: QueryRun['top10'] = { plain: [], multi: [] };
  const longest = Math.max(...QUERY_KINDS.map((k) => queries[k].length));
  for (let i = 0; i < longest; i++) {
    for (const kind of QUERY_KINDS) {
      const query = queries[kind][i];
      const into = samples[kind];
      if (query === undefined || !into) continue;
      const start = performance.now();
      const posts = kind === 'autocomplete' ? engine.suggest(query) : engine.search(query, kind);
      into.push(performance.now() - start);
      if (kind === 'plain' || kind === 'multi') top10[kind].push(posts.slice(0, 10));
    }
  }
  return { samples, top10 };
}

export function latencies(run: QueryRun): Record<QueryKind, Latency | null> {
  const out = {} as Record<QueryKind, Latency | null>;
  for (const kind of QUERY_KINDS) {
    const s = run.samples[kind];
    out[kind] = s && s.length > 0 ? summarize(s) : null;
  }
  return out;
}

/** First `limit` distinct post ids, in order. */
export function distinctPosts(postIds: Iterable<string>, limit: number): string[] {
  const seen = new Set<string>();
  for (const id of postIds) {
    if (seen.size >= limit) break;
    seen.add(id);
  }
  return [...seen];
}

/** Absolute wall-clock milliseconds, sub-millisecond precise: comparable across processes on one machine. */
export function clockMs(): number {
  return performance.timeOrigin + performance.now();
}

export function peakRssMb(): number {
  return round(process.resourceUsage().maxRSS / 1024, 1);
}

/** RSS once the dust settled: after a full collection (when run with --expose-gc) and a short pause. */
export async function steadyRssMb(pauseMs = 500): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((r) => setTimeout(r, pauseMs));
  gc?.();
  return round(process.memoryUsage().rss / 2 ** 20, 1);
}

/** Progress goes to stderr, so `--json` keeps stdout to one value. */
export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** What a child process is told: its JSON config in argv[2], the parent's clock at spawn in argv[3]. */
export function childInput<T>(): { config: T; originMs: number } {
  const [config, origin] = process.argv.slice(2);
  if (!config || !origin) throw new Error('usage: <script> <config JSON> <parent clock ms at spawn>');
  return { config: JSON.parse(config) as T, originMs: Number(origin) };
}

export function writeResult(file: string, result: unknown): void {
  writeFileSync(file, JSON.stringify(result, null, 2));
}

/** True when the module at `url` is the script node was asked to run (not imported by a test). */
export function isMain(url: string): boolean {
  const script = process.argv[1];
  return script !== undefined && pathToFileURL(resolve(script)).href === url;
}

/** Run a child's main, reporting a failure as one line and a non-zero exit. */
export function runMain(main: () => Promise<void> | void): void {
  Promise.resolve()
    .then(main)
    .catch((error: unknown) => {
      log(`${process.argv[1]}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exitCode = 1;
    });
}

/** What every serve-* child reports. */
export interface ServeResult {
  engine: 'ours' | 'naive' | 'fts5';
  firstQuery: string;
  /** Parent's spawn → the first answer in hand. */
  startToFirstAnswerMs: number;
  /** Parent's spawn → the child's main (node, the loader and the imports done). */
  startToMainMs: number;
  peakRssMb: number;
  steadyRssMb: number;
  queries: Record<QueryKind, Latency | null>;
  queryCounts: Record<QueryKind, number>;
  queriesMs: number;
  top10: QueryRun['top10'];
  newComment: NewCommentFigures;
  /** Peak RSS at the very end (after the new-comment rounds). */
  finalPeakRssMb: number;
  /** Queries answered while a full rebuild runs (the bot's engine only: it rebuilds in a child process). */
  duringRebuild?: DuringRebuild | null;
}

export interface DuringRebuild {
  p50Ms: number;
  p99Ms: number;
  /** The longest the event loop was held up while the rebuild ran: what an interaction arriving then would wait. */
  maxEventLoopDelayMs: number;
  queries: number;
  rebuildMs: number;
}

export interface ServeConfig {
  dataDir: string;
  queriesFile: string;
  resultFile: string;
  /** Where a baseline keeps its own index (naive JSON, FTS5 database). */
  indexFile: string;
  /** Rounds of the new-comment measurement, and a wall-clock budget for all of them. */
  newCommentRounds: number;
  newCommentBudgetMs: number;
}

/** A serve child's report: what it measured around the query run, and the run itself. */
export function serveResult(
  engine: ServeResult['engine'],
  run: QueryRun,
  measured: Omit<ServeResult, 'engine' | 'queries' | 'queryCounts' | 'top10'>,
): ServeResult {
  return { engine, ...measured, queries: latencies(run), queryCounts: queryCounts(run), top10: run.top10 };
}

export function queryCounts(run: QueryRun): Record<QueryKind, number> {
  const out = {} as Record<QueryKind, number>;
  for (const kind of QUERY_KINDS) out[kind] = run.samples[kind]?.length ?? 0;
  return out;
}

export interface NewCommentFigures {
  /** Stored → found, over the rounds where it was found. */
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  rounds: number;
  /** Rounds where the comment was still not found after 20 s. */
  notFound: number;
  /** The store write itself (not part of the figures above). */
  storeP50Ms: number;
}

/** A made-up word no archive holds, different each round. */
export function uniqueWord(random: () => number): string {
  let w = 'qzx';
  for (let i = 0; i < 7; i++) w += 'bcdfghjklmnpqrstvwz'[Math.floor(random() * 19)];
  return `${w}o`;
}

/** One engine's part in the new-comment rounds. */
export interface FreshComment {
  /** Store a comment holding `word` under `postId` (not timed as freshness). */
  store(postId: string, word: string, round: number): void;
  /** Whatever the engine does to catch up (timed, repeated until found). */
  catchUp(): void;
  found(postId: string, word: string): boolean;
}

/**
 * Rounds of: store a comment with a made-up word under a random post, then
 * catch up + search until that post comes back. Stops early when the budget
 * is spent (after at least one round).
 */
export function measureNewComment(
  postIds: readonly string[],
  engine: FreshComment,
  options: { rounds: number; budgetMs: number; seed: number },
): NewCommentFigures {
  if (postIds.length === 0) throw new Error('no posts to comment on');
  const random = prng(options.seed);
  const found: number[] = [];
  const stores: number[] = [];
  let notFound = 0;
  const started = performance.now();
  for (let i = 0; i < options.rounds; i++) {
    if (i > 0 && performance.now() - started > options.budgetMs) break;
    const postId = postIds[Math.floor(random() * postIds.length)]!;
    const word = uniqueWord(random);
    const t0 = performance.now();
    engine.store(postId, word, i);
    const t1 = performance.now();
    stores.push(t1 - t0);
    let hit = false;
    while (!hit && performance.now() - t1 < 20_000) {
      engine.catchUp();
      hit = engine.found(postId, word);
    }
    if (hit) found.push(performance.now() - t1);
    else notFound++;
  }
  const s = found.length > 0 ? summarize(found) : null;
  return {
    p50Ms: s?.p50Ms ?? null,
    p99Ms: s?.p99Ms ?? null,
    maxMs: found.length > 0 ? round(Math.max(...found)) : null,
    rounds: found.length + notFound,
    notFound,
    storeP50Ms: summarize(stores).p50Ms,
  };
}

/** The text of a bench comment: an ordinary sentence around the made-up word. */
export function freshCommentText(word: string): string {
  return `Late to this one, but ${word} is exactly what the caseload review missed.`;
}

/**
 * The part every serve child shares once it has answered its first query: run
 * the query lists, read peak and steady RSS, time new comments, report.
 */
export async function serveAndReport(
  engine: ServeResult['engine'],
  contender: BenchEngine,
  timing: { firstQuery: string; originMs: number; startToMainMs: number; startToFirstAnswerMs: number },
  config: ServeConfig,
  queries: QuerySet,
  fresh: { postIds: readonly string[]; comment: FreshComment },
  afterwards?: () => Promise<Partial<ServeResult>>,
): Promise<void> {
  log(`  ${engine}: first answer ${timing.startToFirstAnswerMs.toFixed(0)} ms after spawn; running the queries`);
  const q0 = performance.now();
  const run = runQueries(contender, queries);
  const queriesMs = performance.now() - q0;
  const peak = peakRssMb();
  const steady = await steadyRssMb();
  log(`  ${engine}: queries took ${(queriesMs / 1000).toFixed(1)} s; new-comment rounds`);
  const newComment = measureNewComment(fresh.postIds, fresh.comment, {
    rounds: config.newCommentRounds,
    budgetMs: config.newCommentBudgetMs,
    seed: 7,
  });
  const more = (await afterwards?.()) ?? {};
  writeResult(
    config.resultFile,
    serveResult(engine, run, {
      firstQuery: timing.firstQuery,
      startToFirstAnswerMs: round(timing.startToFirstAnswerMs, 1),
      startToMainMs: round(timing.startToMainMs, 1),
      peakRssMb: peak,
      steadyRssMb: steady,
      queriesMs: round(queriesMs, 1),
      newComment,
      finalPeakRssMb: peakRssMb(),
      ...more,
    }),
  );
}
