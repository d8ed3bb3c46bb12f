// Small text helpers shared by the parsers: whitespace, paragraphs, signatures,
// dates written out in English, and stable content hashes for ids.
import { createHash } from 'node:crypto';

export const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
] as const;

/** `3 July 2022` style (day, month name, year) to `2022-07-03`, or null when it is no real date. */
export function isoDate(day: string | number, monthName: string, year: string | number): string | null {
  const month = MONTHS.indexOf(monthName.toLowerCase() as (typeof MONTHS)[number]) + 1;
  const d = Number(day);
  const y = Number(year);
  if (month === 0 || !Number.isInteger(d) || !Number.isInteger(y)) return null;
  const probe = new Date(Date.UTC(y, month - 1, d));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** True for a real calendar date written YYYY-MM-DD (2023-02-30 is not). */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m !== null && isoDate(m[3]!, MONTHS[Number(m[2]) - 1] ?? '', m[1]!) === value;
}

/**
 * Characters that never belong in archive text: control characters that
 * are not white space (NUL, terminal escapes, C1), and the bidirectional
 * embedding, override and isolate controls (U+202A–U+202E,
 * U+2066–U+2069), which can make a quote in Discord read other than it is
 * ("gnp.exe" shown for "exe.png"). Right-to-left letters, the LRM/RLM marks
 * and emoji joiners are ordinary text and stay.
 */
const UNSAFE_CHARACTERS = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `text` without the characters in UNSAFE_CHARACTERS. */
export function withoutUnsafeCharacters(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, '');
}

/** Collapse runs of spaces and tabs, trim each line, and keep at most one blank line between paragraphs. */
export function tidyText(text: string): string {
  return withoutUnsafeCharacters(text)
    .replace(/\r\n?|\u2028/g, '\n')
    .replace(/\u2029/g, '\n\n')
    .replace(/[\u00a0\t\v\f\u2007\u202f]/g, ' ')
    .split('\n')
    .map((line) => line.replace(/ {2,}/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Paragraphs of tidy text (blank-line separated). */
export function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/** One line of plain text with single spaces, for excerpts, titles and hashing. */
export function oneLine(text: string): string {
  return withoutUnsafeCharacters(text).replace(/\s+/g, ' ').trim();
}

/** A title as two copies of one post both write it: case, punctuation and spacing aside. */
export function titleKey(title: string): string {
  return oneLine(title)
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Stable short id from the parts that identify a thing. */
export function stableId(prefix: string, ...parts: string[]): string {
  const hash = createHash('sha1').update(parts.join('\u0000')).digest('hex').slice(0, 16);
  return `${prefix}${hash}`;
}

const APOSTROPHE_SIGNATURE = /^['’‘]\s?([A-Z][\p{L}\d_-]{1,30})$/u;
const NAME_SIGNATURE = /^[-–—~]?\s?([A-Z][\p{Ll}'’-]+(?: (?:[A-Z]\.|[A-Z][\p{Ll}'’-]+)){1,2})$/u;

/**
 * The author a text signs itself with on its last line: `'Getafix` (the
 * blog's regulars sign with an apostrophe) or a bare name such as
 * `Matt Cracknell`. Null when the last line is not a signature.
 */
export function signatureOf(text: string): string | null {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const last = lines.at(-1);
  if (!last || lines.length < 2 || last.length > 40) return null;
  const apostrophe = APOSTROPHE_SIGNATURE.exec(last);
  if (apostrophe) return apostrophe[1] ?? null;
  const name = NAME_SIGNATURE.exec(last);
  return name ? (name[1] ?? null) : null;
}

/** True for a line that is only a signature such as `'Getafix`. */
export function isSignatureLine(line: string): boolean {
  return APOSTROPHE_SIGNATURE.test(line.trim());
}

/** A news item's summary: one line of at most about this many characters. */
export const SUMMARY_CHARS = 300;

/** At most `max` characters, cut at a word boundary with an ellipsis when cut. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  // A single very long "word" (a URL) is cut where it stands rather than dropped.
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
}
