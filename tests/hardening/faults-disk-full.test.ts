// Issue 8, faults: a disk that fills up. The database is made full for real
// (SQLite's page limit on the connection: SQLITE_FULL, as a full disk gives);
// the index file's disk is made full by handing its writer a write that
// fails with ENOSPC. Either way: one clear line, nothing damaged, what was
// stored before still stored and found, the index saved before still used.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '../../src/app/archive.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { searchArchive } from '../../src/search/search.js';
import { ensurePassagesCurrent, passageDetails } from '../../src/store/archive.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { INDEX_FILE, loadIndex, rebuildIndex, type LoadedIndex } from '../../src/store/indexFile.js';
import { StorageError } from '../../src/store/storageErrors.js';
import { generateArchive } from '../bench/generate.js';
import { BLOG_URL, FIXTURES, SEEDS, cliAsync, tempDir } from '../helpers.js';
import { checkStore, passageRows } from './faults-support.js';
import { storeOver } from '../../src/store/store.js';

const now = () => '2026-11-23T08:00:00.000Z';
const PELICAN = join(FIXTURES, 'blogger-export-classic-pelican-2018.xml');
const FULL =
  /the disk holding \S+ is full: .*could not be written; what was stored before is kept; free some space and run it again \((SQLITE_FULL|ENOSPC)\)$/;

const hitsOf = (db: Db, loaded: LoadedIndex, query: string) =>
  searchArchive(loaded.index, (ids) => passageDetails(db, ids), query, { blogUrl: BLOG_URL, limit: 10 }).map(
    ({ postId, kind, excerpt, score }) => ({ postId, kind, excerpt, score }),
  );

/** A write that takes 4 KB at a time and then finds the disk full, as a filling disk does. */
function diskFullAfter(bytes: number): (fd: number, chunk: Uint8Array) => number {
  let written = 0;
  return (fd, chunk) => {
    if (written >= bytes)
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
        code: 'ENOSPC',
        errno: -28,
        syscall: 'write',
      });
    const n = writeSync(fd, chunk.subarray(0, Math.min(chunk.length, 4096, bytes - written)));
    written += n;
    return n;
  };
}

const leftovers = (dataDir: string) => readdirSync(dataDir).filter((f) => f.startsWith(`${INDEX_FILE}.`));

