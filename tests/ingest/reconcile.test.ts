// Deletions followed: a fake blog on 127.0.0.1 drops a comment and a post, the reconciliation marks them deleted
// (gone from search at once, kept as thread shape, counted, retracted where posted), then the blog brings one back
// and it is found again. A fault in either feed changes nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { openArchive, type OpenArchive } from '../../src/app/archive.js';
import { createRetractions } from '../../src/app/retractions.js';
import type { ChannelPoster, Dispatch } from '../../src/app/deliveries.js';
import { reconcileBlog, type ReconcileOptions } from '../../src/ingest/reconcile.js';
import { syncBlog } from '../../src/ingest/sync.js';
import { connectionOf } from '../../src/store/store.js';
import { cliAsync, memoryLog, tempDir } from '../helpers.js';
import { type Fault, startFakeBlog, type FakeBlog, type FakeComment, type FakePost } from '../sources/fakeBlog.js';
import { TEST_NETWORK } from '../sources/testNetwork.js';

// Everything here is made up: ten numbered posts about invented rotas, a dozen comments.
const at = (day: number, hour = 9) => new Date(Date.UTC(2024, 0, day, hour)).toISOString();
const fakePost = (n: number): FakePost => ({
  id: String(7_200_000_000_000_000_000n + BigInt(n)),
  title: `Fake post ${n} about rota heron${n}`,
  html: `<p>Made-up opening of fake post ${n} with the word otter${n}.</p>`,
  published: at(n),
  updated: at(n, 10),
});
const fakeComment = (n: number, post: FakePost, parent?: FakeComment): FakeComment => ({
  id: String(8_200_000_000_000_000_000n + BigInt(n)),
  postId: post.id,
  parentId: parent?.id,
  html: `Made-up comment ${n} mentioning badger${n}.`,
  published: at(Number(post.published.slice(8, 10)), 12 + (n % 10)),
  updated: at(Number(post.published.slice(8, 10)), 12 + (n % 10)),
});

function sampleBlog(): { posts: FakePost[]; comments: FakeComment[] } {
  const posts = Array.from({ length: 10 }, (_, i) => fakePost(i + 1));
  const comments: FakeComment[] = [];
  // Comment 1 on post 1 has a reply (2) and a reply to that (3): the one the blog deletes is the middle one.
  const c1 = fakeComment(1, posts[0]!);
  const c2 = fakeComment(2, posts[0]!, c1);
  comments.push(c1, c2, fakeComment(3, posts[0]!, c2));
  for (let n = 4; n <= 12; n++) comments.push(fakeComment(n, posts[(n % 9) + 1]!));
  return { posts, comments };
}

let blog: FakeBlog | null = null;
let archive: OpenArchive | null = null;
afterEach(async () => {
  archive?.close();
  archive = null;
  await blog?.close();
  blog = null;
});

/** A clock that moves on a second at each reading: a run's start and end, and rows stored before it, are ordered. */
function steppingClock(from = '2026-11-23T08:00:00.000Z') {
  let t = Date.parse(from);
  return () => new Date((t += 1000)).toISOString();
}

async function setUp() {
  blog = await startFakeBlog({ ...sampleBlog(), cap: 3 });
  archive = openArchive(tempDir(), blog.url);
  const now = steppingClock();
  const feeds = { network: TEST_NETWORK, pageSize: 3, retries: 0, sleep: async () => {} };
  const sync = await syncBlog(archive.store, blog.url, { ...feeds, now });
  expect(sync.complete).toBe(true);
  archive.refresh();
  const reconcile = (more: Partial<ReconcileOptions> = {}) =>
    reconcileBlog(archive!.store, blog!.url, { ...feeds, now, ...more });
  return { blog, archive, reconcile, now };
}

const texts = (a: OpenArchive, query: string) => a.search(query, { limit: 5 }).map((hit) => hit.excerpt);
const drop = <T extends { id: string }>(list: T[], id: string): T =>
  list.splice(
    list.findIndex((e) => e.id === id),
    1,
  )[0]!;

