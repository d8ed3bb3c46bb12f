// A thread per new post, end to end: the live sync against a fake blog, the scheduler and the thread pass as the bot
// runs them, the real discord.js client against the fake Discord. With threads on, a new post's announcement starts
// a thread (on the message in a text channel; as a forum post in a forum); the blog's new comments on it, arriving
// over several syncs, go into the thread at most one message per few minutes, none twice across a crash and a
// restart; an archived thread is reopened; a deleted one stops its post's mirroring; a hidden comment never goes;
// with threads off nothing changes. /config checks the permissions threads need.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { postAnnouncement } from '../../src/app/announcements.js';
import { openArchive, type OpenArchive } from '../../src/app/archive.js';
import { type ChannelPoster, createScheduler } from '../../src/app/deliveries.js';
import { BATCH_GAP_MS, createPostThreads } from '../../src/app/postThreads.js';
import { createRetractions } from '../../src/app/retractions.js';
import { hide, targetOf } from '../../src/app/takedowns.js';
import { channelPoster } from '../../src/discord/poster.js';
import { syncBlog } from '../../src/ingest/sync.js';
import { BLOG_URL, memoryLog, tempDir } from '../helpers.js';
import { startFakeBlog, type FakeBlog, type FakeComment, type FakePost } from '../sources/fakeBlog.js';
import { TEST_NETWORK } from '../sources/testNetwork.js';
import type { RecordedRequest } from './fakeDiscord.js';
import { type Harness, startHarness } from './harness.js';

// Everything here is made up: a fake blog, its fake posts and fake readers' comments.
const fakePost = (n: number, published: string): FakePost => ({
  id: String(7_300_000_000_000_000_000n + BigInt(n)),
  title: `Fake post ${n} about a made-up rota`,
  html: `<p>Made-up opening of fake post ${n}.</p><p>A second made-up paragraph.</p>`,
  published,
  updated: published,
});
let commentCount = 0;
const fakeComment = (post: FakePost, published: string, html?: string): FakeComment => {
  commentCount++;
  return {
    id: String(8_300_000_000_000_000_000n + BigInt(commentCount)),
    postId: post.id,
    html: html ?? `Made-up reader comment number ${commentCount}.`,
    published,
    updated: published,
    author: `Fake reader ${commentCount}`,
  };
};

const MINUTE = 60_000;
const START = Date.parse('2026-11-23T09:00:00Z');

interface World {
  blog: FakeBlog;
  archive: OpenArchive;
  h: Harness;
  dataDir: string;
  clock: { now: () => Date; at: number };
  sync(): Promise<void>;
  scheduler: ReturnType<typeof createScheduler>;
  threads: ReturnType<typeof createPostThreads>;
  poster: ChannelPoster;
}

let world: World | null = null;
afterEach(async () => {
  if (!world) return;
  await world.h.stop();
  await world.blog.close();
  world.archive.close();
  world = null;
});

/** A fake blog already synced once (its history), a bot on the fake Discord, the scheduler and the thread pass. */
async function setUp(start = START): Promise<World> {
  const old = fakePost(0, new Date(start - 60 * 86_400_000).toISOString());
  const blog = await startFakeBlog({ posts: [old], comments: [] });
  const dataDir = join(tempDir(), 'data');
  const archive = openArchive(dataDir, BLOG_URL);
  const clock = {
    at: start,
    now() {
      return new Date(this.at);
    },
  };
  const sync = async () => {
    const report = await syncBlog(archive.store, blog.url, {
      network: TEST_NETWORK,
      retries: 0,
      sleep: async () => {},
      now: () => clock.now().toISOString(),
      announce: postAnnouncement,
      queueComments: true,
    });
    expect(report.errors).toEqual([]);
  };
  await sync(); // the blog's history: nothing announced, nothing queued
  const h = await startHarness(archive);
  const poster = channelPoster(h.bot.client, BLOG_URL);
  const { log } = memoryLog();
  const scheduler = createScheduler({ store: archive.store, archive, poster, clock, log, instance: 'first' });
  const threads = createPostThreads({ store: archive.store, archive, poster, clock, log, instance: 'first' });
  world = { blog, archive, h, dataDir, clock, sync, scheduler, threads, poster };
  return world;
}

