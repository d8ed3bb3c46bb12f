// Scheduled posts end to end: the scheduler with a fake clock, posting through
// the bot's real discord.js client into the fake Discord. What is asserted is
// what lands in the channels: each digest and announcement exactly once, on
// time in the server's zone, across DST changes, crashes, downtime and a
// second process.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands, type CommandContext } from '../commands/index.js';
import { openArchive, type OpenArchive } from '../src/app/archive.js';
import { parsePetition } from '../src/digest/petitionJson.js';
import { startBot, type RunningBot } from '../src/discord/bot.js';
import { channelPoster } from '../src/discord/poster.js';
import { searchSessions } from '../src/discord/sessions.js';
import { ingestSources } from '../src/ingest/ingest.js';
import {
  announceNapoNews,
  announcePetitionMilestones,
  napoHistoryKey,
  postAnnouncement,
} from '../src/app/announcements.js';
import { campaignViews } from '../src/app/campaign.js';
import { createScheduler, type ChannelPoster } from '../src/app/deliveries.js';
import { serverSettings } from '../src/app/serverSettings.js';
import { watchEventLoop } from '../src/process.js';
import { BLOG_URL, FIXTURES, SEEDS, tempDir } from './helpers.js';
import { PermissionFlagsBits } from 'discord.js';
import { startFakeDiscord, type FakeDiscord } from './discord/fakeDiscord.js';
import { connectionOf } from '../src/store/store.js';
import { TEST_NETWORK } from './sources/testNetwork.js';

const TOKEN = 'fake-scheduler-token';
const log = pino({ level: 'silent' });
let archive: OpenArchive;
let fake: FakeDiscord;
let bot: RunningBot;
let clock: Date;
const now = () => clock;

beforeAll(async () => {
  const dir = tempDir();
  archive = openArchive(join(dir, 'data'), BLOG_URL);
  await ingestSources(archive.store, [SEEDS], { now: () => '2026-01-01T00:00:00Z' });
  archive.index();
});
afterAll(() => archive.close());

beforeEach(async () => {
  for (const table of ['guild_settings', 'deliveries', 'announcements', 'news_items'])
    connectionOf(archive.store).prepare(`DELETE FROM ${table}`).run();
  connectionOf(archive.store).prepare("DELETE FROM meta WHERE key LIKE 'napo_history:%'").run();
  connectionOf(archive.store).prepare("DELETE FROM meta WHERE key LIKE 'petition_milestones_checked:%'").run();
  connectionOf(archive.store).prepare('DELETE FROM petition_snapshots').run();
  fake = await startFakeDiscord({ token: TOKEN });
  const context: CommandContext = {
    archive,
    today: () => '2025-01-01',
    now,
    blogUrl: BLOG_URL,
    campaign: campaignViews(
      archive.store,
      {
        petition: { network: TEST_NETWORK, id: 900001, changeOrgUrl: null },
        napo: { network: TEST_NETWORK, feedUrl: null, blogUrl: BLOG_URL },
      },
      now,
    ),
    settings: serverSettings(archive.store, { now }),
    sessions: searchSessions(),
    log,
    eventLoopDelay: watchEventLoop(),
  };
  bot = await startBot({ token: TOKEN, commands, context, log, rest: { api: fake.restApi } });
});
afterEach(async () => {
  await bot.stop();
  await fake.close();
});

const guild = () => fake.guild.id;
const general = () => fake.guild.textChannel.id;
const at = (iso: string) => {
  clock = new Date(iso);
};
/** What the bot posted in a channel, oldest first. */
const posted = (channelId = general()) =>
  fake
    .channelMessages(channelId)
    .filter((m) => m.author.id === fake.botUser.id)
    .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
