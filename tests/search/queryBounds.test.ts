// What one query may cost is bounded: a pasted paragraph or 200 characters of
// common words is searched for its rarest dozen words, with a bounded number
// of completions and typo neighbours, and still finds what it is about.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive, type OpenArchive } from '../../src/app/archive.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { queryTerms } from '../../src/search/query.js';
import {
  LONG_QUERY,
  MAX_EXPANSIONS,
  MAX_LONG_EXPANSIONS,
  MAX_QUERY_TERMS,
  SURE_PREFIX_CAP,
} from '../../src/search/queryExpansion.js';
import { BLOG_URL, SEEDS, tempDir } from '../helpers.js';

let archive: OpenArchive;
beforeAll(async () => {
  archive = openArchive(join(tempDir(), 'data'), BLOG_URL);
  await ingestSources(archive.store, [SEEDS], { now: () => '2026-11-23T08:00:00Z' });
});
afterAll(() => archive.close());

/** ~200 characters of the archive's commonest longer words, each long enough to be searched with typos. */
const COMMON =
  'probation officers managers services practice workload caseload service people offenders prison government ' +
  'ministry justice community supervision staff union members training qualified';

describe('query cost', () => {
  it('searches a long query for at most a dozen distinct words, the rarest, each once', () => {
    const query = `${COMMON} ${COMMON} treadmill`;
    expect(new Set(queryTerms(query).map((t) => t.term)).size).toBeGreaterThan(MAX_QUERY_TERMS);
    const { words } = archive.index().index.plan(query);
    expect(words.length).toBe(MAX_QUERY_TERMS);
    expect(new Set(words).size).toBe(words.length);
    // The rare word the query is really about survives the cut.
    expect(words).toContain(queryTerms('treadmill')[0]!.term);
  });

  it('expands a query into a bounded number of index terms, whatever its length', () => {
    const { terms } = archive.index().index.plan(COMMON);
    expect(terms).toBeGreaterThan(MAX_QUERY_TERMS);
    expect(terms).toBeLessThanOrEqual(MAX_QUERY_TERMS + MAX_LONG_EXPANSIONS);
    // A short query may expand further: each of its few words says more.
    const short = 'union pro';
    expect(queryTerms(short).length).toBeLessThanOrEqual(LONG_QUERY);
    const expanded = archive.index().index.plan(short).terms;
    expect(expanded).toBeGreaterThan(2 + MAX_LONG_EXPANSIONS);
    expect(expanded).toBeLessThanOrEqual(2 + MAX_EXPANSIONS);
  });

  it('still finds the passage a long pasted query is about', () => {
    const hits = archive.search(`${COMMON} the treadmill of mass supervision`, { limit: 5, wholeWords: true });
    expect(hits.some((h) => h.postTitle === 'The Probation Treadmill')).toBe(true);
  });
});

describe('the word being typed', () => {
  it('is completed less when it is a well-attested word already', () => {
    // "part" is in dozens of the seeds' passages, and begins nine other terms ("particular", "partner", …).
    expect(archive.index().index.plan('part').terms).toBe(1 + SURE_PREFIX_CAP);
    // "partn" is no word: it is completed in full.
    expect(archive.index().index.plan('partn').terms).toBeGreaterThan(0);
    expect(archive.search('partn', { limit: 3 }).length).toBeGreaterThan(0);
  });

  it('is completed as a prefix unless the member has moved on (a space) or whole words are asked', () => {
    const last = (query: string, options?: { completeLast?: boolean }) => queryTerms(query, options).at(-1);
    expect(last('probation treadm')).toMatchObject({ prefix: true });
    expect(last('probation treadm ')).toMatchObject({ prefix: false });
    expect(last('probation treadm', { completeLast: false })).toMatchObject({ prefix: false });
    // Only the last word: the earlier ones are whole.
    expect(queryTerms('treadm probation')[0]).toMatchObject({ prefix: false });
    expect(queryTerms('')).toEqual([]);
  });
});

describe('typo tolerance', () => {
  const termsOf = (query: string) => archive.index().index.plan(query, { wholeWords: true }).terms;

  it('takes a word many passages use as typed: its neighbours a typo away are not searched', () => {
    // "court" and "change" are in dozens of the seeds' passages, and each is a typo away from other words of the
    // archive ("count", "charge"): a member who typed them meant them.
    expect(termsOf('court')).toBe(1);
    expect(termsOf('change')).toBe(1);
    // A letter wrong is not a word of the archive: it is searched for its neighbours, "court" among them.
    expect(termsOf('courr')).toBeGreaterThan(0);
    expect(archive.search('courr', { limit: 3, wholeWords: true }).length).toBeGreaterThan(0);
  });

  it('forgives a typo in a word the archive barely knows', () => {
    const rare = queryTerms('treadmill')[0]!.term;
    expect(archive.index().index.plan('treadmill', { wholeWords: true }).words).toEqual([rare]);
    // "treadmil" (a letter missing) still finds the post about the treadmill.
    const hits = archive.search('treadmil', { limit: 3, wholeWords: true });
    expect(hits.some((h) => h.postTitle === 'The Probation Treadmill')).toBe(true);
  });
});