const postsIn = (channelId: string) => (r: RecordedRequest) =>
  r.method === 'POST' && r.path === `/channels/${channelId}/messages` && r.status === 200;
const sendsTo = (w: World, channelId: string) => w.h.fake.requests.filter(postsIn(channelId)).length;
const authorsIn = (w: World, channelId: string) =>
  w.h.fake
    .channelMessages(channelId)
    .reverse()
    .map((m) => m.embeds.map((e) => e.author?.name));

/** Threads on for new posts in `channelId`, switched on now. */
function threadsOn(w: World, channelId: string): void {
  w.archive.store.settings.update(
    w.h.fake.guild.id,
    { kind: 'posts', channel: channelId, on: true, threads: true },
    w.clock.now().toISOString(),
  );
}

/** A new post on the blog, synced, announced and its thread started: the thread's id. */
async function newPostWithThread(w: World, parentId: string, n = 1): Promise<{ post: FakePost; threadId: string }> {
  const post = fakePost(n, new Date(w.clock.at - 30 * MINUTE).toISOString());
  w.blog.posts.push(post);
  w.clock.at += MINUTE;
  await w.sync();
  expect(await w.scheduler.tick()).toMatchObject({ sent: 1 });
  expect(await w.threads.tick()).toMatchObject({ threadsStarted: 1 });
  const threads = w.h.fake.threadsIn(parentId);
  expect(threads).toHaveLength(n);
  return { post, threadId: threads[threads.length - 1]!.id };
}

/** `count` new comments on the blog, synced (a minute later). */
async function comments(w: World, post: FakePost, count: number): Promise<FakeComment[]> {
  const made = Array.from({ length: count }, () => fakeComment(post, new Date(w.clock.at).toISOString()));
  w.blog.comments.push(...made);
  w.clock.at += MINUTE;
  await w.sync();
  return made;
}

