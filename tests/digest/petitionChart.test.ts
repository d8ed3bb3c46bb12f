// The chart's spec and words: what is drawn, from which readings, and how it is described.
import { describe, expect, it } from 'vitest';
import {
  ALT_TEXT_LIMIT,
  CHART_HEIGHT,
  CHART_WIDTH,
  chartable,
  chartReadings,
  petitionChartAlt,
  petitionChartSpec,
  thresholdsNear,
} from '../../src/digest/petitionChart.js';

const THRESHOLDS = [
  { target: 10_000, label: 'government response', reachedAt: null },
  { target: 100_000, label: 'debate', reachedAt: null },
];
/** A reading a day at 09:00 UTC from 24 Nov 2026, count `counts[i]`. */
const daily = (counts: number[]) =>
  counts.map((signatureCount, i) => ({
    takenAt: new Date(Date.UTC(2026, 10, 24 + i, 9)).toISOString(),
    signatureCount,
  }));

describe('petition chart', () => {
  it('describes the latest count, the count a week earlier and each threshold', () => {
    const alt = petitionChartAlt(daily([9_870, 9_900, 10_050, 10_400, 11_000, 11_500, 12_000, 12_345]), [
      { ...THRESHOLDS[0]!, reachedAt: '2026-11-26T14:00:00Z' },
      THRESHOLDS[1]!,
    ]);
    expect(alt).toBe(
      'Signatures over time: 12,345 on 1 Dec 2026, up from 9,870 a week earlier; ' +
        '10,000 (government response) passed on 26 Nov 2026; 87,655 to go to 100,000 (debate).',
    );
    expect(alt.length).toBeLessThanOrEqual(ALT_TEXT_LIMIT);
  });

  it('says where the line starts when there is no reading a week back', () => {
    expect(petitionChartAlt(daily([100, 250]), THRESHOLDS)).toMatch(
      /^Signatures over time: 250 on 25 Nov 2026, up from 100 on 24 Nov 2026; 9,750 to go/,
    );
  });

  it('draws only the thresholds passed or at least halfway to', () => {
    expect(thresholdsNear(4_000, THRESHOLDS)).toEqual([]);
    expect(thresholdsNear(6_000, THRESHOLDS).map((t) => t.target)).toEqual([10_000]);
    expect(thresholdsNear(60_000, THRESHOLDS).map((t) => t.target)).toEqual([10_000, 100_000]);
    const spec = JSON.stringify(petitionChartSpec(daily([5_000, 6_000]), THRESHOLDS));
    expect(spec).toContain('"target":10000');
    expect(spec).not.toContain('"target":100000');
  });

  it('is a fixed size, whatever the readings', () => {
    const spec = petitionChartSpec(daily([1, 2, 3]), THRESHOLDS) as { width: number; height: number };
    expect([spec.width, spec.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
  });

  it('needs two readings at least an hour apart', () => {
    expect(chartable(daily([100]))).toBe(false);
    expect(
      chartable([
        { takenAt: '2026-12-01T09:00:00Z', signatureCount: 1 },
        { takenAt: '2026-12-01T09:15:00Z', signatureCount: 2 },
      ]),
    ).toBe(false);
    expect(chartable(daily([100, 200]))).toBe(true);
  });

  it('thins a long history to the last reading of each London day, and a week to one an hour', () => {
    const quarterHours = Array.from({ length: 8 }, (_, i) => ({
      takenAt: new Date(Date.UTC(2026, 11, 1, 9, i * 15)).toISOString(),
      signatureCount: i,
    }));
    expect(chartReadings(quarterHours).map((r) => r.signatureCount)).toEqual([3, 7]);
    const month = daily(Array.from({ length: 30 }, (_, i) => i));
    // 23:30 UTC in summer is the next day in London.
    const late = [
      { takenAt: '2026-06-01T22:30:00Z', signatureCount: 1 },
      { takenAt: '2026-06-01T23:30:00Z', signatureCount: 2 },
      { takenAt: '2026-06-20T12:00:00Z', signatureCount: 3 },
    ];
    expect(chartReadings(month)).toHaveLength(30);
    expect(chartReadings(late).map((r) => r.signatureCount)).toEqual([1, 2, 3]);
  });
});
