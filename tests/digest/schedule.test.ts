import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_DIGEST_SETTING,
  digestInstant,
  dueDigest,
  localDateAt,
  nextDigestInstant,
  normaliseTime,
  settingProblem,
  type DigestSetting,
} from '../../src/digest/schedule.js';

const london = (time = '08:00'): DigestSetting => ({ time, zone: 'Europe/London' });
const newYork = (time = '08:00'): DigestSetting => ({ time, zone: 'America/New_York' });
const sydney = (time = '08:00'): DigestSetting => ({ time, zone: 'Australia/Sydney' });
const iso = (d: Date | null | undefined) => d?.toISOString();

afterEach(() => {
  vi.useRealTimers();
});

describe('digestInstant', () => {
  it('defaults to 08:00 in London', () => {
    expect(DEFAULT_DIGEST_SETTING).toEqual({ time: '08:00', zone: 'Europe/London' });
  });

  it.each([
    ['an ordinary winter day (GMT)', '2025-01-15', '2025-01-15T08:00:00.000Z'],
    ['an ordinary summer day (BST)', '2025-06-15', '2025-06-15T07:00:00.000Z'],
    ['the day the clocks go forward', '2025-03-30', '2025-03-30T07:00:00.000Z'],
    ['the day the clocks go back', '2025-10-26', '2025-10-26T08:00:00.000Z'],
  ])('08:00 in London on %s', (_day, date, expected) => {
    expect(iso(digestInstant(london(), date))).toBe(expected);
  });

  it.each([
    ['the day before the clocks go forward (EST)', '2025-03-08', '2025-03-08T13:00:00.000Z'],
    ['the day the clocks go forward (EDT)', '2025-03-09', '2025-03-09T12:00:00.000Z'],
    ['the day before the clocks go back (EDT)', '2025-11-01', '2025-11-01T12:00:00.000Z'],
    ['the day the clocks go back (EST)', '2025-11-02', '2025-11-02T13:00:00.000Z'],
  ])('08:00 in New York on %s', (_day, date, expected) => {
    expect(iso(digestInstant(newYork(), date))).toBe(expected);
  });

  it.each([
    ['the day before summer time ends (AEDT, +11)', '2025-04-05', '2025-04-04T21:00:00.000Z'],
    ['the day summer time ends (AEST, +10)', '2025-04-06', '2025-04-05T22:00:00.000Z'],
    ['the day before summer time starts (AEST, +10)', '2025-10-04', '2025-10-03T22:00:00.000Z'],
    ['the day summer time starts (AEDT, +11)', '2025-10-05', '2025-10-04T21:00:00.000Z'],
  ])('08:00 in Sydney on %s', (_day, date, expected) => {
    expect(iso(digestInstant(sydney(), date))).toBe(expected);
  });

  it.each([
    ['London 01:30 on 2025-03-30 is 02:30 BST', london('01:30'), '2025-03-30', '2025-03-30T01:30:00.000Z'],
    ['New York 02:30 on 2025-03-09 is 03:30 EDT', newYork('02:30'), '2025-03-09', '2025-03-09T07:30:00.000Z'],
    ['Sydney 02:30 on 2025-10-05 is 03:30 AEDT', sydney('02:30'), '2025-10-05', '2025-10-04T16:30:00.000Z'],
  ])('moves a time skipped by the clocks going forward on by the gap: %s', (_case, setting, date, expected) => {
    expect(iso(digestInstant(setting, date))).toBe(expected);
  });

  it.each([
    ['London 01:30 on 2025-10-26 is 01:30 BST', london('01:30'), '2025-10-26', '2025-10-26T00:30:00.000Z'],
    ['New York 01:30 on 2025-11-02 is 01:30 EDT', newYork('01:30'), '2025-11-02', '2025-11-02T05:30:00.000Z'],
    ['Sydney 02:30 on 2025-04-06 is 02:30 AEDT', sydney('02:30'), '2025-04-06', '2025-04-05T15:30:00.000Z'],
  ])('takes the first of a time that happens twice when the clocks go back: %s', (_case, setting, date, expected) => {
    expect(iso(digestInstant(setting, date))).toBe(expected);
  });

  it('takes the first of a repeated time whatever the season the process runs in', () => {
    // luxon on its own picks the occurrence by the offset in force at the real "now".
    vi.useFakeTimers();
    for (const runningAt of ['2025-01-15T12:00:00Z', '2025-07-15T12:00:00Z']) {
      vi.setSystemTime(new Date(runningAt));
      expect(iso(digestInstant(london('01:30'), '2025-10-26'))).toBe('2025-10-26T00:30:00.000Z');
      expect(iso(digestInstant(newYork('01:30'), '2025-11-02'))).toBe('2025-11-02T05:30:00.000Z');
      expect(iso(digestInstant(sydney('02:30'), '2025-04-06'))).toBe('2025-04-05T15:30:00.000Z');
    }
  });

  it('reads a single-digit hour like its two-digit form', () => {
    expect(iso(digestInstant(london('8:00'), '2025-01-15'))).toBe('2025-01-15T08:00:00.000Z');
  });

  it('throws on a setting or date that should never have got this far', () => {
    expect(() => digestInstant(london('24:00'), '2025-01-15')).toThrow(/time "24:00"/);
    expect(() => digestInstant({ time: '08:00', zone: 'Mars/Olympus' }, '2025-01-15')).toThrow(/zone "Mars\/Olympus"/);
    expect(() => digestInstant(london(), '2025-02-30')).toThrow(/"2025-02-30" is not a date/);
    expect(() => digestInstant(london(), '15/01/2025')).toThrow(/expected YYYY-MM-DD/);
  });
});

