// Backups as the operator runs them: `cli backup` copies the database while it
// is open and checks the copy; `cli restore` checks a file first and refuses
// while a bot leads the data directory; a schema migration is preceded by a
// backup; the daily job (BACKUP_DIR) keeps a week of them. Real SQLite in
// temporary directories, the CLI run as `npm run cli` runs it.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../src/app/archive.js';
import { systemClock } from '../../src/clock.js';
import { readConfig } from '../../src/config.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { allJobs } from '../../src/jobs/all.js';
import { backupJob } from '../../src/jobs/backup.js';
import { leadership } from '../../src/jobs/leadership.js';
import { DATABASE_FILE, SCHEMA_VERSION } from '../../src/store/db.js';
import { INDEX_FILE } from '../../src/store/indexFile.js';
import { openStore } from '../../src/store/store.js';
import { BLOG_URL, cli, cliAsync, memoryLog, SEEDS, tempDir } from '../helpers.js';

/** A data directory holding the seeds, its index built, as a bot leaves it. */
async function seededDataDir(): Promise<string> {
  const dataDir = join(tempDir(), 'data');
  const archive = openArchive(dataDir, BLOG_URL);
  await ingestSources(archive.store, [SEEDS], { now: () => '2026-11-23T08:00:00Z' });
  archive.index();
  archive.close();
  return dataDir;
}

/** What the archive in `dataDir` holds, read in this process (the CLI runs only what is under test). */
const statsOf = (dataDir: string) => {
  const store = openStore(dataDir);
  try {
    const { posts, comments, passages } = store.archive.stats();
    return { posts, comments, passages };
  } finally {
    store.close();
  }
};
const schemaOf = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return {
      version: db.pragma('user_version', { simple: true }),
      posts: db.prepare('SELECT count(*) FROM posts').pluck().get(),
    };
  } finally {
    db.close();
  }
};

describe('cli backup', () => {
  it('writes one checked file, while the store is open, that opens with the same counts', async () => {
    const dataDir = await seededDataDir();
    const open = openStore(dataDir); // a bot running on it: the backup is online
    const file = join(tempDir(), 'nightly', 'archive.sqlite');
    const run = cli(['backup', file], dataDir);
    open.close();
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /^backed up 26 posts and 102 comments \(\d+\.\d MB, schema \d+\) to .+ \(integrity check ok\)\n$/,
    );
    // One self-contained file: no journal beside it, no partial left.
    expect(readdirSync(join(file, '..'))).toEqual(['archive.sqlite']);
    const elsewhere = join(tempDir(), 'restored-by-hand');
    mkdirSync(elsewhere);
    copyFileSync(file, join(elsewhere, DATABASE_FILE));
    const { posts, comments } = statsOf(dataDir);
    expect(statsOf(elsewhere)).toMatchObject({ posts, comments });
  });

  it('refuses a data directory without a database, in one line', () => {
    const run = cli(['backup', join(tempDir(), 'b.sqlite')], join(tempDir(), 'nothing-here'));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^error: there is no database in DATA_DIR .+\n$/);
  });
});

describe('cli restore', () => {
  it('refuses a file that is not a sound backup, and changes nothing', async () => {
    const dataDir = await seededDataDir();
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.sqlite'), 'not a database at all, just some words of text');
    const open = openStore(dataDir);
    await open.backups.write(join(dir, 'cut.sqlite'));
    open.close();
    truncateSync(join(dir, 'cut.sqlite'), Math.floor(statSync(join(dir, 'cut.sqlite')).size / 2));
    const before = statsOf(dataDir);
    const names = ['notes.sqlite', 'cut.sqlite', 'missing.sqlite'];
    const runs = await Promise.all(names.map((name) => cliAsync(['restore', join(dir, name)], dataDir)));
    runs.forEach((run, i) => {
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`^error: .*${names[i]} is not a usable backup: .+\\n$`));
    });
    expect(statsOf(dataDir)).toEqual(before);
  });

  it('refuses while a bot leads the data directory; once it stopped, restores and the index follows', async () => {
    const source = await seededDataDir();
    const file = join(tempDir(), 'seeds.sqlite');
    expect(cli(['backup', file], source).status).toBe(0);
    // Another bot's data directory: its own (empty) archive, an index, and the bot running (its lease held).
    const target = join(tempDir(), 'data');
    const empty = openArchive(target, BLOG_URL);
    empty.index();
    empty.close();
    expect(existsSync(join(target, INDEX_FILE))).toBe(true);
    const store = openStore(target);
    const bot = leadership(store, 'vm-4242-bot', systemClock, memoryLog().log);
    await bot.job.run(new AbortController().signal);

    const refused = cli(['restore', file], target);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^error: a bot is running on .+ \(vm-4242-bot leads it until .+\): stop every bot/);
    expect(statsOf(target)).toMatchObject({ posts: 0 });

    bot.release();
    store.close();
    const restored = cli(['restore', file], target);
    expect(restored.status).toBe(0);
    expect(restored.stdout).toMatch(
      /^restored 26 posts and 102 comments .+ the search index is rebuilt on the next start\n$/,
    );
    expect(statsOf(target)).toMatchObject({ posts: 26, comments: 102 });
    expect(existsSync(join(target, INDEX_FILE))).toBe(false);
    const archive = openArchive(target, BLOG_URL);
    expect(archive.search('probation treadmill')[0]?.postTitle).toBe('The Probation Treadmill');
    archive.close();
  });
});

