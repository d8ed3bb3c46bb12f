// A watch matched strictly: every word (as search stems and spells it), the phrase word for word, nothing left out.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSearchQuery } from '../../src/search/syntax.js';
import { matchesWell, readWatchQuery, type WatchQuery } from '../../src/search/watch.js';

function watch(text: string): WatchQuery {
  const read = readWatchQuery(text);
  if ('problem' in read) throw new Error(`unexpected problem: ${read.problem}`);
  return read;
}

const matches = (query: string, text: string) => matchesWell(text, watch(query));

describe('readWatchQuery', () => {
  it('gives the same explanation as /search for syntax it cannot read', () => {
    for (const bad of ['"unclosed quote', '""', '-only -exclusions', 'word order:sideways']) {
      const searched = parseSearchQuery(bad);
      expect('problem' in searched).toBe(true);
      expect(readWatchQuery(bad)).toEqual(searched);
    }
  });

  it('refuses an order, and a query of only common words', () => {
    expect(readWatchQuery('caseloads order:newest')).toEqual({ problem: expect.stringMatching(/order:newest/) });
    expect(readWatchQuery('the and of')).toEqual({ problem: expect.stringMatching(/too common/) });
  });

  it('asks for the terms of the words and of the phrases, once each', () => {
    expect(watch('caseloads "mass supervision" caseload').terms).toEqual(['caseload', 'mass', 'supervis']);
  });
});

describe('matchesWell', () => {
  it('needs every word, in any order and any form the index meets', () => {
    expect(matches('workload pqip', "The PQIP's workloads are impossible")).toBe(true);
    expect(matches('workload pqip', 'The workloads are impossible')).toBe(false);
    expect(matches('labor organization', 'Organisation of labour')).toBe(true);
  });

  it('matches whole words only: no word being typed is completed', () => {
    expect(matches('treadm', 'the probation treadmill')).toBe(false);
  });

  it('needs the phrase word for word, whatever its case and punctuation', () => {
    expect(matches('"mass supervision"', '‘Mass  supervision’ is back.')).toBe(true);
    expect(matches('"mass supervision"', 'supervision en masse, mass of supervision')).toBe(false);
  });

  it('leaves out a passage holding an excluded word in any form, or an excluded phrase', () => {
    expect(matches('caseloads -treadmills', 'Caseloads on the treadmill')).toBe(false);
    expect(matches('caseloads -treadmills', 'Caseloads keep rising')).toBe(true);
    expect(matches('caseloads -"senior managers"', 'Caseloads, say senior managers')).toBe(false);
    expect(matches('caseloads -"senior managers"', 'Caseloads, say managers who are senior')).toBe(true);
  });

  it('holds for any text: adding the words asked for makes it match, adding an excluded one unmatches it', () => {
    const text = fc.string({ maxLength: 80 });
    fc.assert(
      fc.property(text, text, (before, after) => {
        const q = watch('caseloads pqip -treadmill');
        const clean = `${before} ${after}`.replace(/treadmill/gi, '');
        expect(matchesWell(`${clean} PQiPs and caseload`, q)).toBe(true);
        expect(matchesWell(`${clean} PQiPs and caseload on the treadmills`, q)).toBe(false);
        // Without one of the words it never matches, whatever else is there.
        if (!/pqip/i.test(clean)) expect(matchesWell(`${clean} caseload`, q)).toBe(false);
      }),
      { seed: 20, numRuns: 200 },
    );
  });
});
