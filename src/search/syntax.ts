// What a member can say in a search beyond plain words: an "exact phrase"
// (straight or curly quotes), -word to leave out passages holding a word (or
// -"a phrase"), and order:newest / order:oldest. Read here once, the same for
// /search, the console and the CLI; a query that cannot be searched as typed
// comes back as a problem to tell the member, not an exception.
import { normalizeWord, termOf, words } from './terms.js';

export type SearchOrder = 'relevance' | 'newest' | 'oldest';
export const SEARCH_ORDERS: readonly SearchOrder[] = ['relevance', 'newest', 'oldest'];

export interface SearchQuery {
  /** What the index is asked for: the plain words and the phrases' words (no exclusions, no order word). */
  positive: string;
  /** Each phrase as its normalised words (`normalizeWord`), in order. */
  phrases: string[][];
  /** Index terms (`termOf`) a hit's passage must not hold. */
  excludedTerms: string[];
  /** Phrases (normalised words) a hit's passage must not hold. */
  excludedPhrases: string[][];
  /** `order:…` typed in the query; null when not given. */
  order: SearchOrder | null;
}

/** One line for /help and the README. */
export const SEARCH_SYNTAX_HELP =
  'Search syntax: "exact phrase" · -word leaves out passages with that word · order:newest or order:oldest (default: best first).';

/** Quote marks a member's keyboard may type: straight, and the curly ones phones put in. */
const QUOTE = /["“”„]/;
const ORDER_WORD = /^order:(\S*)$/i;

/** The query read, or the problem with it in one short sentence. */
export function parseSearchQuery(text: string): SearchQuery | { problem: string } {
  const positive: string[] = [];
  const phrases: string[][] = [];
  const excludedTerms: string[] = [];
  const excludedPhrases: string[][] = [];
  let order: SearchOrder | null = null;
  // The query ends in a word being typed only when its last piece is a plain word: then the index completes it.
  let endsInWord = false;
  let at = 0;
  while (at < text.length) {
    if (/\s/.test(text[at]!)) {
      at++;
      continue;
    }
    const negated = text[at] === '-' && at + 1 < text.length && !/\s/.test(text[at + 1]!);
    const start = negated ? at + 1 : at;
    if (QUOTE.test(text[start]!)) {
      const close = text.slice(start + 1).search(QUOTE);
      if (close === -1) {
        return { problem: `The quote opened at ${snippet(text.slice(start))} is not closed: add the closing ".` };
      }
      const inside = text.slice(start + 1, start + 1 + close);
      const phrase = phraseWords(inside);
      if (phrase.length === 0) {
        return { problem: 'An empty pair of quotes: put the exact words to look for between them, "like this".' };
      }
      if (negated) excludedPhrases.push(phrase);
      else {
        phrases.push(phrase);
        positive.push(inside);
      }
      at = start + close + 2;
      endsInWord = false;
      continue;
    }
    const end = text.slice(start).search(/\s|["“”„]/);
    const piece = end === -1 ? text.slice(start) : text.slice(start, start + end);
    at = end === -1 ? text.length : start + end;
    const ordered = negated ? null : ORDER_WORD.exec(piece);
    if (ordered) {
      const value = ordered[1]!.toLowerCase();
      if (!SEARCH_ORDERS.includes(value as SearchOrder)) {
        return { problem: `order:${ordered[1]} is not an order: use order:newest, order:oldest or order:relevance.` };
      }
      if (order !== null && order !== value) return { problem: 'Give order: once (newest, oldest or relevance).' };
      order = value as SearchOrder;
      endsInWord = false;
    } else if (negated) {
      const terms = words(piece)
        .map((w) => termOf(w.word))
        .filter((t): t is string => t !== null);
      if (terms.length === 0) {
        return { problem: `-${piece} leaves out nothing: "${piece}" is too common a word to search by.` };
      }
      // A hyphenated word left out is each of its words left out ("-part-time" leaves out "part" and "time").
      excludedTerms.push(...terms);
      endsInWord = false;
    } else {
      positive.push(piece);
      endsInWord = true;
    }
  }
  if (positive.length === 0 && (excludedTerms.length > 0 || excludedPhrases.length > 0)) {
    return {
      problem:
        'A search needs words to look for, not only words to leave out: add some (for example: caseloads -treadmill).',
    };
  }
  // A trailing space tells the index the last word is finished (not a prefix to complete).
  const joined = positive.join(' ');
  return {
    positive: endsInWord ? joined : `${joined} `,
    phrases,
    excludedTerms: [...new Set(excludedTerms)],
    excludedPhrases,
    order,
  };
}

/** Whether the query asks more of a passage than holding its words. */
export function narrowsPassages(query: SearchQuery): boolean {
  return query.phrases.length > 0 || query.excludedTerms.length > 0 || query.excludedPhrases.length > 0;
}

/** A phrase as the words it is compared by: case, accents, spacing and punctuation set aside. */
export function phraseWords(text: string): string[] {
  return words(text)
    .map((w) => normalizeWord(w.word))
    .filter(Boolean);
}

/**
 * Where each phrase occurs, as [start, end) of its first to last word, in order: `tokens` are a text's words
 * normalised as `phraseWords` does, with their offsets (`normalizedTokens`).
 */
export function phraseSpans(
  tokens: readonly { normal: string; start: number; end: number }[],
  phrases: readonly (readonly string[])[],
): [number, number][] {
  const spans: [number, number][] = [];
  for (const phrase of phrases) {
    if (phrase.length === 0) continue;
    for (let i = 0; i + phrase.length <= tokens.length; i++) {
      if (phrase.every((word, k) => tokens[i + k]!.normal === word)) {
        spans.push([tokens[i]!.start, tokens[i + phrase.length - 1]!.end]);
      }
    }
  }
  return spans.sort((a, b) => a[0] - b[0]);
}

/** A text's words with their normalised form, for `phraseSpans`. */
export function normalizedTokens(text: string): { normal: string; start: number; end: number }[] {
  return words(text).map((w) => ({ normal: normalizeWord(w.word), start: w.start, end: w.end }));
}

/** Whether a passage's text answers the query's phrases and exclusions (its plain words are the index's business). */
export function passageMatches(text: string, query: SearchQuery, term: (word: string) => string | null): boolean {
  const tokens = normalizedTokens(text);
  if (query.phrases.some((p) => phraseSpans(tokens, [p]).length === 0)) return false;
  if (query.excludedPhrases.some((p) => phraseSpans(tokens, [p]).length > 0)) return false;
  if (query.excludedTerms.length > 0) {
    const excluded = new Set(query.excludedTerms);
    for (const w of words(text)) {
      const t = term(w.word);
      if (t !== null && excluded.has(t)) return false;
    }
  }
  return true;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 30 ? `${flat.slice(0, 29)}…` : flat;
}
