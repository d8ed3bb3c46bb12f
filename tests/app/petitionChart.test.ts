// Which readings a chart draws and which announcements carry one: from a real store, with a stand-in for drawing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { announcedPetition, announcementChart, petitionChart } from '../../src/app/petitionChart.js';
import { parsePetition } from '../../src/digest/petitionJson.js';
import { openStore } from '../../src/store/store.js';
import { FIXTURES, tempDir } from '../helpers.js';

const json = JSON.parse(readFileSync(join(FIXTURES, 'petition-parliament-uk-131215-2016.json'), 'utf8'));
const withCount = (n: number) =>
  parsePetition({ ...json, data: { ...json.data, attributes: { ...json.data.attributes, signature_count: n } } });
const THRESHOLDS = { response: { target: 10_000, reachedAt: null }, debate: { target: 100_000, reachedAt: null } };

describe('the petition chart use case', () => {
  it('draws the readings up to the one shown, from the stored columns, and nothing before two readings', async () => {
    const store = openStore(tempDir());
    try {
      store.petition.store(7, withCount(100), '2026-11-20T09:00:00Z');
      const drawn: unknown[] = [];
      const draw = async (spec: unknown) => {
        drawn.push(spec);
        return new Uint8Array([1]);
      };
      const asOf = (takenAt: string) => ({ petitionId: 7, takenAt, ...THRESHOLDS });
      expect(await petitionChart(store, asOf('2026-11-20T09:00:00Z'), draw)).toBeNull();
      store.petition.store(7, withCount(300), '2026-11-21T09:00:00Z');
      store.petition.store(7, withCount(900), '2026-11-22T09:00:00Z');
      expect(store.petition.readings(7, '2026-11-21T09:00:00Z')).toEqual([
        { takenAt: '2026-11-20T09:00:00.000Z', signatureCount: 100 },
        { takenAt: '2026-11-21T09:00:00.000Z', signatureCount: 300 },
      ]);
      const chart = await petitionChart(store, asOf('2026-11-21T09:00:00Z'), draw);
      expect(chart?.name).toBe('petition-7.png');
      expect(chart?.alt).toMatch(/^Signatures over time: 300 on 21 Nov 2026, up from 100 on 20 Nov 2026; /);
      expect(JSON.stringify(drawn)).not.toContain('900');
    } finally {
      store.close();
    }
  });

  it('gives a chart to petition milestones only, for the petition their link names', async () => {
    expect(announcedPetition({ kind: 'petition', link: 'https://petition.parliament.uk/petitions/700123' })).toBe(
      700123,
    );
    expect(
      announcedPetition({ kind: 'petition', link: 'https://petition.parliament.uk/petitions/700123x' }),
    ).toBeNull();
    expect(announcedPetition({ kind: 'napo', link: 'https://petition.parliament.uk/petitions/700123' })).toBeNull();
    expect(announcedPetition({ kind: 'petition', link: null })).toBeNull();
    const store = openStore(tempDir());
    try {
      const never = () => Promise.reject(new Error('not drawn'));
      expect(await announcementChart(store, { kind: 'posts', link: 'https://blog.example/p' }, never)).toBeNull();
      // No readings stored for it: nothing to draw.
      expect(
        await announcementChart(store, { kind: 'petition', link: 'https://petition.parliament.uk/petitions/5' }, never),
      ).toBeNull();
    } finally {
      store.close();
    }
  });
});
