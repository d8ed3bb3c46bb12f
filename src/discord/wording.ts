// Plain wording both renderers share (a month and day, a search's filters, the
// last sync): no Markdown and no discord.js, so the terminal views use it too.
import { ago } from '../digest/ago.js';
import { stateWords } from '../digest/petition.js';
import type { PetitionWeek, Week } from '../digest/weekly.js';
import type { ArchiveStats } from '../store/archive.js';
import type { SearchFilters } from './sessions.js';

/** January … December, for dates written out. */
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** `11-23` → `23 November`. */
export function formatMonthDay(monthDay: string): string {
  const [m, d] = monthDay.split('-').map(Number) as [number, number];
  return `${d} ${MONTH_NAMES[m - 1] ?? '?'}`;
}

const LONDON_DAY = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'Europe/London',
});
const UTC_DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** "3 May 2024": a bare YYYY-MM-DD as written, a timestamp on the UK day it fell (the petition and Napo are UK bodies). */
export function formatDay(isoOrDate: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(isoOrDate)) return UTC_DAY.format(new Date(`${isoOrDate}T00:00:00Z`));
  const ms = isoMoment(isoOrDate);
  return Number.isNaN(ms) ? isoOrDate : LONDON_DAY.format(ms);
}

/**
 * The instant of an ISO 8601 date and time, else NaN. Only ISO is read: `Date.parse` alone takes "sometime in 2019"
 * as 1 January, a day the text never gave (what is stored is ISO; anything else is shown as it came).
 */
function isoMoment(text: string): number {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
}

const LONDON_TIME = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'Europe/London',
});

/** "1 Feb 2025, 08:00": a moment on the UK clock. */
export function formatDayTime(iso: string): string {
  const ms = isoMoment(iso);
  return Number.isNaN(ms) ? iso : `${LONDON_DAY.format(ms)}, ${LONDON_TIME.format(ms)}`;
}

/** A date as members read it (`23 Nov 2023`); null → `date unknown`. */
export function formatDate(date: string | null): string {
  return date ? formatDay(date) : 'date unknown';
}

/** What an "on this day" answer is about: the day, the asked date when it has posts of its own year, or the nearest day. */
export function onThisDayHeading(result: {
  date: string;
  day: string;
  exact: boolean;
  items: { year: number }[];
}): string {
  const day = formatMonthDay(result.date.slice(5));
  if (!result.exact) return `Nothing on ${day}: the nearest day with posts is ${formatMonthDay(result.day)}`;
  // The asked year's own posts are not an "earlier year".
  const askedYear = Number(result.date.slice(0, 4));
  if (result.items.some((i) => i.year === askedYear)) return `${formatDay(result.date)}, and this day in earlier years`;
  return `On this day: ${day}`;
}

/** When and what a hit is: "3 Jul 2022 · post", "28 Oct 2022 · comment", and for a comment known only by its post, "comment on the post of 3 Jul 2022". */
export function whenAndWhat(hit: { kind: 'post' | 'comment'; date: string | null; dateIsPosts: boolean }): string {
  return hit.dateIsPosts
    ? `${hit.kind} on the post of ${formatDate(hit.date)}`
    : `${formatDate(hit.date)} · ${hit.kind}`;
}

/** When a quote was written, for its credit line: its date, or for a comment known only by its post "on the post of 3 Jul 2022". */
export function whenWritten(quote: { date: string | null; dateIsPosts: boolean }): string {
  return quote.dateIsPosts ? `on the post of ${formatDate(quote.date)}` : formatDate(quote.date);
}

/** A petition's state as the petition site's readers would say it. */
export function petitionState(state: string): string {
  return stateWords(state);
}

/** `by Jim, 2020–2022, comments only`; empty when nothing narrows the search. */
export function describeFilters(filters: SearchFilters): string {
  const parts: string[] = [];
  if (filters.author) parts.push(`by ${filters.author}`);
  if (filters.from !== null && filters.to !== null)
    parts.push(filters.from === filters.to ? `in ${filters.from}` : `${filters.from}–${filters.to}`);
  else if (filters.from !== null) parts.push(`from ${filters.from}`);
  else if (filters.to !== null) parts.push(`up to ${filters.to}`);
  if (filters.in !== 'all') parts.push(`${filters.in} only`);
  if (filters.order === 'newest' || filters.order === 'oldest') parts.push(`${filters.order} first`);
  return parts.join(', ');
}

/** What /stats answers: the archive's counts, as of now. */
export type StatsView = ArchiveStats & {
  lastSync: string | null;
  now: Date;
  /** Takedowns in force (the operator's `cli hide`). */
  hidden?: { posts: number; comments: number; authors: number };
};

