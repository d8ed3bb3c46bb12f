// What a pasted blog address names, for `cli hide`: a comment by its permalink (or just its `#c` id), a post by
// its address in any of the forms a browser shows it; an address naming a comment the archive lacks is refused,
// never widened to the whole post.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetOf } from '../../src/app/takedowns.js';
import { UserProblem } from '../../src/app/userProblem.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { connectionOf, openStore, type Store } from '../../src/store/store.js';
import { BLOG_URL, FIXTURES, tempDir } from '../helpers.js';

let store: Store;
let post: { id: string; url: string };
let comment: { id: string; permalink: string };

beforeAll(async () => {
  store = openStore(join(tempDir(), 'data'));
  await ingestSources(store, [join(FIXTURES, 'blogger-export-classic-threaded-2019.xml')], {
    now: () => '2026-11-23T08:00:00Z',
    blogUrl: BLOG_URL,
  });
  const db = connectionOf(store);
  comment = db
    .prepare('SELECT id, permalink FROM comments WHERE permalink IS NOT NULL LIMIT 1')
    .get() as typeof comment;
  post = db.prepare('SELECT id, url FROM posts WHERE url IS NOT NULL LIMIT 1').get() as typeof post;
});
afterAll(() => store.close());

describe('a blog address as a takedown target', () => {
  it('names a comment by its permalink, or by its #c id on any address', () => {
    expect(comment?.permalink).toMatch(/#c\d+$/);
    expect(targetOf(store, comment.permalink)).toMatchObject({ kind: 'comment', target: comment.id });
    const mobile = comment.permalink.replace('?showComment=', '?m=1&showComment=');
    expect(targetOf(store, mobile)).toMatchObject({ kind: 'comment', target: comment.id });
  });

  it('names a post by its address, with http, a query or a fragment as browsers show it', () => {
    expect(post?.url).toMatch(/^https?:\/\//);
    const bare = post.url.replace(/^https?:/, '');
    for (const address of [post.url, `http:${bare}`, `https:${bare}?m=1`, `https:${bare}#more`]) {
      expect(targetOf(store, address)).toMatchObject({ kind: 'post', target: post.id });
    }
  });

  it('refuses a comment address the archive lacks, rather than hiding its post', () => {
    const unknown = `${post.url}?showComment=1#c1`;
    expect(() => targetOf(store, unknown)).toThrow(UserProblem);
    expect(() => targetOf(store, `${post.url}?showComment=1`)).toThrow(/no post or comment in the archive/);
  });
});
