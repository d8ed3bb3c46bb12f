import { describe, expect, it } from 'vitest';
import { openArchive } from '../../src/app/archive.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { archiveStats, journalPosition, readPost, storeParsedPost } from '../../src/store/archive.js';
import { openDatabase } from '../../src/store/db.js';
import { BLOG_URL, SEEDS, seedPath, tempDir } from '../helpers.js';
import { storeOver } from '../../src/store/store.js';

const now = () => '2026-11-23T08:00:00.000Z';

describe('ingest into the store', () => {
  it('stores the 26 seed posts and their comments, and a second run changes nothing', async () => {
    const db = openDatabase(tempDir());
    const first = await ingestSources(storeOver(db), [SEEDS], { now });
    expect(first.counts.added).toBe(26 + 102);
    expect(archiveStats(db)).toMatchObject({
      posts: 26,
      comments: 102,
      undatedPosts: 1,
      firstDate: '2021-11-12',
      lastDate: '2024-02-19',
    });
    const before = journalPosition(db);

    const second = await ingestSources(storeOver(db), [SEEDS], { now });
    expect(second.counts).toEqual({ added: 0, updated: 0, skipped: 128 });
    expect(journalPosition(db)).toBe(before);
    expect(archiveStats(db)).toMatchObject({ posts: 26, comments: 102 });
    db.close();
  });

  it('merges an overlapping source: the same file named twice, or a file and its directory', async () => {
    const db = openDatabase(tempDir());
    const report = await ingestSources(storeOver(db), [seedPath('001'), SEEDS, seedPath('001')], { now });
    expect(report.counts.added).toBe(128);
    expect(archiveStats(db)).toMatchObject({ posts: 26, comments: 102 });
    db.close();
  });

  it('loses nothing stored before a failure mid-ingest, and stores no half post', async () => {
    const db = openDatabase(tempDir());
    // A real SQLite error while storing one comment of "The Probation Treadmill".
    db.exec(`CREATE TEMP TRIGGER injected_failure BEFORE INSERT ON comments
             WHEN NEW.text LIKE 'Trashed, trashed%' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    const report = await ingestSources(storeOver(db), [SEEDS], { now });

    const errors = report.sources.flatMap((s) => s.errors);
    expect(errors).toEqual([
      expect.stringMatching(/001_.*\.txt:1: post "The Probation Treadmill" not stored: injected failure/),
    ]);
    expect(archiveStats(db)).toMatchObject({ posts: 25, comments: 94 });
    const leftovers = db
      .prepare(
        "SELECT (SELECT count(*) FROM posts WHERE title = 'The Probation Treadmill') + (SELECT count(*) FROM comments WHERE text LIKE '%treadmill is what you get%') + (SELECT count(*) FROM passages WHERE text LIKE '%Running on the treadmill%') AS n",
      )
      .get() as { n: number };
    expect(leftovers.n).toBe(0);

    db.exec('DROP TRIGGER injected_failure');
    const retry = await ingestSources(storeOver(db), [SEEDS], { now });
    expect(retry.counts).toMatchObject({ added: 9, updated: 0 });
    expect(archiveStats(db)).toMatchObject({ posts: 26, comments: 102 });
    db.close();
  });

  it('reports each bad source on one line and still ingests the good ones', async () => {
    const dir = tempDir();
    const { writeFileSync, copyFileSync, mkdirSync } = await import('node:fs');
    mkdirSync(`${dir}/in/nested`, { recursive: true });
    writeFileSync(`${dir}/in/empty.txt`, '');
    writeFileSync(`${dir}/in/junk.bin`, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0xff, 0xfe]));
    writeFileSync(`${dir}/in/notes.txt`, 'Just some notes with no date lines and nothing that looks like the blog.\n');
    copyFileSync(seedPath('001'), `${dir}/in/nested/treadmill.dump`);
    const db = openDatabase(`${dir}/data`);
    const report = await ingestSources(storeOver(db), [`${dir}/in`, `${dir}/missing.txt`], { now });
    const errors = report.sources.flatMap((s) => s.errors);
    expect(errors).toEqual([
      expect.stringMatching(/empty\.txt: empty file/),
      expect.stringMatching(/junk\.bin: binary file/),
      expect.stringMatching(/notes\.txt: unknown format/),
      expect.stringMatching(/missing\.txt: no such file or directory/),
    ]);
    expect(errors.every((e) => !e.includes('\n'))).toBe(true);
    expect(archiveStats(db)).toMatchObject({ posts: 1, comments: 8 });
    db.close();
  });

  it('updates a post whose text changed in a newer copy, keeping its id', async () => {
    const dir = tempDir();
    const { readFileSync, writeFileSync } = await import('node:fs');
    const original = readFileSync(seedPath('001'), 'utf8');
    writeFileSync(`${dir}/v1.txt`, original);
    writeFileSync(`${dir}/v2.txt`, original.replace('The MoJ promoted TR', 'The MoJ (as edited) promoted TR'));
    const db = openDatabase(`${dir}/data`);
    await ingestSources(storeOver(db), [`${dir}/v1.txt`], { now });
    const second = await ingestSources(storeOver(db), [`${dir}/v2.txt`], { now });
    expect(second.counts).toEqual({ added: 0, updated: 1, skipped: 8 });
    expect(archiveStats(db).posts).toBe(1);
    const text = (db.prepare('SELECT text FROM posts').get() as { text: string }).text;
    expect(text).toContain('(as edited)');
    db.close();
  });

  it('stores an edit of the title alone (same text, same date)', () => {
    const db = openDatabase(`${tempDir()}/data`);
    const post = {
      id: 'fake-retitled',
      title: 'Fake first title',
      date: '2024-03-01',
      time: null,
      author: null,
      url: null,
      labels: [],
      text: 'Made-up text that does not change.',
    };
    const store = (title: string) =>
      storeParsedPost(db, { line: 1, post: { ...post, title }, comments: [], warnings: [] }, 'test', now());
    expect(store('Fake first title')).toMatchObject({ added: 1, updated: 0 });
    expect(store('Fake second title')).toMatchObject({ added: 0, updated: 1 });
    expect(readPost(db, 'fake-retitled')?.title).toBe('Fake second title');
    expect(store('Fake second title')).toMatchObject({ added: 0, updated: 0 });
    db.close();
  });
});

describe('the saved index', () => {
  it('is built on first use, loaded afterwards, and caught up with what was stored since', async () => {
    const dataDir = tempDir();
    const archive = openArchive(dataDir, BLOG_URL);
    await ingestSources(archive.store, [seedPath('001')], { now });
    expect(archive.index().origin).toBe('missing');
    archive.close();

    const again = openArchive(dataDir, BLOG_URL);
    expect(again.index().origin).toBe('loaded');
    expect(again.search('treadmill')[0]?.postTitle).toBe('The Probation Treadmill');
    await ingestSources(again.store, [seedPath('004')], { now });
    expect(again.refresh()).toEqual({ changedPosts: 1 });
    expect(again.search('civil service')[0]?.postTitle).toBe('Probation Must be Free of Civil Service');
    again.close();

    const third = openArchive(dataDir, BLOG_URL);
    expect(third.index()).toMatchObject({ origin: 'loaded', caughtUp: 1 });
    expect(third.search('civil service')[0]?.postTitle).toBe('Probation Must be Free of Civil Service');
    third.close();
  });
});
