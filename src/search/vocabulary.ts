// Which index terms exist: the base segment's sorted terms, searched in place,
// and the few first seen since the build; what a prefix or a typo may stand for.
import SearchableMap from 'minisearch/SearchableMap';
import { compareCodeUnits } from './ranking.js';

export interface Vocabulary {
  /** The base segment's terms, sorted in code-unit order. */
  readonly baseTerms: readonly string[];
  /** Terms first seen after the build: never one of the base's, so no term is found twice. */
  readonly added: SearchableMap<true>;
}

export function vocabularyOf(baseTerms: readonly string[]): Vocabulary {
  return { baseTerms, added: new SearchableMap<true>() };
}

/** Index of `term` in the base vocabulary (and so in the segment's term tables), or -1. */
export function baseTermIndex(vocabulary: Vocabulary, term: string): number {
  const terms = vocabulary.baseTerms;
  let lo = 0;
  let hi = terms.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = terms[mid]!;
    if (t === term) return mid;
    if (t < term) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Note a term that a passage or title added since the build holds. */
export function noteTerm(vocabulary: Vocabulary, term: string): void {
  if (baseTermIndex(vocabulary, term) < 0) vocabulary.added.set(term, true);
}

export function isKnown(vocabulary: Vocabulary, term: string): boolean {
  return baseTermIndex(vocabulary, term) >= 0 || vocabulary.added.has(term);
}

/** Terms that start with `prefix` (itself left out): the `cap` most frequent, as "pro" alone would bring thousands. */
export function completions(
  vocabulary: Vocabulary,
  prefix: string,
  cap: number,
  frequency: (term: string) => number,
): string[] {
  const terms = vocabulary.baseTerms;
  let lo = 0;
  let hi = terms.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (terms[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  const found: string[] = [];
  for (let i = lo; i < terms.length && terms[i]!.startsWith(prefix); i++) found.push(terms[i]!);
  for (const [term] of vocabulary.added.atPrefix(prefix)) found.push(term);
  return mostFrequent(
    found.filter((t) => t !== prefix),
    cap,
    frequency,
  );
}

/** Terms within `distance` edits of `term` (itself left out): the `cap` most frequent. */
export function typoNeighbours(
  vocabulary: Vocabulary,
  term: string,
  distance: number,
  cap: number,
  frequency: (term: string) => number,
): string[] {
  const found = [
    ...withinDistance(vocabulary.baseTerms, term, distance),
    ...vocabulary.added.fuzzyGet(term, distance).keys(),
  ];
  return mostFrequent(
    found.filter((t) => t !== term),
    cap,
    frequency,
  );
}

function mostFrequent(terms: string[], cap: number, frequency: (t: string) => number): string[] {
  if (terms.length <= cap) return terms;
  return terms
    .map((t) => ({ t, f: frequency(t) }))
    .sort((a, b) => b.f - a.f || compareCodeUnits(a.t, b.t))
    .slice(0, cap)
    .map((x) => x.t);
}

/**
 * The sorted `terms` within `distance` edits (Levenshtein: insert, delete, substitute) of `query`. The sorted list is
 * walked as the trie it implies: a term reuses the distance rows of the prefix it shares with the one before, and
 * every term under a prefix already too far off is skipped by a binary search. The same terms as MiniSearch's
 * `fuzzyGet` over a radix tree of them, without building that tree (a quarter of a second and tens of megabytes at
 * full size, on the first query that forgave a typo).
 */
export function withinDistance(terms: readonly string[], query: string, distance: number): string[] {
  const width = query.length + 1;
  // rows[d * width + j]: the edit distance from the current term's first d characters to query's first j.
  let rows = new Uint16Array(width * 32);
  for (let j = 0; j < width; j++) rows[j] = j;
  const found: string[] = [];
  let previous = '';
  for (let i = 0; i < terms.length; ) {
    const term = terms[i]!;
    if ((term.length + 1) * width > rows.length) {
      const grown = new Uint16Array((term.length + 1) * width * 2);
      grown.set(rows);
      rows = grown;
    }
    let depth = sharedPrefix(previous, term);
    let tooFar = -1;
    for (; depth < term.length; depth++) {
      const at = (depth + 1) * width;
      const above = depth * width;
      const c = term.charCodeAt(depth);
      rows[at] = depth + 1;
      let least = depth + 1;
      for (let j = 1; j < width; j++) {
        const cost = rows[above + j - 1]! + (query.charCodeAt(j - 1) === c ? 0 : 1);
        const value = Math.min(rows[above + j]! + 1, rows[at + j - 1]! + 1, cost);
        rows[at + j] = value;
        if (value < least) least = value;
      }
      if (least > distance) {
        tooFar = depth + 1;
        break;
      }
    }
    if (tooFar < 0) {
      if (rows[term.length * width + width - 1]! <= distance) found.push(term);
      previous = term;
      i++;
    } else {
      // Every term starting with these characters is as far off: go to the first that does not.
      const prefix = term.slice(0, tooFar);
      previous = prefix;
      i = firstAfterPrefix(terms, prefix, i + 1);
    }
  }
  return found;
}

function sharedPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let k = 0;
  while (k < n && a.charCodeAt(k) === b.charCodeAt(k)) k++;
  return k;
}

/** The first index from `from` on whose term does not start with `prefix` (the list is sorted). */
function firstAfterPrefix(terms: readonly string[], prefix: string, from: number): number {
  let lo = from;
  let hi = terms.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (terms[mid]!.startsWith(prefix)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