/** "Taken out on request: 1 post, 2 comments." when anything is hidden, else nothing. */
function hiddenLine(hidden: StatsView['hidden']): string {
  if (!hidden) return '';
  const parts = [
    [hidden.posts, 'post', 'posts'],
    [hidden.comments, 'comment', 'comments'],
    [hidden.authors, "author's writing", "authors' writing"],
  ] as const;
  const said = parts.filter(([n]) => n > 0).map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
  return said.length > 0 ? ` Taken out on request: ${said.join(', ')}.` : '';
}

/** "Deleted on the blog since it was archived: 1 post, 3 comments." when the reconciliation found any. */
function deletedLine(s: Pick<StatsView, 'deletedPosts' | 'deletedComments'>): string {
  const said = [
    [s.deletedPosts, 'post', 'posts'],
    [s.deletedComments, 'comment', 'comments'],
  ] as const;
  const parts = said
    .filter(([n]) => n > 0)
    .map(([n, one, many]) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`);
  return parts.length > 0 ? ` Deleted on the blog since archived, and not shown: ${parts.join(', ')}.` : '';
}

/** /stats for members, in two lines: "27 posts and 104 comments, from 2012 to 2024." and how fresh it is. */
export function statsLines(s: StatsView): [string, string] {
  const n = (x: number) => x.toLocaleString('en-GB');
  const years =
    s.firstDate && s.lastDate
      ? s.firstDate.slice(0, 4) === s.lastDate.slice(0, 4)
        ? `, from ${s.firstDate.slice(0, 4)}`
        : `, from ${s.firstDate.slice(0, 4)} to ${s.lastDate.slice(0, 4)}`
      : '';
  const sync = s.lastSync
    ? ago(s.lastSync, s.now)
    : s.posts > 0
      ? 'never: the archive was loaded from saved files'
      : 'never';
  const removed =
    s.removedComments > 0
      ? ` ${n(s.removedComments)} ${s.removedComments === 1 ? 'comment was' : 'comments were'} removed on the blog and ${s.removedComments === 1 ? 'is' : 'are'} not shown.`
      : '';
  return [
    `${n(s.posts)} posts and ${n(s.comments)} comments${years}.${hiddenLine(s.hidden)}${removed}${deletedLine(s)}`,
    sync,
  ];
}

/** When a comment was written: "3 Jul 2022, 14:05", the day alone when the time is unknown. */
export function commentWhen(c: { date: string | null; time: string | null }): string {
  return c.date && c.time ? `${formatDay(c.date)}, ${c.time}` : formatDate(c.date);
}

/** What a thread answer shows, under the post's title: the post's date and which comments, in which order. */
export function threadHeading(view: {
  postDate: string | null;
  focus: string | null;
  neighbours: boolean;
  comments: readonly unknown[];
}): string {
  const posted = view.postDate ? `Posted ${formatDay(view.postDate)}` : 'Post date unknown';
  if (view.focus === null) {
    const n = view.comments.length;
    return `${posted} · ${n === 0 ? 'no comments' : `${n} ${n === 1 ? 'comment' : 'comments'}, oldest first`}`;
  }
  return view.neighbours
    ? `${posted} · this post's comments carry no reply links, so the comments around this one are shown, in order`
    : `${posted} · the comment, what it replies to and the replies to it, in date order`;
}

/** How a comment shown in context stands to the one asked about. */
export function roleLabel(role: 'parent' | 'this' | 'reply' | 'around' | null): string | null {
  return role === 'parent' ? 'Replied to' : role === 'this' ? 'This comment' : role === 'reply' ? 'Reply' : null;
}

/** The line standing for a comment not shown. */
export function removedText(why: 'hidden' | 'deleted'): string {
  return why === 'hidden' ? 'A comment removed from the archive.' : 'A comment deleted on the blog.';
}

/** `The week on the blog: 20 Nov 2023 to 26 Nov 2023`: the days a round-up covers. */
export function roundUpHeading(week: Week): string {
  return `The week on the blog: ${formatDay(week.from)} to ${formatDay(week.last)}`;
}

/** `Petition: 12,345 signatures (+678 this week)`, or without the change when the week began before any reading. */
export function petitionWeekLine(p: PetitionWeek): string {
  const gained = p.atStart === null ? '' : ` (${signedCount(p.atEnd - p.atStart)} this week)`;
  return `${COUNT.format(p.atEnd)} signatures${gained}`;
}

const COUNT = new Intl.NumberFormat('en-GB');

function signedCount(n: number): string {
  return n >= 0 ? `+${COUNT.format(n)}` : `−${COUNT.format(-n)}`;
}

/** `3 new comments`. */
export function newComments(n: number): string {
  return `${n} new comment${n === 1 ? '' : 's'}`;
}
