// The pure rooms stay pure: no Discord, no SQLite, no file system.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const FORBIDDEN =
  /from\s+['"](discord\.js|better-sqlite3|(node:)?fs(\/promises)?)['"]|import\(\s*['"](discord\.js|better-sqlite3|(node:)?fs)/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('architecture', () => {
  it.each(['src/archive', 'src/search', 'src/digest'])(
    '%s imports none of discord.js, better-sqlite3, node:fs',
    (room) => {
      const files = sources(join(ROOT, room));
      expect(files.length).toBeGreaterThan(0);
      const offenders = files.filter((f) => FORBIDDEN.test(readFileSync(f, 'utf8')));
      expect(offenders).toEqual([]);
    },
  );

  it('the check itself catches a forbidden import', () => {
    expect(FORBIDDEN.test("import Database from 'better-sqlite3';")).toBe(true);
    expect(FORBIDDEN.test("import { readFileSync } from 'node:fs';")).toBe(true);
    expect(FORBIDDEN.test("import { Client } from 'discord.js';")).toBe(true);
  });
});
