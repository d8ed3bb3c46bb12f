// Child process, baseline 1: the naive MiniSearch — every passage in one index,
// text and title stored in it, saved as one JSON file. Same tokenizer, term
// processing, boosts and prefix/fuzzy rules as the bot, so results compare.
// `build` builds and saves it; `serve` starts from the saved file like a bot would.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import MiniSearch, { type Options, type Query, type SearchOptions } from 'minisearch';
import type { PassageKind } from '../../src/archive/model.js';
import { excerptFor } from '../../src/search/excerpt.js';
import { normalizeWord, termOf, words } from '../../src/search/terms.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import {
  childInput,
  clockMs,
  distinctPosts,
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
  type QuerySet,
  type ServeConfig,
} from './common.js';

export interface NaiveDocument {
  id: number;
  postId: string;
  kind: PassageKind;
  title: string;
  text: string;
  author: string | null;
}

export type NaiveIndex = MiniSearch<NaiveDocument>;

export const NAIVE_OPTIONS: Options<NaiveDocument> = {
  idField: 'id',
  fields: ['title', 'text', 'author'],
  storeFields: ['title', 'text', 'author', 'postId', 'kind'],
  tokenize: (text) => words(text).map((w) => w.word),
  processTerm: (term) => termOf(term) ?? null,
};

const SEARCH_OPTIONS: SearchOptions = {
  tokenize: (t) => [t],
  processTerm: (t) => t,
  boost: { title: 2.5, text: 1, author: 1.5 },
  weights: { fuzzy: 0.4, prefix: 0.5 },
  maxFuzzy: 2,
  combineWith: 'OR',
};

/** Every stored passage with its post's title, as the naive index takes them. */
export function* naiveDocuments(db: Db): Generator<NaiveDocument> {
  const rows = db.prepare(
    'SELECT p.id, p.post_id AS postId, p.kind, p.author, p.text, posts.title FROM passages p JOIN posts ON posts.id = p.post_id',
  );
  yield* rows.iterate() as IterableIterator<NaiveDocument>;
}

export function buildNaive(db: Db): NaiveIndex {
  const index = new MiniSearch<NaiveDocument>(NAIVE_OPTIONS);
  for (const doc of naiveDocuments(db)) index.add(doc);
  return index;
}

/**
 * The query as the bot reads what was typed: stop words dropped, terms as
 * indexed; the last word (when still being typed, 3+ letters, not a number) is
 * also a prefix; alphabetic terms of 5+ letters tolerate a typo (fuzzy 0.2).
 */
export function naiveQuery(typed: string): Query | null {
  const all = words(typed);
  const last = all.at(-1);
  const completing = last !== undefined && !/\s$/.test(typed);
  const queries: Query[] = [];
  for (const w of all) {
    const term = termOf(w.word);
    if (!term) continue;
    const prefix = completing && w === last && normalizeWord(w.word).length >= 3 && !/^\d+$/.test(term);
    const fuzzy = term.length >= 5 && /^\p{L}+$/u.test(term) ? 0.2 : false;
    queries.push({ queries: [term], prefix, fuzzy });
  }
  return queries.length > 0 ? { combineWith: 'OR', queries } : null;
}

/**
 * Top posts, each shown (like ours) by its best passage's excerpt, so the
 * timings cover the same work: ranking, the text of the hit, the excerpt.
 */
export function naiveSearch(index: NaiveIndex, typed: string, limit: number): string[] {
  const query = naiveQuery(typed);
  if (!query) return [];
  const results = index.search(query, SEARCH_OPTIONS);
  const posts = distinctPosts(
    results.map((r) => r['postId'] as string),
    limit,
  );
  const shown = new Set<string>();
  for (const r of results) {
    if (shown.size === posts.length) break;
    const postId = r['postId'] as string;
    if (shown.has(postId)) continue;
    shown.add(postId);
    excerptFor(r['text'] as string, new Set(Object.keys(r.match)), 400);
  }
  return posts;
}

export function naiveEngine(index: NaiveIndex): BenchEngine {
  return { search: (q) => naiveSearch(index, q, 10), suggest: (q) => naiveSearch(index, q, 25), fuzzy: true };
}

/** A new comment is one more document added to the index. */
export function naiveFreshComment(index: NaiveIndex, db: Db): FreshComment {
  let pending: NaiveDocument | null = null;
  let nextId = Number.MAX_SAFE_INTEGER - 1_000_000;
  const title = db.prepare('SELECT title FROM posts WHERE id = ?');
  return {
    store: (postId, word) => {
      const row = title.get(postId) as { title: string };
      pending = {
        id: nextId++,
        postId,
        kind: 'comment',
        title: row.title,
        text: freshCommentText(word),
        author: 'Bench Reader',
      };
    },
    catchUp: () => {
      if (pending) index.add(pending);
      pending = null;
    },
    found: (postId, word) => naiveSearch(index, word, 10).includes(postId),
  };
}

export interface NaiveBuildResult {
  documents: number;
  buildMs: number;
  saveMs: number;
  indexBytes: number;
  peakRssMb: number;
}

async function main(): Promise<void> {
  const { config, originMs } = childInput<ServeConfig & { mode: 'build' | 'serve' }>();
  const db = openDatabase(config.dataDir);
  if (config.mode === 'build') {
    const t0 = performance.now();
    const index = buildNaive(db);
    const t1 = performance.now();
    writeFileSync(config.indexFile, JSON.stringify(index));
    const t2 = performance.now();
    const result: NaiveBuildResult = {
      documents: index.documentCount,
      buildMs: round(t1 - t0, 1),
      saveMs: round(t2 - t1, 1),
      indexBytes: statSync(config.indexFile).size,
      peakRssMb: peakRssMb(),
    };
    log(
      `  naive: built ${result.documents} documents in ${(result.buildMs / 1000).toFixed(1)} s, saved in ${(result.saveMs / 1000).toFixed(1)} s`,
    );
    writeResult(config.resultFile, result);
    return;
  }

  const startToMainMs = clockMs() - originMs;
  const queries = JSON.parse(readFileSync(config.queriesFile, 'utf8')) as QuerySet;
  const firstQuery = queries.plain[0] ?? 'probation';
  const index = MiniSearch.loadJSON<NaiveDocument>(readFileSync(config.indexFile, 'utf8'), NAIVE_OPTIONS);
  naiveSearch(index, firstQuery, 10);
  const startToFirstAnswerMs = clockMs() - originMs;
  const postIds = (db.prepare('SELECT id FROM posts ORDER BY id').all() as { id: string }[]).map((r) => r.id);
  await serveAndReport(
    'naive',
    naiveEngine(index),
    { firstQuery, originMs, startToMainMs, startToFirstAnswerMs },
    config,
    queries,
    {
      postIds,
      comment: naiveFreshComment(index, db),
    },
  );
  db.close();
}

if (isMain(import.meta.url)) runMain(main);
