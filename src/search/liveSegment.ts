// The base segment as the store has it now: the changes since the build (passages added and removed, titles replaced)
// held in memory over it, with the statistics they move, so ranking never counts what is gone.
import { cachedTermOf, termCounts } from './terms.js';
import { AUTHOR, COMMENTS, KIND_CODES, POST, TITLE, type PassageInput, type Segment } from './segment.js';
import { baseTermIndex, noteTerm, vocabularyOf, type Vocabulary } from './vocabulary.js';

/** What the store says a post is now (null when it is gone): its title and passage ids, and the passages' content on request. */
export interface PostContent {
  title: string;
  passageIds: number[];
  /** The passages with these ids, in the post's order. */
  load(ids: number[]): PassageInput[];
}

interface AddedPassage {
  id: number;
  post: number;
  kind: number;
  textLength: number;
  authorLength: number;
}

export interface LiveSegment {
  readonly base: Segment;
  readonly vocabulary: Vocabulary;

  // Posts: base ordinals first, then posts first seen after the build.
  readonly postIds: string[];
  readonly postTitles: string[];
  readonly postOrdinal: Map<string, number>;
  /** posts × 4 field lengths (title, post, comments, author), in terms. */
  fieldLengths: Float64Array;
  /** Live passages of each post: a post without any is no document. */
  livePassages: Uint32Array;
  livePosts: number;
  /** Field lengths summed over live posts. */
  readonly fieldTotals: number[];
  /** Posts whose base title postings no longer hold (title changed or post gone). */
  readonly titleReplaced: Set<number>;

  // Passages: base ordinals, then added ones.
  passageCount: number;
  /** Base passage ordinal → post ordinal. */
  readonly basePassagePost: Uint32Array;
  /** 1 for a passage removed since the build. */
  removed: Uint8Array;
  removedFromBase: number;
  readonly addedPassages: AddedPassage[];
  readonly addedPassagesOf: Map<number, number[]>;
  livePassageCount: number;
  /** Text and author lengths summed over live passages. */
  readonly passageTotals: number[];

  /** Passage postings added since the build: term → [ordinal, tf × 2 + field, ...]. */
  readonly addedPostings: Map<string, number[]>;
  /** Title postings added since the build: term → post → tf. */
  readonly addedTitles: Map<string, Map<number, number>>;
}

export function liveSegmentOf(base: Segment): LiveSegment {
  const posts = base.header.postIds.length;
  const passages = base.header.passageCount;
  const live: LiveSegment = {
    base,
    vocabulary: vocabularyOf(base.terms),
    postIds: [...base.header.postIds],
    postTitles: [...base.header.postTitles],
    postOrdinal: new Map(base.header.postIds.map((id, i) => [id, i])),
    fieldLengths: Float64Array.from(base.postFieldLengths),
    livePassages: new Uint32Array(posts),
    livePosts: 0,
    fieldTotals: [0, 0, 0, 0],
    titleReplaced: new Set(),
    passageCount: passages,
    basePassagePost: new Uint32Array(passages),
    removed: new Uint8Array(passages),
    removedFromBase: 0,
    addedPassages: [],
    addedPassagesOf: new Map(),
    livePassageCount: passages,
    passageTotals: [0, 0],
    addedPostings: new Map(),
    addedTitles: new Map(),
  };
  for (let p = 0; p < posts; p++) {
    const count = base.postPassageStart[p + 1]! - base.postPassageStart[p]!;
    live.livePassages[p] = count;
    if (count > 0) live.livePosts++;
    for (let f = 0; f < 4; f++) live.fieldTotals[f]! += base.postFieldLengths[p * 4 + f]!;
    live.basePassagePost.fill(p, base.postPassageStart[p]!, base.postPassageStart[p + 1]!);
  }
  const totals = base.header.passageLengthTotals;
  if (totals) live.passageTotals.splice(0, 2, ...totals);
  else
    for (let i = 0; i < passages; i++) {
      live.passageTotals[0]! += base.passageTextLengths[i]!;
      live.passageTotals[1]! += base.passageAuthorLengths[i]!;
    }
  return live;
}

