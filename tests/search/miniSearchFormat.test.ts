// The first stage ranks posts as MiniSearch ranks documents, summing its scores in reused buffers rather than
// loading a one-query index into MiniSearch (see src/search/postRanking.ts). MiniSearch itself is the definition:
// these build the same post documents into a MiniSearch index the ordinary way and expect the same order, so a
// MiniSearch release that scores differently, or a change here, fails instead of quietly changing what members find.
import fc from 'fast-check';
import MiniSearch, { type Query, type SearchOptions } from 'minisearch';
import { describe, expect, it } from 'vitest';
import {
  ensureSumBuffers,
  type FieldFrequencies,
  type PostStatistics,
  rankPosts,
  sumBuffers,
  type TermEntry,
} from '../../src/search/postRanking.js';
import type { QueryTerm } from '../../src/search/query.js';
import { BM25, FIELD_BOOST, FUZZINESS, FUZZY_WEIGHT, MAX_FUZZY, PREFIX_WEIGHT } from '../../src/search/ranking.js';
import { FIELDS } from '../../src/search/segment.js';

type PostDocument = Record<(typeof FIELDS)[number], string>;

/** Post documents, their fields already index terms (repeats give term frequencies above 1). */
const POSTS: PostDocument[] = [
  {
    title: 'probat treadmil',
    post: 'workload offic workload caseload target',
    comments: 'treadmil staff staff staff',
    author: 'jim brown',
  },
  { title: 'napo pay', post: 'pay offic union ballot pay', comments: 'napo napo workload', author: 'anonym' },
  { title: 'civil servic', post: 'probat civil servic union', comments: 'servic workload', author: 'napo press' },
  { title: 'treadmil again', post: 'treadmill treadmil caseload caseload', comments: '', author: 'jim' },
  { title: 'quiet week', post: 'noth to report', comments: 'anonym anonym', author: 'anonym' },
];

const termsOf = (text: string) => text.split(' ').filter(Boolean);

/** The ranking's settings as MiniSearch takes them. */
const SEARCH: SearchOptions = {
  boost: FIELD_BOOST,
  weights: { fuzzy: FUZZY_WEIGHT, prefix: PREFIX_WEIGHT },
  maxFuzzy: MAX_FUZZY,
  bm25: BM25,
  combineWith: 'OR',
};

/** A MiniSearch index of the posts, built the ordinary way (its fields split into terms, nothing else changed). */
function nativeIndex(posts: readonly PostDocument[]): MiniSearch {
  const mini = new MiniSearch({ fields: [...FIELDS], tokenize: termsOf, processTerm: (t) => t });
  mini.addAll(posts.map((post, id) => ({ id, ...post })));
  return mini;
}

/** One MiniSearch query per typed word, each with its own prefix and typo tolerance (none while typing). */
function nativeQuery(typed: readonly QueryTerm[], quick: boolean): Query {
  return {
    combineWith: 'OR',
    queries: typed.map((t) => ({ queries: [t.term], prefix: t.prefix, fuzzy: t.fuzzy && !quick ? FUZZINESS : false })),
  };
}

/** What the index knows about the posts, measured as MiniSearch measures a field (distinct terms). */
function statistics(posts: readonly PostDocument[]): PostStatistics {
  const fieldLengths = new Float64Array(posts.length * 4);
  const fieldTotals = [0, 0, 0, 0];
  posts.forEach((post, p) =>
    FIELDS.forEach((field, f) => {
      const length = new Set(termsOf(post[field])).size;
      fieldLengths[p * 4 + f] = length;
      fieldTotals[f]! += length;
    }),
  );
  return { livePosts: posts.length, postIds: posts.map((_, p) => `post-${p}`), fieldLengths, fieldTotals };
}

/** The first stage's entries for every term of the posts, in term order, as `gatherTerms` hands them over. */
function entriesOf(posts: readonly PostDocument[]): TermEntry[] {
  const sums = new Map<string, Map<number, Map<number, number>>>();
  posts.forEach((post, p) =>
    FIELDS.forEach((field, f) => {
      for (const term of termsOf(post[field])) {
        const fields = sums.get(term) ?? new Map<number, Map<number, number>>();
        sums.set(term, fields);
        const byPost = fields.get(f) ?? new Map<number, number>();
        fields.set(f, byPost);
        byPost.set(p, (byPost.get(p) ?? 0) + 1);
      }
    }),
  );
  return [...sums.keys()].sort().map((term) => ({
    term,
    fields: [...sums.get(term)!]
      .sort(([a], [b]) => a - b)
      .map(
        ([field, byPost]): FieldFrequencies => ({
          field,
          posts: Int32Array.from([...byPost.keys()].sort((a, b) => a - b)),
          tfs: Float64Array.from([...byPost.keys()].sort((a, b) => a - b).map((p) => byPost.get(p)!)),
        }),
      ),
  }));
}

