// Which index terms exist: the base segment's sorted terms, searched in place,
// and the few first seen since the build; what a prefix or a typo may stand for.
import SearchableMap from 'minisearch/SearchableMap';
import { compareCodeUnits } from './ranking.js';

export interface Vocabulary {
  /** The base segment's terms, sorted in code-unit order. */
  readonly baseTerms: readonly string[];
  /** Terms first seen after the build: never one of the base's, so no term is found twice. */
  readonly added: SearchableMap<true>;
  /** MiniSearch's radix tree over the base terms, for typos: built on the first typo-tolerant query. */
  typoTree: SearchableMap<number> | null;
}

export function vocabularyOf(baseTerms: readonly string[]): Vocabulary {
  return { baseTerms, added: new SearchableMap<true>(), typoTree: null };
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
  vocabulary.typoTree ??= treeOf(vocabulary.baseTerms);
  const found = [
    ...vocabulary.typoTree.fuzzyGet(term, distance).keys(),
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

function treeOf(terms: readonly string[]): SearchableMap<number> {
  const tree = new SearchableMap<number>();
  terms.forEach((t, i) => tree.set(t, i));
  return tree;
}
