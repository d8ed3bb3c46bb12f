// The benchmark's figures: assembled from what the children reported into the
// JSON shape the issue asks for, checked against the targets, and printed as
// one table per size.
import {
  QUERY_KINDS,
  round,
  type Latency,
  type NewCommentFigures,
  type DuringRebuild,
  type QueryKind,
  type ServeResult,
} from './common.js';
import type { BuildResult, GeneratedArchive, IngestResult } from './prepare.js';
import type { Relevance, RelevanceScore } from './relevance.js';

/** Everything measured for one archive size. */
export interface SizeRun {
  label: string;
  /** Fraction of the full archive, or null for a given source. */
  scale: number | null;
  source: string;
  generated: GeneratedArchive | null;
  ingest: IngestResult;
  build: BuildResult;
  indexBytes: number;
  ours: ServeResult;
  /** The same start from the built program (serve-built.mjs); null when it could not run (see `failures`). */
  built: BuiltStart | null;
  /** Null when the baseline failed (see `failures`): the run goes on without it. */
  naive: BaselineRun | null;
  fts5: BaselineRun | null;
  /** The judged queries (seeds among a generated archive); null for a given source. */
  relevance: Relevance | null;
  failures: string[];
}

/** Start to first answer from the built program (dist/, plain node): what `npm start` pays. */
export interface BuiltStart {
  startToMainMs: number;
  /** Spawn → the built modules loaded. */
  importedMs: number;
  startToFirstAnswerMs: number;
  firstAnswerRssMb: number;
  peakRssMb: number;
  /** After a few hundred queries and a collection. */
  steadyRssMb: number;
  queries: number;
  /** The node options npm start gives the bot, which these starts ran with. */
  nodeOptions?: string[];
  /**
   * `npm start` itself (the bundle, console mode), spawn → the first line of its answer to a search piped in: the
   * start an operator sees, with everything the bot loads and does at start. The figures above are the archive alone.
   */
  consoleStartToFirstAnswerMs?: number;
  consoleStarts?: number[];
  /** `npm start` itself after 400 searches piped in: peak RSS, and RSS 45 s later, idle (nothing forced). */
  consolePeakRssMb?: number;
  consoleSteadyRssMb?: number;
}

export interface BaselineRun {
  /** Build and save (naive) or insert (FTS5), in a process of its own. */
  build: { buildMs: number; indexBytes: number; peakRssMb: number };
  serve: ServeResult;
}

export interface BaselineFigures {
  buildMs: number;
  indexBytes: number;
  startToFirstAnswerMs: number;
  peakRssMb: number;
  steadyRssMb: number;
  buildPeakRssMb: number;
  newCommentSearchableMs: number | null;
}

export interface Target {
  name: string;
  /** The figure compared (ms, MB or s as `limit` says). */
  value: number | null;
  limit: string;
  met: boolean;
}

export interface SizeFigures {
  label: string;
  posts: number;
  comments: number;
  ingestMs: number;
  buildMs: number;
  indexBytes: number;
  startToFirstAnswerMs: number;
  peakRssMb: number;
  steadyRssMb: number;
  /** The built program's start (the targets' figures); the three above are under tsx's loader. */
  built: BuiltStart | null;
  newCommentSearchableMs: number | null;
  /** Queries answered while a full rebuild runs: p50/p99 and the longest event-loop delay. */
  duringRebuild: DuringRebuild | null;
  top10OverlapWithNaive: number | null;
  /** hit@3 and MRR@10 of the judged queries, whole and in their tuning and held-out parts. */
  relevance: Relevance | null;
  queries: Record<QueryKind, { ours: Latency | null; naive: Latency | null; fts5: Latency | null }>;
  // More than the issue asks, for the table and for reading the figures right.
  scale: number | null;
  source: string;
  passages: number;
  textBytes: number;
  generateMs: number | null;
  buildPeakRssMb: number;
  queryCounts: Record<QueryKind, number>;
  newComment: { ours: NewCommentFigures; naive: NewCommentFigures | null; fts5: NewCommentFigures | null };
  fts5Top10OverlapWithNaive: number | null;
  baselines: { naive: BaselineFigures | null; fts5: BaselineFigures | null };
  /** Steps that failed (a baseline running out of memory, say); their figures are null. */
  failures: string[];
  targets: Target[];
}

export interface Overhead {
  /** How children are started. */
  runner: string;
  /** Spawn → first line of an empty script, median of several. */
  nodeMs: number;
  nodeTsxMs: number;
  tsxCliMs: number;
}