describe('the reconciliation with the blog', () => {
  it('marks a comment and a post the blog deleted: gone from search at once, kept as thread shape, counted', async () => {
    const { blog, archive, reconcile } = await setUp();
    expect(texts(archive, 'badger2')).toEqual([expect.stringContaining('badger2')]);
    const post1 = fakePost(1).id;
    const threadBefore = archive.postThread(post1)!;

    const middle = drop(blog.comments, fakeComment(2, fakePost(1)).id);
    const post7 = drop(blog.posts, fakePost(7).id);
    const post7Comments = blog.comments.filter((c) => c.postId === post7.id);
    blog.comments = blog.comments.filter((c) => c.postId !== post7.id);
    const report = await reconcile();

    expect(report).toMatchObject({
      complete: true,
      refused: null,
      errors: [],
      onBlog: { posts: 9, comments: 11 - post7Comments.length },
      compared: { posts: 10, comments: 12 },
      deleted: { posts: 1, comments: 1 + post7Comments.length },
      restored: { posts: 0, comments: 0 },
    });
    // Both feeds whole, a page of 3 at a time: 4 pages of posts (the last one empty of more), 4 of comments.
    expect(report.requests).toBe(blog.requests.length - 8);
    // At once, before the index catches up (another process's index would be behind too), then after.
    expect(texts(archive, 'badger2')).toEqual([]);
    expect(texts(archive, 'otter7')).toEqual([]);
    archive.refresh();
    expect(texts(archive, 'badger2')).toEqual([]);
    expect(texts(archive, 'badger3')).toEqual([expect.stringContaining('badger3')]);

    // The store keeps the row, its place and its parent, and no text.
    const db = connectionOf(archive.store);
    expect(db.prepare('SELECT parent_id, deleted, text, author FROM comments WHERE id = ?').get(middle.id)).toEqual({
      parent_id: fakeComment(1, fakePost(1)).id,
      deleted: 1,
      text: '',
      author: null,
    });
    expect(db.prepare('SELECT text, title FROM posts WHERE id = ?').get(post7.id)).toEqual({
      text: '',
      title: post7.title,
    });
    expect(db.prepare('SELECT count(*) FROM passages WHERE post_id = ?').pluck().get(post7.id)).toBe(0);
    // The thread still reads as a thread: the reply keeps its place, with nothing of it shown.
    const thread = archive.postThread(post1)!;
    expect(thread.comments.map((c) => c.commentId)).toEqual(threadBefore.comments.map((c) => c.commentId));
    expect(thread.comments.find((c) => c.commentId === middle.id)).toMatchObject({ text: null });
    expect(archive.postThread(post7.id)).toBeNull();

    expect(archive.stats()).toMatchObject({
      posts: 9,
      comments: 11 - post7Comments.length,
      removedComments: 0,
      deletedPosts: 1,
      deletedComments: 1 + post7Comments.length,
    });
    // A second run finds nothing new.
    expect(await reconcile()).toMatchObject({
      deleted: { posts: 0, comments: 0 },
      restored: { posts: 0, comments: 0 },
    });
  });

  it('restores what the blog has again, with its text; no other source brings deleted text back', async () => {
    const { blog, archive, reconcile, now } = await setUp();
    const middle = drop(blog.comments, fakeComment(2, fakePost(1)).id);
    const post10 = drop(blog.posts, fakePost(10).id);
    const post10Comment = drop(blog.comments, fakeComment(8, post10).id);
    expect(await reconcile()).toMatchObject({ deleted: { posts: 1, comments: 2 } });
    expect(texts(archive, 'otter10')).toEqual([]);

    // The blog shows it again, edited since: the sync (asking for what changed) sees it but leaves it deleted...
    blog.comments.push({ ...middle, updated: '2026-11-23T07:00:00.000Z' });
    await syncBlog(archive.store, blog.url, { network: TEST_NETWORK, pageSize: 3, now });
    archive.refresh();
    expect(texts(archive, 'badger2')).toEqual([]);

    // ...and the reconciliation brings it back, text and all, with the post the blog restored and its comment.
    blog.posts.push(post10);
    blog.comments.push(post10Comment);
    const report = await reconcile();
    expect(report).toMatchObject({ restored: { posts: 1, comments: 2 }, deleted: { posts: 0, comments: 0 } });
    archive.refresh();
    expect(texts(archive, 'badger2')).toEqual([expect.stringContaining('badger2')]);
    expect(texts(archive, 'otter10')).toEqual([expect.stringContaining('otter10')]);
    expect(texts(archive, 'badger8')).toEqual([expect.stringContaining('badger8')]);
    expect(archive.stats()).toMatchObject({ posts: 10, comments: 12, deletedPosts: 0, deletedComments: 0 });
    expect(archive.postThread(fakePost(1).id)!.comments.find((c) => c.commentId === middle.id)).toMatchObject({
      author: 'Anonymous',
    });
  });

  it('retracts a posted quote of a deleted comment exactly once', async () => {
    const { blog, archive, reconcile } = await setUp();
    const hit = archive.search('badger5', { limit: 1 })[0]!;
    archive.store.posted.record(
      {
        guildId: 'g',
        channelId: 'c',
        messageId: 'm1',
        what: 'quote',
        key: String(hit.passageId),
        shows: [{ postId: hit.postId, commentId: hit.commentId, author: hit.author }],
      },
      '2026-11-23T09:00:00Z',
    );
    const edits: { messageId: string; dispatch: Dispatch }[] = [];
    const poster: Pick<ChannelPoster, 'serves' | 'edit'> = {
      serves: () => true,
      edit: async (_channel, messageId, dispatch) => {
        edits.push({ messageId, dispatch });
      },
    };
    const retract = () =>
      createRetractions({
        store: archive.store,
        archive,
        poster,
        clock: { now: () => new Date('2026-11-23T10:00:00Z') },
        log: memoryLog().log,
      }).tick();
    expect(await retract()).toMatchObject({ edited: 0 });

    drop(blog.comments, hit.commentId!);
    await reconcile();
    expect(await retract()).toMatchObject({ edited: 1 });
    expect(await retract()).toMatchObject({ edited: 0 });
    expect(edits).toEqual([{ messageId: 'm1', dispatch: { type: 'retracted', what: 'quote' } }]);
  });

  it('compares only the blog’s own posts: another blog’s and page copies are left alone', async () => {
    const { archive, reconcile } = await setUp();
    const other = {
      id: '5550001',
      title: 'A made-up post on another blog',
      date: '2024-02-01',
      time: null,
      author: null,
      url: 'https://another-fake-blog.example/2024/02/made-up.html',
      labels: [],
      text: 'Made-up words about a capybara rota.',
    };
    archive.store.archive.storePost(
      { post: other, comments: [], line: 1, warnings: [] },
      'another-fake-export.xml',
      '2026-11-23T07:00:00Z',
    );
    archive.store.archive.storePost(
      {
        post: { ...other, id: 'txt-made-up', url: null, title: 'A made-up page copy' },
        comments: [],
        line: 1,
        warnings: [],
      },
      'made-up.txt',
      '2026-11-23T07:00:00Z',
    );
    expect(await reconcile()).toMatchObject({ compared: { posts: 10 }, deleted: { posts: 0, comments: 0 } });
    expect(archive.stats()).toMatchObject({ posts: 12, deletedPosts: 0 });
  });

  it('refuses to mark more than a fifth of the archive deleted at once, unless forced', async () => {
    const { blog, archive, reconcile } = await setUp();
    const dropped = blog.posts.splice(0, 3);
    blog.comments = blog.comments.filter((c) => !dropped.some((p) => p.id === c.postId));
    const refused = await reconcile();
    expect(refused).toMatchObject({ complete: true, deleted: { posts: 0, comments: 0 } });
    expect(refused.refused).toMatch(
      /lack 3 of the archive's 10 posts .* more than 20 % at once: nothing was marked deleted/,
    );
    expect(archive.stats()).toMatchObject({ posts: 10, deletedPosts: 0 });

    expect(await reconcile({ force: true })).toMatchObject({ refused: null, deleted: { posts: 3 } });
    expect(archive.stats()).toMatchObject({ posts: 7, deletedPosts: 3 });
  });
});

