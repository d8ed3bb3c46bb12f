// Whether a passage new to the archive answers a member's watch well enough to be sent to them: the watch is
// written in the search syntax (syntax.ts) and read the same way, but matched strictly, whole words only: every
// word it asks for is in the passage (as index terms: spellings, possessives and stems met as search meets them),
// every phrase it quotes is there word for word, and nothing it leaves out (-word, -"a phrase") is.
import type { Excerpt } from './excerpt.js';
import { parseSearchQuery, passageMatches, type SearchQuery } from './syntax.js';
import { termOf, words } from './terms.js';

export interface WatchQuery {
  /** Index terms every matching passage holds (the plain words' and the phrases' own, stop words left out). */
  terms: string[];
  /** The syntax as search reads it: phrases and exclusions. */
  syntax: SearchQuery;
}

/** A watch's query read, or the problem with it in one short sentence (the same words /search uses). */
export function readWatchQuery(text: string): WatchQuery | { problem: string } {
  const syntax = parseSearchQuery(text);
  if ('problem' in syntax) return syntax;
  if (syntax.order !== null) {
    return { problem: `A watch sends what is new as it comes: leave out order:${syntax.order}.` };
  }
  const terms = [...new Set(words(syntax.positive).flatMap((w) => termOf(w.word) ?? []))];
  if (terms.length === 0) {
    return {
      problem: `"${text.trim().slice(0, 60)}" has only words too common to watch for: add a word that says what it is about.`,
    };
  }
  return { terms, syntax };
}

/**
 * Whether `text` (one passage) matches the watch well: every term and phrase in it, no excluded word or phrase.
 * `term` is how a word becomes an index term (`termOf`, or a cache of it).
 */
export function matchesWell(
  text: string,
  query: WatchQuery,
  term: (word: string) => string | null = termOf,
  held: ReadonlySet<string> = termsIn(text, term),
): boolean {
  if (!query.terms.every((t) => held.has(t))) return false;
  return passageMatches(text, query.syntax, term);
}

/** The index terms a text holds: worked out once per passage when many watches are matched against it. */
export function termsIn(text: string, term: (word: string) => string | null = termOf): Set<string> {
  const held = new Set<string>();
  for (const w of words(text)) {
    const t = term(w.word);
    if (t !== null) held.add(t);
  }
  return held;
}

/** One match as a member's direct message shows it. */
export interface WatchItem {
  kind: 'post' | 'comment';
  postTitle: string;
  author: string | null;
  date: string | null;
  time: string | null;
  url: string | null;
  /** The passage that matched, cut around what the watch asks for. */
  excerpt: Excerpt;
  /** The member's query it matched. */
  query: string;
}

/** An hour's direct message to one member: every match since the last, oldest first. */
export interface WatchBatch {
  items: WatchItem[];
}
