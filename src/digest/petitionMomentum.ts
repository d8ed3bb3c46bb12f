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
