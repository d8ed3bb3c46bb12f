// The chart as Discord and the console get it: a PNG of the fixed size, the
// same bytes for the same readings, in this process and in another.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHART_HEIGHT, CHART_WIDTH, petitionChartSpec } from '../../src/digest/petitionChart.js';
import { chartSvg, renderChart } from '../../src/render/chart.js';
import { ROOT } from '../helpers.js';

const readings = Array.from({ length: 20 }, (_, i) => ({
  takenAt: new Date(Date.UTC(2026, 10, 12 + i, 9)).toISOString(),
  signatureCount: 4_000 + i * i * 40,
}));
const thresholds = [
  { target: 10_000, label: 'government response', reachedAt: null },
  { target: 100_000, label: 'debate', reachedAt: null },
];

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const sha = (png: Buffer) => createHash('sha256').update(png).digest('hex');

describe('chart rendering', () => {
  it('draws a PNG of the fixed size, with the axes, thresholds and dates written in', async () => {
    const spec = petitionChartSpec(readings, thresholds);
    const png = await renderChart(spec);
    expect(pngSize(png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    expect(png.length).toBeGreaterThan(5_000);
    expect(png.length).toBeLessThan(200_000);
    const svg = await chartSvg(spec);
    for (const words of ['Signatures over time', '10,000: government response', '15 Nov', '5,000']) {
      expect(svg).toContain(words);
    }
  });

  it('makes identical bytes for identical readings, and different bytes for different ones', async () => {
    const first = await renderChart(petitionChartSpec(readings, thresholds));
    const other = await renderChart(petitionChartSpec(readings.slice(1), thresholds));
    // A fresh spec object, drawn again (not the cached promise of the same object).
    const again = await renderChart(petitionChartSpec(readings.slice(1), thresholds));
    const firstAgain = await renderChart(petitionChartSpec(readings, thresholds));
    expect(sha(firstAgain)).toBe(sha(first));
    expect(sha(again)).toBe(sha(other));
    expect(sha(other)).not.toBe(sha(first));
  });

  it('makes the same bytes in another process, in another time zone', async () => {
    const script = [
      "import { createHash } from 'node:crypto';",
      "import { petitionChartSpec } from './src/digest/petitionChart.ts';",
      "import { renderChart } from './src/render/chart.ts';",
      `const png = await renderChart(petitionChartSpec(${JSON.stringify(readings)}, ${JSON.stringify(thresholds)}));`,
      "process.stdout.write(createHash('sha256').update(png).digest('hex'));",
    ].join('\n');
    const child = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), '--input-type=module', '-e', script],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { PATH: process.env['PATH'] ?? '', TZ: 'America/New_York' },
        timeout: 60_000,
      },
    );
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe(sha(await renderChart(petitionChartSpec(readings, thresholds))));
  });
});
