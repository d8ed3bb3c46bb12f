// Child process and pure part: how often the judged queries (tests/search/queries.ts,
// written as staff would type them, each with the seed post that answers it)
// find their post among the seeds mixed into a generated archive of a given
// size. hit@3 and MRR@10 over the whole set and over its two parts: the part
// ranking is tuned on, and the part kept aside (every fourth query) to check
// that a change did not just fit the tuned queries.
import { openArchive } from '../../src/app/archive.js';
import { connectionOf } from '../../src/store/store.js';
import { type RelevanceQuery, relevanceQueries } from '../search/queries.js';
import { BLOG_URL, childInput, isMain, round, runMain, writeResult } from './common.js';

export interface RelevanceScore {
  hitAt3: number;
  mrrAt10: number;
  n: number;
}

export interface Relevance extends RelevanceScore {
  tuning: RelevanceScore;
  heldOut: RelevanceScore;
  /** Queries whose post was not in the top 3: the query, where the post came (null: not in the top 10), what came first. */
  misses: { query: string; expected: string; rank: number | null; first: string | null; heldOut: boolean }[];
}

export interface RelevanceConfig {
  dataDir: string;
  resultFile: string;
}

/** Every fourth query is kept aside while tuning. */
export function isHeldOut(index: number): boolean {
  return index % 4 === 3;
}

/** Post titles of the first ten hits, and their ids. */
export type Searcher = (query: string) => { postId: string; postTitle: string }[];

/**
 * Scores the judged set. `expectedId` finds the seed post a title names (the
 * text dumps' posts, not a generated post that happens to share its title).
 */
export function judge(
  search: Searcher,
  expectedId: (title: string) => string | null,
  queries: readonly RelevanceQuery[] = relevanceQueries,
): Relevance {
  const ranks = queries.map(({ query, expectTitle }) => {
    const id = expectedId(expectTitle);
    if (id === null) throw new Error(`no seed post is titled "${expectTitle}": are the seeds in the archive?`);
    const hits = search(query).slice(0, 10);
    const at = hits.findIndex((h) => h.postId === id);
    return { rank: at < 0 ? null : at + 1, first: hits[0]?.postTitle ?? null };
  });
  const score = (keep: (i: number) => boolean): RelevanceScore => {
    const kept = ranks.filter((_, i) => keep(i));
    const n = kept.length;
    return {
      hitAt3: n ? round(kept.filter((r) => r.rank !== null && r.rank <= 3).length / n, 3) : 0,
      mrrAt10: n ? round(kept.reduce((s, r) => s + (r.rank === null ? 0 : 1 / r.rank), 0) / n, 3) : 0,
      n,
    };
  };
  return {
    ...score(() => true),
    tuning: score((i) => !isHeldOut(i)),
    heldOut: score(isHeldOut),
    misses: queries.flatMap((q, i) => {
      const r = ranks[i]!;
      return r.rank !== null && r.rank <= 3
        ? []
        : [{ query: q.query, expected: q.expectTitle, rank: r.rank, first: r.first, heldOut: isHeldOut(i) }];
    }),
  };
}

/** The seed posts by title: the text dumps' ids begin `txt-`. */
export function seedPostIds(db: ReturnType<typeof connectionOf>): (title: string) => string | null {
  const rows = db.prepare("SELECT id, title FROM posts WHERE id LIKE 'txt-%'").all() as { id: string; title: string }[];
  const byTitle = new Map(rows.map((r) => [r.title, r.id]));
  return (title) => byTitle.get(title) ?? null;
}

async function main(): Promise<void> {
  const { config } = childInput<RelevanceConfig>();
  const archive = openArchive(config.dataDir, BLOG_URL);
  try {
    const result = judge((query) => archive.search(query, { limit: 10 }), seedPostIds(connectionOf(archive.store)));
    writeResult(config.resultFile, result);
  } finally {
    archive.close();
  }
}

if (isMain(import.meta.url)) runMain(main);
