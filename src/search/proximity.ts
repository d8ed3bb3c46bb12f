// Third stage: words near each other in the passage shown count for more than the same words scattered through it.
// The index keeps no positions, so this reads the text of the hits' passages, which their excerpts read anyway.
import { cachedTermOf, words } from './terms.js';

/** The most a passage gains when two of the query's words stand side by side. */
export const PROXIMITY = 0.6;

/**
 * How close different query words come in `text`: 1 when two stand side by
 * side (stop words between them do not count), 1/2 with one word between, and
 * so on; 0 when the text holds fewer than two of them. `wordsOf` gives the
 * typed words (by position) each index term stands for.
 */
export function closeness(text: string, wordsOf: ReadonlyMap<string, readonly number[]>): number {
  const lastAt = new Map<number, number>();
  let position = 0;
  let nearest = Number.POSITIVE_INFINITY;
  for (const { word } of words(text)) {
    const term = cachedTermOf(word);
    if (term === null) continue;
    position++;
    const typed = wordsOf.get(term);
    if (!typed) continue;
    for (const [other, at] of lastAt) if (!typed.includes(other)) nearest = Math.min(nearest, position - at);
    for (const w of typed) lastAt.set(w, position);
  }
  return Number.isFinite(nearest) ? 1 / nearest : 0;
}