/** Passages added or removed since the base was built: when many, a rebuild is due. */
export function changedPassages(live: LiveSegment): number {
  return live.addedPassages.length + live.removedFromBase;
}

// ── passages, base or added ──────────────────────────────────────────────

export function passageId(live: LiveSegment, ordinal: number): number {
  const base = live.base.header.passageCount;
  return ordinal < base ? live.base.passageIds[ordinal]! : live.addedPassages[ordinal - base]!.id;
}

export function passagePost(live: LiveSegment, ordinal: number): number {
  const base = live.base.header.passageCount;
  return ordinal < base ? live.basePassagePost[ordinal]! : live.addedPassages[ordinal - base]!.post;
}

export function passageKind(live: LiveSegment, ordinal: number): number {
  const base = live.base.header.passageCount;
  return ordinal < base ? live.base.passageKinds[ordinal]! : live.addedPassages[ordinal - base]!.kind;
}

/** Text and author lengths of a passage, in terms. */
export function passageLengths(live: LiveSegment, ordinal: number): [number, number] {
  const base = live.base.header.passageCount;
  if (ordinal < base) return [live.base.passageTextLengths[ordinal]!, live.base.passageAuthorLengths[ordinal]!];
  const added = live.addedPassages[ordinal - base]!;
  return [added.textLength, added.authorLength];
}

/** Live passage ordinals of a post, in order. */
export function livePassagesOf(live: LiveSegment, post: number): number[] {
  const out: number[] = [];
  if (post < live.base.header.postIds.length) {
    for (let o = live.base.postPassageStart[post]!; o < live.base.postPassageStart[post + 1]!; o++)
      if (!live.removed[o]) out.push(o);
  }
  for (const o of live.addedPassagesOf.get(post) ?? []) if (!live.removed[o]) out.push(o);
  return out;
}

/** How many passages and titles hold `term`: for keeping the most useful expansions. */
export function termFrequency(live: LiveSegment, term: string): number {
  const i = baseTermIndex(live.vocabulary, term);
  return (
    (i >= 0 ? live.base.termPassageCount[i]! + live.base.termTitleCount[i]! : 0) +
    (live.addedPostings.get(term)?.length ?? 0) / 2
  );
}

// ── changes ──────────────────────────────────────────────────────────────

/** Make the segment hold `content` for this post (null: the post is gone). Passages are told apart by store id. */
export function replacePost(live: LiveSegment, postId: string, content: PostContent | null): void {
  let post = live.postOrdinal.get(postId);
  const wanted = new Set(content?.passageIds ?? []);
  if (post !== undefined) {
    for (const ordinal of livePassagesOf(live, post)) {
      const id = passageId(live, ordinal);
      if (wanted.has(id)) wanted.delete(id);
      else removePassage(live, ordinal);
    }
    const newTitle = content?.title ?? '';
    if (content && newTitle !== live.postTitles[post]) setTitle(live, post, newTitle);
  }
  if (!content || wanted.size === 0) return;
  if (post === undefined) post = addPost(live, postId, content.title);
  // Only the passages the index lacks are read: a new comment on a long thread costs one passage.
  for (const passage of content.load([...wanted])) addPassage(live, post, passage);
}

function addPost(live: LiveSegment, postId: string, title: string): number {
  const post = live.postIds.length;
  live.postIds.push(postId);
  live.postTitles.push('');
  live.postOrdinal.set(postId, post);
  live.fieldLengths = grown(live.fieldLengths, (post + 1) * 4, (n) => new Float64Array(n));
  live.livePassages = grown(live.livePassages, post + 1, (n) => new Uint32Array(n));
  live.titleReplaced.add(post);
  setTitle(live, post, title);
  return post;
}

