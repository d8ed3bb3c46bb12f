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
  const note = (term: string, weight: number) => {
    weights.set(term, Math.max(weights.get(term) ?? 0, weight));
    if (origins) origins.set(term, (origins.get(term) ?? new Set()).add(word));
  };
  const frequency = (term: string) => termFrequency(live, term);
  for (const [i, t] of typed.entries()) {
    word = i;
    if (isKnown(live.vocabulary, t.term)) note(t.term, 1);
    if (t.prefix) {
      for (const term of completions(live.vocabulary, t.term, quick ? QUICK_PREFIX_CAP : PREFIX_CAP, frequency)) {
        const distance = term.length - t.term.length;
        note(term, (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * distance));
      }
    }
    if (t.fuzzy && !quick) {
      const distance = Math.min(MAX_FUZZY, Math.round(t.term.length * FUZZINESS));
      for (const term of typoNeighbours(live.vocabulary, t.term, distance, FUZZY_CAP, frequency))
        note(term, (FUZZY_WEIGHT * term.length) / (term.length + distance));
    }
  }
  return weights;
}
