// The search index as the bot holds it: a base segment (small tables in
// memory, postings read from disk per query term) plus the changes stored
// since it was built, kept in memory. MiniSearch ranks: for each query, the
// postings of just the query's terms (with their prefix and fuzzy
// expansions) are handed to MiniSearch as a one-query index of post documents
// — the whole archive's statistics, only the few terms asked about — so the
// ranking is the one a full in-memory MiniSearch index would give, without
// the gigabyte. The best passage of each hit post is then chosen from the
// same postings.
import MiniSearch, { type AsPlainObject, type Options, type SearchOptions } from 'minisearch';
import SearchableMap from 'minisearch/SearchableMap';
import type { PassageKind } from '../archive/model.js';
import { queryTerms } from './query.js';
import {
  AUTHOR,
  COMMENTS,
  FIELDS,
  KIND_CODES,
  KINDS,
  POST,
  TITLE,
  VarintReader,
  type PassageInput,
  type Segment,
} from './segment.js';
import { cachedTermOf, termCounts } from './terms.js';

/** Reads `length` bytes of the segment's postings at `offset` (from the postings' start). */
export type PostingReader = (offset: number, length: number) => Uint8Array;

/** What the store says a post is now (null when it is gone): its title and passage ids, and the passages' content on request. */
export interface PostContent {
  title: string;
  passageIds: number[];
  /** The passages with these ids, in the post's order. */
  load(ids: number[]): PassageInput[];
}

export interface PostMatch {
  postId: string;
  score: number;
  /** The passage that best answers the query (store id). */
  passageId: number;
  /** Index terms matched in that passage (for highlighting). */
  terms: string[];
}

export interface IndexSearchOptions {
  limit?: number;
  kinds?: readonly PassageKind[];
  /** Autocomplete: fewer prefix expansions, no typo tolerance. */
  quick?: boolean;
}

const FIELD_BOOST: Record<(typeof FIELDS)[number], number> = { title: 2.5, post: 1, comments: 0.5, author: 1.5 };
const PREFIX_WEIGHT = 0.5;
const FUZZY_WEIGHT = 0.4;
const MAX_FUZZY = 2;
/** Prefix expansions kept per query word (the most frequent ones): "pro" alone would bring thousands. */
const PREFIX_CAP = 32;
const QUICK_PREFIX_CAP = 8;
const FUZZY_CAP = 16;
/** Posts MiniSearch hands to the second stage: at least this many, or this many per hit asked for. */
const MIN_CANDIDATES = 100;
const CANDIDATES_PER_HIT = 10;
const QUICK_CANDIDATES_PER_HIT = 4;
/** A word in more than this share of passages (and more than the floor) is common (see search). */
const COMMON_SHARE = 0.05;
const COMMON_FLOOR = 1_000;
/** Postings entries kept decoded for recently asked terms (about 8 bytes each, plus the per-post sums). */
const RECENT_TERM_BUDGET = 100_000;
/** Weight of a post's second and third best passages relative to its best. */
const SUPPORT = 0.3;
/** BM25+ parameters, MiniSearch's defaults. */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };

const MINI_OPTIONS: Options = {
  fields: [...FIELDS],
  tokenize: (t) => [t],
  processTerm: (t) => t,
};

/** A growable typed array. */
class Grow<T extends Float64Array | Uint8Array | Uint32Array> {
  constructor(
    public array: T,
    private readonly make: (n: number) => T,
  ) {}
  ensure(size: number): T {
    if (size > this.array.length) {
      const grown = this.make(Math.max(size, this.array.length * 2, 16));
      grown.set(this.array as never);
      this.array = grown;
    }
    return this.array;
  }
}

/** Decoded postings of one term. Passage entries sorted by ordinal. */
interface Postings {
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

/** A term's postings and their sums per post document, as the one-query MiniSearch index takes them. */
interface TermEntry {
  postings: Postings;
  fields: Record<number, Record<number, number>>;
  posts: number[];
}

export class ArchiveIndex {
  private readonly base: Segment;
  private readonly read: PostingReader;
  /** Journal position the index has caught up to. */
  position: number;

