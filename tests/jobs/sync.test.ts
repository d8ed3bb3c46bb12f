// The sync as the bot runs it: a job on the runner, announcing new posts in
// the transaction that stores them.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { startJobs } from '../../src/jobs/runner.js';
import { syncJob } from '../../src/jobs/sync.js';
import { openDatabase } from '../../src/store/db.js';
import { connectionOf, storeOver, type Store } from '../../src/store/store.js';
import { memoryLog, tempDir } from '../helpers.js';
import { startFakeBlog, type FakeBlog, type FakePost } from '../sources/fakeBlog.js';
import { TEST_NETWORK } from '../sources/testNetwork.js';

// Everything here is made up: a fake blog of numbered posts.
const at = (day: number, hour = 9) => new Date(Date.UTC(2024, 0, day, hour)).toISOString();
const fakePost = (n: number): FakePost => ({
  id: String(7_100_000_000_000_000_000n + BigInt(n)),
  title: `Fake post ${n} about made-up rota ${n}`,
  html: `<p>Made-up opening of fake post ${n}.</p><p>A second made-up paragraph.</p>`,
  published: at(n),
  updated: at(n, 10),
});
const HOUR = 3_600_000;

let blog: FakeBlog | null = null;
afterEach(async () => {
  vi.useRealTimers();
  await blog?.close();
  blog = null;
});

async function setUp(): Promise<{ blog: FakeBlog; store: Store }> {
  blog = await startFakeBlog({ posts: [fakePost(1), fakePost(2)], comments: [] });
  return { blog, store: storeOver(openDatabase(tempDir())) };
}

const count = (store: Store, sql: string) => connectionOf(store).prepare(sql).pluck().get() as number;
const quickSync = { network: TEST_NETWORK, retries: 0, sleep: async () => {} };

describe('the sync job', () => {
  it('comes soon after start when the last sync is older than the interval, else when the interval is up', async () => {
    const { blog, store } = await setUp();
    const { log } = memoryLog();
    const job = (every: number) =>
      syncJob({
        store,
        archive: { refresh: () => ({ changedPosts: 0 }) },
        blogUrl: blog.url,
        every,
        clock: systemClock,
        log,
      });
    expect(job(HOUR).firstRunIn?.()).toBe(10_000); // never synced
    store.syncs.save(blog.url, {
      ...store.syncs.get(blog.url),
      lastSuccess: new Date(Date.now() - 10 * 60_000).toISOString(),
    });
    const wait = job(HOUR).firstRunIn?.() ?? 0;
    expect(wait).toBeGreaterThan(49 * 60_000);
    expect(wait).toBeLessThanOrEqual(50 * 60_000);
    store.close();
  });

  it('announces a new post in the transaction that stores it: a failure at the announcement stores neither', async () => {
    const { blog, store } = await setUp();
    const { log } = memoryLog();
    const archive = { refresh: () => ({ changedPosts: 0 }) };
    const job = syncJob({ store, archive, blogUrl: blog.url, every: HOUR, clock: systemClock, log, sync: quickSync });
    const signal = new AbortController().signal;
    await job.run(signal); // the first sync is history: nothing announced
    expect(count(store, 'SELECT count(*) FROM announcements')).toBe(0);

    // The database refuses the announcement as a busy one would, after the post's row went in.
    connectionOf(store).exec(
      `CREATE TRIGGER refuse_announcement BEFORE INSERT ON announcements
       BEGIN SELECT RAISE(ABORT, 'database is locked (made up for the test)'); END;`,
    );
    blog.posts.push(fakePost(3));
    await job.run(signal);
    const third = fakePost(3).id;
    expect(count(store, `SELECT count(*) FROM posts WHERE id = '${third}'`)).toBe(0);
    expect(count(store, 'SELECT count(*) FROM announcements')).toBe(0);

    // Once the database takes writes again, the post and its announcement go in together.
    connectionOf(store).exec('DROP TRIGGER refuse_announcement');
    blog.posts.push(fakePost(4));
    await job.run(signal);
    for (const id of [third, fakePost(4).id]) {
      expect(count(store, `SELECT count(*) FROM posts WHERE id = '${id}'`)).toBe(1);
      expect(count(store, `SELECT count(*) FROM announcements WHERE kind = 'posts' AND key = '${id}'`)).toBe(1);
    }
    store.close();
  });

  it("queues a new comment for its post's threads in the transaction that stores it, once; the first sync queues none", async () => {
    const blog = await startFakeBlog({
      posts: [fakePost(1)],
      comments: [
        {
          id: '8100000000000000001',
          postId: fakePost(1).id,
          html: 'Made-up old comment.',
          published: at(1),
          updated: at(1),
        },
      ],
    });
    const store = storeOver(openDatabase(tempDir()));
    const { log } = memoryLog();
    const archive = { refresh: () => ({ changedPosts: 0 }) };
    const job = syncJob({ store, archive, blogUrl: blog.url, every: HOUR, clock: systemClock, log, sync: quickSync });
    const signal = new AbortController().signal;
    await job.run(signal); // history
    expect(count(store, 'SELECT count(*) FROM comment_queue')).toBe(0);

    connectionOf(store).exec(
      `CREATE TRIGGER refuse_queue BEFORE INSERT ON comment_queue
       BEGIN SELECT RAISE(ABORT, 'database is locked (made up for the test)'); END;`,
    );
    const fresh = {
      id: '8100000000000000002',
      postId: fakePost(1).id,
      html: 'Made-up new comment.',
      published: at(2),
      updated: at(2),
    };
    blog.comments.push(fresh);
    await job.run(signal);
    expect(count(store, `SELECT count(*) FROM comments WHERE id = '${fresh.id}'`)).toBe(0);

    connectionOf(store).exec('DROP TRIGGER refuse_queue');
    await job.run(signal);
    await job.run(signal);
    expect(count(store, `SELECT count(*) FROM comments WHERE id = '${fresh.id}'`)).toBe(1);
    expect(count(store, `SELECT count(*) FROM comment_queue WHERE comment_id = '${fresh.id}'`)).toBe(1);
    expect(count(store, 'SELECT count(*) FROM comment_queue')).toBe(1);
    store.close();
    await blog.close();
  });

  it('logs a failure after the sync (the index refresh throwing) with the job name, and the process lives on', async () => {
    const { blog, store } = await setUp();
    const { log, lines } = memoryLog();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    let refreshes = 0;
    const archive = {
      refresh: () => {
        refreshes++;
        throw new Error('made-up failure refreshing the index');
      },
    };
    const job = syncJob({ store, archive, blogUrl: blog.url, every: HOUR, clock: systemClock, log, sync: quickSync });
    const runner = startJobs([{ ...job, firstRunIn: () => 0 }], { clock: systemClock, log, retryAfterMs: 50 });
    await vi.waitFor(() => expect(refreshes).toBeGreaterThanOrEqual(2), { timeout: 5_000 });
    await runner.stop();
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'job failed; will retry', job: `sync ${blog.url}`, level: 50 }),
    );
    store.close();
  });
});
