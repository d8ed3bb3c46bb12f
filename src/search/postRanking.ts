// First stage: MiniSearch ranks post documents in a one-query index holding only the query's terms but the whole
// archive's statistics: the order a full in-memory MiniSearch index would give, without the gigabyte.
import MiniSearch, { type AsPlainObject, type Options, type Query, type SearchOptions } from 'minisearch';
import { type LiveSegment, passageKind, passagePost, termFrequency } from './liveSegment.js';
import type { Postings } from './postings.js';
import type { QueryTerm } from './query.js';
import { BM25, FIELD_BOOST, FUZZINESS, FUZZY_WEIGHT, type KindScope, MAX_FUZZY, PREFIX_WEIGHT } from './ranking.js';
import { AUTHOR, COMMENTS, FIELDS, KIND_CODES, POST, TITLE } from './segment.js';

/** Posts MiniSearch hands to the second stage: at least this many, or this many per hit asked for. */
const MIN_CANDIDATES = 100;
const CANDIDATES_PER_HIT = 10;
const QUICK_CANDIDATES_PER_HIT = 4;
/** A word in more than this share of passages (and more than the floor) is common (see `gatherTerms`). */
const COMMON_SHARE = 0.05;
const COMMON_FLOOR = 1_000;

/**
 * How the one-query index is loaded (MiniSearch's `loadJS` needs the options it
 * was built with): its terms are index terms already, so nothing is split or changed.
 */
export const MINI_SEARCH_OPTIONS: Options = {
  fields: [...FIELDS],
  tokenize: (t) => [t],
  processTerm: (t) => t,
};

export const POST_SEARCH_OPTIONS: SearchOptions = {
  boost: FIELD_BOOST,
  weights: { fuzzy: FUZZY_WEIGHT, prefix: PREFIX_WEIGHT },
  maxFuzzy: MAX_FUZZY,
  bm25: BM25,
  combineWith: 'OR',
};

/** A term's frequencies summed per post document: field id → post ordinal → tf (MiniSearch's serialized entry). */
export type PostFieldFrequencies = Record<number, Record<number, number>>;

/** A term's postings and their sums per post, as the recent-terms cache keeps them. */
export interface PostTermSums {
  postings: Postings;
  fields: PostFieldFrequencies;
  /** Posts holding the term in a field searched. */
  posts: number[];
}

/** Buffers reused by every query, so a query makes little garbage; sized to the posts. */
export interface SumBuffers {
  /** Term frequency per (field, post) slot, zero between terms. */
  tf: Float64Array;
  /** Slots of `tf` written for the current term. */
  touched: Int32Array;
  /** Posts already listed as documents of the current query. */
  seen: Uint8Array;
}

export function sumBuffers(): SumBuffers {
  return { tf: new Float64Array(0), touched: new Int32Array(0), seen: new Uint8Array(0) };
}

export function ensureSumBuffers(buffers: SumBuffers, posts: number): void {
  if (buffers.seen.length >= posts) return;
  buffers.tf = new Float64Array(posts * 4);
  buffers.touched = new Int32Array(posts * 4);
  buffers.seen = new Uint8Array(posts);
}

/** Sums a term's passage (and title) postings per post and field, within the kinds searched. */
export function sumPerPost(live: LiveSegment, p: Postings, scope: KindScope, buffers: SumBuffers): PostTermSums {
  const { tf, touched } = buffers;
  const postCount = live.postIds.length;
  let touchedCount = 0;
  const add = (field: number, post: number, freq: number) => {
    const slot = field * postCount + post;
    if (tf[slot] === 0) touched[touchedCount++] = slot;
    tf[slot]! += freq;
  };
  for (let k = 0; k < p.count; k++) {
    const ordinal = p.ordinals[k]!;
    const kind = passageKind(live, ordinal);
    if (!scope.all && !scope.kinds.has(kind)) continue;
    const value = p.values[k]!;
    add(value & 1 ? AUTHOR : kind === KIND_CODES.comment ? COMMENTS : POST, passagePost(live, ordinal), value >> 1);
  }
  if (scope.withTitle) for (let k = 0; k < p.titlePosts.length; k++) add(TITLE, p.titlePosts[k]!, p.titleTfs[k]!);
  const fields: PostFieldFrequencies = {};
  const posts: number[] = [];
  for (let k = 0; k < touchedCount; k++) {
    const slot = touched[k]!;
    const field = Math.floor(slot / postCount);
    const post = slot - field * postCount;
    (fields[field] ??= {})[post] = tf[slot]!;
    tf[slot] = 0;
    posts.push(post);
  }
  return { postings: p, fields, posts };
}

