// The petition's signatures over time as a chart: the readings thinned to a
// line, the thresholds near it drawn as rules, UK dates, and the words that
// describe it to a member who cannot see it. Pure: the readings come in, a
// Vega-Lite spec and a sentence go out; rendering it is an edge's job.
import type { TopLevelSpec } from 'vega-lite';

/** One reading of the count, as stored. */
export interface SignatureReading {
  /** ISO time of the reading. */
  takenAt: string;
  signatureCount: number;
}

/** A threshold the site sets (10,000 a government response, 100,000 a debate), and when it was reached, if it was. */
export interface ChartThreshold {
  target: number;
  /** What it brings, in a few words ("government response"). */
  label: string;
  reachedAt: string | null;
}

/** The picture's size in pixels: fixed, so the same readings always make the same bytes. */
export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 400;
/** Discord reads at most this much of an attachment's description (its alt text). */
export const ALT_TEXT_LIMIT = 1024;
/** The font the chart is drawn in: shipped in a package, never the machine's own. */
export const CHART_FONT = 'Inter';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZONE = 'Europe/London';
/** A threshold is drawn when the count is at least this share of it, or past it. */
const NEAR = 0.5;

/**
 * The readings a chart draws, oldest first: the last of each hour over a week
 * or less, the last of each London day over a longer history (a year of
 * readings is ~1,000 rows), always with the newest.
 */
export function chartReadings(readings: readonly SignatureReading[]): SignatureReading[] {
  const sorted = [...readings].sort((a, b) => Date.parse(a.takenAt) - Date.parse(b.takenAt));
  const first = sorted[0];
  const last = sorted.at(-1);
  if (!first || !last) return [];
  const daily = Date.parse(last.takenAt) - Date.parse(first.takenAt) > 7 * DAY;
  const bucket = (r: SignatureReading) =>
    daily ? londonDay(r.takenAt) : new Date(Math.floor(Date.parse(r.takenAt) / HOUR) * HOUR).toISOString();
  const lastOf = new Map<string, SignatureReading>();
  for (const r of sorted) lastOf.set(bucket(r), r);
  return [...lastOf.values()];
}

/** Whether there is enough to draw: two readings at least an hour apart. */
export function chartable(readings: readonly SignatureReading[]): boolean {
  const points = chartReadings(readings);
  return points.length >= 2;
}

/** The thresholds worth drawing against this count: those passed, and those it is at least halfway to. */
export function thresholdsNear(latestCount: number, thresholds: readonly ChartThreshold[]): ChartThreshold[] {
  return thresholds.filter((t) => latestCount >= t.target * NEAR);
}

/**
 * The Vega-Lite spec of the chart: signatures (from zero) against London
 * dates, with the thresholds near the count as dashed rules, labelled. Times
 * are given as London wall-clock times on a UTC scale, so the labels read the
 * same on any machine, whatever its time zone.
 */
export function petitionChartSpec(
  readings: readonly SignatureReading[],
  thresholds: readonly ChartThreshold[],
): TopLevelSpec {
  const points = chartReadings(readings);
  const latest = points.at(-1)?.signatureCount ?? 0;
  const drawn = thresholdsNear(latest, thresholds);
  const spanMs = points.length > 1 ? Date.parse(points.at(-1)!.takenAt) - Date.parse(points[0]!.takenAt) : 0;
  const dateFormat = spanMs < 2 * DAY ? '%-d %b %H:%M' : spanMs > 300 * DAY ? '%b %Y' : '%-d %b';
  const top = Math.max(latest, ...drawn.map((t) => t.target), 10) * 1.08;
  return {
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    autosize: { type: 'fit', contains: 'padding' },
    padding: 16,
    background: '#ffffff',
    title: { text: 'Signatures over time', anchor: 'start', fontSize: 18, color: '#1f2933' },
    config: {
      font: CHART_FONT,
      view: { stroke: null },
      axis: {
        labelFontSize: 12,
        titleFontSize: 12,
        labelColor: '#3e4c59',
        titleColor: '#3e4c59',
        gridColor: '#e4e7eb',
      },
    },
    layer: [
      {
        data: { values: points.map((p) => ({ at: londonWallClockMs(p.takenAt), signatures: p.signatureCount })) },
        mark: {
          type: 'line',
          color: '#2f5f8a',
          strokeWidth: 3,
          point: points.length <= 31 ? { color: '#2f5f8a' } : false,
        },
        encoding: {
          x: {
            field: 'at',
            type: 'temporal',
            scale: { type: 'utc' },
            axis: { title: null, format: dateFormat, labelOverlap: true, tickCount: 6 },
          },
          y: {
            field: 'signatures',
            type: 'quantitative',
            scale: { domain: [0, top], nice: false },
            axis: { title: 'Signatures', format: ',d', tickCount: 5 },
          },
        },
      },
      {
        data: { values: drawn.map((t) => ({ target: t.target, label: `${count(t.target)}: ${t.label}` })) },
        layer: [
          {
            mark: { type: 'rule', color: '#c0392b', strokeDash: [8, 5], strokeWidth: 2 },
            encoding: { y: { field: 'target', type: 'quantitative' } },
          },
          {
            mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 4, dy: -4, color: '#c0392b', fontSize: 12 },
            encoding: {
              y: { field: 'target', type: 'quantitative' },
              x: { value: 0 },
              text: { field: 'label', type: 'nominal' },
            },
          },
        ],
      },
    ],
  };
}

