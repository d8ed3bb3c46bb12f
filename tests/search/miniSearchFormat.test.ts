// Every query hands MiniSearch an index written by hand in its serialized form (AsPlainObject): these pin that form,
// so a MiniSearch release that changes it fails here instead of quietly changing what members find.
import MiniSearch, { type AsPlainObject } from 'minisearch';
import { describe, expect, it } from 'vitest';
import {
  MINI_SEARCH_OPTIONS,
  miniSearchQuery,
  oneQueryIndex,
  POST_SEARCH_OPTIONS,
  type PostFieldFrequencies,
  type PostStatistics,
} from '../../src/search/postRanking.js';
import type { QueryTerm } from '../../src/search/query.js';
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

/** A MiniSearch index of the posts, built the ordinary way (its fields split into terms, nothing else changed). */
function nativeIndex(): MiniSearch {
  const mini = new MiniSearch({ ...MINI_SEARCH_OPTIONS, tokenize: termsOf });
  mini.addAll(POSTS.map((post, id) => ({ id, ...post })));
  return mini;
}

/** What the index knows about the posts, measured as MiniSearch measures a field (distinct terms). */
function statistics(): PostStatistics {
  const fieldLengths = new Float64Array(POSTS.length * 4);
  const fieldTotals = [0, 0, 0, 0];
  POSTS.forEach((post, p) =>
    FIELDS.forEach((field, f) => {
      const length = new Set(termsOf(post[field])).size;
      fieldLengths[p * 4 + f] = length;
      fieldTotals[f]! += length;
    }),
  );
  return { livePosts: POSTS.length, postIds: POSTS.map((_, p) => `post-${p}`), fieldLengths, fieldTotals };
}

/** The one-query index the project writes for these terms (all of them when none are named). */
function handBuilt(only?: readonly string[]): AsPlainObject {
  const sums = new Map<string, PostFieldFrequencies>();
  POSTS.forEach((post, p) =>
    FIELDS.forEach((field, f) => {
      for (const term of termsOf(post[field])) {
        if (only && !only.includes(term)) continue;
        if (!sums.has(term)) sums.set(term, {});
        const byPost = (sums.get(term)![f] ??= {});
        byPost[p] = (byPost[p] ?? 0) + 1;
      }
    }),
  );
  const entries: AsPlainObject['index'] = [...sums].sort(([a], [b]) => (a < b ? -1 : 1));
  const posts = [...new Set([...sums.values()].flatMap((fields) => Object.values(fields).flatMap(Object.keys)))];
  return oneQueryIndex(statistics(), entries, posts.map(Number));
}

const byTerm = (index: AsPlainObject['index']) => Object.fromEntries(index);

/** Hits as a member would get them: posts in order, scores to 9 places (averages are summed in another order). */
function answers(mini: MiniSearch, typed: QueryTerm[], quick = false): [number, string][] {
  return mini
    .search(miniSearchQuery(typed, quick), POST_SEARCH_OPTIONS)
    .map((r) => [r.id as number, r.score.toFixed(9)]);
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
];

describe("MiniSearch's serialized index, as the project writes it by hand", () => {
  it('is still version 2, with the fields the project writes and no others', () => {
    const native = nativeIndex().toJSON();
    expect(native.serializationVersion).toBe(2);
    expect(Object.keys(native).sort()).toEqual(Object.keys(handBuilt()).sort());
    expect(native.fieldIds).toEqual({ title: 0, post: 1, comments: 2, author: 3 });
  });

  it('matches what MiniSearch itself writes for the same posts', () => {
    const native = nativeIndex().toJSON();
    const hand = handBuilt();
    expect(byTerm(hand.index)).toEqual(byTerm(native.index));
    expect(hand.averageFieldLength.map((x) => x.toFixed(12))).toEqual(
      native.averageFieldLength.map((x) => x.toFixed(12)),
    );
    const rest = (js: AsPlainObject) => ({ ...js, index: null, averageFieldLength: null });
    expect(rest(hand)).toEqual(rest(native));
  });

  it.each(QUERIES)('loads and answers "%s" as an index MiniSearch built itself', (_name, typed) => {
    const expected = answers(nativeIndex(), typed);
    expect(expected.length).toBeGreaterThan(0);
    expect(answers(MiniSearch.loadJS(handBuilt(), MINI_SEARCH_OPTIONS), typed)).toEqual(expected);
    // The documented path takes the same object: a fallback should loadJS ever go.
    expect(answers(MiniSearch.loadJSON(JSON.stringify(handBuilt()), MINI_SEARCH_OPTIONS), typed)).toEqual(expected);
    expect(answers(MiniSearch.loadJS(handBuilt(), MINI_SEARCH_OPTIONS), typed, true)).toEqual(
      answers(nativeIndex(), typed, true),
    );
  });

  it("ranks the same holding only the query's terms and the posts with them", () => {
    for (const words of [['workload'], ['napo', 'pay'], ['treadmil', 'caseload'], ['jim']]) {
      const typed = words.map((w) => term(w));
      const expected = answers(nativeIndex(), typed);
      expect(expected.length).toBeGreaterThan(1);
      const oneQuery = handBuilt(words);
      expect(Object.keys(oneQuery.documentIds).length).toBeLessThan(POSTS.length);
      expect(answers(MiniSearch.loadJS(oneQuery, MINI_SEARCH_OPTIONS), typed)).toEqual(expected);
    }
  });
});
