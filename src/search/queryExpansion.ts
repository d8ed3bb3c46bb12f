// The index terms a query stands for, weighted as MiniSearch weighs them (a known term 1, its completions and typo
// neighbours less, the further off the less), so that both ranking stages weigh an expansion alike.
import { type LiveSegment, termFrequency } from './liveSegment.js';
import type { QueryTerm } from './query.js';
import { FUZZINESS, FUZZY_WEIGHT, MAX_FUZZY, PREFIX_WEIGHT } from './ranking.js';
import { completions, isKnown, typoNeighbours } from './vocabulary.js';

/** Completions kept per query word (the most frequent ones); autocomplete keeps fewer, to answer while typing. */
const PREFIX_CAP = 32;
const QUICK_PREFIX_CAP = 8;
const FUZZY_CAP = 16;
/**
 * Completions kept for a last word that is already a well-attested word of its own (SURE_WORD): a member who typed
 * "part" most likely meant it, and its 32 completions cost a postings read each for little (plain p99 at full size
 * 36 → 21 ms; the judged set unchanged).
 */
export const SURE_PREFIX_CAP = 8;
/** Distinct words a query is searched for: the rarest, which say the most (a pasted paragraph has dozens). */
export const MAX_QUERY_TERMS = 12;
/** Completions and typo neighbours per query in all: each costs a postings read. */
export const MAX_EXPANSIONS = 64;
/**
 * The same for a query of more than LONG_QUERY words (a pasted paragraph): its many exact words already say what
 * it is about, and each expansion is merged with all of theirs.
 */
export const LONG_QUERY = 6;
export const MAX_LONG_EXPANSIONS = 24;
/**
 * A word found in at least this many passages and titles is taken as typed, not as a typo: its neighbours a typo
 * away ("court" → "count") would only add other words' passages, and each costs a postings read.
 */
export const SURE_WORD = 25;

/**
 * The query's words, each once, at most MAX_QUERY_TERMS of them: the rarest in the archive (unknown ones, likely
 * typos, first), in the order typed. Bounds what 200 characters of common words can cost.
 */
export function boundedTerms(live: LiveSegment, typed: readonly QueryTerm[]): QueryTerm[] {
  const byTerm = new Map<string, QueryTerm>();
  for (const t of typed) {
    const seen = byTerm.get(t.term);
    byTerm.set(t.term, seen ? { ...seen, prefix: seen.prefix || t.prefix, fuzzy: seen.fuzzy || t.fuzzy } : t);
  }
  const distinct = [...byTerm.values()];
  if (distinct.length <= MAX_QUERY_TERMS) return distinct;
  const kept = new Set(
    distinct
      .map((t, i) => ({ t, i, n: termFrequency(live, t.term) }))
      .sort((a, b) => a.n - b.n || a.i - b.i)
      .slice(0, MAX_QUERY_TERMS)
      .map((x) => x.t),
  );
  return distinct.filter((t) => kept.has(t));
}

/**
 * Index term → weight; empty when the index knows none of them. Autocomplete (`quick`) forgives no typos.
 * `origins`, when given, is filled with the typed words (by position) each index term stands for.
 */
export function expandQuery(
  live: LiveSegment,
  typed: readonly QueryTerm[],
  quick: boolean,
  origins?: Map<string, Set<number>>,
): Map<string, number> {
  const weights = new Map<string, number>();
  let word = 0;
  let expansions = 0;
  const budget = typed.length > LONG_QUERY ? MAX_LONG_EXPANSIONS : MAX_EXPANSIONS;
  const expand = (term: string, weight: number) => {
    if (weights.has(term) || expansions < budget) {
      if (!weights.has(term)) expansions++;
      note(term, weight);
    }
  };
  const note = (term: string, weight: number) => {
    weights.set(term, Math.max(weights.get(term) ?? 0, weight));
    if (origins) origins.set(term, (origins.get(term) ?? new Set()).add(word));
  };
  const frequency = (term: string) => termFrequency(live, term);
  for (const [i, t] of typed.entries()) {
    word = i;
    if (isKnown(live.vocabulary, t.term)) note(t.term, 1);
    if (t.prefix) {
      const cap = quick ? QUICK_PREFIX_CAP : frequency(t.term) >= SURE_WORD ? SURE_PREFIX_CAP : PREFIX_CAP;
      for (const term of completions(live.vocabulary, t.term, cap, frequency)) {
        const distance = term.length - t.term.length;
        expand(term, (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * distance));
      }
    }
    if (t.fuzzy && !quick && frequency(t.term) < SURE_WORD) {
      const distance = Math.min(MAX_FUZZY, Math.round(t.term.length * FUZZINESS));
      for (const term of typoNeighbours(live.vocabulary, t.term, distance, FUZZY_CAP, frequency))
        expand(term, (FUZZY_WEIGHT * term.length) / (term.length + distance));
    }
  }
  return weights;
}
