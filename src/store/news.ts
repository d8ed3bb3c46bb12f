// Napo news in the store: feed items kept once each (by the feed's own id),
// and what `/napo` shows — the stored feed items, or the archive's own
// "Latest From Napo NNN" posts when no feed is set or none has been read.
import type { NewsItem } from '../archive/newsFeed.js';
import { oneLine, shorten, SUMMARY_CHARS } from '../archive/text.js';
import type { Db } from './db.js';
import { guarded, prepared } from './statements.js';

export interface NewsCounts {
  added: number;
  /** Items already stored whose title, link, date or summary the feed has since changed. */
  updated: number;
  skipped: number;
}

export interface StoredNewsItem extends NewsItem {
  firstSeen: string;
}

/** Napo news as shown to members, saying where it came from. */
export interface NapoNewsItem extends NewsItem {
  /** `feed`: read from NAPO_FEED_URL; `archive`: a "Latest From Napo" post of the blog (`published` is then its date, YYYY-MM-DD). */
  from: 'feed' | 'archive';
}

/** Titles of the blog's posts that republish Napo's mail-outs. */
const NAPO_POST_TITLE = /^Latest From Napo\b/i;

/**
 * Store feed items, each once. An item seen again is left alone when nothing
 * changed and updated in place when the union corrected it (a fixed title,
 * a new summary), keeping when it was first seen.
 */
export function storeNewsItems(db: Db, items: readonly NewsItem[], now: string): NewsCounts {
  const find = prepared<Pick<NewsItem, 'title' | 'link' | 'published' | 'summary'>>(
    db,
    'SELECT title, link, published, summary FROM news_items WHERE id = ?',
  );
  const insert = prepared(
    db,
    `INSERT INTO news_items (id, source, title, link, published, summary, first_seen)
     VALUES (@id, @source, @title, @link, @published, @summary, @now)`,
  );
  const update = prepared(
    db,
    'UPDATE news_items SET source = @source, title = @title, link = @link, published = @published, summary = @summary WHERE id = @id',
  );
  return db.transaction(() => {
    const counts: NewsCounts = { added: 0, updated: 0, skipped: 0 };
    for (const item of items) {
      const row = find.get(item.id);
      const values = {
        id: item.id,
        source: item.source,
        title: item.title,
        link: item.link,
        published: item.published,
        summary: item.summary,
      };
      if (!row) {
        insert.run({ ...values, now });
        counts.added++;
      } else if (
        row.title !== item.title ||
        row.link !== item.link ||
        row.published !== item.published ||
        row.summary !== item.summary
      ) {
        update.run(values);
        counts.updated++;
      } else {
        counts.skipped++;
      }
    }
    return counts;
  })();
}

/** Stored feed items, newest first (an item without a date counts from when it was first seen). */
export function latestNews(db: Db, limit: number): StoredNewsItem[] {
  const rows = prepared<Omit<StoredNewsItem, 'summary'> & { summary: string | null }>(
    db,
    `SELECT id, source, title, link, published, summary, first_seen AS firstSeen FROM news_items
     ORDER BY coalesce(published, first_seen) DESC, first_seen DESC, id LIMIT ?`,
  ).all(limit);
  return rows.map((r) => ({ ...r, summary: r.summary ?? '' }));
}

/**
 * What `/napo` shows: the stored feed items when a feed is configured and has
 * been read; otherwise (no feed, or it has never been reachable) the blog's
 * own "Latest From Napo NNN" posts, newest first.
 */
export function napoNews(db: Db, options: { feedConfigured: boolean; limit: number }): NapoNewsItem[] {
  if (options.feedConfigured) {
    const stored = latestNews(db, options.limit);
    if (stored.length > 0) return stored.map(({ firstSeen: _, ...item }) => ({ ...item, from: 'feed' }));
  }
  // LIKE narrows the scan (case-insensitive for ASCII); the pattern then insists on a whole word.
  const rows = prepared<{ id: string; title: string; date: string | null; url: string | null; text: string }>(
    db,
    `SELECT id, title, date, url, text FROM posts WHERE title LIKE 'Latest From Napo%'
     ORDER BY date IS NULL, date DESC, time DESC, title DESC`,
  ).all();
  return rows
    .filter((r) => NAPO_POST_TITLE.test(r.title))
    .slice(0, options.limit)
    .map(napoPostItem);
}

