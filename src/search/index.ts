// The MiniSearch index over passages. It holds terms and, per passage, only the
// post id and kind: the text stays in SQLite, so the index stays small. The
// options live here, once, because loading a saved index needs the same ones.
import MiniSearch, { type Options, type SearchOptions } from 'minisearch';
import type { PassageKind } from '../archive/model.js';
import { normalizeWord, termOf, words } from './terms.js';

/** Bump when tokenizing, term processing or fields change: a saved index of another version is rebuilt. */
export const INDEX_FORMAT_VERSION = 1;

export interface IndexDocument {
  id: number;
  /** Post id (stored). */
  p: string;
  /** Passage kind (stored). */
  k: PassageKind;
  title: string;
  text: string;
  author: string | null;
}

export type PassageIndex = MiniSearch<IndexDocument>;

const INDEX_OPTIONS: Options<IndexDocument> = {
  idField: 'id',
  fields: ['title', 'text', 'author'],
  storeFields: ['p', 'k'],
  tokenize: (text) => words(text).map((w) => w.word),
  processTerm: (term) => termOf(term) ?? null,
  // Sizeable archives discard many passages on re-ingest; clean up in the background.
  autoVacuum: { minDirtCount: 1000, minDirtFactor: 0.1, batchSize: 1000, batchWait: 10 },
};

export function createIndex(): PassageIndex {
  return new MiniSearch<IndexDocument>(INDEX_OPTIONS);
}

export function addToIndex(index: PassageIndex, passages: Iterable<IndexDocument>): number {
  let n = 0;
  for (const passage of passages) {
    index.add(passage);
    n++;
  }
  return n;
}

/** The saved form: the index with the format version and the store generation it was built from. */
export function serializeIndex(index: PassageIndex, generation: number): string {
  return JSON.stringify({ version: INDEX_FORMAT_VERSION, generation, index });
}

/** Read a saved index; null when it was written by another format version (then rebuild). */
export function deserializeIndex(json: string): { index: PassageIndex; generation: number } | null {
  const saved = JSON.parse(json) as { version?: unknown; generation?: unknown; index?: unknown };
  if (saved.version !== INDEX_FORMAT_VERSION || typeof saved.generation !== 'number' || typeof saved.index !== 'object') return null;
  const index = MiniSearch.loadJS<IndexDocument>(saved.index as Parameters<typeof MiniSearch.loadJS>[0], INDEX_OPTIONS);
  return { index, generation: saved.generation };
}

/** A passage the index matched, with the index terms that matched in it (for excerpts). */
export interface PassageMatch {
  id: number;
  postId: string;
  kind: PassageKind;
  score: number;
  terms: string[];
}

export interface MatchOptions {
  kinds?: readonly PassageKind[];
}

/** Shortest last word that is completed as a prefix: shorter ones expand to too many terms. */
const MIN_PREFIX = 3;
/** Shortest word searched with typo tolerance. */
const MIN_FUZZY = 5;

/**
 * Query terms from what a member typed: stop words dropped, spellings and
 * stems as in the index. The last word is also completed as a prefix (typing
 * "treadm" finds "treadmill"); longer words tolerate a typo.
 */
export function queryTerms(query: string): { term: string; prefix: boolean; fuzzy: boolean }[] {
  const typed = words(query);
  const lastWord = typed.at(-1);
  const completing = lastWord !== undefined && !/\s$/.test(query);
  const out: { term: string; prefix: boolean; fuzzy: boolean }[] = [];
  for (const w of typed) {
    const term = termOf(w.word);
    if (!term) continue;
    const isLast = completing && w === lastWord;
    out.push({
      term,
      prefix: isLast && normalizeWord(w.word).length >= MIN_PREFIX && !/^\d+$/.test(term),
      fuzzy: term.length >= MIN_FUZZY && /^\p{L}+$/u.test(term),
    });
  }
  return out;
}

export function matchPassages(index: PassageIndex, query: string, options: MatchOptions = {}): PassageMatch[] {
  const terms = queryTerms(query);
  if (terms.length === 0) return [];
  const searchOptions: SearchOptions = {
    tokenize: (t) => [t],
    processTerm: (t) => t,
    boost: { title: 2.5, text: 1, author: 1.5 },
    weights: { fuzzy: 0.4, prefix: 0.5 },
    maxFuzzy: 2,
    combineWith: 'OR',
  };
  if (options.kinds) {
    const kinds = new Set(options.kinds);
    searchOptions.filter = (r) => kinds.has(r['k'] as PassageKind);
  }
  const results = index.search(
    { combineWith: 'OR', queries: terms.map((t) => ({ queries: [t.term], prefix: t.prefix, fuzzy: t.fuzzy ? 0.2 : false })) },
    searchOptions,
  );
  return results.map((r) => ({
    id: r.id as number,
    postId: r['p'] as string,
    kind: r['k'] as PassageKind,
    score: r.score,
    terms: r.terms,
  }));
}