describe('localDateAt', () => {
  it('rolls over at local midnight, not UTC midnight', () => {
    expect(localDateAt('Europe/London', new Date('2025-06-01T22:59:59Z'))).toBe('2025-06-01');
    expect(localDateAt('Europe/London', new Date('2025-06-01T23:30:00Z'))).toBe('2025-06-02');
    expect(localDateAt('UTC', new Date('2025-06-01T23:30:00Z'))).toBe('2025-06-01');
  });

  it('is the UTC date in a London winter', () => {
    expect(localDateAt('Europe/London', new Date('2025-01-01T23:30:00Z'))).toBe('2025-01-01');
  });

  it('lags UTC west of Greenwich and leads it in Sydney', () => {
    expect(localDateAt('America/New_York', new Date('2025-06-02T03:30:00Z'))).toBe('2025-06-01');
    expect(localDateAt('Australia/Sydney', new Date('2025-06-01T13:59:00Z'))).toBe('2025-06-01');
    expect(localDateAt('Australia/Sydney', new Date('2025-06-01T14:00:00Z'))).toBe('2025-06-02');
  });
});

describe('dueDigest', () => {
  it('is nothing before the instant, then today’s digest at and after it', () => {
    expect(dueDigest(london(), new Date('2025-01-15T07:59:59.999Z'))).toBeNull();
    const at = dueDigest(london(), new Date('2025-01-15T08:00:00.000Z'));
    expect({ localDate: at?.localDate, dueAt: iso(at?.dueAt) }).toEqual({
      localDate: '2025-01-15',
      dueAt: '2025-01-15T08:00:00.000Z',
    });
    const later = dueDigest(london(), new Date('2025-01-15T21:45:00Z'));
    expect({ localDate: later?.localDate, dueAt: iso(later?.dueAt) }).toEqual({
      localDate: '2025-01-15',
      dueAt: '2025-01-15T08:00:00.000Z',
    });
  });

  it('after three days down, only today’s digest is due, not the missed days', () => {
    // Last ran on 2025-01-12; back up mid-morning on the 15th.
    expect(dueDigest(london(), new Date('2025-01-15T10:00:00Z'))?.localDate).toBe('2025-01-15');
    // Back up before today's time: nothing yet, and yesterday's is not owed.
    expect(dueDigest(london(), new Date('2025-01-15T07:00:00Z'))).toBeNull();
  });

  it('keys by the local date, which rolls over at local midnight', () => {
    // 23:30 UTC on 1 June is 00:30 BST on 2 June: a 00:15 digest for the 2nd is already due.
    const due = dueDigest(london('00:15'), new Date('2025-06-01T23:30:00Z'));
    expect({ localDate: due?.localDate, dueAt: iso(due?.dueAt) }).toEqual({
      localDate: '2025-06-02',
      dueAt: '2025-06-01T23:15:00.000Z',
    });
    // …while an 08:00 digest for the 2nd is not.
    expect(dueDigest(london(), new Date('2025-06-01T23:30:00Z'))).toBeNull();
  });

  it('is due at the first of a repeated time, with the same key at the second', () => {
    expect(dueDigest(london('01:30'), new Date('2025-10-26T00:29:00Z'))).toBeNull();
    const first = dueDigest(london('01:30'), new Date('2025-10-26T00:30:00Z'));
    const second = dueDigest(london('01:30'), new Date('2025-10-26T01:30:00Z'));
    expect(first?.localDate).toBe('2025-10-26');
    expect(second?.localDate).toBe(first?.localDate);
    expect(iso(second?.dueAt)).toBe('2025-10-26T00:30:00.000Z');
  });

  it('is due just after the gap for a time the clocks skip', () => {
    // 01:00 UTC is 02:00 BST: the gap is over, but 01:30 moved on by its length is not yet here.
    expect(dueDigest(london('01:30'), new Date('2025-03-30T01:00:00Z'))).toBeNull();
    expect(iso(dueDigest(london('01:30'), new Date('2025-03-30T01:30:00Z'))?.dueAt)).toBe('2025-03-30T01:30:00.000Z');
  });

  it('works in the southern hemisphere on the day summer time ends', () => {
    expect(dueDigest(sydney(), new Date('2025-04-05T21:59:00Z'))).toBeNull();
    expect(dueDigest(sydney(), new Date('2025-04-05T22:00:00Z'))?.localDate).toBe('2025-04-06');
  });
});