describe('a thread per new post', () => {
  it("starts a thread on a new post's announcement in a text channel, named after the post", async () => {
    const w = await setUp();
    const general = w.h.fake.guild.textChannel.id;
    threadsOn(w, general);
    const { post, threadId } = await newPostWithThread(w, general);
    const announcement = w.h.fake.channelMessages(general)[0]!;
    // The thread is on the announcement itself (Discord gives it the message's id).
    expect(threadId).toBe(announcement.id);
    expect(announcement.embeds[0]!.title).toBe(post.title);
    expect(w.h.fake.thread(threadId)).toMatchObject({ name: post.title, parent_id: general });
    // Once: another pass starts nothing more.
    expect(await w.threads.tick()).toMatchObject({ threadsStarted: 0 });
    expect(w.h.fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/threads'))).toHaveLength(1);
  });

  it("makes the announcement a forum post in a forum channel, and mirrors the post's comments into it", async () => {
    const w = await setUp();
    const forum = w.h.fake.addForum({ name: 'fake-blog-posts' });
    // The bot learns of the forum (CHANNEL_CREATE) before it is chosen.
    await w.h.fake.waitForGateway((e) => e.t === 'CHANNEL_CREATE');
    await new Promise((r) => setTimeout(r, 50));
    threadsOn(w, forum.id);
    const { post, threadId } = await newPostWithThread(w, forum.id);
    // No plain message into the forum: one POST of a post, with the announcement as its first message.
    const made = w.h.fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${forum.id}/threads`);
    expect(made).toHaveLength(1);
    expect(made[0]!.body).toMatchObject({ name: post.title, message: { allowed_mentions: { parse: [] } } });
    expect(w.h.fake.requests.filter(postsIn(forum.id))).toHaveLength(0);
    expect(w.h.fake.channelMessages(threadId)[0]!.embeds[0]!.title).toBe(post.title);

    await comments(w, post, 2);
    expect(await w.threads.tick()).toMatchObject({ batchesSent: 1, commentsSent: 2 });
    const batch = w.h.fake.channelMessages(threadId)[0]!;
    expect(batch.embeds.map((e) => e.author?.name)).toEqual([
      `Fake reader ${commentCount - 1}`,
      `Fake reader ${commentCount}`,
    ]);

    // The post taken down: its forum post's first message (in the post, not the forum) is retracted.
    hide(w.archive.store, targetOf(w.archive.store, post.id), {
      by: 'test',
      reason: null,
      now: w.clock.now().toISOString(),
    });
    const { log } = memoryLog();
    const retractions = createRetractions({
      store: w.archive.store,
      archive: w.archive,
      poster: w.poster,
      clock: w.clock,
      log,
    });
    expect(await retractions.tick()).toMatchObject({ edited: 2, failed: 0 });
    expect(w.h.fake.message(threadId)!.embeds[0]!.title).toBe('Removed from the archive');
  });

  it('makes one forum post for a new post across a crash after Discord made it, found among the active posts', async () => {
    const w = await setUp();
    const forum = w.h.fake.addForum({ name: 'fake-blog-posts' });
    await w.h.fake.waitForGateway((e) => e.t === 'CHANNEL_CREATE');
    await new Promise((r) => setTimeout(r, 50));
    threadsOn(w, forum.id);
    w.blog.posts.push(fakePost(1, new Date(w.clock.at - 30 * MINUTE).toISOString()));
    w.clock.at += MINUTE;
    await w.sync();
    const { log } = memoryLog();
    const dying: ChannelPoster = {
      ...w.poster,
      async send(channelId, dispatch, delivery) {
        await w.poster.send(channelId, dispatch, delivery);
        throw new Error('made-up crash: the process died here');
      },
    };
    const crashed = createScheduler({ store: w.archive.store, archive: w.archive, poster: dying, clock: w.clock, log });
    expect(await crashed.tick()).toMatchObject({ sent: 0, retryLater: 1 });
    expect(w.h.fake.threadsIn(forum.id)).toHaveLength(1);
    // Past the lease another process takes the claim over, finds the post, and makes no second one.
    w.clock.at += 3 * MINUTE;
    expect(await w.scheduler.tick()).toMatchObject({ sent: 1 });
    expect(w.h.fake.threadsIn(forum.id)).toHaveLength(1);
    expect(await w.threads.tick()).toMatchObject({ threadsStarted: 1 });
    expect(
      w.h.fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${forum.id}/threads`),
    ).toHaveLength(1);
  });

  it('mirrors 12 comments from three syncs as at most three messages, none twice across a crash and a restart', async () => {
    const w = await setUp();
    const general = w.h.fake.guild.textChannel.id;
    threadsOn(w, general);
    const { post, threadId } = await newPostWithThread(w, general);
    const first = commentCount + 1;

    // Sync 1: four comments, one message with each comment's author, time in London and permalink.
    const one = await comments(w, post, 4);
    expect(await w.threads.tick()).toMatchObject({ batchesSent: 1, commentsSent: 4 });
    expect(sendsTo(w, threadId)).toBe(1);
    const sent = w.h.fake.channelMessages(threadId)[0]!;
    expect(sent.embeds).toHaveLength(4);
    expect(sent.embeds[0]).toMatchObject({
      author: { name: `Fake reader ${first}` },
      title: `Comment, ${new Date(Date.parse(one[0]!.published)).toISOString().slice(11, 16)}, 23 November 2026 (London)`,
      description: `Made-up reader comment number ${first}.`,
    });
    expect(sent.embeds[0]!.url).toContain(`#c${one[0]!.id}`);
    expect(sent.mentions).toEqual([]);

    // Sync 2, a minute later: nothing yet (the last message went less than the gap ago).
    await comments(w, post, 4);
    expect(await w.threads.tick()).toMatchObject({ batchesSent: 0 });
    expect(sendsTo(w, threadId)).toBe(1);

    // Past the gap the batch goes, but the process dies between the send and its record.
    w.clock.at += BATCH_GAP_MS;
    const dying: ChannelPoster = {
      ...w.poster,
      async send(channelId, dispatch, delivery) {
        await w.poster.send(channelId, dispatch, delivery);
        throw new Error('made-up crash: the process died here');
      },
    };
    const { log } = memoryLog();
    const crashed = createPostThreads({
      store: w.archive.store,
      archive: w.archive,
      poster: dying,
      clock: w.clock,
      log,
    });
    expect(await crashed.tick()).toMatchObject({ batchesSent: 0, retryLater: 1 });
    expect(sendsTo(w, threadId)).toBe(2);

    // Restart: the store opened again by a new process, past the claim's lease and Discord's nonce window.
    w.archive.close();
    w.archive = openArchive(w.dataDir, BLOG_URL);
    w.h.fake.expireNonces();
    w.clock.at += 3 * MINUTE;
    const restarted = createPostThreads({
      store: w.archive.store,
      archive: w.archive,
      poster: w.poster,
      clock: w.clock,
      log,
      instance: 'second',
    });
    // The batch is found in the thread: recorded, not sent again.
    expect(await restarted.tick()).toMatchObject({ batchesSent: 1, commentsSent: 4 });
    expect(sendsTo(w, threadId)).toBe(2);
    expect(await restarted.tick()).toMatchObject({ batchesSent: 0 });

    // Sync 3 (the restarted process's sync): the last four, once the gap has passed.
    w.sync = async () => {
      await syncBlog(w.archive.store, w.blog.url, {
        network: TEST_NETWORK,
        retries: 0,
        sleep: async () => {},
        now: () => w.clock.now().toISOString(),
        announce: postAnnouncement,
        queueComments: true,
      });
    };
    await comments(w, post, 4);
    expect(await restarted.tick()).toMatchObject({ batchesSent: 0 });
    w.clock.at += BATCH_GAP_MS;
    expect(await restarted.tick()).toMatchObject({ batchesSent: 1, commentsSent: 4 });
    expect(await restarted.tick()).toMatchObject({ batchesSent: 0 });

    // Three messages, three sends: every comment once, in order.
    expect(sendsTo(w, threadId)).toBe(3);
    const names = authorsIn(w, threadId).flat();
    expect(names).toEqual(Array.from({ length: 12 }, (_, i) => `Fake reader ${first + i}`));
  });

  it('reopens an archived thread when comments come: told by Discord (50083), or knowing it already', async () => {
    const w = await setUp();
    const general = w.h.fake.guild.textChannel.id;
    threadsOn(w, general);
    const { post, threadId } = await newPostWithThread(w, general);

    // Archived while the bot was not looking: the send is refused, the thread reopened, the batch sent.
    w.h.fake.archiveThread(threadId, { quietly: true });
    await comments(w, post, 2);
    expect(await w.threads.tick()).toMatchObject({ batchesSent: 1 });
    const reopens = () =>
      w.h.fake.requests.filter((r) => r.method === 'PATCH' && r.path === `/channels/${threadId}` && r.status === 200);
    expect(reopens()).toHaveLength(1);
    expect(reopens()[0]!.body).toEqual({ archived: false });
    expect(
      w.h.fake.requests.filter((r) => r.path === `/channels/${threadId}/messages` && r.status === 400),
    ).toHaveLength(1);
    expect(w.h.fake.thread(threadId)?.thread_metadata?.archived).toBe(false);
    expect(w.h.fake.channelMessages(threadId)).toHaveLength(1);

    // Archived with the bot told (THREAD_UPDATE): reopened first, no refused send.
    w.h.fake.archiveThread(threadId);
    await w.h.fake.waitForGateway(
      (e) =>
        e.t === 'THREAD_UPDATE' &&
        (e.d as { thread_metadata?: { archived?: boolean } }).thread_metadata?.archived === true,
    );
    await new Promise((r) => setTimeout(r, 50));
    await comments(w, post, 1);
    w.clock.at += BATCH_GAP_MS;
    expect(await w.threads.tick()).toMatchObject({ batchesSent: 1 });
    expect(reopens()).toHaveLength(2);
    expect(
      w.h.fake.requests.filter((r) => r.path === `/channels/${threadId}/messages` && r.status === 400),
    ).toHaveLength(1);
    expect(w.h.fake.channelMessages(threadId)).toHaveLength(2);
  });

  it('tells the admins once when Discord refuses a thread (permission taken away since /config), and posts the announcement', async () => {
    const w = await setUp();
    const closed = w.h.fake.addChannel({ name: 'no-threads', botDenied: 1n << 35n /* Create Public Threads */ });
    await w.h.fake.waitForGateway((e) => e.t === 'CHANNEL_CREATE');
    threadsOn(w, closed.id);
    w.blog.posts.push(fakePost(1, new Date(w.clock.at - 30 * MINUTE).toISOString()));
    w.clock.at += MINUTE;
    await w.sync();
    expect(await w.scheduler.tick()).toMatchObject({ sent: 1 });
    expect(await w.threads.tick()).toMatchObject({ threadsStarted: 0 });
    expect(await w.threads.tick()).toMatchObject({ threadsStarted: 0 });
    expect(w.h.fake.channelMessages(closed.id)).toHaveLength(1);
    const notices = w.h.fake.channelMessages(w.h.fake.guild.textChannel.id);
    expect(notices.map((m) => m.content)).toEqual([
      `A new post's thread could not be started in <#${closed.id}> (Discord: Missing Permissions). The bot needs Create Public Threads and Send Messages in Threads there (Send Messages in a forum).`,
    ]);
  });

  it("mirrors for 30 of the blog's days (London's, in summer an hour ahead of UTC), no longer", async () => {
    // A post of 1 July at 13:00 in London (12:00 UTC).
    const w = await setUp(Date.parse('2026-07-01T12:30:00Z'));
    const general = w.h.fake.guild.textChannel.id;
    threadsOn(w, general);
    const { post, threadId } = await newPostWithThread(w, general);
    // 31 July, 23:30 in London: still within 30 days of 1 July.
    w.clock.at = Date.parse('2026-07-31T22:30:00Z');
    await comments(w, post, 1);
    expect(await w.threads.tick()).toMatchObject({ batchesSent: 1, commentsSent: 1 });
    // An hour later it is 1 August in London (31 July in UTC): 1 July is past the window.
    w.clock.at = Date.parse('2026-07-31T23:30:00Z') + BATCH_GAP_MS;
    await comments(w, post, 1);
    expect(await w.threads.tick()).toMatchObject({ batchesSent: 0 });
    expect(w.h.fake.channelMessages(threadId)).toHaveLength(1);
  });

  it('stops mirroring a post whose thread was deleted, without failing the rest', async () => {
    const w = await setUp();
    const general = w.h.fake.guild.textChannel.id;
    threadsOn(w, general);
    const { post, threadId } = await newPostWithThread(w, general);
    w.h.fake.deleteChannel(threadId);
    await comments(w, post, 2);
    expect(await w.threads.tick()).toMatchObject({ batchesSent: 0, stopped: 1 });
    await comments(w, post, 1);
    w.clock.at += BATCH_GAP_MS;
    const before = w.h.fake.requests.length;
    expect(await w.threads.tick()).toMatchObject({ batchesSent: 0, stopped: 0, retryLater: 0 });
    expect(w.h.fake.requests.slice(before).filter((r) => r.path.startsWith(`/channels/${threadId}`))).toEqual([]);
    // Listed for the admins among the deliveries given up, with why.
    const shown = await w.h.fake
      .slashCommand('config', [{ name: 'show', type: 1, options: [] }] as never, { user: w.h.fake.users.moderator })
      .response();
    expect(JSON.stringify(shown.data?.embeds)).toMatch(/comments for a new post's thread: Discord: Unknown Channel/);
  });

  it('never mirrors a comment hidden in this server, nor one the blog removed', async () => {
    const w = await setUp();
    const general = w.h.fake.guild.textChannel.id;
    threadsOn(w, general);
    const { post, threadId } = await newPostWithThread(w, general);
    const made = await comments(w, post, 3);
    hide(w.archive.store, targetOf(w.archive.store, made[1]!.id), {
      by: 'test',
      reason: 'made-up request',
      now: w.clock.now().toISOString(),
      guildId: w.h.fake.guild.id,
    });
    expect(await w.threads.tick()).toMatchObject({ batchesSent: 1, commentsSent: 2 });
    const shown = w.h.fake.channelMessages(threadId)[0]!;
    expect(shown.embeds.map((e) => e.author?.name)).toEqual([made[0]!.author, made[2]!.author]);
    expect(JSON.stringify(shown)).not.toContain(made[1]!.id);

    // A comment mirrored, taken down everywhere later: its batch is retracted in the thread.
    hide(w.archive.store, targetOf(w.archive.store, made[0]!.id), {
      by: 'test',
      reason: null,
      now: w.clock.now().toISOString(),
    });
    const { log } = memoryLog();
    const retractions = createRetractions({
      store: w.archive.store,
      archive: w.archive,
      poster: w.poster,
      clock: w.clock,
      log,
    });
    expect(await retractions.tick()).toMatchObject({ edited: 1 });
    const retracted = w.h.fake.channelMessages(threadId)[0]!;
    expect(retracted.embeds.map((e) => e.title)).toEqual(['Removed from the archive']);
    expect(JSON.stringify(retracted)).not.toContain(made[0]!.author!);
  });

  it('with threads off, announces as before: no thread, no comments mirrored', async () => {
    const w = await setUp();
    const general = w.h.fake.guild.textChannel.id;
    w.archive.store.settings.update(
      w.h.fake.guild.id,
      { kind: 'posts', channel: general, on: true },
      w.clock.now().toISOString(),
    );
    const post = fakePost(1, new Date(w.clock.at - 30 * MINUTE).toISOString());
    w.blog.posts.push(post);
    w.clock.at += MINUTE;
    await w.sync();
    expect(await w.scheduler.tick()).toMatchObject({ sent: 1 });
    await comments(w, post, 3);
    expect(await w.threads.tick()).toEqual({
      threadsStarted: 0,
      batchesSent: 0,
      commentsSent: 0,
      stopped: 0,
      retryLater: 0,
    });
    expect(w.h.fake.threadsIn(general)).toEqual([]);
    expect(w.h.fake.requests.filter((r) => r.path.includes('/threads'))).toEqual([]);
    expect(w.h.fake.channelMessages(general)).toHaveLength(1);
  });
});

