// Search as members see it: one hit per post (ranked by MiniSearch over post
// documents, then by the post's best passage, then by how close the query's
// words stand in it), showing the excerpt of the post's passage that best
// answers the query. The same function serves /search, /quote's autocomplete,
// the console and the CLI.
import type { PassageKind } from '../archive/model.js';
import { postLink } from '../archive/links.js';
import { excerptFor } from './excerpt.js';
import type { ArchiveIndex, PostMatch } from './archiveIndex.js';
import { closeness, PROXIMITY } from './proximity.js';
import { narrowsPassages, passageMatches, type SearchQuery } from './syntax.js';
import { cachedTermOf, termOf } from './terms.js';

/** What the store tells about a matched passage. */
export interface PassageDetail {
  id: number;
  kind: PassageKind;
  text: string;
  author: string | null;
  post: { id: string; title: string; date: string | null; url: string | null; author: string | null };
  comment: { id: string; date: string | null; time: string | null; permalink: string | null } | null;
}

export type PassageLookup = (ids: readonly number[]) => Map<number, PassageDetail>;

export interface SearchHit {
  kind: 'post' | 'comment';
  postId: string;
  /** The comment the passage is from (what `cli hide` takes); null for a post's own passages. */
  commentId: string | null;
  postTitle: string;
  postUrl: string | null;
  /** YYYY-MM-DD: the comment's own date when known, else the post's; null when neither is known. */
  date: string | null;
  /** A comment whose own date is unknown: `date` is its post's, and must be shown as such. */
  dateIsPosts: boolean;
  author: string | null;
  excerpt: string;
  /** [start, end) of matched words in `excerpt`. */
  highlights: [number, number][];
  url: string | null;
  /** The link leads to the month's archive page, not the post itself (a page copy has no permalink of its own). */
  linksToMonth: boolean;
  score: number;
  passageId: number;
}

export interface SearchOptions {
  limit?: number;
  blogUrl: string;
  kinds?: readonly PassageKind[];
  excerptLength?: number;
  /** Autocomplete: fewer expansions, no typo tolerance. */
  quick?: boolean;
  /** Words from a chat message (Find in archive), not a typed query. */
  wholeWords?: boolean;
  /**
   * The query's phrases and exclusions: only hits whose passage holds every phrase and nothing excluded are kept
   * (the index is asked for `query` as given: pass the syntax's positive words), and phrases are shown in excerpts.
   */
  syntax?: SearchQuery;
}

/** An excerpt's length at most: a few lines in a chat, not a page. */
const EXCERPT_LENGTH = 300;

export function searchArchive(
  index: ArchiveIndex,
  lookup: PassageLookup,
  query: string,
  options: SearchOptions,
): SearchHit[] {
  const syntax = options.syntax;
  // Only phrases and exclusions need a passage's own text checked; plain words were the index's business.
  const narrowed = syntax && narrowsPassages(syntax) ? syntax : null;
  const found = index.search(query, {
    limit: options.limit ?? 10,
    kinds: options.kinds,
    quick: options.quick,
    wholeWords: options.wholeWords,
    ...(narrowed && { passages: passageTerms(narrowed) }),
  });
  const details = lookup(found.map((r) => r.passageId));
  // The hits of a typed query are re-ranked by how close its words stand in the passages shown (read here anyway).
  const ranked = options.quick || options.wholeWords ? found : rankByCloseness(found, details);
  const hits: SearchHit[] = [];
  for (const { passageId, terms, score } of ranked) {
    const detail = details.get(passageId);
    if (!detail) continue;
    if (narrowed && !passageMatches(detail.text, narrowed, cachedTermOf)) continue;
    const excerpt = excerptFor(
      detail.text,
      new Set(terms),
      options.excerptLength ?? EXCERPT_LENGTH,
      syntax?.phrases ?? [],
    );
    const postUrl = postLink(detail.post, options.blogUrl);
    const isComment = detail.kind === 'comment';
    hits.push({
      kind: isComment ? 'comment' : 'post',
      postId: detail.post.id,
      commentId: detail.comment?.id ?? null,
      postTitle: detail.post.title,
      postUrl,
      ...dateOf(detail, isComment),
      author: detail.author,
      excerpt: excerpt.text,
      highlights: excerpt.highlights,
      url: (isComment ? detail.comment?.permalink : null) ?? postUrl,
      linksToMonth: linksToMonth(detail, isComment),
      score: Math.round(score * 1000) / 1000,
      passageId: detail.id,
    });
  }
  return hits;
}

