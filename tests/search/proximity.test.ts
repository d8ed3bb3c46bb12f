// How close a query's words stand in a passage, on made-up text.
import { describe, expect, it } from 'vitest';
import { closeness } from '../../src/search/proximity.js';
import { termOf } from '../../src/search/terms.js';

/** Each query word's index term, standing for its own position in the query. */
const wordsOf = (...typed: string[]) => new Map(typed.map((w, i) => [termOf(w)!, [i]]));

describe('closeness of the query words in a passage', () => {
  it('is 1 for two query words side by side, whatever stop words stand between', () => {
    expect(closeness('The glimmet tarbush was late.', wordsOf('glimmet', 'tarbush'))).toBe(1);
    expect(closeness('The glimmet of the tarbush was late.', wordsOf('glimmet', 'tarbush'))).toBe(1);
  });

  it('falls as other words stand between them, and takes the nearest pair', () => {
    expect(closeness('Glimmet rota tarbush.', wordsOf('glimmet', 'tarbush'))).toBe(1 / 2);
    expect(closeness('Glimmet rota kettle board tarbush, then tarbush glimmet.', wordsOf('glimmet', 'tarbush'))).toBe(
      1,
    );
  });

  it('is 0 when the passage holds one query word, however often', () => {
    expect(closeness('Glimmet glimmets glimmet.', wordsOf('glimmet', 'tarbush'))).toBe(0);
  });

  it('does not count two terms of the same typed word (a completion beside its word) as near', () => {
    const completions = new Map([
      [termOf('glimmet')!, [0]],
      [termOf('glimmetry')!, [0]],
    ]);
    expect(closeness('Glimmet glimmetry.', completions)).toBe(0);
  });
});