describe('the blog changing while it is read', () => {
  it('a comment deleted meanwhile stops the run, with nothing changed (the rest moved up a place)', async () => {
    const { blog, archive, reconcile } = await setUp();
    blog.onPage = (feed, startIndex) => {
      if (feed === 'comments' && startIndex === 4) {
        blog.onPage = null;
        drop(blog.comments, fakeComment(9, fakePost(1)).id);
      }
    };
    const report = await reconcile();
    expect(report.errors).toEqual([
      expect.stringMatching(/comments feed lost entries while it was read \(12, then 11\)/),
    ]);
    expect(archive.stats()).toMatchObject({ comments: 12, deletedComments: 0 });
  });

  it('a comment written meanwhile is no deletion of anything', async () => {
    const { blog, archive, reconcile } = await setUp();
    blog.onPage = (feed, startIndex) => {
      if (feed === 'comments' && startIndex === 4) {
        blog.onPage = null;
        blog.comments.push({ ...fakeComment(13, fakePost(2)), published: at(28), updated: at(28) });
      }
    };
    expect(await reconcile()).toMatchObject({ complete: true, errors: [], deleted: { posts: 0, comments: 0 } });
    expect(archive.stats()).toMatchObject({ comments: 12, deletedComments: 0 });
  });
});

describe('a fault while the blog is read changes nothing', () => {
  const faults: [string, Fault, number][] = [
    ['a 500 after every retry', { status: 500 }, 3],
    ['a truncated page', 'truncated', 1],
    ['a connection reset', 'reset', 3],
    ['bad XML', 'bad-xml', 1],
    ['an entry without a Blogger id', 'odd-entry', 1],
    ['a page that ends the feed early', 'last-page', 1],
  ];
  for (const feed of ['posts', 'comments'] as const) {
    for (const [name, fault, times] of faults) {
      it(`${name} in the ${feed} feed`, async () => {
        const { blog, archive, reconcile } = await setUp();
        drop(blog.comments, fakeComment(5, fakePost(6)).id);
        // The second page: a fault past the first page must not look like the end of the feed.
        blog.failNext(feed, fault, times, { startIndex: 4 });
        const report = await reconcile({ retries: 2 });
        expect(report.complete).toBe(false);
        expect(report.errors).toEqual([expect.stringMatching(/nothing was marked deleted or restored$/)]);
        expect(report.deleted).toEqual({ posts: 0, comments: 0 });
        expect(archive.stats()).toMatchObject({ comments: 12, deletedComments: 0 });
        expect(texts(archive, 'badger5')).toEqual([expect.stringContaining('badger5')]);
        expect(archive.store.deletions.record(blog.url)).toMatchObject({
          lastSuccess: null,
          lastError: report.errors[0],
        });
      });
    }
  }
});

describe('cli reconcile', () => {
  it('keeps to the production network policy: a blog on this machine is refused in one line, and nothing changes', async () => {
    blog = await startFakeBlog({ ...sampleBlog() });
    const run = await cliAsync(['reconcile', blog.url, '--json'], tempDir());
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^error: the posts feed http:\/\/127\.0\.0\.1:\d+\/feeds\/posts\/default\S* is not contacted: the bot contacts https addresses only; nothing was marked deleted or restored$/m,
    );
    const reports = JSON.parse(run.stdout) as { complete: boolean; deleted: unknown }[];
    expect(reports).toEqual([
      expect.objectContaining({ blog: blog.url, complete: false, deleted: { posts: 0, comments: 0 } }),
    ]);
    expect(blog.requests).toEqual([]);
  });

  it('refuses what is not a blog address in one line', async () => {
    const run = await cliAsync(['reconcile', 'not a blog'], tempDir());
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe('error: not a blog address: "not a blog"');
    expect(run.stdout).toBe('');
  });
});
