// First stage: the posts ranked as MiniSearch would rank post documents (title, post text, comments, author) with
// the whole archive's statistics, over the query's terms only. MiniSearch is the definition (its scoring, read in
// node_modules/minisearch, and a test that loads the same terms into MiniSearch and expects the same order); the
// scores are summed here in buffers every query reuses, because handing MiniSearch a one-query index in its
// serialized form (`loadJS`) and searching it made a Map, an object and an array per post matched: at full size
// more than half of an autocomplete's time and most of its garbage.
import type { LiveSegment } from './liveSegment.js';
import { passageKind, passagePost, termFrequency } from './liveSegment.js';
import type { Postings } from './postings.js';
import type { QueryTerm } from './query.js';
import { bm25, FIELD_BOOST, FUZZINESS, FUZZY_WEIGHT, type KindScope, MAX_FUZZY, PREFIX_WEIGHT } from './ranking.js';
import { AUTHOR, COMMENTS, FIELDS, KIND_CODES, POST, TITLE } from './segment.js';
import { withinDistance } from './vocabulary.js';

/** Posts the first stage hands to the second: at least this many, or this many per hit asked for. */
const MIN_CANDIDATES = 100;
const CANDIDATES_PER_HIT = 10;
const QUICK_CANDIDATES_PER_HIT = 4;
/** A word in more than this share of passages (and more than the floor) is common (see `gatherTerms`). */
const COMMON_SHARE = 0.05;
const COMMON_FLOOR = 1_000;
/** Each field's boost, by field id. */
const BOOSTS = FIELDS.map((field) => FIELD_BOOST[field]);

/** A term's frequency in one field of the posts holding it there, in post order. */
export interface FieldFrequencies {
  field: number;
  posts: Int32Array;
  tfs: Float64Array;
}

/** A term's postings and their sums per post, as the recent-terms cache keeps them. */
export interface PostTermSums {
  postings: Postings;
  /** The fields the term is in (searched kinds only), each with its posts in order. */
  fields: FieldFrequencies[];
}

/** Buffers reused by every query, so a query makes little garbage; sized to the posts. */
export interface SumBuffers {
  /** Term frequency per (field, post) slot, zero between terms. */
  tf: Float64Array;
  /** Slots of `tf` written for the current term. */
  touched: Int32Array;
  /** A post's score so far (zero between queries) and for the current typed word (zero between words). */
  score: Float64Array;
  wordScore: Float64Array;
  /** The typed words (bit per position) a post matched; zero between queries. */
  matched: Int32Array;
  /** Posts matched, in the order first matched, and those matched by the current typed word. */
  hits: Int32Array;
  wordHits: Int32Array;
}

export function sumBuffers(): SumBuffers {
  return {
    tf: new Float64Array(0),
    touched: new Int32Array(0),
    score: new Float64Array(0),
    wordScore: new Float64Array(0),
    matched: new Int32Array(0),
    hits: new Int32Array(0),
    wordHits: new Int32Array(0),
  };
}

export function ensureSumBuffers(buffers: SumBuffers, posts: number): void {
  if (buffers.score.length >= posts) return;
  buffers.tf = new Float64Array(posts * 4);
  buffers.touched = new Int32Array(posts * 4);
  buffers.score = new Float64Array(posts);
  buffers.wordScore = new Float64Array(posts);
  buffers.matched = new Int32Array(posts);
  buffers.hits = new Int32Array(posts);
  buffers.wordHits = new Int32Array(posts);
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
  // Slots in order are fields in order, each field's posts in order: the order MiniSearch meets them in.
  const slots = touched.subarray(0, touchedCount).sort();
  const fields: FieldFrequencies[] = [];
  for (let from = 0; from < slots.length; ) {
    const field = Math.floor(slots[from]! / postCount);
    let to = from;
    while (to < slots.length && Math.floor(slots[to]! / postCount) === field) to++;
    const posts = new Int32Array(to - from);
    const tfs = new Float64Array(to - from);
    for (let k = from; k < to; k++) {
      posts[k - from] = slots[k]! - field * postCount;
      tfs[k - from] = tf[slots[k]!]!;
      tf[slots[k]!] = 0;
    }
    fields.push({ field, posts, tfs });
    from = to;
  }
  return { postings: p, fields };
}

/** A term the first stage scores: its frequencies per field and post. */
export interface TermEntry {
  term: string;
  fields: readonly FieldFrequencies[];
}

/** The query's terms as both stages take them. */
export interface QueryPostings {
  /** Every term's postings, in term order: the second stage scores them all. */
  postings: Map<string, Postings>;
  /** The terms the first stage scores, in term order (code units). */
  entries: TermEntry[];
}

/**
 * The postings of every term and the first stage's entries. Words in a large
 * share of passages barely move BM25 but cost the most to sum: when the query
 * has rarer words, the common ones are left to the second stage, which scores
 * every word on the candidates.
 */
