// What a member typed, as index terms: stop words dropped, spellings and stems
// as in the index, the last word completed as a prefix and longer words
// tolerant of a typo.
import { normalizeWord, termOf, words } from './terms.js';

/** Shortest last word that is completed as a prefix: shorter ones expand to too many terms. */
const MIN_PREFIX = 3;
/** Shortest word searched with typo tolerance. */
const MIN_FUZZY = 5;

export interface QueryTerm {
  term: string;
  /** Also stands for the terms it begins (the word being typed). */
  prefix: boolean;
  /** Also stands for terms a typo away. */
  fuzzy: boolean;
}

/**
 * Query terms from what a member typed: stop words dropped, spellings and
 * stems as in the index. The last word is also completed as a prefix (typing
 * "treadm" finds "treadmill"); longer words tolerate a typo.
 */
export function queryTerms(query: string, options: { completeLast?: boolean } = {}): QueryTerm[] {
  const typed = words(query);
  const lastWord = typed.at(-1);
  const completing = (options.completeLast ?? true) && lastWord !== undefined && !/\s$/.test(query);
  const out: QueryTerm[] = [];
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