  // Posts: base ordinals first, then posts first seen after the build.
  private readonly postIds: string[];
  private readonly postTitles: string[];
  private readonly postOrdinal = new Map<string, number>();
  private readonly fieldLengths: Grow<Float64Array>;
  private readonly livePassages: Grow<Uint32Array>;
  /** Posts whose base title postings no longer hold (title changed or post gone). */
  private readonly titleReplaced = new Set<number>();
  private readonly deltaPassagesOf = new Map<number, number[]>();
  private livePosts = 0;
  private readonly fieldTotals = [0, 0, 0, 0];

  // Passages: base ordinals, then added ones.
  private passageCount: number;
  /** Base passage ordinal → post ordinal. */
  private readonly basePassagePost: Uint32Array;
  private readonly dead: Grow<Uint8Array>;
  private deadBase = 0;
  private readonly deltaPassage: {
    id: number;
    post: number;
    kind: number;
    textLength: number;
    authorLength: number;
  }[] = [];
  private livePassageCount = 0;
  private readonly passageTotals = [0, 0];

  // Added postings: term → [ordinal, value, ...] and title term → post → tf.
  private readonly deltaPostings = new Map<string, number[]>();
  private readonly deltaTitles = new Map<string, Map<number, number>>();
  private readonly deltaVocabulary = new SearchableMap<true>();
  private fuzzyVocabulary: SearchableMap<number> | null = null;

  constructor(base: Segment, read: PostingReader) {
    this.base = base;
    this.read = read;
    this.position = base.header.journalPosition;
    const posts = base.header.postIds.length;
    this.postIds = [...base.header.postIds];
    this.postTitles = [...base.header.postTitles];
    this.postIds.forEach((id, i) => this.postOrdinal.set(id, i));
    this.fieldLengths = new Grow(Float64Array.from(base.postFieldLengths), (n) => new Float64Array(n));
    this.livePassages = new Grow(new Uint32Array(posts), (n) => new Uint32Array(n));
    for (let p = 0; p < posts; p++) {
      const count = base.postPassageStart[p + 1]! - base.postPassageStart[p]!;
      this.livePassages.array[p] = count;
      if (count > 0) this.livePosts++;
      for (let f = 0; f < 4; f++) this.fieldTotals[f]! += base.postFieldLengths[p * 4 + f]!;
    }
    this.passageCount = base.header.passageCount;
    this.livePassageCount = this.passageCount;
    this.dead = new Grow(new Uint8Array(this.passageCount), (n) => new Uint8Array(n));
    this.basePassagePost = new Uint32Array(this.passageCount);
    for (let p = 0; p < posts; p++)
      this.basePassagePost.fill(p, base.postPassageStart[p]!, base.postPassageStart[p + 1]!);
    for (let i = 0; i < this.passageCount; i++) {
      this.passageTotals[0]! += base.passageTextLengths[i]!;
      this.passageTotals[1]! += base.passageAuthorLengths[i]!;
    }
  }

  /** Passages added or removed since the base was built: when many, a rebuild is due. */
  get changedPassages(): number {
    return this.deltaPassage.length + this.deadBase;
  }

  // ── incremental updates ────────────────────────────────────────────────

  /** Make the index hold `content` for this post (null: the post is gone). Passages are told apart by store id. */
  replacePost(postId: string, content: PostContent | null): void {
    this.forgetRecent();
    let post = this.postOrdinal.get(postId);
    const wanted = new Set(content?.passageIds ?? []);
    if (post !== undefined) {
      for (const ordinal of this.passagesOf(post)) {
        const id = this.passageId(ordinal);
        if (wanted.has(id)) wanted.delete(id);
        else this.removePassage(ordinal);
      }
      const newTitle = content?.title ?? '';
      if (content && newTitle !== this.postTitles[post]) this.setTitle(post, newTitle);
    }
    if (!content || wanted.size === 0) return;
    if (post === undefined) {
      post = this.postIds.length;
      this.postIds.push(postId);
      this.postTitles.push('');
      this.postOrdinal.set(postId, post);
      this.fieldLengths.ensure((post + 1) * 4);
      this.livePassages.ensure(post + 1);
      this.titleReplaced.add(post);
      this.setTitle(post, content.title);
    }
    // Only the passages the index lacks are read: a new comment on a long thread costs one passage.
    for (const passage of content.load([...wanted])) this.addPassage(post, passage);
  }

