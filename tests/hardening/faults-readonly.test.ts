// Issue 8, faults: a data directory the bot cannot write, or cannot create.
// Every command says so in one line naming the place and what to do, writes
// exit non-zero, and the store is as it was once permissions are restored.
//
// chmod does not stop root, and CI may run as root: there the permission
// cases run the CLI as `nobody` instead (same code path, real permissions),
// and the cases that only chmod can make are skipped. A DATA_DIR under a
// regular file, and a store opened read-only in this process, work for anyone.
import Database from 'better-sqlite3';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestSources } from '../../src/ingest/ingest.js';
import { DATABASE_FILE, openDatabase, type Db } from '../../src/store/db.js';
import { loadIndex } from '../../src/store/indexFile.js';
import { FIXTURES, SEEDS, cliAsync, seedPath, tempDir, type CliRun } from '../helpers.js';
import { NOBODY, checkStore, cliAs, ignoresPermissions, nobodyCanRun, type RunAs } from './faults-support.js';
import { storeOver } from '../../src/store/store.js';

const EXPORT = join(FIXTURES, 'blogger-export-classic-pelican-2018.xml');
const now = () => '2026-11-23T08:00:00.000Z';

const probe = tempDir();
chmodSync(probe, 0o555);
/** chmod cannot take write permission away from this process (root). */
const runningAsRoot = ignoresPermissions(probe);
chmodSync(probe, 0o755);
const asNobody = runningAsRoot && nobodyCanRun();
/** Who meets the permissions: this process when they bind it, else `nobody`. */
const user: RunAs = runningAsRoot ? NOBODY : null;

/** The operator's view of a failed command: one line on stderr, saying `what`, no stack trace. */
function expectOneLineError(run: CliRun, what: RegExp): void {
  expect(run.status, run.stderr).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^error: [^\n]+\n$/);
  expect(run.stderr).toMatch(what);
}

function errorLines(run: CliRun): string[] {
  return run.stderr.split('\n').filter((l) => l.startsWith('error:'));
}

/** A store with the seeds in it, owned by whoever the test runs the CLI as, and what search said before. */
async function storeWithSeeds(): Promise<{ dataDir: string; hits: string; before: ReturnType<typeof checkStore> }> {
  const parent = tempDir();
  chmodSync(parent, 0o755);
  const dataDir = join(parent, 'data');
  const ingest = await cliAsync(['ingest', SEEDS], dataDir);
  expect(ingest.status, ingest.stderr).toBe(0);
  const search = await cliAsync(['search', 'probation officer', '--json'], dataDir);
  expect(search.status, search.stderr).toBe(0);
  if (user) {
    chownSync(dataDir, user.uid, user.gid);
    for (const f of readdirSync(dataDir)) chownSync(join(dataDir, f), user.uid, user.gid);
  }
  return { dataDir, hits: search.stdout, before: checkStore(dataDir) };
}

/** After the fault: permissions back, the store whole and unchanged, search answering as before. */
async function expectUnharmed(
  dataDir: string,
  store: { hits: string; before: ReturnType<typeof checkStore> },
): Promise<void> {
  chmodSync(dataDir, 0o755);
  const after = checkStore(dataDir);
  expect(after.integrity).toBe('ok');
  expect(after).toEqual(store.before);
  const search = await cliAsync(['search', 'probation officer', '--json'], dataDir);
  expect(search.stdout).toBe(store.hits);
}

async function readOnlyDataDir(): Promise<void> {
  const store = await storeWithSeeds();
  chmodSync(store.dataDir, 0o555);
  try {
    // SQLite keeps its write-ahead log beside the database: in a read-only directory it cannot even read.
    const readOnly = /DATA_DIR \S+ is read-only: .*make the directory writable/;
    expectOneLineError(await cliAs(user, ['ingest', EXPORT], store.dataDir), readOnly);
    expectOneLineError(await cliAs(user, ['search', 'probation'], store.dataDir), readOnly);
    expectOneLineError(await cliAs(user, ['stats', '--json'], store.dataDir), readOnly);
    expectOneLineError(await cliAs(user, ['reindex'], store.dataDir), readOnly);
    expect(readdirSync(store.dataDir).sort()).toEqual([DATABASE_FILE, 'search.index']);
  } finally {
    chmodSync(store.dataDir, 0o755);
  }
  await expectUnharmed(store.dataDir, store);
}

async function readOnlyDatabase(): Promise<void> {
  const store = await storeWithSeeds();
  const file = join(store.dataDir, DATABASE_FILE);
  if (user) chownSync(file, 0, 0); // root's file, in nobody's directory
  chmodSync(file, 0o444);
  try {
    const ingest = await cliAs(user, ['ingest', EXPORT], store.dataDir);
    expect(ingest.status, ingest.stderr).toBe(1);
    expect(ingest.stderr).not.toMatch(/^\s+at /m);
    expect(errorLines(ingest)).toEqual([
      expect.stringMatching(
        new RegExp(`^error: ${EXPORT}: ${file} is read-only for this user: nothing can be stored; make it writable`),
      ),
    ]);
    // Sources already stored need no writing, so they go through.
    const again = await cliAs(user, ['ingest', seedPath('000')], store.dataDir);
    expect(again.status, again.stderr).toBe(0);
    // Reading needs no writing: search and stats answer.
    const search = await cliAs(user, ['search', 'probation officer', '--json'], store.dataDir);
    expect(search.status, search.stderr).toBe(0);
    expect(search.stdout).toBe(store.hits);
    const stats = await cliAs(user, ['stats', '--json'], store.dataDir);
    expect(stats.status, stats.stderr).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ posts: store.before.posts });
  } finally {
    chmodSync(file, 0o644);
  }
  await expectUnharmed(store.dataDir, store);
}

