// The reconciliation as the bot runs it: a leader-only job, weekly unless RECONCILE_EVERY says otherwise (or off),
// whose last attempt is kept in the store so a restart does not read the whole blog again early.
import { afterEach, describe, expect, it } from 'vitest';
import { openArchive, type OpenArchive } from '../../src/app/archive.js';
import { readConfig } from '../../src/config.js';
import { syncBlog } from '../../src/ingest/sync.js';
import { allJobs } from '../../src/jobs/all.js';
import { reconcileJob } from '../../src/jobs/reconcile.js';
import { memoryLog, tempDir } from '../helpers.js';
import { startFakeBlog, type FakeBlog, type FakePost } from '../sources/fakeBlog.js';
import { TEST_NETWORK } from '../sources/testNetwork.js';

// Made up: a fake blog of five numbered posts.
const fakePost = (n: number): FakePost => ({
  id: String(7_300_000_000_000_000_000n + BigInt(n)),
  title: `Fake post ${n} about made-up rota ${n}`,
  html: `<p>Made-up text of fake post ${n}, the word puffin${n}.</p>`,
  published: new Date(Date.UTC(2024, 0, n, 9)).toISOString(),
  updated: new Date(Date.UTC(2024, 0, n, 10)).toISOString(),
});
const DAY = 86_400_000;

let blog: FakeBlog | null = null;
let archive: OpenArchive | null = null;
afterEach(async () => {
  archive?.close();
  archive = null;
  await blog?.close();
  blog = null;
});

/** A fixed clock, moved by hand. */
function handClock(from: string) {
  let t = Date.parse(from);
  return { now: () => new Date(t), after: () => () => {}, move: (ms: number) => (t += ms) };
}

describe('the reconciliation job', () => {
  it('runs weekly on the leader, from its last attempt as the store recorded it, and refreshes the index', async () => {
    blog = await startFakeBlog({ posts: [1, 2, 3, 4, 5].map(fakePost) });
    archive = openArchive(tempDir(), blog.url);
    const clock = handClock('2026-11-23T08:00:00Z');
    const feeds = { network: TEST_NETWORK, retries: 0, sleep: async () => {} };
    await syncBlog(archive.store, blog.url, { ...feeds, now: () => clock.now().toISOString() });
    archive.refresh();
    clock.move(60_000);
    const { log, lines } = memoryLog();
    const job = () =>
      reconcileJob({ store: archive!.store, archive: archive!, blogUrl: blog!.url, every: 7 * DAY, clock, log, feeds });
    expect(job()).toMatchObject({ leaderOnly: true, every: 7 * DAY });
    expect(job().firstRunIn?.()).toBe(10 * 60_000); // never run: soon, after members and a first sync

    blog.posts.splice(1, 1); // the blog's owner deletes post 2
    expect(archive.search('puffin2', { limit: 3 })).toHaveLength(1);
    await job().run(new AbortController().signal);
    expect(archive.search('puffin2', { limit: 3 })).toEqual([]);
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'reconciliation with the blog done',
        deleted: { posts: 1, comments: 0 },
        changedPosts: 1,
      }),
    );

    // A restart two days later waits out the rest of the week.
    clock.move(2 * DAY);
    expect(job().firstRunIn?.()).toBe(5 * DAY);
  });

  it('warns, and changes nothing, when the blog cannot be read', async () => {
    blog = await startFakeBlog({ posts: [1, 2].map(fakePost) });
    archive = openArchive(tempDir(), blog.url);
    const clock = handClock('2026-11-23T08:00:00Z');
    const feeds = { network: TEST_NETWORK, retries: 0, sleep: async () => {} };
    await syncBlog(archive.store, blog.url, { ...feeds, now: () => clock.now().toISOString() });
    clock.move(60_000);
    blog.posts = [];
    blog.failNext('posts', { status: 503 });
    const { log, lines } = memoryLog();
    await reconcileJob({ store: archive.store, archive, blogUrl: blog.url, every: 7 * DAY, clock, log, feeds }).run(
      new AbortController().signal,
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'reconciliation with the blog failed; nothing changed', complete: false }),
    );
    expect(archive.stats()).toMatchObject({ posts: 2, deletedPosts: 0 });
  });

  it('is one of the jobs for each blog address unless RECONCILE_EVERY is off', () => {
    archive = openArchive(tempDir(), 'https://fake-blog.example');
    const names = (env: Record<string, string>) =>
      allJobs({
        archive: archive!,
        config: readConfig(env),
        clock: handClock('2026-11-23T08:00:00Z'),
        log: memoryLog().log,
        poster: null,
      })
        .jobs.filter((j) => j.name.startsWith('reconcile'))
        .map((j) => [j.name, j.every]);
    expect(names({ BLOG_URL: 'https://fake-blog.example' })).toEqual([
      ['reconcile https://fake-blog.example', 7 * DAY],
    ]);
    expect(names({ BLOG_URL: 'https://fake-blog.example', RECONCILE_EVERY: '2d' })).toEqual([
      ['reconcile https://fake-blog.example', 2 * DAY],
    ]);
    expect(names({ BLOG_URL: 'https://fake-blog.example', RECONCILE_EVERY: 'off' })).toEqual([]);
  });
});

describe('RECONCILE_EVERY', () => {
  const problems = (value: string) => {
    try {
      readConfig({ RECONCILE_EVERY: value });
      return [];
    } catch (error) {
      return (error as { problems: string[] }).problems;
    }
  };

  it('takes days or hours, at least a day, or off', () => {
    expect(readConfig({}).RECONCILE_EVERY_MS).toBe(7 * DAY);
    expect(readConfig({ RECONCILE_EVERY: '36h' }).RECONCILE_EVERY_MS).toBe(1.5 * DAY);
    expect(readConfig({ RECONCILE_EVERY: 'OFF' }).RECONCILE_EVERY_MS).toBeNull();
    expect(problems('12h')).toEqual(['RECONCILE_EVERY: must be at least 1d (a day), or off']);
    expect(problems('weekly')).toEqual(['RECONCILE_EVERY: must be a number and a unit (24h, 7d), or off']);
  });
});
