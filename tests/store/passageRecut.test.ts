// Passages cut by an earlier version of the rules are cut again when the archive opens: an upgrade brings every
// stored post to what the rules now promise, keeping the passages that come out the same.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../src/app/archive.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { connectionOf } from '../../src/store/store.js';
import { BLOG_URL, exactParagraph, tempDir } from '../helpers.js';

const now = () => '2026-11-23T08:00:00Z';

const para = exactParagraph;

/** A made-up export of one post: a paragraph of 1,400 characters, then a short one of 99. */
function exportOfOnePost(dir: string): string {
  const path = join(dir, 'export.xml');
  const html = `<p>${para(1400, 'a')}</p><p>${para(99, 'b')}</p>`.replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  writeFileSync(
    path,
    [
      "<?xml version='1.0' encoding='UTF-8'?>",
      "<feed xmlns='http://www.w3.org/2005/Atom'>",
      '<entry><id>tag:blogger.com,1999:blog-7.post-9101</id><published>2021-03-04T10:00:00.000Z</published>',
      "<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#post'/>",
      `<title type='text'>A Made-Up Post</title><content type='html'>${html}</content>`,
      "<link rel='alternate' type='text/html' href='https://probationmatters.blogspot.com/2021/03/a-made-up-post.html'/><author><name>Fake Editor</name></author></entry>",
      '</feed>',
    ].join('\n'),
  );
  return path;
}

describe('passages cut by earlier rules', () => {
  it('are cut again on open: a short last paragraph left joined past 1,500 characters stands alone again', async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    const told: string[] = [];
    const first = openArchive(data, BLOG_URL, { onRecutting: () => told.push('first') });
    await ingestSources(first.store, [exportOfOnePost(dir)], { now });
    const db = connectionOf(first.store);
    const lengths = () =>
      (
        db.prepare("SELECT length(text) AS n FROM passages WHERE post_id = '9101' ORDER BY ord").all() as {
          n: number;
        }[]
      ).map((r) => r.n);
    expect(lengths()).toEqual([1400, 99]);
    // As version 3 of the rules left it: the short paragraph joined to the one before, 1,501 characters.
    db.transaction(() => {
      const [long, short] = db.prepare("SELECT id, text FROM passages WHERE post_id = '9101' ORDER BY ord").all() as {
        id: number;
        text: string;
      }[];
      db.prepare('UPDATE passages SET text = ? WHERE id = ?').run(`${long!.text}\n\n${short!.text}`, long!.id);
      db.prepare('DELETE FROM passages WHERE id = ?').run(short!.id);
      db.prepare("UPDATE meta SET value = '3' WHERE key = 'passage_format'").run();
    })();
    expect(lengths()).toEqual([1501]);
    first.close();

    expect(told).toEqual([]); // a new archive has nothing to cut again
    const again = openArchive(data, BLOG_URL, { onRecutting: () => told.push('again') });
    expect(told).toEqual(['again']);
    const reopened = connectionOf(again.store);
    const cut = reopened
      .prepare("SELECT length(text) AS n, author FROM passages WHERE post_id = '9101' ORDER BY ord")
      .all() as { n: number; author: string | null }[];
    expect(cut).toEqual([
      { n: 1400, author: 'Fake Editor' },
      { n: 99, author: 'Fake Editor' },
    ]);
    // And search finds the short paragraph's words as a passage of its own, with the post's credit.
    const hit = again.search('bord')[0]!;
    expect(hit.postUrl).toBe('https://probationmatters.blogspot.com/2021/03/a-made-up-post.html');
    again.close();
    // Cut by these rules now: the next open has nothing to cut again.
    openArchive(data, BLOG_URL, { onRecutting: () => told.push('third') }).close();
    expect(told).toEqual(['again']);
  });
});
