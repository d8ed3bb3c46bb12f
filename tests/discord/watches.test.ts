// Topic watches end to end: /watch through the real discord.js client against the fake Discord, new comments brought
// in by the sync from a fake blog, and the hourly direct message sent through the ledger. One message an hour holds
// every match since the last, exactly once across a restart; closed direct messages pause the watches and the member
// is told once, on their next command; what is hidden before the message goes is never in it. Everything is made up.
import type { APIApplicationCommandInteractionDataOption, APIMessage } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { openArchive, type OpenArchive } from '../../src/app/archive.js';
import { hide, targetOf } from '../../src/app/takedowns.js';
import { createWatchDeliveries, watchMatcher, watchService } from '../../src/app/watches.js';
import { type ChannelPoster, DeliveryError } from '../../src/app/deliveries.js';
import { channelPoster } from '../../src/discord/poster.js';
import { syncJob } from '../../src/jobs/sync.js';
import { connectionOf } from '../../src/store/store.js';
import { memoryLog, tempDir } from '../helpers.js';
import { startFakeBlog, type FakeBlog, type FakeComment } from '../sources/fakeBlog.js';
import { TEST_NETWORK } from '../sources/testNetwork.js';
import { type Harness, startHarness } from './harness.js';

const POST_ID = '7200000000000000001';
let time = new Date('2026-11-23T10:00:00Z');
const clock = { now: () => time, after: () => () => {} };
const setTime = (iso: string) => {
  time = new Date(iso);
};

let h: Harness | null = null;
let blog: FakeBlog | null = null;
let archive: OpenArchive | null = null;
afterEach(async () => {
  await h?.stop();
  await blog?.close();
  archive?.close();
  h = null;
  blog = null;
  archive = null;
});

let commentNo = 0;
function comment(text: string, author = 'Made-up Reader'): FakeComment {
  commentNo++;
  const at = time.toISOString();
  return {
    id: `${8_300_000_000_000_000_000n + BigInt(commentNo)}`,
    postId: POST_ID,
    html: text,
    published: at,
    updated: at,
    author,
  };
}

/** A made-up blog with one post, synced once (history), and the bot on the fake Discord with watches wired. */
async function setUp(): Promise<{ h: Harness; sync: () => Promise<void>; deliveries: () => ReturnType<typeof tick> }> {
  setTime('2026-11-23T09:00:00Z');
  blog = await startFakeBlog({
    posts: [
      {
        id: POST_ID,
        title: 'A made-up post about rotas',
        html: '<p>Made-up opening paragraph of a made-up post, long enough to be a passage of its own.</p>',
        published: '2026-11-20T09:00:00Z',
        updated: '2026-11-20T09:00:00Z',
        author: 'Made-up Editor',
      },
    ],
    comments: [],
  });
  archive = openArchive(tempDir(), blog.url);
  const store = archive.store;
  const job = syncJob({
    store,
    archive,
    blogUrl: blog.url,
    every: 3_600_000,
    clock,
    log: memoryLog().log,
    sync: { network: TEST_NETWORK, retries: 0, sleep: async () => {} },
    watches: () => watchMatcher(store),
  });
  const sync = () => job.run(new AbortController().signal);
  await sync();
  const harness = await startHarness(archive, { watches: watchService(store, clock), now: () => time });
  h = harness;
  return { h: harness, sync, deliveries: () => tick(harness) };
}

/** One pass of the watch messages, as a freshly started process makes it (nothing kept from the last). */
function tick(harness: Harness, poster: ChannelPoster = channelPoster(harness.bot.client, BLOG)) {
  return createWatchDeliveries({ store: archive!.store, poster, clock, log: memoryLog().log }).tick();
}

const BLOG = 'https://probationmatters.blogspot.com';

const sub = (name: string, options: APIApplicationCommandInteractionDataOption[] = []) =>
  [{ name, type: 1, options }] as never;
const text = (name: string, value: string) => ({ name, type: 3, value }) as APIApplicationCommandInteractionDataOption;

/** A /watch subcommand's answer: private, and its text. */
async function watch(
  harness: Harness,
  name: string,
  options: APIApplicationCommandInteractionDataOption[] = [],
  user = harness.fake.users.member,
) {
  const response = await harness.fake.slashCommand('watch', sub(name, options), { user }).response();
  expect(response.data?.flags).toBe(64);
  return response.data?.content ?? '';
}

/** The direct messages the bot created (in any DM channel). */
function directMessages(harness: Harness): APIMessage[] {
  return harness.fake.requests
    .filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path) && r.status === 200)
    .map((r) => r.path.split('/')[2]!)
    .filter((channelId, i, all) => all.indexOf(channelId) === i)
    .flatMap((channelId) => harness.fake.channelMessages(channelId))
    .filter((m) => m.channel_id !== harness.fake.guild.textChannel.id);
}

