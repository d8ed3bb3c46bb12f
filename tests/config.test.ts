// The configuration as the operator writes it: .env.example documents exactly
// the variables read, PETITION_SITE_URL can point at a mirror, and SHARD_COUNT
// takes a number or `auto`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, readConfig } from '../src/config.js';
import { ROOT } from './helpers.js';

describe('configuration', () => {
  it('documents in .env.example exactly the variables it reads', () => {
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
    const documented = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('reads the petition from petition.parliament.uk unless PETITION_SITE_URL names a mirror', () => {
    expect(readConfig({}).PETITION_SITE_URL).toBe('https://petition.parliament.uk');
    expect(readConfig({ PETITION_SITE_URL: 'http://127.0.0.1:9' }).PETITION_SITE_URL).toBe('http://127.0.0.1:9');
    expect(() => readConfig({ PETITION_SITE_URL: 'petitions' })).toThrow(/PETITION_SITE_URL: must be a full URL/);
  });

  it.each([
    [undefined, 1],
    ['', 1],
    ['1', 1],
    ['2', 2],
    ['16', 16],
    ['auto', 'auto'],
    ['AUTO', 'auto'],
  ])('reads SHARD_COUNT=%s as %s', (value, expected) => {
    expect(readConfig({ SHARD_COUNT: value }).SHARD_COUNT).toBe(expected);
  });

  it("mirrors comments into new posts' threads for POST_THREAD_DAYS (default 30), 1 to 365", () => {
    expect(readConfig({}).POST_THREAD_DAYS).toBe(30);
    expect(readConfig({ POST_THREAD_DAYS: '' }).POST_THREAD_DAYS).toBe(30);
    expect(readConfig({ POST_THREAD_DAYS: '7' }).POST_THREAD_DAYS).toBe(7);
    for (const value of ['0', '366', 'a week', '-1'])
      expect(() => readConfig({ POST_THREAD_DAYS: value })).toThrow(
        /POST_THREAD_DAYS: must be a number of days, 1 to 365/,
      );
  });

  it.each(['0', '-2', '1.5', 'two', 'auto2'])('refuses SHARD_COUNT=%s, saying what it takes', (value) => {
    expect(() => readConfig({ SHARD_COUNT: value })).toThrow(ConfigError);
    expect(() => readConfig({ SHARD_COUNT: value })).toThrow(
      /SHARD_COUNT: must be a number of shards \(1 or more\) or auto/,
    );
  });
});
