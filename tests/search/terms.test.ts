import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { termInitial, termOf, termsOf, words } from '../../src/search/terms.js';
import { SEEDS } from '../helpers.js';

/** Two spellings are one index term: one term each (not both dropped, as stop words would be), and the same one. */
const same = (a: string, b: string) => {
  const term = termsOf(a);
  expect(term).toHaveLength(1);
  expect(termsOf(b)).toEqual(term);
};

describe('index terms', () => {
  it('fold case, possessives and plurals of abbreviations: PQiP, PQIP, PQiPs, PQiP’s', () => {
    expect(new Set(termsOf("PQiP PQIP pqips PQiP's PQiPs' PQiP’s"))).toEqual(new Set(['pqip']));
  });

  it('meet British and American spellings', () => {
    same('labour', 'labor');
    same('organisation', 'organization');
    same('prioritising', 'prioritizing');
    same('behaviour', 'behavior');
    same('licence', 'license');
    same('judgement', 'judgment');
    same('programme', 'program');
    same('analyse', 'analyze');
    // And a different word stays different.
    expect(termsOf('labour')).not.toEqual(termsOf('label'));
  });

  it('keep numbers whole so Napo 228 is not Napo 229', () => {
    expect(termsOf('Napo 228')).toEqual(['napo', '228']);
    expect(termsOf('Napo 229')).not.toEqual(termsOf('Napo 228'));
  });

  it('stem word forms a member would expect to match', () => {
    same('workloads', 'workload');
    same('supervision', 'supervise');
    same('officers', 'officer');
  });

  it('drop common words but keep the ones that carry meaning in staff talk', () => {
    expect(termsOf('the and of it was')).toEqual([]);
    expect(termsOf('no PO')).toEqual(['no', 'po']);
  });

  it('do not confuse size with sise-like British forms', () => {
    expect(termsOf('caseload size')).toEqual(termsOf('caseload sizes').slice(0, 1).concat(termsOf('size')));
  });

  it("know a word's term's first character from the word's own, where it is an ASCII letter or digit", () => {
    // Every word of the seeds, the spellings folded above, and any word at all: a term starts as its word does.
    const seedWords = readdirSync(SEEDS).flatMap((f) => words(readFileSync(join(SEEDS, f), 'utf8')).map((w) => w.word));
    expect(seedWords.length).toBeGreaterThan(10_000);
    const folded = ['Labor', 'organizations', 'Behavior', "PQiP's", 'Napo228', 'Yearly', 'YOUTHS', 'Élan', '9am'];
    const mismatched = [...seedWords, ...folded].filter((word) => {
      const initial = termInitial(word);
      const term = termOf(word);
      return initial !== null && term !== null && term[0] !== initial;
    });
    expect(mismatched).toEqual([]);
    expect(termInitial('Élan')).toBeNull();
    expect(termInitial('Probation')).toBe('p');
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9']{0,14}$/), (word) => {
        const term = termOf(word);
        if (term !== null) expect(term[0]).toBe(termInitial(word));
      }),
    );
  });
});
