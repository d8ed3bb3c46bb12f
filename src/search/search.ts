// Search as members see it: one hit per post, ranked by its best passage (and
// helped a little by other passages that match), showing the excerpt of that
// passage that answers the query. The same function serves /search, /quote's
// autocomplete, the console and the CLI.
import type { PassageKind } from '../archive/model.js';
import { postLink } from '../archive/links.js';
import { excerptFor } from './excerpt.js';
import { matchPassages, type PassageIndex, type PassageMatch } from './index.js';

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
  postTitle: string;
  postUrl: string | null;
  /** YYYY-MM-DD: the comment's own date when known, else the post's; null when neither is known. */
  date: string | null;
  author: string | null;
  excerpt: string;
  /** [start, end) of matched words in `excerpt`. */
  highlights: [number, number][];
  url: string | null;
  score: number;
  passageId: number;
}

export interface SearchOptions {
  limit?: number;
  blogUrl: string;
  kinds?: readonly PassageKind[];
  excerptLength?: number;
}

/** Weight of a post's second and third best passages relative to its best. */
const SUPPORT_WEIGHT = 0.3;

export function searchArchive(index: PassageIndex, lookup: PassageLookup, query: string, options: SearchOptions): SearchHit[] {
  const limit = options.limit ?? 10;
  const matches = matchPassages(index, query, options.kinds ? { kinds: options.kinds } : {});
  const ranked = rankPosts(matches).slice(0, limit);
  const details = lookup(ranked.map((r) => r.best.id));
  const hits: SearchHit[] = [];
  for (const { best, score } of ranked) {
    const detail = details.get(best.id);
    if (!detail) continue;
    const excerpt = excerptFor(detail.text, new Set(best.terms), options.excerptLength ?? 400);
    const postUrl = postLink(detail.post, options.blogUrl);
    const isComment = detail.kind === 'comment';
    hits.push({
      kind: isComment ? 'comment' : 'post',
      postId: detail.post.id,
      postTitle: detail.post.title,
      postUrl,
      date: (isComment ? detail.comment?.date : null) ?? detail.post.date,
      author: detail.author ?? (isComment ? null : detail.post.author),
      excerpt: excerpt.text,
      highlights: excerpt.highlights,
      url: (isComment ? detail.comment?.permalink : null) ?? postUrl,
      score: Math.round(score * 1000) / 1000,
      passageId: detail.id,
    });
  }
  return hits;
}

/** Group passage matches by post: the best passage leads, the next two add a little. */
function rankPosts(matches: readonly PassageMatch[]): { best: PassageMatch; score: number }[] {
  const byPost = new Map<string, PassageMatch[]>();
  for (const m of matches) {
    const list = byPost.get(m.postId);
    if (list) list.push(m);
    else byPost.set(m.postId, [m]);
  }
  const ranked: { best: PassageMatch; score: number }[] = [];
  for (const list of byPost.values()) {
    // Matches arrive sorted by score, so each post's list is too.
    const [best, second, third] = list as [PassageMatch, PassageMatch?, PassageMatch?];
    ranked.push({ best, score: best.score + SUPPORT_WEIGHT * ((second?.score ?? 0) + (third?.score ?? 0)) });
  }
  return ranked.sort((a, b) => b.score - a.score);
}