  private passageId(ordinal: number): number {
    return ordinal < this.base.header.passageCount
      ? this.base.passageIds[ordinal]!
      : this.deltaPassage[ordinal - this.base.header.passageCount]!.id;
  }

  private passagePost(ordinal: number): number {
    return ordinal < this.base.header.passageCount
      ? this.basePassagePost[ordinal]!
      : this.deltaPassage[ordinal - this.base.header.passageCount]!.post;
  }

  private passageKind(ordinal: number): number {
    return ordinal < this.base.header.passageCount
      ? this.base.passageKinds[ordinal]!
      : this.deltaPassage[ordinal - this.base.header.passageCount]!.kind;
  }

  private lengthsOf(ordinal: number): [number, number] {
    if (ordinal < this.base.header.passageCount)
      return [this.base.passageTextLengths[ordinal]!, this.base.passageAuthorLengths[ordinal]!];
    const d = this.deltaPassage[ordinal - this.base.header.passageCount]!;
    return [d.textLength, d.authorLength];
  }

  /** Live passage ordinals of a post, in order. */
  private passagesOf(post: number): number[] {
    const out: number[] = [];
    if (post < this.base.header.postIds.length) {
      for (let o = this.base.postPassageStart[post]!; o < this.base.postPassageStart[post + 1]!; o++)
        if (!this.dead.array[o]) out.push(o);
    }
    for (const o of this.deltaPassagesOf.get(post) ?? []) if (!this.dead.array[o]) out.push(o);
    return out;
  }

  private removePassage(ordinal: number): void {
    if (this.dead.array[ordinal]) return;
    this.dead.array[ordinal] = 1;
    if (ordinal < this.base.header.passageCount) this.deadBase++;
    const post = this.passagePost(ordinal);
    const [textLength, authorLength] = this.lengthsOf(ordinal);
    const field = this.passageKind(ordinal) === KIND_CODES.comment ? COMMENTS : POST;
    this.adjustField(post, field, -textLength);
    this.adjustField(post, AUTHOR, -authorLength);
    this.livePassageCount--;
    this.passageTotals[0]! -= textLength;
    this.passageTotals[1]! -= authorLength;
    if (--this.livePassages.array[post]! === 0) {
      this.livePosts--;
      this.fieldTotals[TITLE]! -= this.fieldLengths.array[post * 4 + TITLE]!;
    }
  }

  private addPassage(post: number, passage: PassageInput): void {
    const ordinal = this.passageCount++;
    this.dead.ensure(this.passageCount);
    const text = termCounts(passage.text, cachedTermOf);
    const author = termCounts(passage.author ?? '', cachedTermOf);
    const kind = KIND_CODES[passage.kind];
    this.deltaPassage.push({
      id: passage.id,
      post,
      kind,
      textLength: text.length,
      authorLength: Math.min(author.length, 0xffff),
    });
    const list = this.deltaPassagesOf.get(post);
    if (list) list.push(ordinal);
    else this.deltaPassagesOf.set(post, [ordinal]);
    for (const [field, counts] of [
      [0, text.counts],
      [1, author.counts],
    ] as const) {
      for (const [term, tf] of counts) {
        let postings = this.deltaPostings.get(term);
        if (!postings) {
          postings = [];
          this.deltaPostings.set(term, postings);
          if (this.baseTerm(term) < 0) this.deltaVocabulary.set(term, true);
        }
        postings.push(ordinal, tf * 2 + field);
      }
    }
    if (this.livePassages.array[post]! === 0) {
      this.livePosts++;
      this.fieldTotals[TITLE]! += this.fieldLengths.array[post * 4 + TITLE]!;
    }
    this.livePassages.array[post]!++;
    this.adjustField(post, kind === KIND_CODES.comment ? COMMENTS : POST, text.length);
    this.adjustField(post, AUTHOR, Math.min(author.length, 0xffff));
    this.livePassageCount++;
    this.passageTotals[0]! += text.length;
    this.passageTotals[1]! += Math.min(author.length, 0xffff);
  }