describe('nextDigestInstant', () => {
  it('is today’s instant while it is still ahead', () => {
    expect(iso(nextDigestInstant(london(), new Date('2025-01-15T06:00:00Z')))).toBe('2025-01-15T08:00:00.000Z');
  });

  it('is tomorrow’s once today’s has come, even at the very instant', () => {
    expect(iso(nextDigestInstant(london(), new Date('2025-01-15T08:00:00Z')))).toBe('2025-01-16T08:00:00.000Z');
    expect(iso(nextDigestInstant(london(), new Date('2025-01-15T23:59:00Z')))).toBe('2025-01-16T08:00:00.000Z');
  });

  it('is 23 hours on when the clocks go forward overnight', () => {
    expect(iso(nextDigestInstant(london(), new Date('2025-03-29T08:00:00Z')))).toBe('2025-03-30T07:00:00.000Z');
  });

  it('is 25 hours on when the clocks go back overnight', () => {
    expect(iso(nextDigestInstant(london(), new Date('2025-10-25T07:00:00Z')))).toBe('2025-10-26T08:00:00.000Z');
  });

  it('follows New York and Sydney across their changes', () => {
    expect(iso(nextDigestInstant(newYork(), new Date('2025-03-08T13:00:00Z')))).toBe('2025-03-09T12:00:00.000Z');
    expect(iso(nextDigestInstant(newYork(), new Date('2025-11-01T12:00:00Z')))).toBe('2025-11-02T13:00:00.000Z');
    expect(iso(nextDigestInstant(sydney(), new Date('2025-10-03T22:00:00Z')))).toBe('2025-10-04T21:00:00.000Z');
    expect(iso(nextDigestInstant(sydney(), new Date('2025-04-04T21:00:00Z')))).toBe('2025-04-05T22:00:00.000Z');
  });

  it('is tomorrow’s after the first of a repeated time, not its second occurrence', () => {
    expect(iso(nextDigestInstant(london('01:30'), new Date('2025-10-26T00:30:00Z')))).toBe('2025-10-27T01:30:00.000Z');
  });
});

describe('normaliseTime', () => {
  it.each([
    ['8:05', '08:05'],
    ['08:05', '08:05'],
    ['0:00', '00:00'],
    ['23:59', '23:59'],
    [' 7:30 ', '07:30'],
  ])('reads %j as %j', (time, expected) => {
    expect(normaliseTime(time)).toBe(expected);
  });

  it.each(['24:00', '07:60', '8', '8:5', '008:05', '8.05', '-1:00', '', '08:05:00', '８:05'])('refuses %j', (time) => {
    expect(normaliseTime(time)).toBeNull();
  });
});

describe('settingProblem', () => {
  it('finds nothing wrong with the default, other zones or a single-digit hour', () => {
    expect(settingProblem(DEFAULT_DIGEST_SETTING)).toBeNull();
    expect(settingProblem({ time: '8:00', zone: 'Europe/London' })).toBeNull();
    expect(settingProblem({ time: '23:59', zone: 'Australia/Sydney' })).toBeNull();
    expect(settingProblem({ time: '00:00', zone: 'UTC' })).toBeNull();
  });

  it.each(['24:00', '07:60', '8', 'noon'])('refuses the time %j, saying what it expected', (time) => {
    const problem = settingProblem({ time, zone: 'Europe/London' });
    expect(problem).toContain(`"${time}"`);
    expect(problem).toContain('expected HH:MM from 00:00 to 23:59');
  });

  it('refuses a zone luxon does not know', () => {
    expect(settingProblem({ time: '08:00', zone: 'Mars/Olympus' })).toBe(
      'zone "Mars/Olympus" is not a time zone: expected an IANA name, e.g. Europe/London',
    );
  });

  it('names both problems on one line', () => {
    const problem = settingProblem({ time: '24:00', zone: 'Mars/Olympus' });
    expect(problem).toMatch(/time "24:00".*; zone "Mars\/Olympus"/);
    expect(problem).not.toContain('\n');
  });
});
