// The search index as the bot holds it: the base segment plus the changes stored since, in memory. A query is expanded
// to index terms, posts are ranked as MiniSearch ranks them on just those terms, and the candidates re-ranked by their
// best passage.
import type { PassageKind } from '../archive/model.js';
import {
  changedPassages,
  type LiveSegment,
  liveSegmentOf,
  type PostContent,
  passageId,
  replacePost,
} from './liveSegment.js';
import { type PassageHit, type PassageRule, rerankByPassage } from './passageRanking.js';
import {
  candidateCount,
  ensureSumBuffers,
  gatherTerms,
  type PostTermSums,
  type QueryPostings,
  rankPosts,
  sumBuffers,
  sumPerPost,
} from './postRanking.js';
import { type PostingReader, readPostings } from './postings.js';
import { queryTerms } from './query.js';
import { boundedTerms, expandQuery } from './queryExpansion.js';
import { type KindScope, kindScope } from './ranking.js';
import { recentTerms } from './recentTerms.js';
import type { Segment } from './segment.js';

export type { PostContent, PostingReader };

export interface PostMatch {
  postId: string;
  score: number;
  /** The passage that best answers the query (store id). */
  passageId: number;
  /** Index terms matched in that passage (for highlighting). */
  terms: string[];
  /** The typed words (by position) each of `terms` stands for. */
  termWords: number[][];
}

export interface IndexSearchOptions {
  limit?: number;
  kinds?: readonly PassageKind[];
  /** Autocomplete: fewer prefix expansions, no typo tolerance. */
  quick?: boolean;
  /** Words taken from a chat message, not typed as a query: no word completed, passages holding most of them first. */
  wholeWords?: boolean;
  /**
   * What a passage must hold to answer (index terms: a phrase's words) and must not (an excluded word): each post is
   * shown by its best passage that qualifies, so a post is not lost because its best passage holds an excluded word.
   */
  passages?: { required: readonly string[]; excluded: readonly string[] };
}

/** Postings entries kept decoded for recently asked terms (about 8 bytes each, plus the per-post sums). */
const RECENT_TERM_BUDGET = 100_000;

export class ArchiveIndex {
  /** Journal position the index has caught up to. */
  position: number;
  private readonly live: LiveSegment;
  private readonly read: PostingReader;
  private readonly recent = recentTerms<PostTermSums>(RECENT_TERM_BUDGET, (sums) => sums.postings.count);
  private readonly buffers = sumBuffers();

  constructor(base: Segment, read: PostingReader) {
    this.live = liveSegmentOf(base);
    this.read = read;
    this.position = base.header.journalPosition;
  }

  /** Passages added or removed since the base was built: when many, a rebuild is due. */
  get changedPassages(): number {
    return changedPassages(this.live);
  }

  /** Make the index hold `content` for this post (null: the post is gone). Passages are told apart by store id. */
  replacePost(postId: string, content: PostContent | null): void {
    this.recent.clear();
    replacePost(this.live, postId, content);
  }

  /** What a query is searched for: its words (each once, the rarest dozen) and the index terms they expand to. */
  plan(
    query: string,
    options: Pick<IndexSearchOptions, 'quick' | 'wholeWords'> = {},
  ): { words: string[]; terms: number } {
    const typed = boundedTerms(this.live, queryTerms(query, { completeLast: !options.wholeWords }));
    return { words: typed.map((t) => t.term), terms: expandQuery(this.live, typed, options.quick ?? false).size };
  }

  search(query: string, options: IndexSearchOptions = {}): PostMatch[] {
    const limit = options.limit ?? 10;
    const quick = options.quick ?? false;
    const typed = boundedTerms(this.live, queryTerms(query, { completeLast: !options.wholeWords }));
    if (typed.length === 0 || this.live.livePosts === 0) return [];
    const scope = kindScope(options.kinds);
    const origins = new Map<string, Set<number>>();
    const weights = expandQuery(this.live, typed, quick, origins);
    if (weights.size === 0) return [];
    const terms = this.gather([...weights.keys()], scope);
    if (terms.entries.length === 0) return [];
    const candidates = rankPosts(this.live, terms.entries, typed, quick, candidateCount(limit, quick), this.buffers);
    const known = new Set([...origins.values()].flatMap((words) => [...words])).size;
    const words = { origins, known };
    const rule = options.passages ? this.passageRule(options.passages, terms.postings) : null;
    return rerankByPassage(
      this.live,
      candidates,
      terms.postings,
      weights,
      scope,
      words,
      options.wholeWords ?? false,
      rule,
    )
      .slice(0, limit)
      .map((hit) => this.matchOf(hit, origins));
  }

  /** The terms' postings, each summed per post once and kept a while (autocomplete asks again at every key). */
  private gather(terms: string[], scope: KindScope): QueryPostings {
    ensureSumBuffers(this.buffers, this.live.postIds.length);
    const postingsOf = (term: string) => readPostings(this.live, this.read, term);
    const sumsOf = (term: string) =>
      this.recent.get(`${scope.key}${scope.withTitle ? 't' : ''}:${term}`, () =>
        sumPerPost(this.live, postingsOf(term), scope, this.buffers),
      );
    return gatherTerms(this.live, terms, postingsOf, sumsOf);
  }

  /** The terms every answering passage holds (those searched), and the passages barred by an excluded term. */
  private passageRule(
    wanted: { required: readonly string[]; excluded: readonly string[] },
    searched: ReadonlyMap<string, unknown>,
  ): PassageRule {
    const barred = new Set<number>();
    for (const term of wanted.excluded) {
      const p = readPostings(this.live, this.read, term);
      // In their text (field 0): who wrote a passage is not what it says.
      for (let k = 0; k < p.count; k++) if ((p.values[k]! & 1) === 0) barred.add(p.ordinals[k]!);
    }
    return { required: wanted.required.filter((term) => searched.has(term)), barred };
  }

  private matchOf(hit: PassageHit, origins: Map<string, Set<number>>): PostMatch {
    const terms = [...hit.terms];
    return {
      postId: this.live.postIds[hit.post]!,
      score: hit.score,
      passageId: passageId(this.live, hit.ordinal),
      terms,
      termWords: terms.map((term) => [...(origins.get(term) ?? [])]),
    };
  }
}