/** The posts in the order the project ranks them, and in the order MiniSearch does. */
function bothOrders(posts: readonly PostDocument[], typed: QueryTerm[], quick = false, count = posts.length) {
  const buffers = sumBuffers();
  ensureSumBuffers(buffers, posts.length);
  const ours = rankPosts(statistics(posts), entriesOf(posts), typed, quick, count, buffers);
  const native = nativeIndex(posts)
    .search(nativeQuery(typed, quick), SEARCH)
    .slice(0, count)
    .map((r) => r.id as number);
  return { ours, native, buffers };
}

const term = (t: string, prefix = false, fuzzy = false): QueryTerm => ({ term: t, prefix, fuzzy });

const QUERIES: [string, QueryTerm[]][] = [
  ['one word', [term('workload')]],
  ['two words', [term('napo'), term('pay')]],
  ['a title word', [term('treadmil')]],
  ['an author', [term('anonym')]],
  ['a prefix', [term('tread', true)]],
  ['a typo', [term('workloda', false, true)]],
  ['a prefix and a typo', [term('caselod', false, true), term('uni', true)]],
  ['a word that is also a prefix of another, both ways', [term('treadmil', true, true)]],
];

describe('the first stage ranks posts as MiniSearch does', () => {
  it.each(QUERIES)('"%s": the same posts in the same order', (_name, typed) => {
    const { ours, native } = bothOrders(POSTS, typed);
    expect(native.length).toBeGreaterThan(0);
    expect(ours).toEqual(native);
    // While typing no typo is forgiven, by either.
    const quick = bothOrders(POSTS, typed, true);
    expect(quick.ours).toEqual(quick.native);
  });

  it('a typo is forgiven only when not typing, and a word unknown to both finds nothing', () => {
    expect(bothOrders(POSTS, [term('workloda', false, true)]).ours.length).toBeGreaterThan(0);
    expect(bothOrders(POSTS, [term('workloda', false, true)], true).ours).toEqual([]);
    expect(bothOrders(POSTS, [term('zzzz', true, true)]).ours).toEqual([]);
  });

  it('keeps the best `count`, and leaves its buffers clean for the next query', () => {
    const first = bothOrders(POSTS, [term('workload'), term('staff')], false, 2);
    expect(first.ours).toEqual(first.native);
    expect(first.ours).toHaveLength(2);
    expect(first.buffers.score.every((x) => x === 0)).toBe(true);
    expect(first.buffers.matched.every((x) => x === 0)).toBe(true);
    expect(first.buffers.wordScore.every((x) => x === 0)).toBe(true);
    // The same buffers answer a second query as fresh ones would.
    const again = rankPosts(statistics(POSTS), entriesOf(POSTS), [term('napo')], false, 5, first.buffers);
    expect(again).toEqual(bothOrders(POSTS, [term('napo')]).native);
  });

  it('agrees with MiniSearch on any posts and any query (property)', () => {
    const vocabulary = ['offic', 'office', 'officer', 'napo', 'nap', 'pay', 'payd', 'union', 'unio', 'probat', 'prob'];
    const field = fc.array(fc.constantFrom(...vocabulary), { maxLength: 8 }).map((ws) => ws.join(' '));
    const post = fc.record({ title: field, post: field, comments: field, author: field });
    const typedWord = fc.record({
      term: fc.constantFrom(...vocabulary, 'ofic', 'pa', 'unoin', 'zzz'),
      prefix: fc.boolean(),
      fuzzy: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(post, { minLength: 1, maxLength: 12 }),
        fc.uniqueArray(typedWord, { minLength: 1, maxLength: 4, selector: (t) => t.term }),
        fc.boolean(),
        (posts, typed, quick) => {
          const { ours, native } = bothOrders(posts, typed, quick);
          // Posts with the same score may come in either order: compare the scores' order, post by post.
          expect(ours).toHaveLength(native.length);
          const scoreOf = new Map(
            nativeIndex(posts)
              .search(nativeQuery(typed, quick), SEARCH)
              .map((r) => [r.id as number, r.score]),
          );
          ours.forEach((p, i) => expect(scoreOf.get(p)).toBeCloseTo(scoreOf.get(native[i]!)!, 9));
        },
      ),
      { numRuns: 300 },
    );
  });
});