/** What the index can tell of a passage answering the syntax: the phrases' words all in it, no excluded word. */
function passageTerms(syntax: SearchQuery): { required: string[]; excluded: string[] } {
  const required = syntax.phrases.flat().flatMap((word) => termOf(word) ?? []);
  return { required: [...new Set(required)], excluded: syntax.excludedTerms };
}

/** The matches with each score times 1 + PROXIMITY × the closeness of the query's words in its passage, best first. */
function rankByCloseness(matches: PostMatch[], details: Map<number, PassageDetail>): PostMatch[] {
  return matches
    .map((match, at) => {
      const text = details.get(match.passageId)?.text ?? '';
      const wordsOf = new Map(match.terms.map((term, i) => [term, match.termWords[i]!]));
      return { match: { ...match, score: match.score * (1 + PROXIMITY * closeness(text, wordsOf)) }, at };
    })
    .sort((a, b) => b.match.score - a.match.score || a.at - b.at)
    .map(({ match }) => match);
}

/** A whole passage as /quote posts it: its text, who wrote it, when, and where it lives. */
export interface Quote {
  passageId: number;
  postId: string;
  /** The comment quoted (its thread is one button away); null for the post's own text. */
  commentId: string | null;
  kind: 'post' | 'comment';
  text: string;
  /** Who wrote it, as the quote credits it: a name, "On Probation blog" or "Anonymous"; never a guess. */
  author: string;
  date: string | null;
  /** A comment whose own date is unknown: `date` is its post's. */
  dateIsPosts: boolean;
  postTitle: string;
  postUrl: string | null;
  /** The comment's permalink, or the post's address. */
  url: string | null;
  /** The link leads to the month's archive page, not the post itself. */
  linksToMonth: boolean;
  /** A long comment is cut into passages: this one has pieces before and after it. */
  continues: { before: boolean; after: boolean };
}

/** The date to show: a comment's own, else its post's, said as such (a page copy keeps no comment dates). */
function dateOf(detail: PassageDetail, isComment: boolean): { date: string | null; dateIsPosts: boolean } {
  const own = isComment ? (detail.comment?.date ?? null) : detail.post.date;
  if (own !== null || !isComment) return { date: own, dateIsPosts: false };
  return { date: detail.post.date, dateIsPosts: detail.post.date !== null };
}

/** Whether the link shown is the month's archive page: neither the comment nor the post has a permalink, but the post has a date. */
function linksToMonth(detail: PassageDetail, isComment: boolean): boolean {
  return !(isComment && detail.comment?.permalink) && !detail.post.url && detail.post.date !== null;
}

/** Who a quote credits: the passage's own author; else the blog for its own text, "Anonymous" for a reader's. */
export function creditOf(detail: Pick<PassageDetail, 'author' | 'kind'>): string {
  return detail.author ?? (detail.kind === 'paragraph' ? BLOG_CREDIT : 'Anonymous');
}

export const BLOG_CREDIT = 'On Probation blog';

export function quoteOf(detail: PassageDetail, blogUrl: string, continues = { before: false, after: false }): Quote {
  const isComment = detail.kind === 'comment';
  const postUrl = postLink(detail.post, blogUrl);
  return {
    passageId: detail.id,
    postId: detail.post.id,
    commentId: detail.comment?.id ?? null,
    kind: isComment ? 'comment' : 'post',
    text: detail.text,
    author: creditOf(detail),
    ...dateOf(detail, isComment),
    postTitle: detail.post.title,
    postUrl,
    url: (isComment ? detail.comment?.permalink : null) ?? postUrl,
    linksToMonth: linksToMonth(detail, isComment),
    continues,
  };
}

export interface HitFilter {
  /** Part of the author's name, any case. */
  author?: string | null;
  from?: number | null;
  to?: number | null;
}

/** Hits by an author and within years; an undated hit is kept only when no year is asked for. */
export function filterHits(hits: readonly SearchHit[], filter: HitFilter): SearchHit[] {
  const author = filter.author?.trim().toLowerCase() || null;
  return hits.filter((hit) => {
    if (author && !(hit.author ?? '').toLowerCase().includes(author)) return false;
    if (filter.from == null && filter.to == null) return true;
    const year = hit.date ? Number(hit.date.slice(0, 4)) : null;
    if (year === null) return false;
    return (filter.from == null || year >= filter.from) && (filter.to == null || year <= filter.to);
  });
}