/**
 * Napo news of a week, oldest first: the feed's items published (or, undated, first seen) from `fromIso` up to,
 * not including, `toIso`, and the blog's own "Latest From Napo NNN" posts dated in those days (`fromDate`, `toDate`).
 */
function newsBetween(
  db: Db,
  range: { fromIso: string; toIso: string; fromDate: string; toDate: string },
): NapoNewsItem[] {
  const feed = prepared<Omit<StoredNewsItem, 'summary'> & { summary: string | null }>(
    db,
    `SELECT id, source, title, link, published, summary, first_seen AS firstSeen FROM news_items
     WHERE coalesce(published, first_seen) >= ? AND coalesce(published, first_seen) < ?
     ORDER BY coalesce(published, first_seen), id`,
  ).all(range.fromIso, range.toIso);
  const posts = prepared<{ id: string; title: string; date: string | null; url: string | null; text: string }>(
    db,
    `SELECT id, title, date, url, text FROM posts WHERE title LIKE 'Latest From Napo%' AND date >= ? AND date < ?
     ORDER BY date, time, id`,
  ).all(range.fromDate, range.toDate);
  return [
    ...feed.map(({ firstSeen: _, ...item }) => ({ ...item, summary: item.summary ?? '', from: 'feed' as const })),
    ...posts.filter((r) => NAPO_POST_TITLE.test(r.title)).map(napoPostItem),
  ];
}

/** A stored feed item not yet queued as an announcement. */
export interface UnannouncedNews {
  id: string;
  title: string;
  link: string | null;
  summary: string | null;
}

/** Items of the feed `source` first seen after `from` and not yet announced, oldest first. */
function unannouncedNews(db: Db, from: string, source: string): UnannouncedNews[] {
  return prepared<UnannouncedNews>(
    db,
    `SELECT id, title, link, summary FROM news_items n WHERE first_seen > ? AND source = ?
       AND NOT EXISTS (SELECT 1 FROM announcements a WHERE a.kind = 'napo' AND a.key = n.id) ORDER BY first_seen, id`,
  ).all(from, source);
}

export interface NewsRepository {
  store(items: readonly NewsItem[], now: string): NewsCounts;
  latest(limit: number): StoredNewsItem[];
  napo(options: { feedConfigured: boolean; limit: number }): NapoNewsItem[];
  unannounced(from: string, source: string): UnannouncedNews[];
  /** The feed's items and the blog's Napo posts of a week, oldest first. */
  between(range: { fromIso: string; toIso: string; fromDate: string; toDate: string }): NapoNewsItem[];
}

export function newsRepository(db: Db): NewsRepository {
  return guarded(db, {
    store: (items: readonly NewsItem[], now: string) => storeNewsItems(db, items, now),
    latest: (limit: number) => latestNews(db, limit),
    napo: (options: { feedConfigured: boolean; limit: number }) => napoNews(db, options),
    unannounced: (from: string, source: string) => unannouncedNews(db, from, source),
    between: (range: { fromIso: string; toIso: string; fromDate: string; toDate: string }) => newsBetween(db, range),
  });
}

/** One of the blog's own "Latest From Napo" posts as a news item. */
function napoPostItem(r: { id: string; title: string; date: string | null; url: string | null; text: string }) {
  return {
    id: r.id,
    source: 'archive',
    title: r.title,
    link: r.url,
    published: r.date,
    summary: shorten(oneLine(r.text), SUMMARY_CHARS),
    from: 'archive' as const,
  };
}
