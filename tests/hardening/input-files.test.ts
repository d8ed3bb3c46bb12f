// Files ingested whole rather than streamed (page copies, saved JSON feed
// pages), broken or oversized: a clear line per file, never a crash, and the
// other files of the same ingest still stored. Every file here is made up.
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestSources } from '../../src/ingest/ingest.js';
import { archiveStats } from '../../src/store/archive.js';
import { openDatabase } from '../../src/store/db.js';
import { tempDir } from '../helpers.js';
import { storeOver } from '../../src/store/store.js';

const now = () => '2026-11-23T08:00:00.000Z';
const PAGE_COPY = 'Thursday, 23 November 2023\nFake post title\n\nFake first paragraph of a made-up post.\n';

describe('files read whole', () => {
  it('stores a page copy with bytes that are not UTF-8, warning with the line of the first', async () => {
    const dir = tempDir();
    const file = join(dir, 'copy.txt');
    const [before, after] = PAGE_COPY.split('first') as [string, string];
    // A stray NUL in a page copy of some length is damage; a file that is mostly NULs is binary and refused.
    const rest = `first${after}${'\nFake further paragraph of made-up words.\n'.repeat(20)}`;
    writeFileSync(file, Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xfe, 0x00]), Buffer.from(rest)]));
    const db = openDatabase(join(dir, 'data'));
    const report = await ingestSources(storeOver(db), [file], { now });
    expect(report.sources[0]).toMatchObject({ posts: 1, errors: [] });
    expect(report.sources[0]!.warnings).toContainEqual(
      expect.stringMatching(new RegExp(`^${file}:4: bytes that are not valid UTF-8 text, here and in 2 more places`)),
    );
    const text = db.prepare('SELECT text FROM posts').pluck().get() as string;
    expect(text).toMatch(/^Fake \uFFFD\uFFFD\uFFFDfirst paragraph of a made-up post\.\n\nFake further/);
    db.close();
  });

  it('refuses a page copy too large to read whole in one line, and stores the files beside it', async () => {
    const dir = tempDir();
    const huge = join(dir, 'a-huge.txt');
    const fd = openSync(huge, 'w');
    const filler = `${PAGE_COPY}${'fake filler line\n'.repeat(60_000)}`;
    for (let written = 0; written < 70 * 1024 * 1024; written += filler.length) writeSync(fd, filler);
    closeSync(fd);
    writeFileSync(join(dir, 'b-fine.txt'), PAGE_COPY);
    const db = openDatabase(tempDir());
    const report = await ingestSources(storeOver(db), [dir], { now });
    expect(report.sources.map((s) => s.errors)).toEqual([
      [`${huge}: 70 MB is too large for a page copy (at most 64 MB): not read`],
      [],
    ]);
    expect(archiveStats(db)).toMatchObject({ posts: 1 });
    db.close();
  });

  it.each([
    ['entries that are not objects', { feed: { entry: ['x', 7, null, { id: { $t: 12 } }] } }],
    [
      'fields of the wrong type',
      {
        feed: {
          link: 'x',
          entry: {
            id: { $t: 'tag:blogger.com,1999:blog-1.post-42' },
            title: 5,
            content: { $t: ['x'] },
            category: 'x',
            link: {},
            author: 'x',
          },
        },
      },
    ],
    ['a feed that is a list', { feed: [] }],
  ])('reads a saved JSON feed page with %s without crashing', async (_what, json) => {
    const dir = tempDir();
    const file = join(dir, 'feed.json');
    // A `$t` value up front, as every GData feed has, so the file is read as a saved feed page.
    writeFileSync(file, JSON.stringify(json).replace(/^\{/, '{"$t":"x",'));
    const db = openDatabase(join(dir, 'data'));
    const report = await ingestSources(storeOver(db), [file], { now });
    expect(report.sources).toMatchObject([{ format: 'blogger-feed-json' }]);
    for (const line of [...report.sources[0]!.errors, ...report.sources[0]!.warnings])
      expect(line).toMatch(new RegExp(`^${file}(:\\d+)?: `));
    db.close();
  });

  it('says a saved JSON "feed" that is a list is no Blogger feed, rather than reading nothing in silence', async () => {
    const dir = tempDir();
    const file = join(dir, 'feed.json');
    writeFileSync(file, '{"$t":"x","feed":[]}');
    const db = openDatabase(join(dir, 'data'));
    const report = await ingestSources(storeOver(db), [file], { now });
    expect(report.sources[0]!.warnings).toEqual([`${file}:1: JSON without a "feed" object: not a Blogger feed`]);
    db.close();
  });
});
