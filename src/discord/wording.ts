// Plain wording both renderers share (a month and day, a search's filters, the
// last sync): no Markdown and no discord.js, so the terminal views use it too.
import type { SearchFilters } from './sessions.js';

const MONTH_NAMES = [
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

/** `2023-11-23` → `23 Nov 2023`, as members read dates; null → `date unknown`. */
export function formatDate(date: string | null): string {
  if (!date || !/^\d{4}-\d{2}-\d{2}/.test(date)) return 'date unknown';
  const [y, m, d] = date.slice(0, 10).split('-').map(Number) as [number, number, number];
  return `${d} ${(MONTH_NAMES[m - 1] ?? '?').slice(0, 3)} ${y}`;
}

/** A petition's state as the petition site's readers would say it. */
export function petitionState(state: string): string {
  const words: Record<string, string> = {
    open: 'open for signatures',
    closed: 'closed',
    rejected: 'rejected',
    hidden: 'hidden by the petitions committee',
    pending: 'waiting for moderation',
    validated: 'waiting for moderation',
    sponsored: 'waiting for moderation',
  };
  return words[state] ?? state;
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
  return parts.join(', ');
}

/** When the archive last synced with the blog, to the minute. */
export function lastSyncText(at: string | null): string {
  return at ? `${at.slice(0, 16).replace('T', ' ')} UTC` : 'never (the archive comes from files)';
}
