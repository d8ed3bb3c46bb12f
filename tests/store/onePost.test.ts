// The same post from a page copy (text dump) and from the blog itself (an
// export or the live feeds) is one post: the blog's copy, with its permalinks.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../src/app/archive.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { connectionOf } from '../../src/store/store.js';
import { BLOG_URL, seedPath, tempDir } from '../helpers.js';

const now = () => '2026-11-23T08:00:00Z';

/** A made-up export holding a post under a seed post's title and day (its text and comment are made up). */
function exportOfTreadmill(dir: string): string {
  const kind = (k: string) =>
    `<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#${k}'/>`;
  const path = join(dir, 'export.xml');
  writeFileSync(
    path,
    [
      "<?xml version='1.0' encoding='UTF-8'?>",
      "<feed xmlns='http://www.w3.org/2005/Atom' xmlns:thr='http://purl.org/syndication/thread/1.0'>",
      `<entry><id>tag:blogger.com,1999:blog-7.post-9001</id><published>2022-07-03T10:00:00.000Z</published>${kind('post')}`,
      "<title type='text'>The Probation  Treadmill</title><content type='html'>&lt;p&gt;Made-up body of the blog's own copy, about an invented zebrafish rota.&lt;/p&gt;</content>",
      "<link rel='alternate' type='text/html' href='https://probationmatters.blogspot.com/2022/07/the-probation-treadmill.html'/><author><name>Fake Editor</name></author></entry>",
      `<entry><id>tag:blogger.com,1999:blog-7.post-9002</id><published>2022-07-03T12:00:00.000Z</published>${kind('comment')}`,
      "<content type='html'>A made-up comment on the blog's copy.</content><author><name>Anonymous</name></author>",
      "<link rel='alternate' type='text/html' href='https://probationmatters.blogspot.com/2022/07/the-probation-treadmill.html?showComment=1656849600000#c9002'/>",
      "<thr:in-reply-to ref='tag:blogger.com,1999:blog-7.post-9001' href='https://probationmatters.blogspot.com/2022/07/the-probation-treadmill.html'/></entry>",
      '</feed>',
    ].join('\n'),
  );
  return path;
}

const treadmills = (archive: ReturnType<typeof openArchive>) =>
  connectionOf(archive.store).prepare("SELECT id, url FROM posts WHERE lower(title) LIKE '%treadmill%'").all() as {
    id: string;
    url: string | null;
  }[];

describe('one post, whatever its sources', () => {
  it('keeps one post when the seeds are ingested and then an export holding the same post', async () => {
    const dir = tempDir();
    const archive = openArchive(join(dir, 'data'), BLOG_URL);
    await ingestSources(archive.store, [seedPath('001')], { now });
    expect(treadmills(archive)).toHaveLength(1);
    const report = await ingestSources(archive.store, [exportOfTreadmill(dir)], { now });
    expect(report.sources[0]!.errors).toEqual([]);
    expect(treadmills(archive)).toEqual([
      { id: '9001', url: 'https://probationmatters.blogspot.com/2022/07/the-probation-treadmill.html' },
    ]);
    expect(report.counts).toMatchObject({ added: 1, updated: 1 }); // the comment added; the post is the same post
    const hit = archive.search('zebrafish rota')[0]!;
    expect(hit.postUrl).toBe('https://probationmatters.blogspot.com/2022/07/the-probation-treadmill.html');
    archive.close();
  });

  it("adds nothing from the page copy when the blog's own copy came first", async () => {
    const dir = tempDir();
    const archive = openArchive(join(dir, 'data'), BLOG_URL);
    await ingestSources(archive.store, [exportOfTreadmill(dir)], { now });
    const report = await ingestSources(archive.store, [seedPath('001')], { now });
    expect(report.counts.added).toBe(0);
    expect(treadmills(archive)).toEqual([
      { id: '9001', url: 'https://probationmatters.blogspot.com/2022/07/the-probation-treadmill.html' },
    ]);
    archive.close();
  });
});
