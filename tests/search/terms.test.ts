import { describe, expect, it } from 'vitest';
import { termsOf } from '../../src/search/terms.js';

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
});
