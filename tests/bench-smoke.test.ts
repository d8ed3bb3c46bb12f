// The benchmark's parts run in-process on the seed archive: queries drawn,
// all three engines asked, the figures assembled in the shape `npm run bench
// -- --json` prints. No timing is asserted anywhere: only that it all runs.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openArchive, type OpenArchive } from '../src/app/archive.js';
import { ingestSources } from '../src/ingest/ingest.js';
import { termOf } from '../src/search/terms.js';
import { DATABASE_FILE } from '../src/store/db.js';
import { rebuildIndex } from '../src/store/indexFile.js';
import {
  measureNewComment,
  QUERY_KINDS,
  round,
  runQueries,
  serveResult,
  type QuerySet,
  type ServeResult,
} from './bench/common.js';
import { generateQueries, vocabularyOf } from './bench/queries.js';
import { judge, seedPostIds } from './bench/relevance.js';
import { formatSize, sizeFigures, top10Overlap, type SizeRun } from './bench/report.js';
import { buildFts5, fts5Engine, fts5FreshComment, fts5Match, openFts } from './bench/serve-fts5.js';
import { buildNaive, naiveEngine, naiveFreshComment, naiveQuery } from './bench/serve-naive.js';
import { duringRebuild, oursEngine, oursFreshComment, postIdsOf } from './bench/serve-ours.js';
import { BLOG_URL, SEEDS, tempDir } from './helpers.js';
import { connectionOf } from '../src/store/store.js';

const SEED = 20131;
let archive: OpenArchive;
let dir: string;
let queries: QuerySet;

beforeAll(async () => {
  dir = tempDir();
  archive = openArchive(join(dir, 'data'), BLOG_URL);
  await ingestSources(archive.store, [SEEDS], { now: () => '2026-11-23T08:00:00Z' });
  rebuildIndex(connectionOf(archive.store), archive.store.dataDir);
  archive.invalidate();
  queries = generateQueries(connectionOf(archive.store), { seed: SEED, perKind: 8 });
});

describe('bench queries', () => {
  it('draws every kind from the archive, the same for the same seed', async () => {
    for (const kind of QUERY_KINDS) expect(queries[kind]).toHaveLength(8);
    expect(generateQueries(connectionOf(archive.store), { seed: SEED, perKind: 8 })).toEqual(queries);
    expect(generateQueries(connectionOf(archive.store), { seed: SEED + 1, perKind: 8 })).not.toEqual(queries);
  });

  it('makes each kind the way members type it', async () => {
    const { known } = vocabularyOf(connectionOf(archive.store), 1e9);
    for (const q of queries.plain) expect(known.has(q) && termOf(q) !== null).toBe(true);
    for (const q of queries.multi) expect(q.split(' ').length).toBeGreaterThanOrEqual(2);
    for (const q of queries.prefix) expect(q).toMatch(/^\p{Ll}{3,6}$/u);
    for (const q of queries.fuzzy) {
      expect(q.length).toBeGreaterThanOrEqual(5);
      expect(known.has(q)).toBe(false);
    }
    for (const q of queries.autocomplete) expect(q.split(' ').at(-1)!.length).toBeLessThanOrEqual(5);
  });
});