export interface BenchReport {
  seed: number;
  overhead: Overhead;
  sizes: SizeFigures[];
  totalMs: number;
}

/**
 * Mean over queries of |ours ∩ naive| / min(10, |naive|), skipping queries
 * where naive found nothing; null when naive found nothing at all.
 */
export function top10Overlap(ours: readonly string[][], naive: readonly string[][]): number | null {
  let sum = 0;
  let n = 0;
  naive.forEach((theirs, i) => {
    if (theirs.length === 0) return;
    const mine = new Set(ours[i] ?? []);
    sum += theirs.filter((id) => mine.has(id)).length / Math.min(10, theirs.length);
    n++;
  });
  return n > 0 ? round(sum / n) : null;
}

function overlapOf(a: ServeResult | undefined, naive: ServeResult | undefined): number | null {
  if (!a || !naive) return null;
  return top10Overlap([...a.top10.plain, ...a.top10.multi], [...naive.top10.plain, ...naive.top10.multi]);
}

export function sizeFigures(run: SizeRun): SizeFigures {
  const queries = {} as SizeFigures['queries'];
  const naive = run.naive?.serve;
  const fts5 = run.fts5?.serve;
  for (const kind of QUERY_KINDS) {
    queries[kind] = {
      ours: run.ours.queries[kind],
      naive: naive?.queries[kind] ?? null,
      fts5: fts5?.queries[kind] ?? null,
    };
  }
  const baseline = (b: BaselineRun | null): BaselineFigures | null =>
    b && {
      buildMs: b.build.buildMs,
      indexBytes: b.build.indexBytes,
      startToFirstAnswerMs: b.serve.startToFirstAnswerMs,
      peakRssMb: b.serve.peakRssMb,
      steadyRssMb: b.serve.steadyRssMb,
      buildPeakRssMb: b.build.peakRssMb,
      newCommentSearchableMs: b.serve.newComment.p99Ms,
    };
  const figures: SizeFigures = {
    label: run.label,
    posts: run.ingest.posts,
    comments: run.ingest.comments,
    ingestMs: run.ingest.ingestMs,
    buildMs: run.build.buildMs,
    indexBytes: run.indexBytes,
    startToFirstAnswerMs: run.ours.startToFirstAnswerMs,
    peakRssMb: run.ours.peakRssMb,
    steadyRssMb: run.ours.steadyRssMb,
    built: run.built,
    newCommentSearchableMs: run.ours.newComment.p99Ms,
    duringRebuild: run.ours.duringRebuild ?? null,
    top10OverlapWithNaive: overlapOf(run.ours, naive),
    relevance: run.relevance,
    queries,
    scale: run.scale,
    source: run.source,
    passages: run.ingest.passages,
    textBytes: run.ingest.textBytes,
    generateMs: run.generated?.generateMs ?? null,
    buildPeakRssMb: run.build.peakRssMb,
    queryCounts: run.ours.queryCounts,
    newComment: { ours: run.ours.newComment, naive: naive?.newComment ?? null, fts5: fts5?.newComment ?? null },
    fts5Top10OverlapWithNaive: overlapOf(fts5, naive),
    baselines: { naive: baseline(run.naive), fts5: baseline(run.fts5) },
    failures: run.failures,
    targets: [],
  };
  figures.targets = targetsOf(figures);
  return figures;
}

/** The bar at full size (performance.md). */
export function targetsOf(f: SizeFigures): Target[] {
  const at = (value: number | null | undefined, max: number, name: string, unit = 'ms'): Target => ({
    name,
    value: value ?? null,
    limit: `≤ ${max.toLocaleString('en-GB')} ${unit}`,
    met: value !== null && value !== undefined && value <= max,
  });
  const q = (kind: QueryKind) => f.queries[kind].ours;
  const ftsPlain = f.queries.plain.fts5;
  const oursPlain = q('plain');
  return [
    at(q('plain')?.p99Ms, 50, 'plain p99'),
    at(q('multi')?.p50Ms, 10, 'multi-word p50'),
    at(q('prefix')?.p99Ms, 100, 'prefix p99'),
    at(q('fuzzy')?.p99Ms, 100, 'fuzzy p99'),
    at(q('autocomplete')?.p99Ms, 25, 'autocomplete p99'),
    at(f.built?.consoleStartToFirstAnswerMs, 300, 'start → first answer (npm start, console)'),
    at(f.built?.consolePeakRssMb ?? f.built?.peakRssMb, 256, 'peak RSS (npm start)', 'MB'),
    at(f.built?.consoleSteadyRssMb ?? f.built?.steadyRssMb, 160, 'steady RSS (npm start)', 'MB'),
    at(f.newCommentSearchableMs, 10, 'new comment searchable (p99)'),
    at(f.duringRebuild?.p99Ms, 150, 'query p99 during a full rebuild'),
    at(f.duringRebuild?.maxEventLoopDelayMs, 200, 'event-loop delay max during a full rebuild'),
    at(f.buildMs / 1000, 60, 'full rebuild', 's'),
    {
      name: 'plain p50 at or below FTS5',
      value: oursPlain && ftsPlain ? round(ftsPlain.p50Ms / oursPlain.p50Ms, 2) : null,
      limit: 'fts5÷ours ≥ 1 at p50',
      met: !!oursPlain && !!ftsPlain && oursPlain.p50Ms <= ftsPlain.p50Ms,
    },
  ];
}

