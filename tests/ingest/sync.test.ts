import { afterEach, describe, expect, it } from 'vitest';
import { openArchive } from '../../src/app/archive.js';
import { ingestSources, type IngestProgress } from '../../src/ingest/ingest.js';
import { syncBlog, type SyncOptions } from '../../src/ingest/sync.js';
import { archiveStats, readComments, readPost } from '../../src/store/archive.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { cliAsync, tempDir } from '../helpers.js';
import { postUrl, startFakeBlog, type FakeBlog, type FakeComment, type FakePost } from '../sources/fakeBlog.js';
import { TEST_NETWORK } from '../sources/testNetwork.js';
import { connectionOf, storeOver } from '../../src/store/store.js';

// Everything here is made up: a fake blog of numbered posts about invented rotas.
const at = (day: number, hour = 9) => new Date(Date.UTC(2024, 0, day, hour)).toISOString();
const fakePost = (n: number): FakePost => ({
  id: String(7_000_000_000_000_000_000n + BigInt(n)),
  title: `Fake post ${n} about rota zebra${n}`,
  html: `<p>Made-up opening of fake post ${n}.</p><p>Second made-up paragraph with the word quokka${n}.</p>`,
  published: at(n),
  updated: at(n, 10),
});
/** Comment `n` on `post`, written (by default) the afternoon the post went up. */
const fakeComment = (
  n: number,
  post: FakePost,
  parent?: FakeComment,
  when = at(Number(post.published.slice(8, 10)), 12 + (n % 10)),
): FakeComment => ({
  id: String(8_000_000_000_000_000_000n + BigInt(n)),
  postId: post.id,
  parentId: parent?.id,
  html: `Made-up comment ${n} mentioning wombat${n}.`,
  published: when,
  updated: when,
});

function sampleBlog(): { posts: FakePost[]; comments: FakeComment[] } {
  const posts = Array.from({ length: 7 }, (_, i) => fakePost(i + 1));
  const c1 = fakeComment(1, posts[0]!);
  const comments = [c1, fakeComment(2, posts[0]!, c1), fakeComment(3, posts[2]!), fakeComment(4, posts[6]!)];
  return { posts, comments };
}

let blog: FakeBlog | null = null;
let db: Db | null = null;
afterEach(async () => {
  db?.close();
  db = null;
  await blog?.close();
  blog = null;
});

const clock = () => '2026-11-23T08:00:00.000Z';
const waits: number[] = [];
const options = (more: Partial<SyncOptions> = {}): SyncOptions => ({
  network: TEST_NETWORK,
  now: clock,
  pageSize: 3,
  sleep: async (ms) => {
    waits.push(ms);
  },
  ...more,
});

async function setUp(cap = 3) {
  blog = await startFakeBlog({ ...sampleBlog(), cap });
  db = openDatabase(tempDir());
  return { blog, db };
}

const count = (d: Db, table: 'posts' | 'comments') =>
  d.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

