// Where a petition's signatures come from, read from the petition's own JSON:
// the real 2016 capture (650 constituencies with their MPs, 221 countries) and
// a small made-up petition in the current schema (regions).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  constituencyNamed,
  findConstituencies,
  nationsBreakdown,
  parseGeography,
  type PetitionGeography,
  standingOf,
  topConstituencies,
} from '../../src/digest/petitionGeography.js';
import { FIXTURES } from '../helpers.js';

const FIXTURE_2016 = JSON.parse(
  readFileSync(join(FIXTURES, 'petition-parliament-uk-131215-2016.json'), 'utf8'),
) as unknown;
const GEO_2016 = parseGeography(FIXTURE_2016)!;

/** Made up, in the current schema: four constituencies, one per nation, and two regions. Not a real petition. */
function fakeCurrentSchema(counts: { e: number; w: number; s: number; n: number }, state = 'open'): unknown {
  return {
    links: { self: 'https://petition.parliament.uk/petitions/900777.json' },
    data: {
      type: 'petition',
      id: 900777,
      attributes: {
        action: 'Fake petition: test data for the probation archive bot',
        state,
        signature_count: counts.e + counts.w + counts.s + counts.n + 40,
        opened_at: '2026-01-05T09:00:00.000Z',
        closed_at: null,
        signatures_by_country: [
          { name: 'United Kingdom', code: 'GB', signature_count: counts.e + counts.w + counts.s + counts.n + 10 },
          { name: 'Fakeland', code: 'FK', signature_count: 30 },
        ],
        signatures_by_region: [
          { name: 'Fake North', ons_code: 'E15000001', signature_count: counts.e },
          { name: 'Fake Wales', ons_code: 'W92000004', signature_count: counts.w },
        ],
        signatures_by_constituency: [
          { name: 'Fakeborough East', ons_code: 'E14009991', mp: 'Ann Example MP', signature_count: counts.e },
          { name: 'Ffug-y-Cwm', ons_code: 'W07009992', mp: 'Bryn Sample MP', signature_count: counts.w },
          { name: 'Fake Glen', ons_code: 'S14009993', mp: '', signature_count: counts.s },
          { name: 'Fake Lough', ons_code: 'N06009994', mp: 'Cara Test MP', signature_count: counts.n },
        ],
      },
    },
  };
}

describe('parseGeography', () => {
  it('reads every constituency with its MP and every country of the real 2016 capture; it has no regions', () => {
    expect(GEO_2016.constituencies).toHaveLength(650);
    expect(GEO_2016.countries).toHaveLength(221);
    expect(GEO_2016.regions).toBeNull();
    expect(GEO_2016.constituencies).toContainEqual({
      name: 'Holborn and St Pancras',
      onsCode: 'E14000750',
      mp: 'Keir Starmer MP',
      signatureCount: 18_704,
    });
  });

  it('keeps a blank MP blank (Batley and Spen had none when it was captured)', () => {
    expect(GEO_2016.constituencies.find((c) => c.name === 'Batley and Spen')).toMatchObject({ mp: null });
    const current = parseGeography(fakeCurrentSchema({ e: 1, w: 1, s: 1, n: 1 }))!;
    expect(current.constituencies.find((c) => c.name === 'Fake Glen')?.mp).toBeNull();
  });

  it('reads the regions of the current schema, and gives nothing for JSON without a constituency list', () => {
    expect(parseGeography(fakeCurrentSchema({ e: 5, w: 3, s: 2, n: 1 }))?.regions).toEqual([
      { name: 'Fake North', onsCode: 'E15000001', signatureCount: 5 },
      { name: 'Fake Wales', onsCode: 'W92000004', signatureCount: 3 },
    ]);
    expect(parseGeography({ data: { attributes: { action: 'x' } } })).toBeNull();
    expect(parseGeography({ data: { attributes: { signatures_by_constituency: [{ name: 7 }] } } })).toBeNull();
  });
});