/** Every post the bot asked Discord for in a channel: Discord's nonce check would fold repeats into one message. */
const sends = (channelId = general()) =>
  fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${channelId}/messages`);
const scheduler = (instance = 'A', poster: ChannelPoster = channelPoster(bot.client, BLOG_URL)) =>
  createScheduler({ store: archive.store, archive, poster, clock: { now }, log, instance });

/** A new post's announcement, as the sync writes it with the post. */
function announcePost(
  a: OpenArchive,
  post: { id: string; title: string; text: string; url: string | null },
  at: string,
): boolean {
  return a.store.deliveries.announce({ kind: 'posts', key: post.id, ...postAnnouncement(post) }, at);
}

/** The delivery key a scheduled message carries in its title link's fragment. */
function refOf(message: { embeds: { url?: string }[] }): string | null {
  const url = message.embeds[0]?.url;
  return url ? new URLSearchParams(new URL(url).hash.slice(1)).get('ref') : null;
}

/** Posts for real, then fails as a process would that died before recording the delivery. */
function crashingPoster(): ChannelPoster {
  const real = channelPoster(bot.client, BLOG_URL);
  return {
    ...real,
    send: async (...args) => {
      await real.send(...args);
      throw new Error('made-up crash after the send, before the record');
    },
  };
}

function digestAt(time: string, zone: string) {
  at('2024-12-01T00:00:00Z');
  archive.store.settings.update(guild(), { kind: 'digest', channel: general(), time, zone }, clock.toISOString());
}

describe('the daily digest', () => {
  it('reaches every other server when one server fails (a time zone the runtime no longer knows)', async () => {
    digestAt('08:00', 'Europe/London');
    // A server whose stored zone this runtime does not know, sorted before the real one, as an old row could be.
    connectionOf(archive.store)
      .prepare(
        `INSERT INTO guild_settings (guild_id, digest_channel, digest_time, time_zone, updated_at)
         VALUES ('100000000000000001', '100000000000000002', '08:00', 'Mars/Olympus_Mons', '2024-12-01T00:00:00Z')`,
      )
      .run();
    at('2025-01-15T08:00:00Z');
    const report = await scheduler().tick();
    expect(posted()).toHaveLength(1);
    expect(report).toMatchObject({ sent: 1, failedServers: 1 });
  });

  it.each([
    ['an ordinary winter day in London', 'Europe/London', '2025-01-15T08:00:00Z'],
    ['the day London springs forward (30 March 2025)', 'Europe/London', '2025-03-30T07:00:00Z'],
    ['the day London falls back (26 October 2025)', 'Europe/London', '2025-10-26T08:00:00Z'],
    ['the day New York springs forward (9 March 2025)', 'America/New_York', '2025-03-09T12:00:00Z'],
    ['the day New York falls back (2 November 2025)', 'America/New_York', '2025-11-02T13:00:00Z'],
  ])('comes at 08:00 local time on %s, once', async (_label, zone, dueIso) => {
    digestAt('08:00', zone);
    const s = scheduler();
    at(new Date(Date.parse(dueIso) - 60_000).toISOString());
    await s.tick();
    expect(posted()).toHaveLength(0);
    at(dueIso);
    await s.tick();
    at(new Date(Date.parse(dueIso) + 60_000).toISOString());
    await s.tick();
    const messages = posted();
    expect(messages).toHaveLength(1);
    expect(messages[0]!.embeds[0]!.footer?.text).toBe('Daily digest of the On Probation archive');
    // The delivery's key rides in the title link's fragment, where members do not read it.
    expect(refOf(messages[0]!)).toMatch(/^digest:2025-\d\d-\d\d$/);
    expect(JSON.stringify(messages[0]!.embeds)).not.toMatch(/ref digest|ref=digest:/);
  });

  it('sends a local time that does not exist (01:30 on 30 March in London) once, just after the gap', async () => {
    digestAt('01:30', 'Europe/London');
    const s = scheduler();
    for (const iso of [
      '2025-03-30T00:59:00Z',
      '2025-03-30T01:00:00Z',
      '2025-03-30T01:30:00Z',
      '2025-03-30T02:30:00Z',
    ]) {
      at(iso);
      await s.tick();
    }
    expect(posted()).toHaveLength(1);
  });

  it('sends a local time that happens twice (01:30 on 26 October in London) once', async () => {
    digestAt('01:30', 'Europe/London');
    const s = scheduler();
    for (const iso of [
      '2025-10-26T00:30:00Z',
      '2025-10-26T01:00:00Z',
      '2025-10-26T01:30:00Z',
      '2025-10-26T02:00:00Z',
    ]) {
      at(iso);
      await s.tick();
    }
    expect(posted()).toHaveLength(1);
  });

  it('after 3 days down sends today’s digest late and does not back-fill the days missed', async () => {
    digestAt('08:00', 'Europe/London');
    const s = scheduler();
    at('2025-02-01T08:00:00Z');
    await s.tick();
    at('2025-02-04T10:17:00Z');
    await s.tick();
    const messages = posted();
    expect(messages.map(refOf)).toEqual(['digest:2025-02-01', 'digest:2025-02-04']);
  });

  it('is posted once when two scheduler processes share the database', async () => {
    digestAt('08:00', 'Europe/London');
    at('2025-02-01T08:00:00Z');
    await Promise.all([scheduler('A').tick(), scheduler('B').tick(), scheduler('C').tick()]);
    expect(posted()).toHaveLength(1);
    // Asked for once, not three times with one message to show for it; and recorded as sent.
    expect(sends()).toHaveLength(1);
    expect(archive.store.deliveries.state({ guildId: guild(), kind: 'digest', key: '2025-02-01' })).toBe('sent');
    // And recorded as delivered: the next ticks, in any process, send nothing more.
    await Promise.all([scheduler('A').tick(), scheduler('B').tick()]);
    expect(sends()).toHaveLength(1);
  });

  it('is left alone, not even claimed, by a process whose poster does not serve the server (another shard’s)', async () => {
    digestAt('08:00', 'Europe/London');
    at('2025-02-01T08:00:00Z');
    const real = channelPoster(bot.client, BLOG_URL);
    const otherShard = await scheduler('A', { ...real, serves: (guildId) => guildId !== guild() }).tick();
    expect(otherShard).toEqual({ sent: 0, alreadyDone: 0, retryLater: 0, disabled: 0, failedServers: 0 });
    expect(posted()).toEqual([]);
    // Its own shard's process then finds the delivery unclaimed and posts it at once.
    const ownShard = await scheduler('B', { ...real, serves: (guildId) => guildId === guild() }).tick();
    expect(ownShard.sent).toBe(1);
    expect(posted().map(refOf)).toEqual(['digest:2025-02-01']);
  });

  it('after a crash between sending and recording, the process taking over finds the message and posts nothing more', async () => {
    digestAt('08:00', 'Europe/London');
    const crashing = crashingPoster();
    at('2025-02-01T08:00:00Z');
    await scheduler('A', crashing).tick();
    expect(posted()).toHaveLength(1);
    // The claim is left behind; a new process takes it over once its lease has run out, past the nonce window.
    at('2025-02-01T08:01:00Z');
    await scheduler('B').tick();
    at('2025-02-01T08:03:00Z');
    await scheduler('B').tick();
    const sends = fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${general()}/messages`);
    expect(sends).toHaveLength(1);
    expect((sends[0]!.body as { enforce_nonce: boolean }).enforce_nonce).toBe(true);
    expect(posted()).toHaveLength(1);
    expect(archive.store.deliveries.state({ guildId: guild(), kind: 'digest', key: '2025-02-01' })).toBe('sent');
  });

  it('after a crash longer ago than Discord remembers nonces, finds the message in the channel instead of posting again', async () => {
    digestAt('08:00', 'Europe/London');
    const crashing = crashingPoster();
    at('2025-02-01T08:00:00Z');
    await scheduler('A', crashing).tick();
    fake.expireNonces();
    at('2025-02-01T09:00:00Z');
    await scheduler('B').tick();
    await scheduler('B').tick();
    expect(posted()).toHaveLength(1);
    expect(
      fake.requests.filter((r) => r.method === 'GET' && r.path === `/channels/${general()}/messages`),
    ).toHaveLength(1);
  });

  it('stops, and tells the admins once, when its channel is deleted', async () => {
    const doomed = fake.addChannel({ name: 'digest-doomed' });
    at('2025-02-01T00:00:00Z');
    archive.store.settings.update(
      guild(),
      { kind: 'digest', channel: doomed.id, time: '08:00', zone: 'Europe/London' },
      clock.toISOString(),
    );
    fake.deleteChannel(doomed.id);
    const s = scheduler();
    at('2025-02-01T08:00:00Z');
    await s.tick();
    at('2025-02-02T08:00:00Z');
    await s.tick();
    at('2025-02-03T08:00:00Z');
    await s.tick();
    const notices = posted().filter((m) => /stopped: channel \d+ no longer exists/.test(m.content));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.content).toMatch(/^The daily "on this day" digest stopped/);
    expect(archive.store.settings.get(guild()).disabled.digest).toMatch(/no longer exists/);
    const attempts = fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${doomed.id}/messages`);
    expect(attempts).toHaveLength(1);
  });
});

function snapshot(count: number, takenAt: string) {
  const json = JSON.parse(readFileSync(join(FIXTURES, 'petition-parliament-uk-131215-2016.json'), 'utf8')) as {
    data: { id: number; attributes: Record<string, unknown> };
  };
  json.data.id = 900001;
  Object.assign(json.data.attributes, {
    action: 'Fake petition: fund probation properly',
    signature_count: count,
    response_threshold_reached_at: count >= 10_000 ? takenAt : null,
    debate_threshold_reached_at: null,
  });
  archive.store.petition.store(900001, parsePetition(json), takenAt);
}

describe('announcements', () => {
  it('announces a crossing even when a /petition in between stored a snapshot already past it', () => {
    snapshot(9_950, '2025-05-02T09:00:00.000Z');
    expect(announcePetitionMilestones(archive.store, 900001, '2025-05-02T09:00:00.000Z')).toBe(0);
    // A member's /petition stores a snapshot between two checks: the crossing happened before it.
    snapshot(10_010, '2025-05-02T09:05:00.000Z');
    snapshot(10_040, '2025-05-02T09:15:00.000Z');
    expect(announcePetitionMilestones(archive.store, 900001, '2025-05-02T09:15:00.000Z')).toBe(1);
    expect(announcePetitionMilestones(archive.store, 900001, '2025-05-02T09:15:00.000Z')).toBe(0);
  });

  it('announces the petition crossing 10,000 between two polls, once', async () => {
    const petitionChannel = fake.addChannel({ name: 'campaign' });
    at('2025-05-01T09:00:00Z');
    archive.store.settings.update(guild(), { kind: 'petition', channel: petitionChannel.id }, clock.toISOString());
    snapshot(9_950, '2025-05-01T09:00:00.000Z');
    expect(announcePetitionMilestones(archive.store, 900001, clock.toISOString())).toBe(0);
    at('2025-05-01T09:15:00Z');
    snapshot(10_020, '2025-05-01T09:15:00.000Z');
    expect(announcePetitionMilestones(archive.store, 900001, clock.toISOString())).toBe(1);
    expect(announcePetitionMilestones(archive.store, 900001, clock.toISOString())).toBe(0);
    const s = scheduler();
    await s.tick();
    await s.tick();
    const messages = posted(petitionChannel.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.embeds[0]!.description).toMatch(/10,000/);
    expect(refOf(messages[0]!)).toBe('petition:900001:threshold:10000');
  });

  it('folds a burst of 50 new posts after downtime into one message, oldest first', async () => {
    const postsChannel = fake.addChannel({ name: 'new-posts' });
    at('2025-06-01T00:00:00Z');
    archive.store.settings.update(guild(), { kind: 'posts', channel: postsChannel.id }, clock.toISOString());
    for (let i = 1; i <= 50; i++) {
      at(new Date(Date.parse('2025-06-01T01:00:00Z') + i * 60_000).toISOString());
      announcePost(
        archive,
        {
          id: `fake-${i}`,
          title: `Fake post number ${i}`,
          text: `Made-up opening ${i}.`,
          url: `https://fake-blog.example/p${i}.html`,
        },
        clock.toISOString(),
      );
    }
    at('2025-06-03T12:00:00Z');
    const s = scheduler();
    await s.tick();
    await s.tick();
    const messages = posted(postsChannel.id);
    expect(messages).toHaveLength(1);
    const embed = messages[0]!.embeds[0]!;
    expect(embed.title).toBe('50 new posts on the blog while the bot was away');
    const titles = [...embed.description!.matchAll(/Fake post number (\d+)/g)].map((m) => Number(m[1]));
    expect(titles).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(embed.description).toMatch(/…and 35 more\.$/);
  });

  it('announces a new post on its own, with its first lines and link, and nothing queued before the channel was chosen', async () => {
    const postsChannel = fake.addChannel({ name: 'blog' });
    at('2025-06-01T00:00:00Z');
    announcePost(
      archive,
      { id: 'fake-old', title: 'Fake post from before', text: 'Made-up.', url: null },
      clock.toISOString(),
    );
    at('2025-06-01T00:01:00Z');
    archive.store.settings.update(guild(), { kind: 'posts', channel: postsChannel.id }, clock.toISOString());
    at('2025-06-01T00:02:00Z');
    announcePost(
      archive,
      {
        id: 'fake-new',
        title: 'Fake new post',
        text: 'Made-up first line.\nSecond line.',
        url: 'https://fake-blog.example/new.html',
      },
      clock.toISOString(),
    );
    await scheduler().tick();
    const messages = posted(postsChannel.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.embeds[0]).toMatchObject({
      title: 'Fake new post',
      url: 'https://fake-blog.example/new.html#ref=posts%3Afake-new',
      description: 'Made-up first line.\nSecond line.',
    });
  });
});