async function dataDirUnderReadOnlyParent(): Promise<void> {
  const parent = tempDir();
  chmodSync(parent, 0o555);
  const dataDir = join(parent, 'data');
  try {
    const denied = new RegExp(
      `permission denied on ${dataDir}: make DATA_DIR a directory this user can read and write`,
    );
    expectOneLineError(await cliAs(user, ['ingest', EXPORT], dataDir), denied);
    expectOneLineError(await cliAs(user, ['search', 'probation'], dataDir), denied);
    expectOneLineError(await cliAs(user, ['stats'], dataDir), denied);
    expect(existsSync(dataDir)).toBe(false);
  } finally {
    chmodSync(parent, 0o755);
  }
}

describe('a read-only data directory', () => {
  // Skipped as root: chmod 0555 does not stop root writing. The next case runs the same as `nobody`.
  it.skipIf(runningAsRoot)(
    'refuses every command in one line, and the store is untouched (chmod 0555)',
    readOnlyDataDir,
    60_000,
  );
  it.skipIf(!asNobody)(
    'refuses every command in one line, and the store is untouched (run as nobody)',
    readOnlyDataDir,
    60_000,
  );

  it.skipIf(runningAsRoot && !asNobody)(
    'with a read-only database file: ingest fails in one line, search and stats still answer',
    readOnlyDatabase,
    60_000,
  );

  it.skipIf(runningAsRoot && !asNobody)(
    'a DATA_DIR that cannot be created: one line, nothing made',
    dataDirUnderReadOnlyParent,
    60_000,
  );

  it('a DATA_DIR under a regular file (mkdir fails even for root): one line for every command', async () => {
    const file = join(tempDir(), 'not-a-directory');
    writeFileSync(file, 'an operator typo\n');
    const dataDir = join(file, 'data');
    const notADirectory = new RegExp(
      `DATA_DIR ${dataDir} cannot be used: part of that path is a file, not a directory \\(ENOTDIR\\)`,
    );
    expectOneLineError(await cliAsync(['ingest', EXPORT], dataDir), notADirectory);
    expectOneLineError(await cliAsync(['search', 'probation'], dataDir), notADirectory);
    expectOneLineError(await cliAsync(['stats', '--json'], dataDir), notADirectory);
    expectOneLineError(await cliAsync(['reindex'], dataDir), notADirectory);
  }, 60_000);

  it('a store opened read-only (SQLITE_READONLY, for anyone): the ingest stops at once with one line and stores nothing', async () => {
    const dataDir = tempDir();
    const writable = openDatabase(dataDir);
    await ingestSources(storeOver(writable), [seedPath('000')], { now });
    loadIndex(writable, dataDir).close();
    writable.close();
    const before = checkStore(dataDir);

    const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true }) as Db;
    try {
      const report = await ingestSources(storeOver(db), [EXPORT], { now });
      // One line, not one per post and comment of the export.
      expect(report.sources[0]!.errors).toEqual([
        expect.stringMatching(
          /is read-only for this user: nothing can be stored; make it writable.*\(SQLITE_READONLY\)$/,
        ),
      ]);
      expect(report.counts).toEqual({ added: 0, updated: 0, skipped: 0 });
      // A text dump: each post says why (the CLI folds them into one reason and a count).
      const dump = await ingestSources(storeOver(db), [seedPath('001')], { now });
      expect(dump.sources[0]!.errors.length).toBeGreaterThan(0);
      expect(dump.sources[0]!.errors.every((e) => /not stored: .*is read-only for this user/.test(e))).toBe(true);
      // Searching a read-only store works; the index it had is used.
      const loaded = loadIndex(db, dataDir);
      expect(loaded.origin).toBe('loaded');
      loaded.close();
    } finally {
      db.close();
    }
    expect(checkStore(dataDir)).toEqual(before);
  });

  it.skipIf(runningAsRoot && !asNobody)(
    'the CLI folds a text dump refused post by post into the reason and a count',
    async () => {
      const dataDir = join(tempDir(), 'data');
      mkdirSync(dataDir);
      const made = await cliAsync(['stats'], dataDir); // an empty store
      expect(made.status, made.stderr).toBe(0);
      const file = join(dataDir, DATABASE_FILE);
      chmodSync(join(dataDir, '..'), 0o755);
      if (user)
        for (const f of [dataDir, ...readdirSync(dataDir).map((f) => join(dataDir, f))])
          chownSync(f, user.uid, user.gid);
      if (user) chownSync(file, 0, 0);
      chmodSync(file, 0o444);
      const run = await cliAs(user, ['ingest', SEEDS], dataDir);
      chmodSync(file, 0o644);
      expect(run.status).toBe(1);
      const errors = errorLines(run);
      expect(errors).toHaveLength(2);
      expect(errors[0]).toMatch(/post ".*" not stored: .* is read-only for this user/);
      expect(errors[1]).toMatch(/^error: \d+ more not stored for the same reason$/);
    },
    60_000,
  );
});