describe('live sync with a Blogger blog', () => {
  it('reads every page of both feeds on the first sync, threads and permalinks included, and announces nothing', async () => {
    const { blog, db } = await setUp();
    const events: unknown[] = [];
    const report = await syncBlog(storeOver(db), blog.url, options({ onEvent: (e) => events.push(e) }));

    expect(report.errors).toEqual([]);
    expect(report).toMatchObject({
      complete: true,
      firstSync: true,
      posts: 7,
      comments: 4,
      counts: { added: 11, updated: 0 },
    });
    expect(count(db, 'posts')).toBe(7);
    expect(count(db, 'comments')).toBe(4);
    // 7 posts at 3 a page and 4 comments at 3 a page.
    expect(blog.requests.filter((r) => r.feed === 'posts')).toHaveLength(3);
    expect(blog.requests.filter((r) => r.feed === 'comments')).toHaveLength(2);
    expect(blog.requests.every((r) => /probation-archive-bot/.test(r.userAgent ?? ''))).toBe(true);
    expect(events).toEqual([]);

    const stored = readComments(db, fakePost(1).id);
    const first = stored.find((c) => c.parentId === null);
    const reply = stored.find((c) => c.parentId !== null);
    expect(reply).toMatchObject({ parentId: first!.id, text: 'Made-up comment 2 mentioning wombat2.' });
    expect(first!.permalink).toBe(
      `${postUrl(blog, fakePost(1).id)}?showComment=${Date.parse(sampleBlog().comments[0]!.published)}#c${first!.id}`,
    );
    expect(readPost(db, fakePost(3).id)).toMatchObject({
      title: 'Fake post 3 about rota zebra3',
      url: postUrl(blog, fakePost(3).id),
      date: '2024-01-03',
    });
  });

  it('reads the pages a feed lists on another scheme or host from the blog itself (old feeds list http pages)', async () => {
    const { blog, db } = await setUp();
    blog.nextOrigin = 'https://localhost:1';
    const report = await syncBlog(storeOver(db), blog.url, options());
    expect(report.errors).toEqual([]);
    expect(report).toMatchObject({ complete: true, posts: 7, comments: 4 });
    expect(blog.requests.filter((r) => r.feed === 'posts').map((r) => r.params.get('start-index'))).toEqual([
      '1',
      '4',
      '7',
    ]);
  });

  it('asks only for what changed on later syncs: an up-to-date archive costs one request per feed', async () => {
    const { blog, db } = await setUp();
    await syncBlog(storeOver(db), blog.url, options());
    blog.requests.length = 0;

    const report = await syncBlog(storeOver(db), blog.url, options());
    expect(report).toMatchObject({ complete: true, firstSync: false, counts: { added: 0, updated: 0 } });
    expect(blog.requests).toHaveLength(2);
    // From the newest entry each feed held, less an hour of overlap for edits made while the last sync ran.
    expect(blog.requests.map((r) => [r.feed, r.params.get('orderby'), r.params.get('updated-min')])).toEqual([
      ['posts', 'updated', at(7, 9)],
      ['comments', 'updated', at(7, 15)],
    ]);
    expect(report.events).toEqual([]);
  });

  it('stores a new comment and a new post and reports each as an event', async () => {
    const { blog, db } = await setUp();
    await syncBlog(storeOver(db), blog.url, options());
    const newPost = fakePost(20);
    blog.posts.push(newPost);
    blog.comments.push(
      fakeComment(9, blog.posts[1]!, undefined, at(20, 14)),
      fakeComment(10, newPost, undefined, at(20, 15)),
    );

    const events: { type: string }[] = [];
    const report = await syncBlog(storeOver(db), blog.url, options({ onEvent: (e) => events.push(e) }));
    expect(report.counts.added).toBe(3);
    expect(events.map((e) => e.type)).toEqual(['new-post', 'new-comment', 'new-comment']);
    expect(report.events[0]).toMatchObject({ type: 'new-post', post: { id: newPost.id, title: newPost.title } });
    expect(readComments(db, blog.posts[1]!.id).map((c) => c.text)).toEqual(['Made-up comment 9 mentioning wombat9.']);
  });

  it('keeps a thread in date and time order, though the comments feed sends it newest first', async () => {
    const post = fakePost(1);
    const at12 = fakeComment(11, post, undefined, at(1, 12));
    const comments = [at12, fakeComment(12, post, at12, at(1, 13)), fakeComment(13, post, undefined, at(1, 14))];
    blog = await startFakeBlog({ posts: [post], comments, cap: 2 });
    db = openDatabase(tempDir());
    await syncBlog(storeOver(db), blog.url, options({ pageSize: 2 }));
    const texts = () => readComments(db!, post.id).map((c) => /comment (\d+)/.exec(c.text)?.[1]);
    expect(texts()).toEqual(['11', '12', '13']);
    // A comment published earlier but only now in the feed (held for moderation) takes its place by date too.
    blog.comments.push(fakeComment(14, post, undefined, at(1, 15)), {
      ...fakeComment(15, post, at12, at(1, 12)),
      published: new Date(Date.UTC(2024, 0, 1, 12, 30)).toISOString(),
      updated: at(2, 9),
    });
    await syncBlog(storeOver(db), blog.url, options({ pageSize: 2 }));
    expect(texts()).toEqual(['11', '15', '12', '13', '14']);
    // Passages follow the thread: search and quotes read it in the same order.
    const passages = db
      .prepare("SELECT text FROM passages WHERE post_id = ? AND kind = 'comment' ORDER BY ord")
      .pluck()
      .all(post.id) as string[];
    expect(passages.map((t) => /comment (\d+)/.exec(t)?.[1])).toEqual(['11', '15', '12', '13', '14']);
  });

  it('updates an edited post in place, and search finds its new words', async () => {
    blog = await startFakeBlog({ ...sampleBlog(), cap: 3 });
    const dataDir = tempDir();
    const archive = openArchive(dataDir, blog.url);
    try {
      await syncBlog(archive.store, blog.url, options());
      expect(archive.search('quokka4', { limit: 3 })[0]?.postTitle).toBe('Fake post 4 about rota zebra4');
      const edited = blog.posts[3]!;
      edited.html = '<p>Rewritten made-up text about a platypus rota.</p>';
      edited.updated = at(25);

      const events: unknown[] = [];
      const report = await syncBlog(archive.store, blog.url, options({ onEvent: (e) => events.push(e) }));
      expect(report.counts).toMatchObject({ added: 0, updated: 1 });
      expect(events).toEqual([]);
      expect(count(connectionOf(archive.store), 'posts')).toBe(7);
      archive.refresh();
      expect(archive.search('platypus', { limit: 3 })[0]?.postTitle).toBe('Fake post 4 about rota zebra4');
      expect(archive.search('quokka4', { limit: 3 })).toEqual([]);
    } finally {
      archive.close();
    }
  });

  it('retries a 503 with backoff and completes', async () => {
    const { blog, db } = await setUp();
    blog.failNext('posts', { status: 503 });
    blog.failNext('comments', { status: 503, headers: { 'retry-after': '7' } });
    waits.length = 0;
    const report = await syncBlog(storeOver(db), blog.url, options());
    expect(report.errors).toEqual([]);
    expect(report.complete).toBe(true);
    expect(count(db, 'posts')).toBe(7);
    expect(report.requests).toBe(3 + 2 + 2);
    // The first wait is the backoff; the second is what Retry-After asked for.
    expect(waits).toEqual([1000, 7000]);
  });

  it('stops at a page that never answers, keeps what it stored, and the next sync resumes there without duplicates', async () => {
    const { blog, db } = await setUp();
    blog.failNext('posts', 'hang', 2, { startIndex: 4 });
    const first = await syncBlog(storeOver(db), blog.url, options({ timeoutMs: 1_500, retries: 1, concurrency: 1 }));
    expect(first.complete).toBe(false);
    expect(first.errors).toEqual([
      expect.stringMatching(
        /posts feed .* did not answer within 1\.5 s \(tried 2 times\); the next sync resumes at entry 4 of the posts feed/,
      ),
    ]);
    expect(count(db, 'posts')).toBe(3);
    expect(storeOver(db).syncs.get(blog.url).resume).toMatchObject({ feed: 'posts', startIndex: 4 });

    blog.requests.length = 0;
    const second = await syncBlog(storeOver(db), blog.url, options());
    expect(second.errors).toEqual([]);
    expect(second.complete).toBe(true);
    expect(blog.requests[0]!.params.get('start-index')).toBe('4');
    expect(archiveStats(db)).toMatchObject({ posts: 7, comments: 4 });
    // The resumed part is still the first sync: history, not news.
    expect(second.events).toEqual([]);
  });

  it('says clearly when the address is not a Blogger blog (4xx), without retrying', async () => {
    const { blog, db } = await setUp();
    blog.failNext('posts', { status: 404 });
    const report = await syncBlog(storeOver(db), blog.url, options());
    expect(report.errors).toEqual([
      expect.stringMatching(
        /the posts feed http:\/\/127\.0\.0\.1:\d+\/feeds\/posts\/default\?max-results=3&start-index=1 answered 404 Not Found/,
      ),
    ]);
    expect(blog.requests).toHaveLength(1);
    expect(storeOver(db).syncs.get(blog.url).lastError).toMatch(/404/);
  });

  it('refuses an HTML page served as the feed', async () => {
    const { blog, db } = await setUp();
    blog.failNext('posts', { status: 200, body: '<html><body>Sign in</body></html>' });
    const report = await syncBlog(storeOver(db), blog.url, options());
    expect(report.errors).toEqual([expect.stringMatching(/sent text\/html, not what was asked for/)]);
    expect(count(db, 'posts')).toBe(0);
  });

  it('fetches a few pages at once, never more than asked', async () => {
    // Each answer takes a moment, as the real blog's do, so pages asked for together are in flight together.
    blog = await startFakeBlog({ posts: Array.from({ length: 30 }, (_, i) => fakePost(i + 1)), cap: 2 });
    blog.delayMs = 50;
    db = openDatabase(tempDir());
    const report = await syncBlog(storeOver(db), blog.url, options({ concurrency: 3, pageSize: 150 }));
    expect(report.complete).toBe(true);
    expect(count(db, 'posts')).toBe(30);
    expect(blog.maxInFlight).toBe(3);
    // 15 pages of posts, each asked once, and one empty comments page.
    expect(blog.requests.filter((r) => r.feed === 'posts')).toHaveLength(15);
  });

  it('reads a summary feed, and a summary never replaces full text already stored', async () => {
    const { blog, db } = await setUp();
    await syncBlog(storeOver(db), blog.url, options());
    blog.summaries = true;
    blog.posts[0]!.updated = at(28);
    blog.posts.push(fakePost(21));
    const report = await syncBlog(storeOver(db), blog.url, options());
    // Post 1 (edited), post 21 (new), and post 7, the newest of the last sync, read again in the hour of overlap.
    expect(report.warnings).toEqual([expect.stringMatching(/summary feeds: 3 posts were read as summaries/)]);
    expect(readPost(db, fakePost(1).id)!.text).toMatch(/Second made-up paragraph/);
    const summarised = readPost(db, fakePost(21).id)!.text;
    expect(summarised).toMatch(/^Made-up opening of fake post 21\./);
    expect(summarised).not.toMatch(/quokka21/);
  });

  it('is what ingesting a blog address runs, with progress and the totals', async () => {
    blog = await startFakeBlog({ ...sampleBlog() });
    db = openDatabase(tempDir());
    const progress: IngestProgress[] = [];
    const ingest = () =>
      ingestSources(storeOver(db!), [blog!.url], {
        now: clock,
        sync: { network: TEST_NETWORK },
        onProgress: (e) => progress.push(e),
      });
    expect((await ingest()).counts).toMatchObject({ added: 11 });
    expect(progress).toContainEqual({ type: 'feed', source: blog.url, feed: 'posts', done: 7, total: 7 });
    expect((await ingest()).counts).toMatchObject({ added: 0 });
  });

  it('`ingest <blog address>` keeps to the production network policy: a blog on this machine is refused in one line, unasked', async () => {
    blog = await startFakeBlog({ ...sampleBlog() });
    const run = await cliAsync(['ingest', blog.url, '--json'], tempDir());
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^error: the posts feed http:\/\/127\.0\.0\.1:\d+\/feeds\/posts\/default\S* is not contacted: the bot contacts https addresses only$/m,
    );
    expect(blog.requests).toEqual([]);
  });
});