describe('announcements of hostile text', () => {
  it('posts a new post whose title and opening ping everyone, a role and a member, pinging no one and showing it inert', async () => {
    const postsChannel = fake.addChannel({ name: 'blog-hostile' });
    at('2025-06-01T00:01:00Z');
    archive.store.settings.update(guild(), { kind: 'posts', channel: postsChannel.id }, clock.toISOString());
    const member = fake.users.member.id;
    const role = fake.guild.roles.moderator.id;
    at('2025-06-01T00:02:00Z');
    announcePost(
      archive,
      {
        id: 'fake-hostile',
        title: '@everyone fake title',
        text: `@here fake opening <@${member}> and <@&${role}>\n# not a heading [fake](https://fake.example)`,
        url: 'https://fake-blog.example/hostile.html',
      },
      clock.toISOString(),
    );
    await scheduler().tick();
    const [message] = posted(postsChannel.id);
    // Nobody pinged, whatever Discord would parse: every mention kind is off in the request itself.
    expect(message).toMatchObject({ mention_everyone: false, mentions: [], mention_roles: [] });
    const [request] = sends(postsChannel.id);
    expect((request!.body as { allowed_mentions?: { parse?: string[] } }).allowed_mentions?.parse).toEqual([]);
    // And shown inert: no live @everyone, @here or mention syntax, no heading or masked link.
    const shown = JSON.stringify(message!.embeds) + message!.content;
    expect(shown).not.toMatch(/(^|[^\u200b])@(everyone|here)/);
    expect(shown).not.toMatch(/<@[&!]?\d+>/);
    expect(message!.embeds[0]!.description).not.toMatch(/^# /m);
    expect(message!.embeds[0]!.description).not.toMatch(/(^|[^\\])\[fake\]\(/);
  });
});

describe('announcements that cannot be delivered', () => {
  it('stop, and tell the admins once, when the bot loses the right to post in their channel', async () => {
    const closed = fake.addChannel({ name: 'closed-to-bot', botDenied: PermissionFlagsBits.SendMessages });
    at('2025-06-01T00:00:00Z');
    archive.store.settings.update(guild(), { kind: 'posts', channel: closed.id }, clock.toISOString());
    const s = scheduler();
    for (const n of [1, 2]) {
      at(`2025-06-01T0${n}:00:00Z`);
      announcePost(
        archive,
        { id: `fake-closed-${n}`, title: `Fake post ${n}`, text: 'Made-up.', url: null },
        clock.toISOString(),
      );
      await s.tick();
    }
    expect(
      fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${closed.id}/messages`),
    ).toHaveLength(1);
    const notices = posted().filter((m) =>
      m.content.startsWith('Announcements of new blog posts stopped: the bot may not post in'),
    );
    expect(notices).toHaveLength(1);
    expect(archive.store.settings.get(guild()).disabled.posts).toBeDefined();
  });
});

describe('Napo news announcements', () => {
  it('treat the first read of the feed as history, then announce each new item once', async () => {
    const napoChannel = fake.addChannel({ name: 'union' });
    at('2025-07-01T09:00:00Z');
    archive.store.settings.update(guild(), { kind: 'napo', channel: napoChannel.id }, clock.toISOString());
    const item = (n: number) => ({
      id: `fake-napo-${n}`,
      source: 'https://union.example/feed',
      title: `Fake union news ${n}`,
      link: `https://union.example/news/${n}`,
      published: null,
      summary: `Made-up summary ${n}.`,
    });
    const feed = 'https://union.example/feed';
    // The first successful read, as the Napo check records it.
    archive.store.news.store([item(1), item(2)], clock.toISOString());
    archive.store.meta.setIfAbsent(napoHistoryKey(feed), clock.toISOString());
    expect(announceNapoNews(archive.store, feed, clock.toISOString())).toBe(0);
    at('2025-07-01T09:30:00Z');
    archive.store.news.store([item(1), item(2), item(3)], clock.toISOString());
    expect(announceNapoNews(archive.store, feed, clock.toISOString())).toBe(1);
    expect(announceNapoNews(archive.store, feed, clock.toISOString())).toBe(0);
    await scheduler().tick();
    const messages = posted(napoChannel.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.embeds[0]).toMatchObject({
      title: 'Fake union news 3',
      url: expect.stringMatching(/^https:\/\/union\.example\/news\/3#ref=/),
    });
  });
});

describe('/config', () => {
  it('lists a scheduled post Discord refused for good, with when and why, after telling the admins once', async () => {
    digestAt('08:00', 'Europe/London');
    fake.failNext(
      { method: 'POST', path: `/channels/${general()}/messages` },
      { status: 400, body: { message: 'Invalid Form Body', code: 50035 } },
    );
    at('2025-02-01T08:00:00Z');
    const s = scheduler();
    await s.tick();
    at('2025-02-01T08:05:00Z');
    await s.tick();
    const notices = posted().filter((m) => /could not be posted: Discord refused it/.test(m.content));
    expect(notices).toHaveLength(1);
    expect(archive.store.deliveries.state({ guildId: guild(), kind: 'digest', key: '2025-02-01' })).toBe('failed');
    const shown = await fake
      .slashCommand('config', [{ name: 'show', type: 1 } as never], { user: fake.users.moderator })
      .response();
    const field = shown.data?.embeds?.[0]?.fields?.find((f) => f.name === 'Not posted lately');
    expect(field?.value).toMatch(/^• 1 Feb 2025, 08:00 — the digest for 1 Feb 2025: Discord: Invalid Form Body/);
    // The size report is for whoever runs the bot: here, privately, not in /stats.
    const storage = shown.data?.embeds?.[0]?.fields?.find((f) => f.name === 'Storage');
    const responsiveness = shown.data?.embeds?.[0]?.fields?.find((f) => f.name === 'Responsiveness');
    expect(responsiveness?.value).toMatch(
      /^answers held up [\d.]+ ms at worst 1 time in 100, [\d.]+ ms at most, since start$/,
    );
    expect(storage?.value).toMatch(/^database \d+(\.\d)? MB · search index (\d+(\.\d)? MB|not built yet)$/);
  });

  it('lets a Manage Server member choose the digest channel and time, and refuses everyone else', async () => {
    const set = fake.slashCommand(
      'config',
      [
        {
          name: 'digest',
          type: 1,
          options: [
            { name: 'channel', type: 7, value: general() },
            { name: 'time', type: 3, value: '7:30' },
            { name: 'timezone', type: 3, value: 'Europe/Paris' },
          ],
        } as never,
      ],
      { user: fake.users.moderator },
    );
    const answer = await set.response();
    expect(answer.data?.flags).toBe(64);
    expect(archive.store.settings.get(guild()).digest).toMatchObject({
      channel: general(),
      time: '07:30',
      zone: 'Europe/Paris',
    });

    const refused = await fake
      .slashCommand('config', [{ name: 'show', type: 1 } as never], { user: fake.users.member, permissions: 0n })
      .response();
    expect(refused.data?.content).toBe('You need the Manage Server permission for this.');

    const bad = await fake
      .slashCommand(
        'config',
        [{ name: 'digest', type: 1, options: [{ name: 'time', type: 3, value: '25:00' }] } as never],
        { user: fake.users.moderator },
      )
      .response();
    expect(bad.data?.content).toMatch(/25:00/);
  });
});
