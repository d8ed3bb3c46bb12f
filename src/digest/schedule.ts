// When a server's daily digest is due: its chosen local time in its own zone,
// turned into instants. Pure: the caller says what time it is.
import { DateTime, IANAZone } from 'luxon';

/** A server's choice: local time "HH:MM" and an IANA zone. */
export interface DigestSetting {
  time: string;
  zone: string;
}

export const DEFAULT_DIGEST_SETTING: DigestSetting = { time: '08:00', zone: 'Europe/London' };

const TIME = /^(\d{1,2}):(\d{2})$/;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** "8:05" and "08:05" → "08:05"; null when it is not a time of day 00:00–23:59. */
export function normaliseTime(time: string): string | null {
  const match = TIME.exec(time.trim());
  if (!match) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  if (hour > 23 || minute > 59) return null;
  return `${String(hour).padStart(2, '0')}:${match[2]}`;
}

/** What is wrong with a setting, as one line (both problems when both are wrong), or null when it is fine. */
export function settingProblem(setting: { time: string; zone: string }): string | null {
  const problems: string[] = [];
  if (normaliseTime(setting.time) === null) {
    problems.push(`time "${setting.time}" is not a time of day: expected HH:MM from 00:00 to 23:59, e.g. 08:00`);
  }
  if (!IANAZone.isValidZone(setting.zone)) {
    problems.push(`zone "${setting.zone}" is not a time zone: expected an IANA name, e.g. Europe/London`);
  }
  return problems.length ? problems.join('; ') : null;
}

/**
 * The instant the digest of `localDate` (YYYY-MM-DD) is due.
 *
 * A time skipped by a spring-forward change is moved on by the length of the
 * gap, as luxon does: 01:30 in London on 2025-03-30 is due at 02:30 BST
 * (01:30 UTC), which is the instant "01:30" would have been had the clocks not
 * changed. A time that happens twice on a fall-back day is due at its first
 * occurrence: 01:30 in London on 2025-10-26 is 01:30 BST (00:30 UTC).
 *
 * Throws on a bad setting or date: settings are checked with `settingProblem`
 * when saved, so one reaching here is a bug.
 */
export function digestInstant(setting: DigestSetting, localDate: string): Date {
  const problem = settingProblem(setting);
  if (problem) throw new Error(`digest setting: ${problem}`);
  const notADate = new Error(`digest date "${localDate}" is not a date: expected YYYY-MM-DD`);
  if (!LOCAL_DATE.test(localDate)) throw notADate;
  const [hour, minute] = normaliseTime(setting.time)!.split(':').map(Number) as [number, number];
  const [year, month, day] = localDate.split('-').map(Number) as [number, number, number];
  const local = DateTime.fromObject({ year, month, day, hour, minute }, { zone: setting.zone });
  if (!local.isValid) throw notADate;
  // fromObject alone resolves a repeated time by the offset in force at the
  // real clock's "now", so the answer would change with the season the bot
  // runs in; asking for both occurrences and taking the earlier does not.
  const earliest = local.getPossibleOffsets().reduce((a, b) => (b.toMillis() < a.toMillis() ? b : a), local);
  return earliest.toJSDate();
}

/** The local date (YYYY-MM-DD) in `zone` at instant `now`. */
export function localDateAt(zone: string, now: Date): string {
  const local = DateTime.fromJSDate(now, { zone });
  if (!local.isValid)
    throw new Error(
      `cannot read ${now.toString()} in zone "${zone}": ${local.invalidExplanation ?? local.invalidReason}`,
    );
  return local.toISODate();
}

/**
 * Today's digest (today in the server's zone) once its instant has passed,
 * else null. Only today's: after downtime the missed days are not
 * back-filled, so a server gets at most one catch-up post, never a flood.
 * The key is the local date, so a repeated local time is due once.
 */
export function dueDigest(setting: DigestSetting, now: Date): { localDate: string; dueAt: Date } | null {
  const localDate = localDateAt(setting.zone, now);
  const dueAt = digestInstant(setting, localDate);
  return now.getTime() >= dueAt.getTime() ? { localDate, dueAt } : null;
}

/** The next instant strictly after `now` at which a digest becomes due: today's if still ahead, else tomorrow's. */
export function nextDigestInstant(setting: DigestSetting, now: Date): Date {
  let localDate = localDateAt(setting.zone, now);
  // Two days always suffice; the third is a guard against a zone whose
  // change moves a time across midnight.
  for (let day = 0; day < 3; day++) {
    const at = digestInstant(setting, localDate);
    if (at.getTime() > now.getTime()) return at;
    localDate = DateTime.fromISO(localDate, { zone: 'utc' }).plus({ days: 1 }).toISODate()!;
  }
  throw new Error(`no digest instant after ${now.toISOString()} for ${setting.time} ${setting.zone}`);
}