describe('/config announce threads', () => {
  const sub = (options: unknown[]) => [{ name: 'announce', type: 1, options }] as never;

  it('switches threads on where the bot can start them, and says which permissions are missing where not', async () => {
    const w = await setUp();
    const closed = w.h.fake.addChannel({ name: 'no-threads', botDenied: 1n << 35n /* Create Public Threads */ });
    await w.h.fake.waitForGateway((e) => e.t === 'CHANNEL_CREATE');
    await new Promise((r) => setTimeout(r, 50));
    const refused = await w.h.fake
      .slashCommand(
        'config',
        sub([
          { name: 'what', type: 3, value: 'posts' },
          { name: 'channel', type: 7, value: closed.id },
          { name: 'threads', type: 3, value: 'on' },
        ]),
        { user: w.h.fake.users.moderator },
      )
      .response();
    expect(refused.data?.content).toMatch(/cannot start threads in <#\d+>: give it Create Public Threads there/);
    expect(w.archive.store.settings.get(w.h.fake.guild.id).postThreads ?? null).toBeNull();

    const done = await w.h.fake
      .slashCommand(
        'config',
        sub([
          { name: 'what', type: 3, value: 'posts' },
          { name: 'channel', type: 7, value: w.h.fake.guild.textChannel.id },
          { name: 'threads', type: 3, value: 'on' },
        ]),
        { user: w.h.fake.users.moderator },
      )
      .response();
    const field = done.data?.embeds?.[0]?.fields?.find((f) => f.name === 'Announcements: new blog posts');
    expect(field?.value).toMatch(/each a thread with the post's new comments/);
    expect(w.archive.store.settings.get(w.h.fake.guild.id).postThreads).toBeTruthy();

    const wrongKind = await w.h.fake
      .slashCommand(
        'config',
        sub([
          { name: 'what', type: 3, value: 'napo' },
          { name: 'threads', type: 3, value: 'on' },
        ]),
        { user: w.h.fake.users.moderator },
      )
      .response();
    expect(wrongKind.data?.content).toMatch(/Threads are for new blog posts only/);
  });
});
