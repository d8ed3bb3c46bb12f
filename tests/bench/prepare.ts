// Child process: the benchmark's preparation steps, each in a fresh process so
// its time and memory are its own. `generate` writes a synthetic archive,
// `ingest` stores a source as the CLI does (and then draws the queries),
// `build` rebuilds the bot's index from the store, `warm` compiles everything once.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { openArchive } from '../../src/app/archive.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { openDatabase } from '../../src/store/db.js';
import { rebuildIndex } from '../../src/store/indexFile.js';
import { BLOG_URL, childInput, isMain, log, peakRssMb, round, runMain, writeResult } from './common.js';
import { generateArchive, type GeneratedSummary } from './generate.js';
import { generateQueries } from './queries.js';
import { connectionOf } from '../../src/store/store.js';

export type GeneratedArchive = GeneratedSummary & { generateMs: number };

export type PrepareConfig =
  | { mode: 'warm'; resultFile: string }
  | { mode: 'generate'; scale: number; seed: number; out: string; resultFile: string }
  | {
      mode: 'ingest';
      dataDir: string;
      source: string;
      /** Sources stored after it (the seeds, among a generated archive). */
      alsoSources?: string[];
      seed: number;
      perKind: number;
      queriesFile: string;
      resultFile: string;
    }
  | { mode: 'build'; dataDir: string; resultFile: string };

export interface IngestResult {
  ingestMs: number;
  posts: number;
  comments: number;
  passages: number;
  textBytes: number;
  errors: string[];
  warnings: number;
  queriesMs: number;
  peakRssMb: number;
}

export interface BuildResult {
  buildMs: number;
  peakRssMb: number;
}

async function main(): Promise<void> {
  const { config } = childInput<PrepareConfig>();
  if (config.mode === 'warm') {
    // Loading every child's modules once fills tsx's transform cache: no child's timing then pays for compiling.
    await Promise.all(['./serve-ours.js', './serve-naive.js', './serve-fts5.js'].map((m) => import(m)));
    writeResult(config.resultFile, {});
    return;
  }
  if (config.mode === 'generate') {
    const t0 = performance.now();
    const made = await generateArchive({ scale: config.scale, seed: config.seed, out: config.out });
    const result: GeneratedArchive = { ...made, generateMs: round(performance.now() - t0, 1) };
    writeResult(config.resultFile, result);
    return;
  }

  if (config.mode === 'ingest') {
    // As the CLI does it: the archive opened (an empty store is marked current), then the sources stored.
    const archive = openArchive(config.dataDir, BLOG_URL);
    let last = 0;
    const t0 = performance.now();
    const report = await ingestSources(archive.store, [config.source, ...(config.alsoSources ?? [])], {
      now: () => new Date().toISOString(),
      onProgress: (e) => {
        if (e.type === 'posts' && e.total > 0 && performance.now() - last > 5000) {
          last = performance.now();
          log(`  ingest: ${e.done}/${e.total} posts of ${e.source}`);
        }
      },
    });
    const ingestMs = performance.now() - t0;
    const db = connectionOf(archive.store);
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const t1 = performance.now();
    const queries = generateQueries(db, { seed: config.seed, perKind: config.perKind });
    writeFileSync(config.queriesFile, JSON.stringify(queries, null, 1));
    const result: IngestResult = {
      ingestMs: round(ingestMs, 1),
      posts: count('SELECT count(*) AS n FROM posts'),
      comments: count('SELECT count(*) AS n FROM comments WHERE deleted = 0'),
      passages: count('SELECT count(*) AS n FROM passages'),
      textBytes: count('SELECT coalesce(sum(length(CAST(text AS BLOB))), 0) AS n FROM passages'),
      errors: report.sources.flatMap((s) => s.errors),
      warnings: report.sources.reduce((n, s) => n + s.warnings.length, 0),
      queriesMs: round(performance.now() - t1, 1),
      peakRssMb: peakRssMb(),
    };
    archive.close();
    writeResult(config.resultFile, result);
    return;
  }

  const db = openDatabase(config.dataDir);
  const t0 = performance.now();
  rebuildIndex(db, config.dataDir);
  const result: BuildResult = { buildMs: round(performance.now() - t0, 1), peakRssMb: peakRssMb() };
  db.close();
  writeResult(config.resultFile, result);
}

if (isMain(import.meta.url)) runMain(main);
