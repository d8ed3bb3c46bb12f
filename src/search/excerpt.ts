// The excerpt that answers a query: the window of a passage (at most `max`
// characters) holding the most distinct matched terms, begun at a sentence's
// start and ended at a sentence's end where the window allows (else cut at a
// word), with the matched words' positions so a renderer can bold them. A
// heading line keeps a dash after it, so it does not run into its sentence.
import { oneLine } from '../archive/text.js';
import { normalizedTokens, phraseSpans, phraseWords } from './syntax.js';
import { cachedTermOf, termInitial, words } from './terms.js';

export interface Excerpt {
  text: string;
  /** [start, end) of each matched word within `text`. */
  highlights: [number, number][];
}

const ELLIPSIS = '…';

/**
 * `matched` holds index terms (as `termOf` makes them; looked up through a cache) that the query matched in this
 * passage. `phrases` (normalised words, as `phraseWords` makes them) are shown whole and highlighted as one: the
 * window holds as many distinct phrases as it can before anything else.
 */
export function excerptFor(
  passage: string,
  matched: ReadonlySet<string>,
  max = 400,
  phrases: readonly (readonly string[])[] = [],
): Excerpt {
  const text = flatten(passage);
  // Only words that may stand for a matched term are looked up (a passage's words are mostly new to the term cache).
  const initials = new Set([...matched].map((term) => term[0]));
  const mayMatch = (word: string) => {
    const initial = termInitial(word);
    return initial === null || initials.has(initial);
  };
  const tokens = words(text).map((w) => ({ ...w, term: mayMatch(w.word) ? cachedTermOf(w.word) : null }));
  const spans = phrases.length > 0 ? phraseSpans(normalizedTokens(text), phrases) : [];
  // A phrase counts as one hit of its own (its words inside it are not hits again).
  const phraseHits = spans.map(([start, end]) => ({
    start,
    end,
    term: `"${phraseWords(text.slice(start, end)).join(' ')}"` as string | null,
    phrase: true,
  }));
  const inPhrase = (t: { start: number; end: number }) => spans.some(([s, e]) => t.start >= s && t.end <= e);
  const hits = [
    ...phraseHits,
    ...tokens
      .filter((t) => t.term !== null && matched.has(t.term) && !inPhrase(t))
      .map((t) => ({ ...t, phrase: false })),
  ].sort((a, b) => a.start - b.start);
  if (text.length <= max) return { text, highlights: hits.map((h) => [h.start, h.end]) };

  const budget = max - 2 * ELLIPSIS.length;
  // Best window: starts at a hit, covers as many distinct phrases, then terms, then hits as fit in the budget.
  let best = { from: 0, reach: 0, phrases: 0, distinct: 0, count: 0 };
  for (let i = 0; i < hits.length; i++) {
    const seen = new Set<string>();
    const phrasesSeen = new Set<string>();
    let count = 0;
    let reach = hits[i]!.end;
    for (let j = i; j < hits.length && hits[j]!.end - hits[i]!.start <= budget; j++) {
      seen.add(hits[j]!.term!);
      if (hits[j]!.phrase) phrasesSeen.add(hits[j]!.term!);
      reach = hits[j]!.end;
      count++;
    }
    const better =
      phrasesSeen.size !== best.phrases
        ? phrasesSeen.size > best.phrases
        : seen.size !== best.distinct
          ? seen.size > best.distinct
          : count > best.count;
    if (better) best = { from: hits[i]!.start, reach, phrases: phrasesSeen.size, distinct: seen.size, count };
  }

  // Centre the window's matches, leaving some lead-in before the first one (less when they reach far: all must show).
  const leadIn = Math.min(Math.floor(budget / 4), Math.max(0, budget - (best.reach - best.from) - 1));
  let start = Math.max(0, best.from - leadIn);
  let end = Math.min(text.length, start + budget);
  start = Math.max(0, end - budget);
  if (start > 0) {
    const space = text.indexOf(' ', start);
    start = space === -1 || space > best.from ? start : space + 1;
  }
  if (end < text.length) {
    // At the last space, unless that cuts off the window's last match (it may end just at the budget): then after it.
    const space = text.lastIndexOf(' ', end);
    if (space >= best.reach && space > start) end = space;
    else if (best.reach > start) end = best.reach;
  }
  const lastHit = hits.filter((h) => h.start >= start && h.end <= end).at(-1)?.end ?? best.from;
  start = sentenceStart(text, start, best.from);
  end = sentenceEnd(text, end, Math.max(lastHit, start + Math.floor(budget / 2)));
  const prefix = start > 0 && !SENTENCE_BEFORE.test(text.slice(0, start)) ? ELLIPSIS : '';
  const suffix = end < text.length && !SENTENCE_END.test(text.slice(0, end)) ? ELLIPSIS : '';
  const body = text.slice(start, end).trim();
  const offset = start + (text.slice(start, end).length - text.slice(start, end).trimStart().length);
  const highlights = hits
    .filter((h) => h.start >= offset && h.end <= offset + body.length)
    .map((h): [number, number] => [h.start - offset + prefix.length, h.end - offset + prefix.length]);
  return { text: `${prefix}${body}${suffix}`, highlights };
}

/** Where a sentence ended just before: `.`, `!` or `?` (and closing quotes or brackets), then a space. */
const SENTENCE_BEFORE = /[.!?…]["'”’)\]]*\s+$/;
const SENTENCE_END = /[.!?]["'”’)\]]*$/;

/** The first sentence start in [from, limit], else `from`: a window that begins at a sentence reads as one. */
function sentenceStart(text: string, from: number, limit: number): number {
  if (from === 0) return 0;
  const pattern = /[.!?…]["'”’)\]]*\s+(?=["'“‘(]?[\p{Lu}\d])/gu;
  pattern.lastIndex = Math.max(0, from - 2);
  for (let m = pattern.exec(text); m && m.index < limit; m = pattern.exec(text)) {
    const at = m.index + m[0].length;
    if (at >= from && at <= limit) return at;
  }
  return from;
}

/** Closing quotes and brackets where `lastIndex` says (sticky: read in place, nothing sliced). */
const CLOSING = /["'”’)\]]*/y;

/** The last sentence end in [least, to], else `to`. */
function sentenceEnd(text: string, to: number, least: number): number {
  if (to >= text.length) return to;
  for (let at = to; at > least; at--) {
    if (!/[.!?]/.test(text[at - 1]!)) continue;
    // A sentence ends at its mark, closing quotes and brackets after it ('grew.” Then'), then a space.
    CLOSING.lastIndex = at;
    const closing = CLOSING.exec(text)![0].length;
    if (/\s/.test(text[at + closing] ?? ' ')) return at + closing <= to ? at + closing : at;
  }
  return to;
}

/** The passage on one line; a line ending without punctuation (a heading) keeps a dash after it. */
function flatten(passage: string): string {
  const lines = passage
    .split('\n')
    .map((l) => oneLine(l))
    .filter(Boolean);
  const ended = /[.!?:;,…-]["'”’)\]]*$/;
  return lines.reduce((out, line) => (out === '' ? line : ended.test(out) ? `${out} ${line}` : `${out} — ${line}`), '');
}

/** Cut text to at most `max` characters at a word boundary, with an ellipsis when cut. */
export function shortenAtWord(text: string, max: number): string {
  const flat = oneLine(text);
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - ELLIPSIS.length);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}${ELLIPSIS}`;
}
