// One term's postings as a query needs them: the base segment's decoded, passages removed since the build left out,
// those added since appended, and title postings only where the post's title still holds.
import type { LiveSegment } from './liveSegment.js';
import { VarintReader } from './segment.js';
import { baseTermIndex } from './vocabulary.js';

/** Reads `length` bytes of the segment's postings at `offset` (from the postings' start). */
export type PostingReader = (offset: number, length: number) => Uint8Array;

/** Decoded postings of one term. Passage entries sorted by ordinal. */
export interface Postings {
  /** The first `count` entries are live. */
  count: number;
  ordinals: Int32Array;
  /** tf × 2 + field (0 text, 1 author). */
  values: Int32Array;
  titlePosts: number[];
  titleTfs: number[];
  /** Live passages holding the term in their text, and in their author. */
  df: [number, number];
}

export function readPostings(live: LiveSegment, read: PostingReader, term: string): Postings {
  const i = baseTermIndex(live.vocabulary, term);
  const added = live.addedPostings.get(term);
  const capacity = (i >= 0 ? live.base.termPassageCount[i]! : 0) + (added?.length ?? 0) / 2;
  const out: Postings = {
    count: 0,
    ordinals: new Int32Array(capacity),
    values: new Int32Array(capacity),
    titlePosts: [],
    titleTfs: [],
    df: [0, 0],
  };
  const removed = live.removed;
  const keep = (ordinal: number, value: number) => {
    if (removed[ordinal]) return;
    out.ordinals[out.count] = ordinal;
    out.values[out.count++] = value;
    out.df[value & 1]! += 1;
  };
  if (i >= 0) {
    const { base } = live;
    const start = base.termOffsets[i]!;
    const bytes = read(start, base.termOffsets[i + 1]! - start);
    const passages = new VarintReader(bytes.subarray(0, base.termPassageBytes[i]!));
    for (let ordinal = 0; !passages.done; ) {
      ordinal += passages.next();
      keep(ordinal, passages.next());
    }
    const titles = new VarintReader(bytes.subarray(base.termPassageBytes[i]!));
    for (let post = 0; !titles.done; ) {
      post += titles.next();
      const tf = titles.next();
      if (live.titleReplaced.has(post) || live.livePassages[post] === 0) continue;
      out.titlePosts.push(post);
      out.titleTfs.push(tf);
    }
  }
  if (added) for (let k = 0; k < added.length; k += 2) keep(added[k]!, added[k + 1]!);
  for (const [post, tf] of live.addedTitles.get(term) ?? []) {
    if (live.livePassages[post] === 0) continue;
    out.titlePosts.push(post);
    out.titleTfs.push(tf);
  }
  return out;
}