describe('a full disk', () => {
  let exportFile = '';
  beforeAll(async () => {
    exportFile = join(tempDir(), 'blog-export.xml');
    await generateArchive({ scale: 0.01, seed: 10, out: exportFile });
  });

  it('stops an ingest with one line when the database cannot grow, keeps what was stored, and the ingest finishes once there is room', async () => {
    const dataDir = tempDir();
    const db = openDatabase(dataDir);
    await ingestSources(storeOver(db), [SEEDS], { now });
    const saved = loadIndex(db, dataDir);
    const seedHits = hitsOf(db, saved, 'probation officer');
    saved.close();
    const savedIndex = readFileSync(join(dataDir, INDEX_FILE));

    // Room for a part of the export only.
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 300}`);
    const report = await ingestSources(storeOver(db), [exportFile], { now });
    const errors = report.sources[0]!.errors;
    expect(new Set(errors).size, errors.join('\n')).toBe(1); // not one a post or comment
    expect(errors[0]).toMatch(new RegExp(`^${exportFile}: `));
    expect(errors[0]).toMatch(FULL);
    expect(errors[0]).toMatch(/\(SQLITE_FULL\)$/);
    expect(report.counts.added).toBeGreaterThan(0); // the batches before the disk filled are kept

    const full = checkStore(dataDir);
    expect(full).toMatchObject({
      integrity: 'ok',
      foreignKeyProblems: 0,
      orphanComments: 0,
      orphanPassages: 0,
      inconsistentPosts: [],
    });
    // Re-cutting the posts the stopped ingest stored needs room too: it says so, and leaves their flags for later.
    expect(full.stalePosts).toBeGreaterThan(0);
    expect(() => ensurePassagesCurrent(db)).toThrow(FULL);
    expect(checkStore(dataDir)).toMatchObject({ integrity: 'ok', inconsistentPosts: [] });
    // The index saved before is still the one on disk, and still finds what was stored before.
    expect(readFileSync(join(dataDir, INDEX_FILE)).equals(savedIndex)).toBe(true);
    const stillLoaded = loadIndex(db, dataDir);
    expect(hitsOf(db, stillLoaded, 'probation officer')).toEqual(seedHits);
    stillLoaded.close();
    db.close();

    // Space again: the next start repairs, the same ingest completes, and all is as a clean ingest of both.
    const archive = openArchive(dataDir, BLOG_URL);
    expect(archive.warnings).toEqual([]);
    const again = await ingestSources(archive.store, [exportFile], { now });
    expect(again.sources[0]!.errors).toEqual([]);
    archive.close();
    const cleanDir = tempDir();
    const clean = openDatabase(cleanDir);
    await ingestSources(storeOver(clean), [SEEDS, exportFile], { now });
    clean.close();
    const done = checkStore(dataDir);
    expect(done).toMatchObject({ integrity: 'ok', stalePosts: 0, inconsistentPosts: [] });
    expect({ posts: done.posts, comments: done.comments, passages: done.passages }).toEqual(
      (({ posts, comments, passages }) => ({ posts, comments, passages }))(checkStore(cleanDir)),
    );
    expect(passageRows(dataDir)).toEqual(passageRows(cleanDir));
  }, 60_000);

  it('keeps the saved index when a new one cannot be written (ENOSPC), and catches the old one up instead', async () => {
    const dataDir = tempDir();
    const db = openDatabase(dataDir);
    await ingestSources(storeOver(db), [SEEDS], { now });
    rebuildIndex(db, dataDir);
    const savedIndex = readFileSync(join(dataDir, INDEX_FILE));
    await ingestSources(storeOver(db), [PELICAN], { now });

    let thrown: unknown;
    try {
      rebuildIndex(db, dataDir, { write: diskFullAfter(64 * 1024) });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StorageError);
    expect((thrown as Error).message).toMatch(
      /^the search index could not be saved \(any saved before is left as it was\): /,
    );
    expect((thrown as Error).message).toMatch(FULL);
    expect((thrown as Error).message).not.toMatch(/\n/);
    expect(readFileSync(join(dataDir, INDEX_FILE)).equals(savedIndex)).toBe(true);
    expect(leftovers(dataDir)).toEqual([]);

    // The next start uses the saved index, brought up to date from the journal the failed save did not trim.
    const loaded = loadIndex(db, dataDir);
    expect(loaded).toMatchObject({ origin: 'loaded', unsaved: null });
    expect(loaded.caughtUp).toBeGreaterThan(0);
    expect(hitsOf(db, loaded, 'windpipe').length).toBeGreaterThan(0);
    loaded.close();
    db.close();
  });

  it('serves an index it had to rebuild from memory when the disk cannot take it, and saves it once it can', async () => {
    const dataDir = tempDir();
    const db = openDatabase(dataDir);
    await ingestSources(storeOver(db), [SEEDS, PELICAN], { now });
    const reference = loadIndex(db, dataDir);
    const expected = hitsOf(db, reference, 'probation officer');
    const whole = readFileSync(join(dataDir, INDEX_FILE));
    reference.close();
    writeFileSync(join(dataDir, INDEX_FILE), whole.subarray(0, whole.length >> 1)); // torn: must be rebuilt

    const inMemory = loadIndex(db, dataDir, { write: diskFullAfter(16 * 1024) });
    expect(inMemory.origin).toBe('unreadable');
    expect(inMemory.unsaved).toMatch(FULL);
    expect(hitsOf(db, inMemory, 'probation officer')).toEqual(expected);
    inMemory.close();
    expect(leftovers(dataDir)).toEqual([]);

    const saved = loadIndex(db, dataDir);
    expect(saved).toMatchObject({ origin: 'unreadable', unsaved: null });
    expect(readFileSync(join(dataDir, INDEX_FILE)).equals(whole)).toBe(true);
    saved.close();
    db.close();
  });

  it('through the CLI, an index file that cannot be replaced: search answers with a warning, reindex fails in one line', async () => {
    const dataDir = tempDir();
    const ingest = await cliAsync(['ingest', SEEDS], dataDir);
    expect(ingest.status, ingest.stderr).toBe(0);
    const before = await cliAsync(['search', 'probation officer', '--json'], dataDir);
    // Something in the index file's place that no write can replace (works as root too, unlike chmod).
    rmSync(join(dataDir, INDEX_FILE));
    mkdirSync(join(dataDir, INDEX_FILE, 'in-the-way'), { recursive: true });

    const search = await cliAsync(['search', 'probation officer', '--json'], dataDir);
    expect(search.status, search.stderr).toBe(0);
    expect(search.stdout).toBe(before.stdout);
    expect(search.stderr.trim().split('\n')).toEqual([
      'search index rebuilt (unreadable)',
      expect.stringMatching(
        /^warning: the search index could not be saved .*search\.index is a directory where a file belongs: move it aside \(E\w+\); searching with the index built in memory$/,
      ),
    ]);

    const reindex = await cliAsync(['reindex'], dataDir);
    expect(reindex.status).toBe(1);
    expect(reindex.stderr).toMatch(/^error: the search index could not be saved [^\n]*\n$/);
    expect(leftovers(dataDir)).toEqual([]);
    expect(checkStore(dataDir).integrity).toBe('ok');
  }, 60_000);
});