// ---- printing ----

const dash = '—';

function ms(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return dash;
  if (x < 10) return x.toFixed(2);
  if (x < 100) return x.toFixed(1);
  return Math.round(x).toLocaleString('en-GB');
}

function seconds(x: number | null | undefined): string {
  return x === null || x === undefined ? dash : `${(x / 1000).toFixed(1)} s`;
}

function mb(bytes: number | null | undefined): string {
  return bytes === null || bytes === undefined ? dash : `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

function mbOf(megabytes: number | null | undefined): string {
  return megabytes === null || megabytes === undefined ? dash : `${Math.round(megabytes).toLocaleString('en-GB')} MB`;
}

function ratio(other: number | null | undefined, ours: number | null | undefined): string {
  if (
    other === null ||
    other === undefined ||
    ours === null ||
    ours === undefined ||
    ours === 0 ||
    Number.isNaN(other) ||
    Number.isNaN(ours)
  )
    return '';
  const r = other / ours;
  return `${r >= 10 ? r.toFixed(0) : r >= 1 ? r.toFixed(2) : r.toPrecision(2)}×`;
}

type Row = [
  label: string,
  ours: number | null | undefined,
  naive: number | null | undefined,
  fts5: number | null | undefined,
  format: (x: number | null | undefined) => string,
];

export function formatSize(f: SizeFigures): string {
  const b = f.baselines;
  const rows: Row[] = [
    ['ingest', f.ingestMs, null, null, seconds],
    ['build + save (full rebuild)', f.buildMs, b.naive?.buildMs, b.fts5?.buildMs, seconds],
    ['peak RSS while building', f.buildPeakRssMb, b.naive?.buildPeakRssMb, b.fts5?.buildPeakRssMb, mbOf],
    ['index on disk', f.indexBytes, b.naive?.indexBytes, b.fts5?.indexBytes, mb],
    [
      'start → first answer (ms)',
      f.startToFirstAnswerMs,
      b.naive?.startToFirstAnswerMs,
      b.fts5?.startToFirstAnswerMs,
      ms,
    ],
    ['peak RSS (serving)', f.peakRssMb, b.naive?.peakRssMb, b.fts5?.peakRssMb, mbOf],
    ['steady RSS', f.steadyRssMb, b.naive?.steadyRssMb, b.fts5?.steadyRssMb, mbOf],
    ['start → first answer, npm start (ms)', f.built?.consoleStartToFirstAnswerMs, null, null, ms],
    ['start → first answer, archive alone built (ms)', f.built?.startToFirstAnswerMs, null, null, ms],
    ['peak RSS, npm start (400 searches)', f.built?.consolePeakRssMb, null, null, mbOf],
    ['steady RSS, npm start (45 s idle after)', f.built?.consoleSteadyRssMb, null, null, mbOf],
    ['peak RSS, archive alone built', f.built?.peakRssMb, null, null, mbOf],
    ['steady RSS, archive alone built (collected)', f.built?.steadyRssMb, null, null, mbOf],
  ];
  for (const kind of QUERY_KINDS) {
    const { ours, naive, fts5 } = f.queries[kind];
    for (const p of ['p50Ms', 'p95Ms', 'p99Ms'] as const) {
      rows.push([`${kind} ${p.slice(0, 3)} (ms)`, ours?.[p], naive?.[p], fts5?.[p], ms]);
    }
  }
  const nc = f.newComment;
  rows.push(['new comment searchable p50 (ms)', nc.ours.p50Ms, nc.naive?.p50Ms, nc.fts5?.p50Ms, ms]);
  rows.push(['new comment searchable p99 (ms)', nc.ours.p99Ms, nc.naive?.p99Ms, nc.fts5?.p99Ms, ms]);

  const header = ['', 'ours', 'naive', 'fts5', 'naive÷ours', 'fts5÷ours'];
  const cells = rows.map(([label, o, n, t, fmt]) => [label, fmt(o), fmt(n), fmt(t), ratio(n, o), ratio(t, o)]);
  cells.push([
    'top-10 overlap with naive',
    fix2(f.top10OverlapWithNaive),
    b.naive ? '1.00' : dash,
    fix2(f.fts5Top10OverlapWithNaive),
    '',
    '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');

  const textMb = (f.textBytes / 2 ** 20).toFixed(1);
  const out: string[] = [];
  out.push(
    `== ${f.label}: ${f.posts.toLocaleString('en-GB')} posts, ${f.comments.toLocaleString('en-GB')} comments, ` +
      `${f.passages.toLocaleString('en-GB')} passages, ${textMb} MB of passage text` +
      (f.generateMs !== null ? ` (generated in ${seconds(f.generateMs)})` : ` (from ${f.source})`),
  );
  out.push(
    `   queries: ${QUERY_KINDS.map((k) => `${k} ${f.queryCounts[k]}`).join(', ')} — the same lists for all three; ratios > 1: ours smaller/faster`,
  );
  out.push(line(header));
  out.push(line(widths.map((w) => '-'.repeat(w))));
  for (const c of cells) out.push(line(c));
  const rounds = (n: NewCommentFigures | null) =>
    n === null ? dash : `${n.rounds}${n.notFound ? ` (${n.notFound} never found)` : ''}`;
  out.push(
    `   new-comment rounds: ours ${rounds(nc.ours)}, naive ${rounds(nc.naive)}, fts5 ${rounds(nc.fts5)}; ` +
      `store write p50 ${ms(nc.ours.storeP50Ms)} ms (not counted)`,
  );
  if (f.relevance) out.push(relevanceLine(f.relevance));
  for (const failure of f.failures) out.push(`   FAILED: ${failure}`);
  out.push('');
  out.push(
    `   targets (the bar at full size${f.label === '100%' ? '' : `; this run is ${f.label}, shown for reference`}):`,
  );
  const plain = f.queries.plain;
  for (const t of f.targets) {
    const value =
      t.name === 'plain faster than FTS5'
        ? `ours ${ms(plain.ours?.p50Ms)} / ${ms(plain.ours?.p99Ms)} ms, fts5 ${ms(plain.fts5?.p50Ms)} / ${ms(plain.fts5?.p99Ms)} ms (p50 / p99)`
        : t.name.includes('RSS')
          ? mbOf(t.value)
          : t.name === 'full rebuild'
            ? t.value === null
              ? dash
              : `${t.value.toFixed(1)} s`
            : `${ms(t.value)} ms`;
    out.push(`   ${t.met ? '✓' : '✗'} ${t.name.padEnd(28)} ${value.padStart(10)}   (${t.limit})`);
  }
  return out.join('\n');
}

function fix2(x: number | null): string {
  return x === null ? dash : x.toFixed(2);
}

export function formatOverhead(o: Overhead): string {
  return (
    `Children run as \`${o.runner}\`. Spawn → first line of an empty script (median): node alone ${ms(o.nodeMs)} ms, ` +
    `node --import tsx ${ms(o.nodeTsxMs)} ms, tsx CLI (as the tests run the bot: two processes) ${ms(o.tsxCliMs)} ms. ` +
    'Every "start → first answer" includes the node --import tsx figure.'
  );
}

/** "relevance (judged queries, seeds among look-alikes): hit@3 0.91, MRR@10 0.85 (77); tuning …; held out …", then the misses. */
export function relevanceLine(r: Relevance): string {
  const part = (s: RelevanceScore) => `hit@3 ${s.hitAt3.toFixed(2)}, MRR@10 ${s.mrrAt10.toFixed(2)} (${s.n})`;
  const lines = [
    `   relevance (judged queries, the seed posts among generated look-alikes): ${part(r)}; tuning ${part(r.tuning)}; held out ${part(r.heldOut)}`,
  ];
  for (const m of r.misses) {
    lines.push(
      `     missed${m.heldOut ? ' (held out)' : ''}: "${m.query}" → "${m.expected}" ${m.rank === null ? 'not in the top 10' : `at ${m.rank}`}; first: ${m.first ?? 'nothing'}`,
    );
  }
  return lines.join('\n');
}