  private adjustField(post: number, field: number, by: number): void {
    this.fieldLengths.array[post * 4 + field]! += by;
    if (this.livePassages.array[post]! > 0 || field !== TITLE) this.fieldTotals[field]! += by;
  }

  private setTitle(post: number, title: string): void {
    // Old title terms out (base ones are masked, added ones deleted), new ones in.
    this.titleReplaced.add(post);
    for (const map of this.deltaTitles.values()) map.delete(post);
    const counts = termCounts(title, cachedTermOf);
    const live = this.livePassages.array[post]! > 0;
    if (live) this.fieldTotals[TITLE]! += counts.length - this.fieldLengths.array[post * 4 + TITLE]!;
    this.fieldLengths.array[post * 4 + TITLE] = counts.length;
    this.postTitles[post] = title;
    for (const [term, tf] of counts.counts) {
      let map = this.deltaTitles.get(term);
      if (!map) {
        map = new Map();
        this.deltaTitles.set(term, map);
        if (this.baseTerm(term) < 0) this.deltaVocabulary.set(term, true);
      }
      map.set(post, tf);
    }
  }

  // ── vocabulary ─────────────────────────────────────────────────────────

  /** Index of `term` in the base vocabulary, or -1. */
  private baseTerm(term: string): number {
    const terms = this.base.terms;
    let lo = 0;
    let hi = terms.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const t = terms[mid]!;
      if (t === term) return mid;
      if (t < term) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private known(term: string): boolean {
    return this.baseTerm(term) >= 0 || this.deltaVocabulary.has(term);
  }

  /** Document frequency, for choosing the most useful expansions. */
  private frequency(term: string): number {
    const i = this.baseTerm(term);
    return (
      (i >= 0 ? this.base.termPassageCount[i]! + this.base.termTitleCount[i]! : 0) +
      (this.deltaPostings.get(term)?.length ?? 0) / 2
    );
  }

  private withPrefix(prefix: string, cap: number): string[] {
    const terms = this.base.terms;
    let lo = 0;
    let hi = terms.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (terms[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const found: string[] = [];
    for (let i = lo; i < terms.length && terms[i]!.startsWith(prefix); i++) found.push(terms[i]!);
    for (const [term] of this.deltaVocabulary.atPrefix(prefix)) found.push(term);
    return mostFrequent(
      found.filter((t) => t !== prefix),
      cap,
      (t) => this.frequency(t),
    );
  }

  private fuzzy(term: string, distance: number): string[] {
    // MiniSearch's radix tree over the vocabulary, built on the first typo-tolerant query.
    this.fuzzyVocabulary ??= buildVocabularyTree(this.base.terms);
    const found = [
      ...this.fuzzyVocabulary.fuzzyGet(term, distance).keys(),
      ...this.deltaVocabulary.fuzzyGet(term, distance).keys(),
    ];
    return mostFrequent(
      found.filter((t) => t !== term),
      FUZZY_CAP,
      (t) => this.frequency(t),
    );
  }

  private postings(term: string): Postings {
    const i = this.baseTerm(term);
    const added = this.deltaPostings.get(term);
    const capacity = (i >= 0 ? this.base.termPassageCount[i]! : 0) + (added?.length ?? 0) / 2;
    const out: Postings = {
      count: 0,
      ordinals: new Int32Array(capacity),
      values: new Int32Array(capacity),
      titlePosts: [],
      titleTfs: [],
      df: [0, 0],
    };
    const dead = this.dead.array;
    const keep = (ordinal: number, value: number) => {
      if (dead[ordinal]) return;
      out.ordinals[out.count] = ordinal;
      out.values[out.count++] = value;
      out.df[value & 1]! += 1;
    };
    if (i >= 0) {
      const start = this.base.termOffsets[i]!;
      const bytes = this.read(start, this.base.termOffsets[i + 1]! - start);
      const passages = new VarintReader(bytes.subarray(0, this.base.termPassageBytes[i]!));
      for (let ordinal = 0; !passages.done; ) {
        ordinal += passages.next();
        keep(ordinal, passages.next());
      }
      const titles = new VarintReader(bytes.subarray(this.base.termPassageBytes[i]!));
      for (let post = 0; !titles.done; ) {
        post += titles.next();
        const tf = titles.next();
        if (this.titleReplaced.has(post) || this.livePassages.array[post] === 0) continue;
        out.titlePosts.push(post);
        out.titleTfs.push(tf);
      }
    }
    if (added) for (let k = 0; k < added.length; k += 2) keep(added[k]!, added[k + 1]!);
    for (const [post, tf] of this.deltaTitles.get(term) ?? []) {
      if (this.livePassages.array[post] === 0) continue;
      out.titlePosts.push(post);
      out.titleTfs.push(tf);
    }
    return out;
  }

  /**
   * Recently asked terms, decoded and summed per post: members typing into
   * autocomplete ask for the same words keystroke after keystroke, and common
   * words recur across queries. Bounded by postings held; emptied by any change.
   */
  private readonly recent = new Map<string, TermEntry>();
  private recentEntries = 0;

  private termEntry(term: string, kindsKey: string, withTitle: boolean, make: () => TermEntry): TermEntry {
    const key = `${kindsKey}${withTitle ? 't' : ''}:${term}`;
    const hit = this.recent.get(key);
    if (hit) {
      this.recent.delete(key);
      this.recent.set(key, hit);
      return hit;
    }
    const made = make();
    this.recent.set(key, made);
    this.recentEntries += made.postings.count;
    for (const [oldest, entry] of this.recent) {
      if (this.recentEntries <= RECENT_TERM_BUDGET) break;
      this.recent.delete(oldest);
      this.recentEntries -= entry.postings.count;
    }
    return made;
  }

  private forgetRecent(): void {
    this.recent.clear();
    this.recentEntries = 0;
  }

  /** Term frequencies summed per (field, post), for one term at a time: reused, so queries make little garbage. */
  private scratch = { tf: new Float64Array(0), touched: new Int32Array(0), seen: new Uint8Array(0) };

  private scratchFor(posts: number): typeof this.scratch {
    if (this.scratch.seen.length < posts) {
      this.scratch = {
        tf: new Float64Array(posts * 4),
        touched: new Int32Array(posts * 4),
        seen: new Uint8Array(posts),
      };
    }
    return this.scratch;
  }

  // ── search ─────────────────────────────────────────────────────────────

  search(query: string, options: IndexSearchOptions = {}): PostMatch[] {
    const limit = options.limit ?? 10;
    const typed = queryTerms(query);
    if (typed.length === 0 || this.livePosts === 0) return [];
    const kinds = new Set((options.kinds ?? KINDS).map((k) => KIND_CODES[k]));
    const withTitle = kinds.has(KIND_CODES.paragraph) || kinds.has(KIND_CODES.quoted);

    // Expansions of each typed term, with the weight MiniSearch gives them.
    const weights = new Map<string, number>();
    const note = (term: string, weight: number) => weights.set(term, Math.max(weights.get(term) ?? 0, weight));
    for (const t of typed) {
      if (this.known(t.term)) note(t.term, 1);
      if (t.prefix) {
        for (const term of this.withPrefix(t.term, options.quick ? QUICK_PREFIX_CAP : PREFIX_CAP)) {
          const distance = term.length - t.term.length;
          note(term, (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * distance));
        }
      }
      if (t.fuzzy && !options.quick) {
        const distance = Math.min(MAX_FUZZY, Math.round(t.term.length * 0.2));
        for (const term of this.fuzzy(t.term, distance))
          note(term, (FUZZY_WEIGHT * term.length) / (term.length + distance));
      }
    }
    if (weights.size === 0) return [];

    // The one-query MiniSearch index: post documents, only these terms.
    const postings = new Map<string, Postings>();
    const index: AsPlainObject['index'] = [];
    const postCount = this.postIds.length;
    const { tf, touched, seen } = this.scratchFor(postCount);
    const inPostings: number[] = [];
    const allKinds = kinds.size === KINDS.length;
    const kindsKey = [...kinds].sort().join('');
    // Words in a large share of passages barely move BM25 but cost the most to score: when the query has
    // rarer words, the common ones are left to the second stage, which scores every word on the candidates.
    const commonFrom = Math.max(COMMON_FLOOR, this.livePassageCount * COMMON_SHARE);
    const common = (term: string) => this.frequency(term) > commonFrom;
    const someRare = [...weights.keys()].some((t) => !common(t));
    for (const term of [...weights.keys()].sort()) {
      if (someRare && common(term)) {
        postings.set(term, this.postings(term));
        continue;
      }
      const entry = this.termEntry(term, kindsKey, withTitle, () => {
        const p = this.postings(term);
        let touchedCount = 0;
        const add = (field: number, post: number, freq: number) => {
          const slot = field * postCount + post;
          if (tf[slot] === 0) touched[touchedCount++] = slot;
          tf[slot]! += freq;
        };
        for (let k = 0; k < p.count; k++) {
          const ordinal = p.ordinals[k]!;
          const kind = this.passageKind(ordinal);
          if (!allKinds && !kinds.has(kind)) continue;
          const value = p.values[k]!;
          add(
            value & 1 ? AUTHOR : kind === KIND_CODES.comment ? COMMENTS : POST,
            this.passagePost(ordinal),
            value >> 1,
          );
        }
        if (withTitle) for (let k = 0; k < p.titlePosts.length; k++) add(TITLE, p.titlePosts[k]!, p.titleTfs[k]!);
        const fields: Record<number, Record<number, number>> = {};
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
      });
      postings.set(term, entry.postings);
      if (entry.posts.length === 0) continue;
      for (const post of entry.posts) {
        if (!seen[post]) {
          seen[post] = 1;
          inPostings.push(post);
        }
      }
      index.push([term, entry.fields]);
    }
    for (const post of inPostings) seen[post] = 0;
    if (index.length === 0) return [];
    const documentIds: Record<number, number> = {};
    const fieldLength: Record<number, number[]> = {};
    for (const post of inPostings) {
      documentIds[post] = post;
      fieldLength[post] = Array.from(this.fieldLengths.array.subarray(post * 4, post * 4 + 4));
    }
    const mini = MiniSearch.loadJS(
      {
        documentCount: this.livePosts,
        nextId: this.postIds.length,
        documentIds,
        fieldIds: Object.fromEntries(FIELDS.map((f, i) => [f, i])),
        fieldLength,
        averageFieldLength: this.fieldTotals.map((total) => total / this.livePosts),
        storedFields: {},
        dirtCount: 0,
        index,
        serializationVersion: 2,
      },
      MINI_OPTIONS,
    );
    const searchOptions: SearchOptions = {
      boost: FIELD_BOOST,
      weights: { fuzzy: FUZZY_WEIGHT, prefix: PREFIX_WEIGHT },
      maxFuzzy: MAX_FUZZY,
      bm25: BM25,
      combineWith: 'OR',
    };
    const candidates = mini
      .search(
        {
          combineWith: 'OR',
          queries: typed.map((t) => ({
            queries: [t.term],
            prefix: t.prefix,
            fuzzy: t.fuzzy && !options.quick ? 0.2 : false,
          })),
        },
        searchOptions,
      )
      .slice(0, Math.max(MIN_CANDIDATES, limit * (options.quick ? QUICK_CANDIDATES_PER_HIT : CANDIDATES_PER_HIT)))
      .map((r) => r.id as number);
    return this.rerank(candidates, postings, weights, kinds, withTitle)
      .slice(0, limit)
      .map((hit) => ({
        postId: this.postIds[hit.post]!,
        score: hit.score,
        passageId: this.passageId(hit.ordinal),
        terms: [...hit.terms],
      }));
  }

  /**
   * Second stage: the candidate posts MiniSearch ranked, re-ranked by their
   * best passage — BM25+ over passages (text, author, and the post's title as
   * every passage's title), with the whole archive's passage statistics — so
   * a post leads because one passage answers the query, not because its long
   * comment thread mentions the words often. The best passage is the one shown.
   */
  private rerank(
    candidates: number[],
    postings: Map<string, Postings>,
    weights: Map<string, number>,
    kinds: Set<number>,
    withTitle: boolean,
  ): { post: number; ordinal: number; score: number; terms: Set<string> }[] {
    const wanted = new Uint8Array(this.postIds.length);
    for (const post of candidates) wanted[post] = 1;
    const n = this.livePassageCount;
    const avg = [this.passageTotals[0]! / n, this.passageTotals[1]! / n];
    // Every passage carries its post's title: title statistics counted per passage.
    let titleTotal = 0;
    for (let post = 0; post < this.postIds.length; post++)
      titleTotal += this.fieldLengths.array[post * 4 + TITLE]! * this.livePassages.array[post]!;
    const titleAvg = titleTotal / n;
    const passageScores = new Map<number, { score: number; terms: Set<string> }>();
    const titleScores = new Map<number, number>();
    for (const [term, p] of postings) {
      const weight = weights.get(term)!;
      for (let k = 0; k < p.count; k++) {
        const ordinal = p.ordinals[k]!;
        if (!wanted[this.passagePost(ordinal)] || !kinds.has(this.passageKind(ordinal))) continue;
        const value = p.values[k]!;
        const field = value & 1;
        const raw = bm25(value >> 1, p.df[field]!, n, this.lengthsOf(ordinal)[field]!, avg[field]!);
        let entry = passageScores.get(ordinal);
        if (!entry) passageScores.set(ordinal, (entry = { score: 0, terms: new Set() }));
        entry.score += weight * (field === 1 ? FIELD_BOOST.author : 1) * raw;
        if (field === 0) entry.terms.add(term);
      }
      if (!withTitle || p.titlePosts.length === 0) continue;
      let titleDf = 0;
      for (const post of p.titlePosts) titleDf += this.livePassages.array[post]!;
      p.titlePosts.forEach((post, k) => {
        if (!wanted[post]) return;
        const raw = bm25(p.titleTfs[k]!, titleDf, n, this.fieldLengths.array[post * 4 + TITLE]!, titleAvg);
        titleScores.set(post, (titleScores.get(post) ?? 0) + weight * FIELD_BOOST.title * raw);
      });
    }
    const best = new Map<
      number,
      { post: number; ordinal: number; score: number; terms: Set<string>; support: number[] }
    >();
    for (const [ordinal, entry] of passageScores) {
      const post = this.passagePost(ordinal);
      const current = best.get(post);
      if (!current) best.set(post, { post, ordinal, score: entry.score, terms: entry.terms, support: [] });
      else if (entry.score > current.score || (entry.score === current.score && ordinal < current.ordinal)) {
        best.set(post, {
          post,
          ordinal,
          score: entry.score,
          terms: entry.terms,
          support: [current.score, ...current.support],
        });
      } else current.support.push(entry.score);
    }
    const hits: { post: number; ordinal: number; score: number; terms: Set<string> }[] = [];
    for (const post of candidates) {
      const title = titleScores.get(post) ?? 0;
      const hit = best.get(post);
      if (hit) {
        const [second = 0, third = 0] = hit.support.sort((x, y) => y - x);
        hits.push({
          post,
          ordinal: hit.ordinal,
          terms: hit.terms,
          score: hit.score + title + SUPPORT * (second + third),
        });
      } else if (title > 0) {
        // Matched by its title alone: shown by its opening passage.
        const opening = this.passagesOf(post).find((o) => kinds.has(this.passageKind(o)));
        if (opening !== undefined) hits.push({ post, ordinal: opening, score: title, terms: new Set() });
      }
    }
    // Equal scores in a stable order, whatever the posts' ordinals.
    return hits.sort((a, b) => b.score - a.score || compare(this.postIds[a.post]!, this.postIds[b.post]!));
  }
}

function bm25(tf: number, df: number, n: number, length: number, avg: number): number {
  const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
  return idf * (BM25.d + (tf * (BM25.k + 1)) / (tf + BM25.k * (1 - BM25.b + (BM25.b * length) / (avg || 1))));
}

function mostFrequent(terms: string[], cap: number, frequency: (t: string) => number): string[] {
  if (terms.length <= cap) return terms;
  return terms
    .map((t) => ({ t, f: frequency(t) }))
    .sort((a, b) => b.f - a.f || compare(a.t, b.t))
    .slice(0, cap)
    .map((x) => x.t);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function buildVocabularyTree(terms: readonly string[]): SearchableMap<number> {
  const tree = new SearchableMap<number>();
  terms.forEach((t, i) => tree.set(t, i));
  return tree;
}