export function gatherTerms(
  live: LiveSegment,
  terms: readonly string[],
  postingsOf: (term: string) => Postings,
  sumsOf: (term: string) => PostTermSums,
): QueryPostings {
  const commonFrom = Math.max(COMMON_FLOOR, live.livePassageCount * COMMON_SHARE);
  const common = new Set(terms.filter((term) => termFrequency(live, term) > commonFrom));
  const someRare = common.size < terms.length;
  const out: QueryPostings = { postings: new Map(), entries: [] };
  for (const term of [...terms].sort()) {
    if (someRare && common.has(term)) {
      out.postings.set(term, postingsOf(term));
      continue;
    }
    const sums = sumsOf(term);
    out.postings.set(term, sums.postings);
    if (sums.fields.length > 0) out.entries.push({ term, fields: sums.fields });
  }
  return out;
}

/** What the first stage needs of every post of the archive: how many are live, and each field's length. */
export type PostStatistics = Pick<LiveSegment, 'livePosts' | 'postIds' | 'fieldLengths' | 'fieldTotals'>;

/** How many posts the second stage re-ranks for `limit` hits. */
export function candidateCount(limit: number, quick: boolean): number {
  return Math.max(MIN_CANDIDATES, limit * (quick ? QUICK_CANDIDATES_PER_HIT : CANDIDATES_PER_HIT));
}

/**
 * The `count` best posts (ordinals) for the typed words, best first, as MiniSearch ranks them: each typed word is a
 * query of its own (its exact term weighing 1; with `prefix`, every longer term starting with it weighing
 * PREFIX_WEIGHT·len/(len + 0.3·extra letters); with `fuzzy` and not `quick`, the other terms within its typo
 * distance weighing FUZZY_WEIGHT·len/(len + edits)), each term scored by BM25 in every field with the field's
 * boost; the words' scores are summed and the sum multiplied by how many of the words the post matched.
 */
export function rankPosts(
  stats: PostStatistics,
  entries: readonly TermEntry[],
  typed: readonly QueryTerm[],
  quick: boolean,
  count: number,
  buffers: SumBuffers,
): number[] {
  const { score, wordScore, matched, hits, wordHits } = buffers;
  const documents = stats.livePosts;
  const average = stats.fieldTotals.map((total) => total / documents);
  const terms = entries.map((entry) => entry.term);
  let hitCount = 0;
  for (const [word, t] of typed.entries()) {
    const bit = 1 << word;
    let wordHitCount = 0;
    const score1 = (entry: TermEntry, weight: number) => {
      for (const { field, posts, tfs } of entry.fields) {
        const boost = weight * BOOSTS[field]!;
        const df = posts.length;
        for (let k = 0; k < posts.length; k++) {
          const post = posts[k]!;
          if (matched[post] === 0) hits[hitCount++] = post;
          if ((matched[post]! & bit) === 0) wordHits[wordHitCount++] = post;
          matched[post]! |= bit;
          wordScore[post]! +=
            boost * bm25(tfs[k]!, df, documents, stats.fieldLengths[post * 4 + field]!, average[field]!);
        }
      }
    };
    // MiniSearch's order within a word: its exact term, then its completions, then its typo neighbours (a term
    // both a completion and a typo away counts as a completion), each in term order.
    const prefixed = new Set<string>();
    for (const entry of entries) if (entry.term === t.term) score1(entry, 1);
    if (t.prefix) {
      for (const entry of entries) {
        if (entry.term.length <= t.term.length || !entry.term.startsWith(t.term)) continue;
        prefixed.add(entry.term);
        const extra = entry.term.length - t.term.length;
        score1(entry, (PREFIX_WEIGHT * entry.term.length) / (entry.term.length + 0.3 * extra));
      }
    }
    const allowed = t.fuzzy && !quick ? Math.min(MAX_FUZZY, Math.round(t.term.length * FUZZINESS)) : 0;
    if (allowed > 0) {
      const edits = typoDistances(terms, t.term, allowed);
      for (const entry of entries) {
        const distance = edits.get(entry.term);
        if (distance === undefined || distance === 0 || prefixed.has(entry.term)) continue;
        score1(entry, (FUZZY_WEIGHT * entry.term.length) / (entry.term.length + distance));
      }
    }
    // Each word's score is added to the post's whole, as MiniSearch combines its queries.
    for (let k = 0; k < wordHitCount; k++) {
      const post = wordHits[k]!;
      score[post]! += wordScore[post]!;
      wordScore[post] = 0;
    }
  }
  const found = Array.from(hits.subarray(0, hitCount));
  const final = new Float64Array(hitCount);
  for (let k = 0; k < hitCount; k++) final[k] = score[found[k]!]! * bitCount(matched[found[k]!]!);
  const order = Array.from(final.keys()).sort((a, b) => final[b]! - final[a]! || a - b);
  for (const post of found) {
    score[post] = 0;
    matched[post] = 0;
  }
  return order.slice(0, count).map((k) => found[k]!);
}

/** Each of the sorted `terms` within `allowed` edits of `term`, with its edit distance. */
function typoDistances(terms: readonly string[], term: string, allowed: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let distance = 0; distance <= allowed; distance++)
    for (const near of withinDistance(terms, term, distance)) if (!out.has(near)) out.set(near, distance);
  return out;
}

function bitCount(bits: number): number {
  let n = 0;
  for (let b = bits; b !== 0; b &= b - 1) n++;
  return n;
}
