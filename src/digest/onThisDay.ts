// "On this day": which posts to show for a date. Pure: the caller supplies the
// posts of a day and the days that have any, and says what today is.
import { postLink } from '../archive/links.js';
import type { Passage, Post } from '../archive/model.js';
import { shortenAtWord } from '../search/excerpt.js';

export interface OnThisDayItem {
  /** The post the item is from (what a takedown of it, or of its author, finds the digest by). */
  postId: string;
  author: string | null;
  year: number;
  postTitle: string;
  postUrl: string;
  excerpt: string;
}

export interface OnThisDay {
  /** The date asked about, YYYY-MM-DD. */
  date: string;
  /** The month-day (MM-DD) the items are from: the date's own, or the nearest one with posts. */
  day: string;
  /** False when the date itself had nothing and the items come from the nearest day that has. */
  exact: boolean;
  items: OnThisDayItem[];
}

const EXCERPT_LENGTH = 280;

/** Day of a leap year (1–366) for MM-DD, so 29 February has a place. */
function dayOfYear(monthDay: string): number {
  const [m, d] = monthDay.split('-').map(Number) as [number, number];
  return (Date.UTC(2024, m - 1, d) - Date.UTC(2024, 0, 1)) / 86_400_000 + 1;
}

/** How far `day` is from `target` going round the year's end, and whether it comes before it. */
function distanceFrom(t: number, day: string): { distance: number; before: boolean } {
  const ahead = (((dayOfYear(day) - t) % 366) + 366) % 366;
  const signed = ahead > 183 ? ahead - 366 : ahead;
  return { distance: Math.abs(signed), before: signed < 0 };
}

/** `days` nearest to `target` first (going round the year's end); of two as near, the earlier one first. */
export function daysByNearness(target: string, days: readonly string[]): string[] {
  const t = dayOfYear(target);
  return days
    .map((day) => ({ day, ...distanceFrom(t, day) }))
    .sort((a, b) => a.distance - b.distance || Number(b.before) - Number(a.before))
    .map((d) => d.day);
}

/** The month-day nearest to `target` (going round the year's end); on a tie, the earlier one. */
export function nearestDay(target: string, days: readonly string[]): string | null {
  return daysByNearness(target, days)[0] ?? null;
}

/** Items for a date: posts from that month-day in its own and earlier years, newest first. */
export function onThisDay(
  date: string,
  postsOn: (monthDay: string) => { post: Post; opening: Passage | null }[],
  daysWithPosts: readonly string[],
  blogUrl: string,
): OnThisDay {
  const year = Number(date.slice(0, 4));
  const wanted = date.slice(5);
  const usable = (day: string) =>
    postsOn(day).filter(({ post }) => post.date !== null && Number(post.date.slice(0, 4)) <= year);
  let day = wanted;
  let found = usable(day);
  if (found.length === 0) {
    // Nearest first, stopping at the first day with a post old enough: not every day of the year read each time.
    for (const candidate of daysByNearness(
      wanted,
      daysWithPosts.filter((d) => d !== wanted),
    )) {
      found = usable(candidate);
      if (found.length > 0) {
        day = candidate;
        break;
      }
    }
  }
  return {
    date,
    day,
    exact: day === wanted,
    items: found.map(({ post, opening }) => ({
      postId: post.id,
      author: opening?.author ?? post.author,
      year: Number(post.date!.slice(0, 4)),
      postTitle: post.title,
      postUrl: postLink(post, blogUrl),
      excerpt: shortenAtWord(opening?.text ?? post.text, EXCERPT_LENGTH),
    })),
  };
}

/** A daily digest: the first few of the day's items with short openings, and how many more there are. */
export interface Digest extends OnThisDay {
  /** Items of the day not shown (older years), for "…and N more". */
  more: number;
}

/** Items a daily digest shows, at most, and the length of their openings: it is read in a channel, between conversations. */
const DIGEST_ITEMS = 5;
const DIGEST_OPENING = 160;

export function dailyDigest(day: OnThisDay): Digest {
  const items = day.items
    .slice(0, DIGEST_ITEMS)
    .map((item) => ({ ...item, excerpt: shortenAtWord(item.excerpt, DIGEST_OPENING) }));
  return { ...day, items, more: day.items.length - items.length };
}