describe('finding a constituency', () => {
  it('finds Holborn and St Pancras by its name, by part of it and by its MP', () => {
    expect(constituencyNamed(GEO_2016, 'Holborn')?.name).toBe('Holborn and St Pancras');
    expect(constituencyNamed(GEO_2016, 'holborn and st pancras')?.name).toBe('Holborn and St Pancras');
    expect(findConstituencies(GEO_2016, 'Starmer', 25)).toEqual([
      { constituency: expect.objectContaining({ name: 'Holborn and St Pancras' }), byMp: true },
    ]);
    expect(constituencyNamed(GEO_2016, 'Keir Starmer')?.name).toBe('Holborn and St Pancras');
    expect(constituencyNamed(GEO_2016, 'E14000750')?.name).toBe('Holborn and St Pancras');
  });

  it('puts names that start with what was typed before names that only hold it, and reads accents as plain letters', () => {
    const names = findConstituencies(GEO_2016, 'Bristol', 25).map((m) => m.constituency.name);
    expect(names.slice(0, 4)).toEqual(['Bristol East', 'Bristol North West', 'Bristol South', 'Bristol West']);
    expect(constituencyNamed(GEO_2016, 'ynys mon')?.name).toBe('Ynys Môn');
  });

  it('offers at most the number asked, most signatures first when nothing is typed, and nothing for nonsense', () => {
    const top = findConstituencies(GEO_2016, '', 25);
    expect(top).toHaveLength(25);
    expect(top[0]?.constituency.name).toBe('Hornsey and Wood Green');
    expect(findConstituencies(GEO_2016, 'e', 25)).toHaveLength(25);
    expect(findConstituencies(GEO_2016, 'zzzzqx', 25)).toEqual([]);
  });
});

describe('a constituency’s standing', () => {
  it('ranks it of 650 and gives its share of the signatures where the constituency is known', () => {
    const holborn = constituencyNamed(GEO_2016, 'Holborn')!;
    const standing = standingOf(GEO_2016, holborn, null);
    expect(standing).toMatchObject({ rank: 4, of: 650, signatureCount: 18_704, change: null });
    // 18,704 of the 3,351,288 signatures the constituency rows hold (the UK total, 3,417,895, is more).
    expect(standing.share).toBeCloseTo(18_704 / 3_351_288, 10);
  });

  it('counts the change since an earlier reading by ONS code, and ranks equal counts alike', () => {
    const earlier = parseGeography(fakeCurrentSchema({ e: 10, w: 4, s: 2, n: 2 }))!;
    const now = parseGeography(fakeCurrentSchema({ e: 25, w: 9, s: 9, n: 2 }))!;
    const [first, second, third] = topConstituencies(now, 3, earlier);
    expect(first).toMatchObject({ name: 'Fakeborough East', rank: 1, change: 15 });
    expect(second).toMatchObject({ name: 'Fake Glen', rank: 2, change: 7 });
    expect(third).toMatchObject({ name: 'Ffug-y-Cwm', rank: 2, change: 5 });
  });
});

describe('nations', () => {
  it('sums the 2016 constituencies by ONS prefix: England and Wales hold 93.2 % of those whose constituency is known', () => {
    const b = nationsBreakdown(GEO_2016, 3_555_721);
    expect(b.nations.map((n) => [n.nation, n.signatureCount, n.constituencies])).toEqual([
      ['England', 2_987_046, 533],
      ['Wales', 135_093, 40],
      ['Scotland', 167_274, 59],
      ['Northern Ireland', 61_875, 18],
    ]);
    expect(b.knownTotal).toBe(3_351_288);
    expect(b.englandAndWales.signatureCount).toBe(3_122_139);
    expect(b.englandAndWales.share).toBeCloseTo(0.9316, 4);
    expect(b.unplaced).toBe(0);
    // Every country but the United Kingdom.
    expect(b.overseas).toBe(137_789);
    expect(b.regions).toBeNull();
  });

  it('lists regions by signatures when the schema has them, and counts overseas from the countries', () => {
    const geography: PetitionGeography = parseGeography(fakeCurrentSchema({ e: 6, w: 12, s: 1, n: 1 }))!;
    const b = nationsBreakdown(geography, 60);
    expect(b.englandAndWales).toEqual({ signatureCount: 18, share: 0.9 });
    expect(b.overseas).toBe(30);
    expect(b.regions?.map((r) => [r.name, r.signatureCount, r.share])).toEqual([
      ['Fake Wales', 12, 12 / 18],
      ['Fake North', 6, 6 / 18],
    ]);
  });
});