/** The query's terms as both stages take them. */
export interface QueryPostings {
  /** Every term's postings, in term order: the second stage scores them all. */
  postings: Map<string, Postings>;
  /** The one-query index's entries, in term order. */
  entries: AsPlainObject['index'];
  /** Posts holding any entry's term: the one-query index's documents. */
  posts: number[];
}

/**
 * The postings of every term and the one-query index's entries. Words in a
 * large share of passages barely move BM25 but cost the most to sum: when the
 * query has rarer words, the common ones are left to the second stage, which
 * scores every word on the candidates.
 */
export function gatherTerms(
  live: LiveSegment,
  terms: readonly string[],
  postingsOf: (term: string) => Postings,
  sumsOf: (term: string) => PostTermSums,
  seen: Uint8Array,
): QueryPostings {
  const commonFrom = Math.max(COMMON_FLOOR, live.livePassageCount * COMMON_SHARE);
  const common = new Set(terms.filter((term) => termFrequency(live, term) > commonFrom));
  const someRare = common.size < terms.length;
  const out: QueryPostings = { postings: new Map(), entries: [], posts: [] };
  for (const term of [...terms].sort()) {
    if (someRare && common.has(term)) {
      out.postings.set(term, postingsOf(term));
      continue;
    }
    const sums = sumsOf(term);
    out.postings.set(term, sums.postings);
    if (sums.posts.length === 0) continue;
    for (const post of sums.posts) {
      if (!seen[post]) {
        seen[post] = 1;
        out.posts.push(post);
      }
    }
    out.entries.push([term, sums.fields]);
  }
  for (const post of out.posts) seen[post] = 0;
  return out;
}

/** What MiniSearch's index would hold about every post of the archive, where the one-query index needs it. */
export type PostStatistics = Pick<LiveSegment, 'livePosts' | 'postIds' | 'fieldLengths' | 'fieldTotals'>;

/**
 * The one-query index in MiniSearch's serialized form (`serializationVersion`
 * 2, pinned by the package's version and a test): the documents are the posts
 * that hold a term, counted and measured as the whole archive is. MiniSearch
 * offers no way to hand it statistics, only `loadJS` of this form. (A field's
 * length here counts every term; MiniSearch itself would count distinct ones.)
 */
export function oneQueryIndex(
  stats: PostStatistics,
  entries: AsPlainObject['index'],
  posts: readonly number[],
): AsPlainObject {
  const documentIds: Record<number, number> = {};
  const fieldLength: Record<number, number[]> = {};
  const lengths = stats.fieldLengths;
  for (const post of posts) {
    documentIds[post] = post;
    // Four fields read out one by one: a subarray and Array.from per post cost more than the rest of the loop.
    const at = post * 4;
    fieldLength[post] = [lengths[at]!, lengths[at + 1]!, lengths[at + 2]!, lengths[at + 3]!];
  }
  return {
    documentCount: stats.livePosts,
    nextId: stats.postIds.length,
    documentIds,
    fieldIds: Object.fromEntries(FIELDS.map((f, i) => [f, i])),
    fieldLength,
    averageFieldLength: stats.fieldTotals.map((total) => total / stats.livePosts),
    storedFields: {},
    dirtCount: 0,
    index: entries,
    serializationVersion: 2,
  };
}

/** One MiniSearch query per typed term, so each keeps its own prefix and typo tolerance. */
export function miniSearchQuery(typed: readonly QueryTerm[], quick: boolean): Query {
  return {
    combineWith: 'OR',
    queries: typed.map((t) => ({
      queries: [t.term],
      prefix: t.prefix,
      fuzzy: t.fuzzy && !quick ? FUZZINESS : false,
    })),
  };
}

/** How many posts the second stage re-ranks for `limit` hits. */
export function candidateCount(limit: number, quick: boolean): number {
  return Math.max(MIN_CANDIDATES, limit * (quick ? QUICK_CANDIDATES_PER_HIT : CANDIDATES_PER_HIT));
}

/** The `count` best posts (ordinals) for the query, best first. */
export function rankPosts(index: AsPlainObject, query: Query, count: number): number[] {
  return MiniSearch.loadJS(index, MINI_SEARCH_OPTIONS)
    .search(query, POST_SEARCH_OPTIONS)
    .slice(0, count)
    .map((r) => r.id as number);
}
