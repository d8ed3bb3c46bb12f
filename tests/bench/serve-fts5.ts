// Child process, baseline 2: SQLite FTS5 over the same passages, in a database
// file of its own. `build` fills it straight from the archive (one INSERT …
// SELECT: FTS5 at its best); `serve` opens it fresh and answers the queries.
// FTS5 cannot do typo tolerance, so its fuzzy figures are null.
import Database from 'better-sqlite3';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { excerptFor } from '../../src/search/excerpt.js';
import { termsOf, words } from '../../src/search/terms.js';
import { DATABASE_FILE } from '../../src/store/db.js';
import {
  childInput,
  clockMs,
  freshCommentText,
  isMain,
  log,
  peakRssMb,
  round,
  runMain,
  serveAndReport,
  writeResult,
  type BenchEngine,
  type FreshComment,
  type QueryKind,
  type QuerySet,
  type ServeConfig,
} from './common.js';

type Fts = Database.Database;

/** Create the FTS5 table in `file` and fill it from the archive in `dataDir`; the passage id is the rowid. */
export function buildFts5(dataDir: string, file: string): { rows: number; buildMs: number } {
  for (const leftover of [file, `${file}-wal`, `${file}-shm`]) rmSync(leftover, { force: true });
  const t0 = performance.now();
  const fts = openFts(file);
  fts.exec(
    "CREATE VIRTUAL TABLE fts USING fts5(title, text, author, post_id UNINDEXED, tokenize = 'porter unicode61')",
  );
  fts.prepare('ATTACH DATABASE ? AS archive').run(join(dataDir, DATABASE_FILE));
  const rows = fts.transaction(
    () =>
      fts
        .prepare(
          `INSERT INTO fts (rowid, title, text, author, post_id)
     SELECT p.id, posts.title, p.text, p.author, p.post_id FROM archive.passages p JOIN archive.posts ON posts.id = p.post_id`,
        )
        .run().changes,
  )();
  fts.exec('DETACH DATABASE archive');
  fts.close();
  return { rows, buildMs: performance.now() - t0 };
}

/** Durability as the archive's own store has it (WAL, synchronous NORMAL), so writes compare. */
export function openFts(file: string): Fts {
  const fts = new Database(file);
  fts.pragma('journal_mode = WAL');
  fts.pragma('synchronous = NORMAL');
  return fts;
}

const quote = (word: string) => `"${word.replace(/"/g, '""')}"`;

/**
 * What was typed as an FTS5 MATCH: the words quoted and OR'ed; for prefix and
 * autocomplete queries the last word is a prefix (`"word"*`).
 */
export function fts5Match(typed: string, lastIsPrefix: boolean): string | null {
  const all = words(typed).map((w) => w.word.toLowerCase());
  if (all.length === 0) return null;
  return all.map((w, i) => (lastIsPrefix && i === all.length - 1 ? `${quote(w)}*` : quote(w))).join(' OR ');
}

export function fts5Engine(fts: Fts): BenchEngine {
  // Best passage per post (SQLite gives the row holding the min), posts ranked by it (bm25: lower is better).
  const top = fts.prepare(
    `WITH matched AS MATERIALIZED (SELECT post_id, rowid AS passage, bm25(fts, 2.5, 1, 1.5) AS score FROM fts WHERE fts MATCH ?)
     SELECT post_id AS postId, passage, min(score) AS best FROM matched GROUP BY post_id ORDER BY best LIMIT ?`,
  );
  const text = fts.prepare('SELECT text FROM fts WHERE rowid = ?').pluck();
  // Like ours, each hit is shown by its passage's excerpt: the timings cover the same work.
  const run = (typed: string, match: string | null, limit: number) => {
    if (!match) return [];
    const rows = top.all(match, limit) as { postId: string; passage: number }[];
    const terms = new Set(termsOf(typed));
    for (const row of rows) excerptFor(text.get(row.passage) as string, terms, 400);
    return rows.map((r) => r.postId);
  };
  return {
    search: (q, kind: QueryKind) => run(q, fts5Match(q, kind === 'prefix'), 10),
    suggest: (q) => run(q, fts5Match(q, true), 25),
    fuzzy: false,
  };
}

/** A new comment is one more row; FTS5 has it on commit. */
export function fts5FreshComment(fts: Fts, archive: Database.Database): FreshComment {
  const title = archive.prepare('SELECT title FROM posts WHERE id = ?');
  const insert = fts.prepare('INSERT INTO fts (title, text, author, post_id) VALUES (?, ?, ?, ?)');
  const engine = fts5Engine(fts);
  let pending: [string, string, string, string] | null = null;
  return {
    store: (postId, word) => {
      pending = [(title.get(postId) as { title: string }).title, freshCommentText(word), 'Bench Reader', postId];
    },
    catchUp: () => {
      if (pending) insert.run(...pending);
      pending = null;
    },
    found: (postId, word) => engine.search(word, 'plain').includes(postId),
  };
}

export interface Fts5BuildResult {
  rows: number;
  buildMs: number;
  indexBytes: number;
  peakRssMb: number;
}

async function main(): Promise<void> {
  const { config, originMs } = childInput<ServeConfig & { mode: 'build' | 'serve' }>();
  if (config.mode === 'build') {
    const { rows, buildMs } = buildFts5(config.dataDir, config.indexFile);
    const result: Fts5BuildResult = {
      rows,
      buildMs: round(buildMs, 1),
      indexBytes: statSync(config.indexFile).size,
      peakRssMb: peakRssMb(),
    };
    log(`  fts5: inserted ${rows} passages in ${(buildMs / 1000).toFixed(1)} s`);
    writeResult(config.resultFile, result);
    return;
  }

  const startToMainMs = clockMs() - originMs;
  const queries = JSON.parse(readFileSync(config.queriesFile, 'utf8')) as QuerySet;
  const firstQuery = queries.plain[0] ?? 'probation';
  const fts = openFts(config.indexFile);
  const engine = fts5Engine(fts);
  engine.search(firstQuery, 'plain');
  const startToFirstAnswerMs = clockMs() - originMs;
  const archive = new Database(join(config.dataDir, DATABASE_FILE), { readonly: true });
  const postIds = (archive.prepare('SELECT id FROM posts ORDER BY id').all() as { id: string }[]).map((r) => r.id);
  await serveAndReport('fts5', engine, { firstQuery, originMs, startToMainMs, startToFirstAnswerMs }, config, queries, {
    postIds,
    comment: fts5FreshComment(fts, archive),
  });
  archive.close();
  fts.close();
}

if (isMain(import.meta.url)) runMain(main);
