// The weekly round-up: when a server's is due (its chosen weekday, at the daily
// digest's local time and zone) and what it holds for a week. A round-up posted
// on a day covers the seven local days before it; `/digest week:` previews the
// seven days from the date given. Pure: the caller says what time it is and
// supplies the week's posts, comments, petition readings and news.
import { DateTime } from 'luxon';
import { postLink } from '../archive/links.js';
import type { Passage, Post } from '../archive/model.js';
import { shortenAtWord } from '../search/excerpt.js';
import { type DigestSetting, dueDigest } from './schedule.js';

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export function isWeekday(value: string): value is Weekday {
  return (WEEKDAYS as readonly string[]).includes(value);
}

/** "monday" → "Monday". */
export function weekdayName(day: Weekday): string {
  return day[0]!.toUpperCase() + day.slice(1);
}

/** The weekday of a local date (YYYY-MM-DD). */
export function weekdayOf(localDate: string): Weekday {
  return WEEKDAYS[DateTime.fromISO(localDate, { zone: 'utc' }).weekday - 1]!;
}

/** `localDate` moved by `days` (calendar days: no clock involved). */
export function plusDays(localDate: string, days: number): string {
  return DateTime.fromISO(localDate, { zone: 'utc' }).plus({ days }).toISODate()!;
}

/** A week of local dates: `from` its first day, `last` its seventh, `to` the day after (exclusive). */
export interface Week {
  from: string;
  last: string;
  to: string;
}

export function weekFrom(from: string): Week {
  return { from, last: plusDays(from, 6), to: plusDays(from, 7) };
}

/** The instants a week of local dates begins and ends in `zone` (midnight to midnight, whatever the clocks do). */
export function weekInstants(week: Week, zone: string): { from: Date; to: Date } {
  const midnight = (date: string) => DateTime.fromISO(date, { zone }).startOf('day').toJSDate();
  return { from: midnight(week.from), to: midnight(week.to) };
}

/**
 * The round-up due now, or null: on the chosen weekday (in the server's zone) once the digest's local time has
 * passed, as the daily digest is (a skipped or repeated local time handled the same way). Keyed by the local date
 * it is posted on, so it goes out once; it covers the seven days before that date. After downtime only the day's
 * own round-up is sent, never an earlier week's.
 */
export function dueWeekly(
  setting: DigestSetting & { weekday: Weekday },
  now: Date,
): { localDate: string; week: Week; dueAt: Date } | null {
  const due = dueDigest(setting, now);
  if (!due || weekdayOf(due.localDate) !== setting.weekday) return null;
  return { localDate: due.localDate, week: weekFrom(plusDays(due.localDate, -7)), dueAt: due.dueAt };
}

/** A post of the week, credited and linked. */
export interface RoundUpPost {
  postId: string;
  title: string;
  author: string | null;
  date: string | null;
  url: string;
  excerpt: string;
}

/** A post the week's new comments were on, and how many. */
export interface DiscussedPost {
  postId: string;
  title: string;
  author: string | null;
  date: string | null;
  url: string;
  newComments: number;
}

/** The petition's week: the signatures when it began and ended (by the readings stored), the change. */
export interface PetitionWeek {
  title: string;
  url: string;
  /** Signatures by the last reading before the week began; null when the first reading came later. */
  atStart: number | null;
  atEnd: number;
}

export interface RoundUpNews {
  title: string;
  link: string | null;
  published: string | null;
}

export interface WeeklyRoundUp {
  week: Week;
  posts: RoundUpPost[];
  /** New posts not listed, for "…and N more". */
  morePosts: number;
  discussed: DiscussedPost[];
  petition: PetitionWeek | null;
  napo: RoundUpNews[];
}

/** What a round-up lists at most: it is read in a channel, and one embed holds it. */
export const ROUND_UP_POSTS = 8;
export const ROUND_UP_DISCUSSED = 5;
export const ROUND_UP_NEWS = 5;
const OPENING = 140;

/** The week's posts as stored (oldest first) and its comments (each with its post), what is hidden left out. */
export interface ArchiveWeekMaterial {
  posts: readonly { post: Post; opening: Passage | null }[];
  comments: readonly { commentId: string; author: string | null; post: Post }[];
}

/** The archive's part of a round-up. */
export type ArchiveRoundUp = Pick<WeeklyRoundUp, 'week' | 'posts' | 'morePosts' | 'discussed'>;

/** The campaign's part of a round-up. */
export type CampaignRoundUp = Pick<WeeklyRoundUp, 'petition' | 'napo'>;

/** The archive's part of a week's round-up: its first posts with short openings, the posts most commented on. */
export function archiveRoundUp(week: Week, material: ArchiveWeekMaterial, blogUrl: string): ArchiveRoundUp {
  const posts = material.posts.map(({ post, opening }) => ({
    postId: post.id,
    title: post.title,
    author: opening?.author ?? post.author,
    date: post.date,
    url: postLink(post, blogUrl),
    excerpt: shortenAtWord(opening?.text ?? post.text, OPENING),
  }));
  const counts = new Map<string, { post: Post; n: number }>();
  for (const c of material.comments) {
    const seen = counts.get(c.post.id);
    if (seen) seen.n++;
    else counts.set(c.post.id, { post: c.post, n: 1 });
  }
  const discussed = [...counts.values()]
    // Most comments first; of two as discussed, the newer post; then by id, so the order never wobbles.
    .sort(
      (a, b) => b.n - a.n || (b.post.date ?? '').localeCompare(a.post.date ?? '') || a.post.id.localeCompare(b.post.id),
    )
    .slice(0, ROUND_UP_DISCUSSED)
    .map(({ post, n }) => ({
      postId: post.id,
      title: post.title,
      author: post.author,
      date: post.date,
      url: postLink(post, blogUrl),
      newComments: n,
    }));
  return {
    week,
    posts: posts.slice(0, ROUND_UP_POSTS),
    morePosts: Math.max(0, posts.length - ROUND_UP_POSTS),
    discussed,
  };
}

/** The petition's week from the readings before it began and before it ended; null when none was taken by its end. */
export function petitionWeek(
  atStart: { title: string; url: string; signatureCount: number } | null,
  atEnd: { title: string; url: string; signatureCount: number; takenAt: string } | null,
  weekBegan: Date,
): PetitionWeek | null {
  // No reading in the week: what it stood at before says nothing about this week.
  if (!atEnd || Date.parse(atEnd.takenAt) < weekBegan.getTime()) return null;
  return { title: atEnd.title, url: atEnd.url, atStart: atStart?.signatureCount ?? null, atEnd: atEnd.signatureCount };
}

/** A whole round-up, its news cut to what a channel reads. */
export function weeklyRoundUp(archive: ArchiveRoundUp, campaign: CampaignRoundUp): WeeklyRoundUp {
  return { ...archive, petition: campaign.petition, napo: campaign.napo.slice(0, ROUND_UP_NEWS) };
}
