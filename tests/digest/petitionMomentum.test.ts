// The petition's pace over the last week and when it would reach its next
// threshold at that pace, on a fixed clock with made-up snapshots.
import { describe, expect, it } from 'vitest';
import { type PetitionSnapshot, petitionProgress } from '../../src/digest/petition.js';
import { parsePetition } from '../../src/digest/petitionJson.js';
import { petitionClosing, petitionMomentum } from '../../src/digest/petitionMomentum.js';
import { momentumLine } from '../../src/discord/petitionWording.js';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const DAY = 86_400_000;

/** A made-up open petition (not a real one) with `count` signatures, read `daysAgo` days before NOW. */
function reading(count: number, daysAgo: number, state = 'open'): PetitionSnapshot {
  const data = parsePetition({
    data: { id: 900051, attributes: { action: 'Fake petition: test data', state, signature_count: count } },
  });
  return { ...data, takenAt: new Date(NOW - daysAgo * DAY).toISOString() };
}

function momentumOf(latest: PetitionSnapshot, earlier: PetitionSnapshot[]) {
  const p = petitionProgress(latest, earlier, new Date(latest.takenAt));
  return petitionMomentum(latest, earlier, [p.response, p.debate]);
}

describe('petitionMomentum', () => {
  it('measures the pace over the last week and projects the next threshold at it', () => {
    const latest = reading(6_500, 0);
    // 8 days ago is outside the week; 7 days ago is the base: 3,500 in 7 days, 500 a day; 3,500 to go: 7 more days.
    const m = momentumOf(latest, [reading(1_000, 8), reading(3_000, 7), reading(5_000, 3), latest]);
    expect(m).toEqual({
      perDay: 500,
      since: '2026-03-03T12:00:00.000Z',
      days: 7,
      projection: { target: 10_000, at: '2026-03-17T12:00:00.000Z' },
    });
    expect(momentumLine(m!)).toBe(
      'Pace: 500 signatures a day over the last 7 days · at this pace, 10,000 around 17 Mar 2026',
    );
  });

  it('projects the debate threshold once the response one is reached, in London dates across the clocks changing', () => {
    // 30,000 in 2 days; 40,000 to go for 100,000 at 15,000 a day: 2⅔ days, 04:00 on 13 Mar (UTC).
    const m = momentumOf(reading(60_000, 0), [reading(30_000, 2)]);
    expect(m?.projection).toEqual({ target: 100_000, at: '2026-03-13T04:00:00.000Z' });
    const summer = momentumLine({ ...m!, projection: { target: 100_000, at: '2026-03-29T23:30:00.000Z' } });
    // 23:30 UTC on 29 March is 00:30 on the 30th in London (BST).
    expect(summer).toMatch(/100,000 around 30 Mar 2026$/);
  });

  it('gives no pace with under 12 hours of history, for a petition not open, and no projection when none is rising', () => {
    expect(momentumOf(reading(6_000, 0), [reading(5_900, 0.25)])).toBeNull();
    expect(momentumOf(reading(6_000, 0, 'closed'), [reading(5_000, 3, 'closed')])).toBeNull();
    expect(momentumOf(reading(7, 0, 'sponsored'), [reading(5, 3, 'sponsored')])).toBeNull();
    const falling = momentumOf(reading(5_990, 0), [reading(6_000, 1)]);
    expect(falling).toMatchObject({ perDay: -10, projection: null });
    expect(momentumLine(falling!)).toBe('Pace: −10 signatures a day over the last day');
    expect(momentumOf(reading(150_000, 0), [reading(140_000, 1)])).toMatchObject({ perDay: 10_000, projection: null });
  });
});

describe('petitionClosing', () => {
  /** A made-up petition opened at `openedAt`, with these changes. */
  const opened = (openedAt: string | null, changes: Partial<PetitionSnapshot> = {}): PetitionSnapshot => ({
    ...reading(5_000, 0),
    openedAt,
    ...changes,
  });
  const on = (iso: string) => new Date(iso);

  it('closes six months after the London day it opened, the day kept within a shorter month', () => {
    expect(petitionClosing(opened('2026-08-31T10:00:00Z'), on('2026-09-01T12:00:00Z'))).toEqual({
      closed: false,
      closesOn: '2027-02-28',
      daysLeft: 180,
    });
    // 2028 is a leap year; opened at 23:30 UTC on 30 Aug 2027 is 00:30 on the 31st in London (BST).
    expect(petitionClosing(opened('2027-08-30T23:30:00Z'), on('2028-02-28T12:00:00Z'))).toEqual({
      closed: false,
      closesOn: '2028-02-29',
      daysLeft: 1,
    });
  });

  it('gives no count for a petition past its closing day, in moderation, rejected, or without dates', () => {
    expect(petitionClosing(opened('2026-01-05T09:00:00Z'), on('2026-07-06T00:30:00Z'))).toBeNull();
    expect(petitionClosing(opened('2026-01-05T09:00:00Z'), on('2026-07-05T22:30:00Z'))).toMatchObject({
      daysLeft: 0,
    });
    expect(petitionClosing(opened(null, { state: 'sponsored' }), on('2026-03-01T00:00:00Z'))).toBeNull();
    expect(
      petitionClosing(opened('2026-01-05T09:00:00Z', { state: 'rejected' }), on('2026-03-01T00:00:00Z')),
    ).toBeNull();
    expect(petitionClosing(opened(null), on('2026-03-01T00:00:00Z'))).toBeNull();
    expect(petitionClosing(opened('2026-01-05T09:00:00Z', { state: 'closed' }), on('2026-09-01T00:00:00Z'))).toBeNull();
  });

  it('says the London day a closed petition closed on', () => {
    const closed = opened('2026-01-05T09:00:00Z', { state: 'closed', closedAt: '2026-07-05T22:59:59Z' });
    expect(petitionClosing(closed, on('2026-09-01T00:00:00Z'))).toEqual({ closed: true, closedOn: '2026-07-05' });
    // 23:30 UTC in winter is still that day in London; in summer it is the next.
    expect(petitionClosing({ ...closed, closedAt: '2026-12-01T23:30:00Z' }, on('2027-01-01T00:00:00Z'))).toEqual({
      closed: true,
      closedOn: '2026-12-01',
    });
  });
});
