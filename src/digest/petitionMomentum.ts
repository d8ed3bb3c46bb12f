// How fast the petition is gaining signatures, and when it would reach its
// next threshold at that pace. Pure: the snapshots and the time come in.
import { inModeration, type PetitionSnapshot, type ThresholdProgress } from './petition.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface Momentum {
  /** Signatures gained a day, on average, over the window measured. */
  perDay: number;
  /** ISO time of the earlier snapshot the pace is measured from. */
  since: string;
  /** Days between that snapshot and the latest (fractional). */
  days: number;
  /** When the next threshold not yet reached would be, at this pace; null when none is left or the pace is not rising. */
  projection: { target: number; at: string } | null;
}

/**
 * The pace over the last `windowDays` (default 7) before the latest
 * snapshot: from the oldest snapshot in that window, which must be at least
 * 12 hours older than the latest (a shorter span says more about the hour
 * than about the petition). Null without one, or for a petition not open.
 */
export function petitionMomentum(
  latest: PetitionSnapshot,
  earlier: readonly PetitionSnapshot[],
  thresholds: readonly ThresholdProgress[],
  windowDays = 7,
): Momentum | null {
  if (latest.state !== 'open' || inModeration(latest.state)) return null;
  const latestMs = Date.parse(latest.takenAt);
  let base: PetitionSnapshot | null = null;
  for (const s of earlier) {
    const at = Date.parse(s.takenAt);
    if (at < latestMs - windowDays * DAY || at > latestMs - 12 * HOUR) continue;
    if (!base || at < Date.parse(base.takenAt)) base = s;
  }
  if (!base) return null;
  const days = (latestMs - Date.parse(base.takenAt)) / DAY;
  const perDay = (latest.signatureCount - base.signatureCount) / days;
  const next = thresholds.find((t) => !t.reached);
  const projection =
    next && perDay > 0
      ? { target: next.target, at: new Date(latestMs + (next.toGo / perDay) * DAY).toISOString() }
      : null;
  return { perDay, since: base.takenAt, days, projection };
}

/** How long the petition has left, or when it closed. */
export type PetitionClosing =
  /** Open: the last day it can be signed (YYYY-MM-DD, London) and whole days from today to it (0: it closes today). */
  | { closed: false; closesOn: string; daysLeft: number }
  /** Closed: the day it closed (YYYY-MM-DD, London). */
  | { closed: true; closedOn: string };

/** Petitions stay open six months: they close at the end of the London day six months after they opened. */
const OPEN_MONTHS = 6;
const LONDON_DATE = new Intl.DateTimeFormat('en-CA', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  timeZone: 'Europe/London',
});

/** The London calendar day (YYYY-MM-DD) of an instant. */
export function londonDay(ms: number): string {
  return LONDON_DATE.format(ms);
}

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / (24 * HOUR);

/** `day` (YYYY-MM-DD) plus `months`, the day kept within the month (31 Aug + 6 months: 28 or 29 Feb). */
function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

/**
 * The days left before the petition closes, from its JSON: `closed_at` once it
 * has closed (or when the site gives the closing time ahead), else six months
 * from `opened_at`, the site's rule. Null for a petition not open and not
 * closed (in moderation, rejected), one whose dates the JSON does not give, and
 * one still shown open after its closing day.
 */
export function petitionClosing(latest: PetitionSnapshot, now: Date): PetitionClosing | null {
  const closedMs = latest.closedAt ? Date.parse(latest.closedAt) : Number.NaN;
  if (latest.state === 'closed') return Number.isNaN(closedMs) ? null : { closed: true, closedOn: londonDay(closedMs) };
  if (latest.state !== 'open') return null;
  let closesOn: string;
  if (!Number.isNaN(closedMs)) closesOn = londonDay(closedMs);
  else if (latest.openedAt && !Number.isNaN(Date.parse(latest.openedAt)))
    closesOn = addMonths(londonDay(Date.parse(latest.openedAt)), OPEN_MONTHS);
  else return null;
  const daysLeft = dayNumber(closesOn) - dayNumber(londonDay(now.getTime()));
  // Still open past its closing day (figures from before it closed, or the site behind): no count to give.
  return daysLeft < 0 ? null : { closed: false, closesOn, daysLeft };
}
