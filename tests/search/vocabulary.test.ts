// Typo neighbours found in the sorted vocabulary itself, held against MiniSearch's radix tree (fuzzyGet) as the
// reference: the same terms for any vocabulary, query and distance.
import fc from 'fast-check';
import SearchableMap from 'minisearch/SearchableMap';
import { describe, expect, it } from 'vitest';
import { compareCodeUnits } from '../../src/search/ranking.js';
import { typoNeighbours, vocabularyOf, withinDistance } from '../../src/search/vocabulary.js';

function reference(terms: readonly string[], query: string, distance: number): string[] {
  const tree = new SearchableMap<true>();
  for (const t of terms) tree.set(t, true);
  return [...tree.fuzzyGet(query, distance).keys()].sort(compareCodeUnits);
}

const sorted = (terms: string[]) => [...new Set(terms)].sort(compareCodeUnits);
// Few letters, so that near neighbours are common; one accented and one astral character among them.
const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'é', 'o', 'r', '𝒳'), minLength: 1, maxLength: 9 });

describe('typo neighbours in the sorted vocabulary', () => {
  it('are exactly the terms MiniSearch’s radix tree finds, for any vocabulary, query and distance', () => {
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 120 }),
        word,
        fc.integer({ min: 0, max: 3 }),
        (terms, query, distance) => {
          const vocabulary = sorted(terms);
          expect([...withinDistance(vocabulary, query, distance)].sort(compareCodeUnits)).toEqual(
            reference(vocabulary, query, distance),
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  it('finds a misspelt word one and two edits away, and not three', () => {
    const vocabulary = sorted(['probation', 'probate', 'problem', 'prison', 'officer', 'offices', 'office']);
    expect(withinDistance(vocabulary, 'probaton', 1)).toEqual(['probation']);
    expect(withinDistance(vocabulary, 'probaton', 2).sort(compareCodeUnits)).toEqual(['probate', 'probation']);
    expect(withinDistance(vocabulary, 'offcer', 1)).toEqual(['officer']);
    expect(withinDistance(vocabulary, 'prsn', 1)).toEqual([]);
  });

  it('keeps the most frequent neighbours when there are more than asked, and never the word itself', () => {
    const vocabulary = vocabularyOf(sorted(['cat', 'bat', 'hat', 'rat', 'mat', 'car']));
    const frequency = (t: string) => ({ bat: 5, hat: 9, rat: 1, mat: 7, car: 3 })[t] ?? 0;
    expect(typoNeighbours(vocabulary, 'cat', 1, 2, frequency)).toEqual(['hat', 'mat']);
    expect(typoNeighbours(vocabulary, 'cat', 1, 10, frequency)).not.toContain('cat');
  });
});
