// Plain-text renderings for the terminal (CLI without --json, console mode).
import type { OnThisDay } from './digest/onThisDay.js';
import type { SearchHit } from './search/search.js';
import type { ArchiveStats } from './store/archive.js';

export function searchText(query: string, hits: readonly SearchHit[]): string {
  if (hits.length === 0) return `No passages match "${query}". Try fewer or more general words.`;
  return hits
    .map((h, i) => {
      const who = h.author ? ` — ${h.author}` : '';
      const what = h.kind === 'comment' ? 'comment on ' : '';
      return `${i + 1}. ${what}${h.postTitle} (${h.date ?? 'undated'})${who}\n   ${h.excerpt}\n   ${h.url ?? ''}`.trimEnd();
    })
    .join('\n\n');
}

export function onThisDayText(result: OnThisDay): string {
  if (result.items.length === 0) return `Nothing in the archive on or near ${result.date}.`;
  const heading = result.exact
    ? `On this day (${result.date.slice(5)}):`
    : `Nothing on ${result.date.slice(5)}; the nearest day with posts is ${result.day}:`;
  return [heading, ...result.items.map((i) => `${i.year}: ${i.postTitle} — ${i.postUrl}\n      ${i.excerpt}`)].join('\n');
}

export function statsText(stats: ArchiveStats & { indexBytes: number | null }): string {
  const years = stats.firstDate && stats.lastDate ? `${stats.firstDate} to ${stats.lastDate}` : 'no dated posts';
  const undated = stats.undatedPosts ? ` (${stats.undatedPosts} undated)` : '';
  const index = stats.indexBytes === null ? 'not built yet' : `${(stats.indexBytes / 1024).toFixed(0)} KB`;
  return `${stats.posts} posts${undated}, ${stats.comments} comments, ${stats.passages} passages; ${years}; index ${index}`;
}
