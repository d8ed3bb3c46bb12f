import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../src/app/archive.js';
import { ingestSources, type IngestProgress } from '../../src/ingest/ingest.js';
import { archiveStats, readComments, stalePostCount } from '../../src/store/archive.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { BLOG_URL, FIXTURES, cli, tempDir } from '../helpers.js';
import { connectionOf, storeOver } from '../../src/store/store.js';

const now = () => '2026-11-23T08:00:00.000Z';
const THREADED = join(FIXTURES, 'blogger-export-classic-threaded-2019.xml');
const PELICAN = join(FIXTURES, 'blogger-export-classic-pelican-2018.xml');
const GHOST = join(FIXTURES, 'blogger-export-classic-ghost-importer-2012.xml');

const passageCount = (db: Db, where = '1') =>
  db.prepare(`SELECT count(*) FROM passages WHERE ${where}`).pluck().get() as number;

/** A made-up classic export; every name and word in it is invented for the test. */
function writeExport(path: string, entries: string[]): string {
  const kind = (k: string) =>
    `<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#${k}'/>`;
  const body = entries.map((e) => {
    const [type, id, rest] = e.split('|') as [string, string, string];
    if (type === 'post') {
      return (
        `<entry><id>tag:blogger.com,1999:blog-7.post-${id}</id><published>2022-02-02T10:00:00.000Z</published>${kind('post')}` +
        `<title type='text'>Fake post ${id}</title><content type='html'>${rest}</content>` +
        `<link rel='alternate' type='text/html' href='https://fake-blog.example/p${id}.html'/><author><name>Fake Editor</name></author></entry>`
      );
    }
    const [postId, text] = rest.split('>') as [string, string];
    return (
      `<entry><id>tag:blogger.com,1999:blog-7.post-${id}</id><published>2022-02-03T11:00:00.000Z</published>${kind('comment')}` +
      `<content type='html'>${text}</content><author><name>Anonymous</name></author>` +
      `<thr:in-reply-to ref='tag:blogger.com,1999:blog-7.post-${postId}' href='https://fake-blog.example/p${postId}.html'/></entry>`
    );
  });
  writeFileSync(
    path,
    [
      "<?xml version='1.0' encoding='UTF-8'?>",
      "<feed xmlns='http://www.w3.org/2005/Atom' xmlns:thr='http://purl.org/syndication/thread/1.0'>",
      ...body,
      '</feed>',
    ].join('\n'),
  );
  return path;
}