describe('a topic watch', () => {
  it('sends one direct message an hour holding every match since the last, and nothing twice across a restart', async () => {
    const { h, sync, deliveries } = await setUp();
    expect(await watch(h, 'add', [text('query', 'caseload rota')])).toMatch(/Watching “caseload rota” \(1 of 5\)/);

    setTime('2026-11-23T10:05:00Z');
    blog!.comments.push(comment('<p>My made-up caseload means the rota never works.</p>', 'Reader One'));
    blog!.comments.push(comment('<p>A made-up comment about the rota alone.</p>', 'Reader Two'));
    await sync();
    setTime('2026-11-23T10:20:00Z');
    blog!.comments.push(comment('<p>Rotas and caseloads, made up again: @everyone look **here**.</p>', 'Reader Three'));
    await sync();

    // The hour is not over: nothing goes yet.
    setTime('2026-11-23T10:40:00Z');
    expect((await deliveries()).sent).toBe(0);
    expect(directMessages(h)).toHaveLength(0);

    setTime('2026-11-23T11:00:30Z');
    expect((await deliveries()).sent).toBe(1);
    const [dm] = directMessages(h);
    expect(dm).toBeDefined();
    const embed = dm!.embeds[0]!;
    expect(embed.title).toBe('2 new in the archive for your watches');
    expect(embed.description).toContain('Reader One');
    expect(embed.description).toContain('Reader Three');
    expect(embed.description).not.toContain('Reader Two');
    expect(embed.description).toContain('A made-up post about rotas');
    // Archive text is inert: no live mention, no bold of its own.
    expect(embed.description).not.toMatch(/@everyone/);
    expect(embed.description).toContain('\\*\\*here\\*\\*');
    expect(dm!.mentions).toEqual([]);
    expect(dm!.mention_everyone).toBe(false);

    // A restart (a new process, its own instance) and the next hours: nothing is sent again.
    setTime('2026-11-23T11:02:00Z');
    expect((await deliveries()).sent).toBe(0);
    setTime('2026-11-23T12:00:30Z');
    expect((await deliveries()).sent).toBe(0);
    expect(directMessages(h)).toHaveLength(1);
    // Sent matches are not kept.
    expect(connectionOf(archive!.store).prepare('SELECT count(*) FROM watch_matches').pluck().get()).toBe(0);
  });

  it('never sends a comment hidden after it matched', async () => {
    const { h, sync, deliveries } = await setUp();
    await watch(h, 'add', [text('query', '"night shift"')]);
    setTime('2026-11-23T10:05:00Z');
    const kept = comment('<p>Another made-up night shift story.</p>', 'Kept Reader');
    const hidden = comment('<p>A made-up night shift story to be taken down.</p>', 'Hidden Reader');
    blog!.comments.push(kept, hidden);
    await sync();
    hide(archive!.store, targetOf(archive!.store, hidden.id), { reason: 'asked', by: 'test', now: time.toISOString() });

    setTime('2026-11-23T11:00:30Z');
    expect((await deliveries()).sent).toBe(1);
    const description = directMessages(h)[0]!.embeds[0]!.description!;
    expect(description).toContain('Kept Reader');
    expect(description).not.toContain('Hidden Reader');
    expect(description).not.toContain('taken down');

    // An hour whose only match is hidden sends nothing at all.
    setTime('2026-11-23T11:10:00Z');
    const alone = comment('<p>One more made-up night shift story.</p>', 'Alone Reader');
    blog!.comments.push(alone);
    await sync();
    hide(archive!.store, targetOf(archive!.store, alone.id), { reason: 'asked', by: 'test', now: time.toISOString() });
    setTime('2026-11-23T12:00:30Z');
    expect(await deliveries()).toMatchObject({ sent: 0, empty: 1 });
    expect(directMessages(h)).toHaveLength(1);
  });

  it('pauses when direct messages are closed, says so once on the next command, and resumes', async () => {
    const { h, sync, deliveries } = await setUp();
    await watch(h, 'add', [text('query', 'caseload')]);
    h.fake.closeDms(h.fake.users.member.id);
    setTime('2026-11-23T10:05:00Z');
    blog!.comments.push(comment('<p>A made-up caseload comment.</p>'));
    await sync();
    setTime('2026-11-23T11:00:30Z');
    expect(await deliveries()).toMatchObject({ sent: 0, paused: 1 });
    const refused = h.fake.requests.filter((r) => r.status === 403 && /^\/channels\/\d+\/messages$/.test(r.path));
    expect(refused).toHaveLength(1);

    // Not retried: the next passes and new matches send nothing, and ask Discord nothing more.
    setTime('2026-11-23T11:20:00Z');
    blog!.comments.push(comment('<p>Another made-up caseload comment.</p>'));
    await sync();
    setTime('2026-11-23T12:00:30Z');
    expect((await deliveries()).sent).toBe(0);
    expect(h.fake.requests.filter((r) => r.status === 403)).toHaveLength(1);

    // The next command the member uses brings the word, privately, once.
    const first = h.fake.slashCommand('stats');
    await first.final();
    const notice = await first.followup(0);
    expect(notice.content).toMatch(/watches are paused/);
    expect(notice.content).toMatch(/\/watch resume/);
    expect(notice.flags! & 64).toBe(64);
    const second = h.fake.slashCommand('stats');
    await second.final();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const followUps = h.fake.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/webhooks/'));
    expect(followUps.filter((r) => r.path.includes(second.token))).toHaveLength(0);
    expect(followUps.filter((r) => r.path.includes(first.token))).toHaveLength(1);

    expect(await watch(h, 'list')).toMatch(/Paused/);
    expect(await watch(h, 'resume')).toMatch(/on again/);
    expect(await watch(h, 'list')).not.toMatch(/Paused/);

    h.fake.closeDms(h.fake.users.member.id, false);
    setTime('2026-11-23T12:10:00Z');
    blog!.comments.push(comment('<p>A third made-up caseload comment.</p>', 'After Resume'));
    await sync();
    setTime('2026-11-23T13:00:30Z');
    expect((await deliveries()).sent).toBe(1);
    expect(directMessages(h)[0]!.embeds[0]!.description).toContain('After Resume');
  });

  it('keeps five per member, lists, suggests and removes only their own, clears, and explains bad syntax as /search', async () => {
    const { h } = await setUp();
    const other = h.fake.users.moderator;
    await watch(h, 'add', [text('query', 'someone elses topic')], other);
    for (const q of ['one topic', 'two topic', '"three topic"', 'four -topic', 'five topic']) {
      expect(await watch(h, 'add', [text('query', q)])).toMatch(/^Watching/);
    }
    expect(await watch(h, 'add', [text('query', 'six topic')])).toMatch(/already have 5 watches.*remove one first/);
    expect(await watch(h, 'add', [text('query', 'one topic')])).toMatch(/already watch “one topic”/);

    const searched = await h.fake.slashCommand('search', [text('query', '"unclosed words')]).final();
    expect(searched.content).toMatch(/not closed/);
    expect(await watch(h, 'add', [text('query', '"unclosed words')])).toBe(searched.content);

    const list = await watch(h, 'list');
    for (const q of ['one topic', 'two topic', '"three topic"', 'four -topic', 'five topic']) expect(list).toContain(q);
    expect(list).not.toContain('someone elses');

    const suggested = await h.fake
      .autocomplete('watch', sub('remove', [{ ...text('watch', 'topic'), focused: true } as never]))
      .response();
    const choices = suggested.data?.choices ?? [];
    expect(choices.map((c) => c.name)).toEqual([
      'one topic',
      'two topic',
      '"three topic"',
      'four -topic',
      'five topic',
    ]);
    expect(await watch(h, 'remove', [text('watch', String(choices[1]!.value))])).toMatch(
      /No longer watching “two topic” \(4 left\)/,
    );
    // Another member's watch cannot be removed, whatever is typed.
    const theirs = connectionOf(archive!.store)
      .prepare('SELECT id FROM watches WHERE user_id = ?')
      .pluck()
      .get(other.id) as number;
    expect(await watch(h, 'remove', [text('watch', `w:${theirs}`)])).toMatch(/You have no watch/);

    expect(await watch(h, 'clear')).toMatch(/All 4 of your watches removed/);
    expect(await watch(h, 'list')).toMatch(/You have no watches/);
    expect(await watch(h, 'list', [], other)).toContain('someone elses topic');
  });

  it('is sent once by two processes at once, and once after a crash between Discord creating it and the record', async () => {
    const { h, sync } = await setUp();
    await watch(h, 'add', [text('query', 'caseload')]);
    setTime('2026-11-23T10:05:00Z');
    blog!.comments.push(comment('<p>A made-up caseload comment.</p>', 'First Hour'));
    await sync();
    setTime('2026-11-23T11:00:30Z');
    const [one, two] = await Promise.all([tick(h), tick(h)]);
    expect(one!.sent + two!.sent).toBe(1);
    expect(directMessages(h)).toHaveLength(1);

    // The next hour: Discord creates the message, but the connection drops before the bot hears (or it crashes).
    setTime('2026-11-23T11:10:00Z');
    blog!.comments.push(comment('<p>Another made-up caseload comment.</p>', 'Second Hour'));
    await sync();
    setTime('2026-11-23T12:00:30Z');
    const real = channelPoster(h.bot.client, BLOG);
    const cut: ChannelPoster = {
      ...real,
      send: async (...args) => {
        await real.send(...args);
        throw new DeliveryError('transient', 'connection reset (made up)');
      },
    };
    expect((await tick(h, cut)).retryLater).toBe(1);
    const dmChannel = directMessages(h)[0]!.channel_id;
    expect(h.fake.channelMessages(dmChannel)).toHaveLength(2);
    // Within the claim's lease nobody touches it; past it, after Discord forgot the nonce, the next process finds
    // the message in the conversation and records it rather than sending it again.
    setTime('2026-11-23T12:01:30Z');
    expect((await tick(h)).sent).toBe(0);
    setTime('2026-11-23T12:03:00Z');
    h.fake.expireNonces();
    expect((await tick(h)).sent).toBe(1);
    setTime('2026-11-23T12:06:00Z');
    expect((await tick(h)).sent).toBe(0);
    const messages = h.fake.channelMessages(dmChannel);
    expect(messages).toHaveLength(2);
    expect(messages[0]!.embeds[0]!.description).toContain('Second Hour');
  });
});