describe('bench engines', () => {
  it('reads a typed query like the bot: the last word a prefix, long words fuzzy', async () => {
    expect(naiveQuery('caseload treadm')).toEqual({
      combineWith: 'OR',
      queries: [
        { queries: ['caseload'], prefix: false, fuzzy: 0.2 },
        { queries: ['treadm'], prefix: true, fuzzy: 0.2 },
      ],
    });
    expect(naiveQuery('the of')).toBeNull();
    expect(fts5Match('napo pa', true)).toBe('"napo" OR "pa"*');
    expect(fts5Match('napo pay', false)).toBe('"napo" OR "pay"');
  });

  it('runs every query on all three engines, finds a new comment in each, and reports in the JSON shape', async () => {
    const built = buildFts5(archive.store.dataDir, join(dir, 'fts5.sqlite'));
    expect(built.rows).toBeGreaterThan(0);
    const ftsDb = openFts(join(dir, 'fts5.sqlite'));
    const naive = buildNaive(connectionOf(archive.store));
    const runs = {
      ours: runQueries(oursEngine(archive), queries),
      naive: runQueries(naiveEngine(naive), queries),
      fts5: runQueries(fts5Engine(ftsDb), queries),
    };
    expect(runs.fts5.samples.fuzzy).toBeNull();
    expect(runs.ours.top10.plain.some((top) => top.length > 0)).toBe(true);
    expect(top10Overlap(runs.ours.top10.plain, runs.naive.top10.plain)).toBeGreaterThan(0.3);

    const options = { rounds: 2, budgetMs: 10_000, seed: 1 };
    const postIds = postIdsOf(archive);
    const store = new Database(join(archive.store.dataDir, DATABASE_FILE), { readonly: true });
    const fresh = {
      naive: measureNewComment(postIds, naiveFreshComment(naive, connectionOf(archive.store)), options),
      fts5: measureNewComment(postIds, fts5FreshComment(ftsDb, store), options),
      ours: measureNewComment(postIds, oursFreshComment(archive), options),
    };
    for (const f of Object.values(fresh)) expect(f).toMatchObject({ rounds: 2, notFound: 0 });
    // Queries keep being answered while the bot's rebuild runs in its child process.
    const rebuilding = await duringRebuild(archive, queries, archive.store.dataDir);
    expect(rebuilding.queries).toBeGreaterThan(1);
    expect(archive.search(queries.plain[0]!, { limit: 1 }).length).toBeGreaterThan(0);

    const serve = (engine: ServeResult['engine']): ServeResult =>
      serveResult(engine, runs[engine], {
        firstQuery: queries.plain[0]!,
        startToFirstAnswerMs: 1,
        startToMainMs: 1,
        peakRssMb: 1,
        steadyRssMb: 1,
        queriesMs: 1,
        newComment: fresh[engine],
        finalPeakRssMb: 1,
        ...(engine === 'ours' && { duringRebuild: rebuilding }),
      });
    const run: SizeRun = {
      label: '10%',
      scale: 0.1,
      source: SEEDS,
      generated: null,
      ingest: {
        ingestMs: 1,
        posts: 26,
        comments: 100,
        passages: built.rows,
        textBytes: 1,
        errors: [],
        warnings: 0,
        queriesMs: 1,
        peakRssMb: 1,
      },
      build: { buildMs: 1, peakRssMb: 1 },
      indexBytes: 1,
      ours: serve('ours'),
      built: null,
      naive: { build: { buildMs: 1, indexBytes: 1, peakRssMb: 1 }, serve: serve('naive') },
      fts5: { build: { buildMs: 1, indexBytes: 1, peakRssMb: 1 }, serve: serve('fts5') },
      relevance: judge((q) => archive.search(q, { limit: 10 }), seedPostIds(connectionOf(archive.store))),
      failures: [],
    };
    const figures = sizeFigures(run);
    const json = JSON.parse(JSON.stringify({ sizes: [figures] })) as { sizes: Record<string, unknown>[] };
    const size = json.sizes[0]!;
    for (const key of [
      'label',
      'posts',
      'comments',
      'ingestMs',
      'buildMs',
      'indexBytes',
      'startToFirstAnswerMs',
      'peakRssMb',
      'steadyRssMb',
      'newCommentSearchableMs',
      'top10OverlapWithNaive',
    ]) {
      expect(typeof size[key], key).toBe(key === 'label' ? 'string' : 'number');
    }
    const latency = { p50Ms: expect.any(Number), p95Ms: expect.any(Number), p99Ms: expect.any(Number) };
    expect(size['duringRebuild']).toEqual({
      p50Ms: expect.any(Number),
      p99Ms: expect.any(Number),
      maxEventLoopDelayMs: expect.any(Number),
      queries: expect.any(Number),
      rebuildMs: expect.any(Number),
    });
    const byKind = size['queries'] as Record<string, unknown>;
    expect(Object.keys(byKind)).toEqual(['plain', 'multi', 'prefix', 'fuzzy', 'autocomplete', 'worst']);
    for (const kind of QUERY_KINDS) {
      expect(byKind[kind], kind).toEqual({ ours: latency, naive: latency, fts5: kind === 'fuzzy' ? null : latency });
    }
    expect(formatSize(figures)).toContain('plain p99');
    // The judged set on the seeds alone: every query finds its post in the top 3 (relevance.test.ts holds each).
    const scored = { hitAt3: 1, mrrAt10: expect.any(Number), n: expect.any(Number) };
    expect(size['relevance']).toMatchObject({ ...scored, tuning: scored, heldOut: scored, misses: [] });
    const { n, tuning, heldOut } = figures.relevance!;
    expect(n).toBeGreaterThanOrEqual(60);
    expect(tuning.n + heldOut.n).toBe(n);
    expect(heldOut.n).toBeGreaterThanOrEqual(15);
    expect(formatSize(figures)).toMatch(/relevance \(judged queries.*hit@3 1\.00/);

    // A baseline that failed leaves its figures null, not the run broken.
    const without = sizeFigures({ ...run, naive: null, failures: ['naive: out of memory'] });
    expect(without.queries.plain.naive).toBeNull();
    expect(without.top10OverlapWithNaive).toBeNull();
    expect(without.baselines.naive).toBeNull();
    expect(formatSize(without)).toContain('FAILED: naive: out of memory');
    store.close();
    ftsDb.close();
  });
});

describe('the judged queries, scored', () => {
  it('counts where the named post comes, and lists each miss with what came first', () => {
    const queries = [
      { query: 'a', expectTitle: 'A', why: '' },
      { query: 'b', expectTitle: 'B', why: '' },
      { query: 'c', expectTitle: 'C', why: '' },
      { query: 'd', expectTitle: 'D', why: '' },
    ];
    const ranked: Record<string, string[]> = { a: ['A'], b: ['X', 'Y', 'B'], c: ['X', 'Y', 'Z', 'C'], d: [] };
    const result = judge(
      (q) => (ranked[q] ?? []).map((t) => ({ postId: t.toLowerCase(), postTitle: t })),
      (title) => title.toLowerCase(),
      queries,
    );
    expect(result).toMatchObject({ hitAt3: 0.5, mrrAt10: round((1 + 1 / 3 + 1 / 4) / 4), n: 4 });
    // Every fourth is held out: here, "d".
    expect(result.heldOut).toEqual({ hitAt3: 0, mrrAt10: 0, n: 1 });
    expect(result.misses).toEqual([
      { query: 'c', expected: 'C', rank: 4, first: 'X', heldOut: false },
      { query: 'd', expected: 'D', rank: null, first: null, heldOut: true },
    ]);
  });
});