function removePassage(live: LiveSegment, ordinal: number): void {
  if (live.removed[ordinal]) return;
  live.removed[ordinal] = 1;
  if (ordinal < live.base.header.passageCount) live.removedFromBase++;
  const post = passagePost(live, ordinal);
  const [textLength, authorLength] = passageLengths(live, ordinal);
  adjustField(live, post, passageKind(live, ordinal) === KIND_CODES.comment ? COMMENTS : POST, -textLength);
  adjustField(live, post, AUTHOR, -authorLength);
  live.livePassageCount--;
  live.passageTotals[0]! -= textLength;
  live.passageTotals[1]! -= authorLength;
  if (--live.livePassages[post]! === 0) {
    live.livePosts--;
    live.fieldTotals[TITLE]! -= live.fieldLengths[post * 4 + TITLE]!;
  }
}

function addPassage(live: LiveSegment, post: number, passage: PassageInput): void {
  const ordinal = live.passageCount++;
  live.removed = grown(live.removed, live.passageCount, (n) => new Uint8Array(n));
  const text = termCounts(passage.text, cachedTermOf);
  const author = termCounts(passage.author ?? '', cachedTermOf);
  // Passage author lengths are 16-bit in the segment.
  const authorLength = Math.min(author.length, 0xffff);
  const kind = KIND_CODES[passage.kind];
  live.addedPassages.push({ id: passage.id, post, kind, textLength: text.length, authorLength });
  const ofPost = live.addedPassagesOf.get(post);
  if (ofPost) ofPost.push(ordinal);
  else live.addedPassagesOf.set(post, [ordinal]);
  for (const [field, counts] of [
    [0, text.counts],
    [1, author.counts],
  ] as const) {
    for (const [term, tf] of counts) {
      let postings = live.addedPostings.get(term);
      if (!postings) {
        postings = [];
        live.addedPostings.set(term, postings);
        noteTerm(live.vocabulary, term);
      }
      postings.push(ordinal, tf * 2 + field);
    }
  }
  if (live.livePassages[post]! === 0) {
    live.livePosts++;
    live.fieldTotals[TITLE]! += live.fieldLengths[post * 4 + TITLE]!;
  }
  live.livePassages[post]!++;
  adjustField(live, post, kind === KIND_CODES.comment ? COMMENTS : POST, text.length);
  adjustField(live, post, AUTHOR, authorLength);
  live.livePassageCount++;
  live.passageTotals[0]! += text.length;
  live.passageTotals[1]! += authorLength;
}

function adjustField(live: LiveSegment, post: number, field: number, by: number): void {
  live.fieldLengths[post * 4 + field]! += by;
  if (live.livePassages[post]! > 0 || field !== TITLE) live.fieldTotals[field]! += by;
}

function setTitle(live: LiveSegment, post: number, title: string): void {
  // Old title terms out (base ones are masked, added ones deleted), new ones in.
  live.titleReplaced.add(post);
  for (const posts of live.addedTitles.values()) posts.delete(post);
  const counts = termCounts(title, cachedTermOf);
  if (live.livePassages[post]! > 0) live.fieldTotals[TITLE]! += counts.length - live.fieldLengths[post * 4 + TITLE]!;
  live.fieldLengths[post * 4 + TITLE] = counts.length;
  live.postTitles[post] = title;
  for (const [term, tf] of counts.counts) {
    let posts = live.addedTitles.get(term);
    if (!posts) {
      posts = new Map();
      live.addedTitles.set(term, posts);
      noteTerm(live.vocabulary, term);
    }
    posts.set(post, tf);
  }
}

/** `array`, or a copy at least `size` long (doubling, so appends stay cheap). */
function grown<T extends Float64Array | Uint8Array | Uint32Array>(array: T, size: number, make: (n: number) => T): T {
  if (size <= array.length) return array;
  const copy = make(Math.max(size, array.length * 2, 16));
  copy.set(array);
  return copy;
}