/**
 * What the chart shows, in words (the attachment's alt text): the latest count
 * and its date, the count about a week earlier, and each threshold passed or still ahead.
 */
export function petitionChartAlt(readings: readonly SignatureReading[], thresholds: readonly ChartThreshold[]): string {
  const points = chartReadings(readings);
  const latest = points.at(-1);
  const first = points[0];
  if (!latest || !first) return 'Signatures over time: no readings yet.';
  const latestMs = Date.parse(latest.takenAt);
  const weekAgo = nearest(points, latestMs - 7 * DAY);
  const earlier =
    weekAgo && weekAgo !== latest && Math.abs(Date.parse(weekAgo.takenAt) - (latestMs - 7 * DAY)) <= DAY
      ? `, up from ${count(weekAgo.signatureCount)} a week earlier`
      : `, up from ${count(first.signatureCount)} on ${ukDate(first.takenAt)}`;
  const parts = [`Signatures over time: ${count(latest.signatureCount)} on ${ukDate(latest.takenAt)}${earlier}`];
  for (const t of thresholds) {
    if (latest.signatureCount >= t.target) {
      const when = t.reachedAt ?? points.find((p) => p.signatureCount >= t.target)?.takenAt ?? null;
      parts.push(`${count(t.target)} (${t.label}) passed${when ? ` on ${ukDate(when)}` : ''}`);
    } else {
      parts.push(`${count(t.target - latest.signatureCount)} to go to ${count(t.target)} (${t.label})`);
    }
  }
  const text = `${parts.join('; ')}.`;
  return text.length <= ALT_TEXT_LIMIT ? text : `${text.slice(0, ALT_TEXT_LIMIT - 1)}…`;
}

function nearest(points: readonly SignatureReading[], ms: number): SignatureReading | null {
  let best: SignatureReading | null = null;
  for (const p of points) {
    if (!best || Math.abs(Date.parse(p.takenAt) - ms) < Math.abs(Date.parse(best.takenAt) - ms)) best = p;
  }
  return best;
}

const count = (n: number) => n.toLocaleString('en-GB');

const UK_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: ZONE });
const ukDate = (iso: string) => UK_DATE.format(Date.parse(iso));

const LONDON_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** The London day (YYYY-MM-DD) of an instant. */
function londonDay(iso: string): string {
  const p = londonParts(iso);
  return `${p.year}-${p.month}-${p.day}`;
}

/** The London wall-clock time of an instant, as if it were UTC: a UTC scale then labels it in London time. */
function londonWallClockMs(iso: string): number {
  const p = londonParts(iso);
  return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
}

function londonParts(iso: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
  const parts = Object.fromEntries(LONDON_PARTS.formatToParts(Date.parse(iso)).map((p) => [p.type, p.value]));
  return {
    year: parts['year'] ?? '1970',
    month: parts['month'] ?? '01',
    day: parts['day'] ?? '01',
    hour: parts['hour'] ?? '00',
    minute: parts['minute'] ?? '00',
    second: parts['second'] ?? '00',
  };
}
