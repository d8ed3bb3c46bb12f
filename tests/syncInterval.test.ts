// SYNC_INTERVAL: a sync at most every 5 minutes, refused below in one line
// naming the variable, as every configuration problem is.
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../src/config.js';

function problems(env: Record<string, string>): string[] {
  try {
    readConfig(env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
}

describe('SYNC_INTERVAL', () => {
  it.each(['0m', '4m', '0h', '0d'])('refuses %s: back-to-back syncs would hammer the blog', (value) => {
    expect(problems({ SYNC_INTERVAL: value })).toEqual(['SYNC_INTERVAL: must be at least 5m (5 minutes)']);
  });

  it.each([
    ['5m', 5 * 60_000],
    ['90m', 90 * 60_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['', 3_600_000],
  ])('accepts %s', (value, ms) => {
    expect(readConfig({ SYNC_INTERVAL: value }).SYNC_INTERVAL_MS).toBe(ms);
  });

  it('says only what is wrong with a value that is not an interval at all', () => {
    expect(problems({ SYNC_INTERVAL: 'sometimes' })).toEqual([
      'SYNC_INTERVAL: must be a number and a unit: 30m, 1h, 1d',
    ]);
  });

  it('is listed with the other problems, each once', () => {
    expect(problems({ SYNC_INTERVAL: '1m', PETITION_ID: 'abc' })).toEqual([
      'SYNC_INTERVAL: must be at least 5m (5 minutes)',
      'PETITION_ID: must be the petition number, digits only',
    ]);
  });
});