describe('ingesting Blogger exports', () => {
  it('stores posts and comments, and a second run adds and updates nothing', async () => {
    const db = openDatabase(tempDir());
    const first = await ingestSources(storeOver(db), [THREADED, PELICAN, GHOST], { now });
    expect(first.sources.map((s) => [s.format, s.posts, s.comments, s.errors])).toEqual([
      ['blogger-export', 7, 6, []],
      ['blogger-export', 1, 1, []],
      ['blogger-export', 4, 0, []],
    ]);
    expect(first.counts).toEqual({ added: 12 + 7, updated: 0, skipped: 0 });
    expect(archiveStats(db)).toMatchObject({ posts: 12, comments: 7, firstDate: '2010-10-08', lastDate: '2018-07-07' });
    const passages = passageCount(db);

    const second = await ingestSources(storeOver(db), [THREADED, PELICAN, GHOST], { now });
    expect(second.counts).toEqual({ added: 0, updated: 0, skipped: 19 });
    expect(archiveStats(db)).toMatchObject({ posts: 12, comments: 7 });
    expect(passageCount(db)).toBe(passages);
    db.close();
  });

  it('stores the threads with parent ids and permalinks, and cuts every comment into passages', async () => {
    const db = openDatabase(tempDir());
    await ingestSources(storeOver(db), [THREADED], { now });
    const comments = readComments(db, '4049156646748610070');
    expect(comments.map((c) => [c.id, c.parentId])).toEqual([
      ['4427771335982415454', null],
      ['9194569436234002269', '4427771335982415454'],
      ['5321406067876946484', null],
      ['7071214881861130764', '5321406067876946484'],
      ['703733974599135651', null],
      ['7872405309194510957', '4427771335982415454'],
    ]);
    expect(comments[1]!.permalink).toBe(
      'https://200ok-weblog-test.blogspot.com/2012/10/semiotics-hoodie.html?showComment=1352034919753#c9194569436234002269',
    );
    expect(passageCount(db, "kind = 'comment'")).toBe(6);
    expect(stalePostCount(db)).toBe(0);
    db.close();
  });

  it('reads in small chunks the same as in one, lines and all', async () => {
    const db = openDatabase(tempDir());
    const report = await ingestSources(storeOver(db), [PELICAN], { now, chunkBytes: 7 });
    expect(report.sources[0]!.warnings).toEqual([
      expect.stringMatching(/pelican-2018\.xml:973: namespace prefix "app:"/),
    ]);
    expect(readComments(db, '1858599377741856733')[0]!.author).toBe('Thomas Isidore Noël Sankara');
    db.close();
  });

  it('keeps characters whole when a chunk ends inside one', async () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'data'));
    const text = 'Naïve café “quotes” — £5 ✓ 🙂';
    await ingestSources(
      storeOver(db),
      [writeExport(join(dir, 'a.xml'), [`post|501|${text}`, `comment|601|501>${text}`])],
      {
        now,
        chunkBytes: 1,
      },
    );
    expect(db.prepare('SELECT text FROM posts').pluck().get()).toBe(text);
    expect(readComments(db, '501')[0]!.text).toBe(text);
    db.close();
  });

  it('reports progress in bytes, ending at the file size', async () => {
    const db = openDatabase(tempDir());
    const events: IngestProgress[] = [];
    await ingestSources(storeOver(db), [THREADED], { now, chunkBytes: 64 * 1024, onProgress: (e) => events.push(e) });
    const bytes = events.filter((e) => e.type === 'bytes');
    expect(bytes.length).toBeGreaterThan(3);
    expect(bytes.at(-1)).toMatchObject({ done: 204827, total: 204827 });
    expect(bytes.map((e) => e.done)).toEqual([...bytes.map((e) => e.done)].sort((a, b) => a - b));
    db.close();
  });

  it('warns (with the line) about comments whose post is nowhere, and stores comments on posts an earlier ingest stored', async () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'data'));
    await ingestSources(storeOver(db), [writeExport(join(dir, 'a.xml'), ['post|501|A made-up post about rotas.'])], {
      now,
    });
    const report = await ingestSources(
      storeOver(db),
      [
        writeExport(join(dir, 'b.xml'), [
          'comment|601|501>A made-up comment on the earlier post.',
          'comment|602|999>A made-up comment on a post that is nowhere.',
        ]),
      ],
      { now },
    );
    expect(report.sources[0]!.warnings).toEqual([
      expect.stringMatching(
        /b\.xml:4: comment 602 is on post 999, which is not in this file or the archive: not stored/,
      ),
    ]);
    expect(report.counts).toEqual({ added: 1, updated: 0, skipped: 0 });
    expect(readComments(db, '501').map((c) => c.id)).toEqual(['601']);
    expect(archiveStats(db).comments).toBe(1);
    db.close();
  });

  it('updates a comment whose text changed, and re-cuts its passages', async () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'data'));
    await ingestSources(
      storeOver(db),
      [writeExport(join(dir, 'v1.xml'), ['post|501|Post body.', 'comment|601|501>Original made-up wording.'])],
      { now },
    );
    const report = await ingestSources(
      storeOver(db),
      [writeExport(join(dir, 'v2.xml'), ['post|501|Post body.', 'comment|601|501>Edited made-up wording.'])],
      { now },
    );
    expect(report.counts).toEqual({ added: 0, updated: 1, skipped: 1 });
    const texts = db.prepare("SELECT text FROM passages WHERE kind = 'comment'").pluck().all();
    expect(texts).toEqual(['Edited made-up wording.']);
    db.close();
  });

  it('stores everything else when one row fails, and names the failed one by line', async () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'data'));
    db.exec(`CREATE TEMP TRIGGER injected_failure BEFORE INSERT ON comments
             WHEN NEW.id = '602' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    const report = await ingestSources(
      storeOver(db),
      [
        writeExport(join(dir, 'a.xml'), [
          'post|501|Post body.',
          'comment|601|501>One.',
          'comment|602|501>Two.',
          'comment|603|501>Three.',
        ]),
      ],
      { now },
    );
    expect(report.sources[0]!.errors).toEqual([
      expect.stringMatching(/a\.xml:5: comment 602 not stored: injected failure/),
    ]);
    expect(readComments(db, '501').map((c) => c.id)).toEqual(['601', '603']);
    expect(report.counts.added).toBe(3);
    db.close();
  });

  it('repairs passages on the next open when a crash came between storing rows and re-cutting', async () => {
    const dataDir = tempDir();
    const first = openArchive(dataDir, BLOG_URL);
    const db = connectionOf(first.store);
    // The re-cut fails the way a crash would stop it: rows committed, passages not.
    db.exec(
      "CREATE TEMP TRIGGER injected_crash BEFORE INSERT ON passages BEGIN SELECT RAISE(ABORT, 'simulated crash'); END",
    );
    const report = await ingestSources(storeOver(db), [THREADED], { now });
    expect(report.sources[0]!.errors).toEqual([expect.stringMatching(/simulated crash/)]);
    expect(archiveStats(db)).toMatchObject({ posts: 7, comments: 6 });
    expect(passageCount(db)).toBe(0);
    expect(stalePostCount(db)).toBe(7);
    // The passages are of the current format: only the stale flags can tell the next open what to repair.
    expect(db.prepare("SELECT value FROM meta WHERE key = 'passage_format'").pluck().get()).toBeDefined();
    first.close();

    const archive = openArchive(dataDir, BLOG_URL);
    expect(stalePostCount(connectionOf(archive.store))).toBe(0);
    expect(passageCount(connectionOf(archive.store), "kind = 'comment'")).toBe(6);
    expect(archive.search('reply to comment 1 added after comment 3')[0]).toMatchObject({
      kind: 'comment',
      postTitle: 'semiotics hoodie',
      url: expect.stringContaining('#c7872405309194510957'),
    });
    archive.close();
  });
});

describe('Blogger exports through the CLI and the other format', () => {
  it('prints only the JSON totals on stdout; progress and the warning with its line go to stderr', async () => {
    const run = cli(['ingest', PELICAN, THREADED, '--json'], tempDir());
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ posts: 8, comments: 7, added: 15, updated: 0, skipped: 0 });
    expect(run.stderr).toMatch(/warning: .*pelican-2018\.xml:973: namespace prefix "app:"/);
    expect(run.stderr).toMatch(/0\.2\/0\.2 MB read and stored \(100%/);
  });

  it('ingests a Takeout feed, building post links from the configured blog address', async () => {
    const dir = tempDir();
    const file = join(dir, 'feed.atom');
    // Made-up: no real Takeout export was found (see notes/formats.md for the shape).
    writeFileSync(
      file,
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:blogger="http://schemas.google.com/blogger/2018">',
        '<entry><id>tag:blogger.com,1999:blog-9.post-101</id><blogger:type>POST</blogger:type><blogger:status>LIVE</blogger:status>' +
          '<title>A fake post</title><content type="html">Made-up text.</content><published>2023-01-10T09:00:00Z</published>' +
          '<blogger:filename>/2023/01/a-fake-post.html</blogger:filename></entry>',
        '<entry><id>tag:blogger.com,1999:blog-9.post-201</id><blogger:type>COMMENT</blogger:type><blogger:status>LIVE</blogger:status>' +
          '<blogger:parent>tag:blogger.com,1999:blog-9.post-101</blogger:parent><content type="html">Made-up comment.</content>' +
          '<published>2023-01-11T10:00:00Z</published></entry>',
        '</feed>',
      ].join('\n'),
    );
    const db = openDatabase(join(dir, 'data'));
    const report = await ingestSources(storeOver(db), [file], { now, blogUrl: 'https://fake-blog.example' });
    expect(report.sources[0]).toMatchObject({ format: 'blogger-takeout', posts: 1, comments: 1, errors: [] });
    expect(db.prepare('SELECT url FROM posts').pluck().get()).toBe(
      'https://fake-blog.example/2023/01/a-fake-post.html',
    );
    expect(readComments(db, '101')[0]!.permalink).toBe(
      `https://fake-blog.example/2023/01/a-fake-post.html?showComment=${Date.UTC(2023, 0, 11, 10)}#c201`,
    );
    db.close();
  });
});