describe('upgrades', () => {
  it('writes a backup of the database as it was before migrating its schema, once', async () => {
    const dataDir = await seededDataDir();
    // The database as an earlier version left it: schema 8, before takedowns, posted passages, the removed
    // comments' index, petition breakdowns, members' constituencies, the blog's deletions and the weekly round-up's day.
    const old = new Database(join(dataDir, DATABASE_FILE));
    old.exec(
      'DROP TABLE takedowns; DROP TABLE posted_passages; DROP INDEX comments_removed; DROP TABLE petition_breakdowns; DROP TABLE member_constituencies; DROP TABLE blog_deletions; ALTER TABLE guild_settings DROP COLUMN digest_weekly; DROP TABLE watch_matches; DROP TABLE watches; DROP TABLE watch_pauses; DROP TABLE petition_links; ALTER TABLE guild_settings DROP COLUMN posts_threads; DROP TABLE comment_queue; DROP TABLE post_threads; PRAGMA user_version = 8',
    );
    old.close();
    const backups = join(tempDir(), 'backups');

    openStore(dataDir, { backupDir: backups }).close();
    const written = readdirSync(backups);
    expect(written).toEqual([
      expect.stringMatching(new RegExp(`^before-schema-${SCHEMA_VERSION}-from-8-[\\dT-]+Z\\.sqlite$`)),
    ]);
    expect(schemaOf(join(backups, written[0]!))).toEqual({ version: 8, posts: 26 });
    expect(schemaOf(join(dataDir, DATABASE_FILE))).toEqual({ version: SCHEMA_VERSION, posts: 26 });
    // The upgraded store takes what the new schema holds: a member's constituency, a day's breakdown.
    const upgraded = openStore(dataDir, { backupDir: backups });
    upgraded.members.setConstituency(
      'member-1',
      { name: 'Fakeborough East', onsCode: 'E14009991' },
      '2026-11-23T03:00:00Z',
    );
    expect(upgraded.members.constituencyOf('member-1')).toMatchObject({ name: 'Fakeborough East' });
    upgraded.close();
    openStore(dataDir, { backupDir: backups }).close();
    expect(readdirSync(backups)).toEqual(written);
  });
});

describe('the daily backup (BACKUP_DIR)', () => {
  it('writes today’s copy once, keeps a week of them and leaves other files alone', async () => {
    const dataDir = await seededDataDir();
    const dir = join(tempDir(), 'backups');
    mkdirSync(dir);
    for (const name of ['archive-2026-11-10.sqlite', 'archive-2026-11-17.sqlite', 'before-schema-8-from-7-x.sqlite'])
      writeFileSync(join(dir, name), 'older');
    const store = openStore(dataDir);
    const clock = { now: () => new Date('2026-11-23T03:00:00Z'), after: () => () => {} };
    const { log, lines } = memoryLog();
    const job = backupJob(store, dir, clock, log);
    expect(job.leaderOnly).toBe(true);

    await job.run(new AbortController().signal);
    expect(readdirSync(dir).sort()).toEqual([
      'archive-2026-11-17.sqlite',
      'archive-2026-11-23.sqlite',
      'before-schema-8-from-7-x.sqlite',
    ]);
    expect(schemaOf(join(dir, 'archive-2026-11-23.sqlite'))).toEqual({ version: SCHEMA_VERSION, posts: 26 });
    expect(lines.map((l) => l['msg'])).toEqual(['daily backup written', 'old daily backups removed']);
    const written = statSync(join(dir, 'archive-2026-11-23.sqlite')).mtimeMs;
    await job.run(new AbortController().signal);
    expect(statSync(join(dir, 'archive-2026-11-23.sqlite')).mtimeMs).toBe(written);
    expect(lines).toHaveLength(2);
    store.close();
  });

  it('is one of the jobs only when BACKUP_DIR is set', () => {
    const archive = openArchive(join(tempDir(), 'data'), BLOG_URL);
    const names = (env: Record<string, string>) =>
      allJobs({ archive, config: readConfig(env), clock: systemClock, log: memoryLog().log, poster: null }).jobs.map(
        (j) => j.name,
      );
    expect(names({})).not.toContain('backup');
    expect(names({ BACKUP_DIR: tempDir() })).toContain('backup');
    archive.close();
  });
});
