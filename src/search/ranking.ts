// The ranking's tuning, shared by both stages (MiniSearch over posts, BM25+
// over passages) so that a word weighs the same in each, and the BM25+ formula.
import type { PassageKind } from '../archive/model.js';
import { type FIELDS, KIND_CODES, KINDS } from './segment.js';

export const FIELD_BOOST: Record<(typeof FIELDS)[number], number> = {
  title: 2.5,
  post: 1,
  comments: 0.5,
  author: 1.5,
};
export const PREFIX_WEIGHT = 0.5;
export const FUZZY_WEIGHT = 0.4;
/** Typo tolerance: edits allowed per character of a term (MiniSearch's `fuzzy`), at most MAX_FUZZY. */
export const FUZZINESS = 0.2;
export const MAX_FUZZY = 2;
/** BM25+ parameters, MiniSearch's defaults. */
export const BM25 = { k: 1.2, b: 0.7, d: 0.5 };

/** The passage kinds a search looks in. */
export interface KindScope {
  /** Kind codes (KIND_CODES). */
  kinds: Set<number>;
  all: boolean;
  /** A post's title counts only where its own text is searched: comments do not carry it. */
  withTitle: boolean;
  /** The kinds as a cache key. */
  key: string;
}

export function kindScope(kinds: readonly PassageKind[] = KINDS): KindScope {
  const codes = new Set(kinds.map((k) => KIND_CODES[k]));
  return {
    kinds: codes,
    all: codes.size === KINDS.length,
    withTitle: codes.has(KIND_CODES.paragraph) || codes.has(KIND_CODES.quoted),
    key: [...codes].sort().join(''),
  };
}

/** BM25's inverse document frequency: how rare a term held by `df` of `n` documents is. */
export function idf(df: number, n: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

export function bm25(tf: number, df: number, n: number, length: number, avg: number): number {
  return idf(df, n) * (BM25.d + (tf * (BM25.k + 1)) / (tf + BM25.k * (1 - BM25.b + (BM25.b * length) / (avg || 1))));
}

/** Plain `<` order (no locale): ties fall the same way on every machine. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
