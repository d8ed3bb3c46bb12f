// What the scheduler tells the operator and the admins about each delivery: the tick's report, the log line for
// every outcome (sent, found already posted, left to retry, refused for good, switched off, a server's failure, a
// claim taken over, admins that could not be told), the name of what could not be posted, when announcements fold
// into one summary, and what a scheduled post is recorded as showing. The real store on a temp file; a poster the
// test scripts, so each outcome is reached on purpose.
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ChannelPoster,
  createScheduler,
  DeliveryError,
  type Dispatch,
  LEASE_MS,
  type ScopedArchive,
  shownIn,
  weeklyOfRecordKey,
  weeklyRecordKey,
} from '../../src/app/deliveries.js';
import type { Announcement } from '../../src/store/deliveries.js';
import type { AnnouncementKind } from '../../src/store/settings.js';
import { connectionOf, openStore, type Store } from '../../src/store/store.js';
import { memoryLog, tempDir } from '../helpers.js';

const GUILD = 'guild-reports';
const CHANNEL = 'channel-announce';
/** A Monday, 10:00 in London (summer time). */
const START = Date.parse('2025-06-02T09:00:00Z');

interface Sent {
  channel: string;
  dispatch: Dispatch;
}

/** A poster whose send does what `onSend` says (default: posts), recording what went out and what admins were told. */
function scriptedPoster(
  onSend: (channel: string, dispatch: Dispatch) => Promise<void> = async () => {},
  options: { notifyAdmins?: () => Promise<boolean>; findMarker?: () => Promise<string | null> } = {},
) {
  const sent: Sent[] = [];
  const told: string[] = [];
  const poster: ChannelPoster = {
    serves: () => true,
    async send(channel, dispatch) {
      await onSend(channel, dispatch);
      sent.push({ channel, dispatch });
      return { id: `message-${sent.length}` };
    },
    findMarker: options.findMarker ?? (async () => null),
    edit: async () => {},
    async notifyAdmins(_guildId, dispatch) {
      if (options.notifyAdmins) return options.notifyAdmins();
      told.push(dispatch.type === 'notice' ? dispatch.text : dispatch.type);
      return true;
    },
  };
  return { poster, sent, told };
}

const emptyDay = (date: string) => ({ date, day: date.slice(5), exact: true, items: [] });
const plainArchive: ScopedArchive = { onThisDay: emptyDay };

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

/** A store with `kind`'s announcements on in CHANNEL (for GUILD and `others`) and `count` made-up items waiting. */
function withWaiting(kind: AnnouncementKind, count: number, clock = { at: START }, others: string[] = []) {
  const store = openStore(tempDir());
  stores.push(store);
  const iso = () => new Date(clock.at).toISOString();
  for (const guild of [GUILD, ...others]) {
    store.settings.update(guild, { kind, channel: CHANNEL }, iso());
    store.settings.update(guild, { kind: 'digest', on: false }, iso());
  }
  clock.at += 60_000;
  for (let i = 0; i < count; i++) {
    store.deliveries.announce(
      { kind, key: `fake-${kind}-${i}`, title: `Made-up ${kind} ${i}`, body: 'Made up.', link: null },
      iso(),
    );
  }
  return { store, clock: { now: () => new Date(clock.at) }, move: (ms: number) => (clock.at += ms) };
}

function scheduler(
  store: Store,
  clock: { now: () => Date },
  poster: ChannelPoster,
  extra: { archive?: ScopedArchive; instance?: string } = {},
) {
  const { log, lines } = memoryLog('info');
  const s = createScheduler({
    store,
    archive: extra.archive ?? plainArchive,
    poster,
    clock,
    log,
    instance: extra.instance ?? 'P1',
  });
  return { tick: () => s.tick(), lines };
}

/** The log lines with message `msg`. */
const logged = (lines: Record<string, unknown>[], msg: string) => lines.filter((l) => l.msg === msg);

describe("the tick's report", () => {
  it('counts what it sent, then what it found already done', async () => {
    const { store, clock } = withWaiting('posts', 2);
    const { poster } = scriptedPoster();
    const first = await scheduler(store, clock, poster).tick();
    expect(first).toEqual({ sent: 2, alreadyDone: 0, retryLater: 0, disabled: 0, failedServers: 0 });
    // A second process that comes to the same items while the first holds them: done already, to it.
    const fresh = withWaiting('posts', 1);
    const holder = scriptedPoster(async () => {
      const other = await scheduler(fresh.store, fresh.clock, scriptedPoster().poster, { instance: 'P2' }).tick();
      expect(other).toMatchObject({ sent: 0, alreadyDone: 1 });
    });
    expect(await scheduler(fresh.store, fresh.clock, holder.poster).tick()).toMatchObject({ sent: 1, alreadyDone: 0 });
  });

  it('counts a delivery switched off, and a summary another process holds items of as done already', async () => {
    const { store, clock } = withWaiting('posts', 1);
    const gone = scriptedPoster(async () => {
      throw new DeliveryError('gone', 'Unknown Channel');
    });
    expect(await scheduler(store, clock, gone.poster).tick()).toMatchObject({ disabled: 1, sent: 0, retryLater: 0 });

    const seven = withWaiting('posts', 7);
    // P2 is sending one of the seven on its own when P1 comes to fold them: P1 leaves them all for the next tick.
    const iso = seven.clock.now().toISOString();
    const held = seven.store.deliveries.claim({
      guildId: GUILD,
      kind: 'posts',
      key: 'fake-posts-3',
      channelId: CHANNEL,
      nonce: 'n',
      by: 'P2',
      now: iso,
      leaseMs: LEASE_MS,
    });
    expect(held.claimed).toBe(true);
    const p1 = scriptedPoster();
    expect(await scheduler(seven.store, seven.clock, p1.poster).tick()).toMatchObject({ alreadyDone: 1, sent: 0 });
    expect(p1.sent).toEqual([]);
  });
});

describe('what the operator reads in the log', () => {
  it('a line for each post sent, with its delivery, channel and message, and no line of a claim taken over', async () => {
    const { store, clock } = withWaiting('napo', 1);
    const { lines, tick } = scheduler(store, clock, scriptedPoster().poster);
    await tick();
    expect(logged(lines, 'scheduled post sent')).toEqual([
      expect.objectContaining({
        delivery: { guildId: GUILD, kind: 'napo', key: 'fake-napo-0' },
        channelId: CHANNEL,
        messageId: 'message-1',
      }),
    ]);
    expect(logged(lines, 'delivery sent, but another process had taken the claim over')).toEqual([]);
  });

  it('a warning when another process took the claim over while this one was sending', async () => {
    const { store, clock } = withWaiting('napo', 1);
    const later = new Date(clock.now().getTime() + LEASE_MS + 1).toISOString();
    const slow = scriptedPoster(async () => {
      store.deliveries.claim({
        guildId: GUILD,
        kind: 'napo',
        key: 'fake-napo-0',
        channelId: CHANNEL,
        nonce: 'n2',
        by: 'P2',
        now: later,
        leaseMs: LEASE_MS,
      });
    });
    const { lines, tick } = scheduler(store, clock, slow.poster);
    await tick();
    expect(logged(lines, 'delivery sent, but another process had taken the claim over')).toEqual([
      expect.objectContaining({ level: 40, delivery: { guildId: GUILD, kind: 'napo', key: 'fake-napo-0' } }),
    ]);
  });

  it('a line when a recovering claim finds its message already in the channel, naming it', async () => {
    const { store, clock, move } = withWaiting('petition', 1);
    const crash = scriptedPoster(async () => {
      throw new Error('process died after sending');
    });
    await scheduler(store, clock, crash.poster).tick();
    move(LEASE_MS + 60_000);
    const finds = scriptedPoster(undefined, { findMarker: async () => 'message-found' });
    const { lines, tick } = scheduler(store, clock, finds.poster, { instance: 'P2' });
    expect(await tick()).toMatchObject({ sent: 1 });
    expect(finds.sent).toEqual([]);
    expect(logged(lines, 'delivery found already posted')).toEqual([
      expect.objectContaining({
        delivery: { guildId: GUILD, kind: 'petition', key: 'fake-petition-0' },
        messageId: 'message-found',
      }),
    ]);
  });

  it('a warning with the error for a failure worth retrying, and the retry counted', async () => {
    const { store, clock } = withWaiting('posts', 1);
    const flaky = scriptedPoster(async () => {
      throw new DeliveryError('transient', 'Discord: 503 Service Unavailable');
    });
    const { lines, tick } = scheduler(store, clock, flaky.poster);
    expect(await tick()).toMatchObject({ retryLater: 1, sent: 0 });
    const [line] = logged(lines, 'delivery failed; will retry');
    expect(line).toMatchObject({
      level: 40,
      delivery: { guildId: GUILD, kind: 'posts', key: 'fake-posts-0' },
      err: { type: 'DeliveryError', message: 'Discord: 503 Service Unavailable' },
    });
  });

  it('a warning with the reason for a post Discord refused for good, and the admins told what it was', async () => {
    const { store, clock } = withWaiting('napo', 1);
    const refused = scriptedPoster(async () => {
      throw new DeliveryError('rejected', 'Invalid Form Body');
    });
    const { lines, tick } = scheduler(store, clock, refused.poster);
    expect(await tick()).toMatchObject({ disabled: 1 });
    expect(logged(lines, 'Discord refused a scheduled post: given up')).toEqual([
      expect.objectContaining({
        delivery: { guildId: GUILD, kind: 'napo', key: 'fake-napo-0' },
        reason: 'Invalid Form Body',
      }),
    ]);
    expect(refused.told).toEqual([
      'Announcements of Napo news could not be posted: Discord refused it (Invalid Form Body).',
    ]);
  });

  it('a warning naming the server, kind, channel and problem when a delivery is switched off', async () => {
    const { store, clock } = withWaiting('petition', 1);
    const closed = scriptedPoster(async () => {
      throw new DeliveryError('forbidden', 'Missing Access');
    });
    const { lines, tick } = scheduler(store, clock, closed.poster);
    await tick();
    expect(logged(lines, 'delivery switched off')).toEqual([
      expect.objectContaining({ guildId: GUILD, kind: 'petition', channelId: CHANNEL, problem: 'forbidden' }),
    ]);
    expect(closed.told).toEqual([
      `Announcements of petition milestones stopped: the bot may not post in <#${CHANNEL}>. An admin can choose another channel with /config (see /config show).`,
    ]);
  });

  it('a warning when the admins could not be told (nowhere to say it, or the notice failed), and none when they were', async () => {
    for (const [notifyAdmins, warned] of [
      [async () => false, 1],
      [async () => Promise.reject(new Error('Missing Access')), 1],
      [async () => true, 0],
    ] as const) {
      const { store, clock } = withWaiting('posts', 1);
      const refused = scriptedPoster(
        async () => {
          throw new DeliveryError('rejected', 'Invalid Form Body');
        },
        { notifyAdmins },
      );
      const { lines, tick } = scheduler(store, clock, refused.poster);
      await tick();
      expect(logged(lines, 'could not tell the server admins about a delivery')).toEqual(
        Array.from({ length: warned }, () => expect.objectContaining({ guildId: GUILD })),
      );
    }
  });

  it("an error naming the server whose part of the tick failed, with the error, and the others' parts served", async () => {
    const { store, clock } = withWaiting('posts', 1, { at: START }, ['guild-broken']);
    // Only the broken server's view of the archive fails (reading what its admins hid).
    const broken: ScopedArchive = {
      onThisDay: emptyDay,
      forServer: (guildId) => {
        if (guildId === 'guild-broken') throw new Error('made-up failure reading what is hidden');
        return plainArchive;
      },
    };
    const ok = scriptedPoster();
    const { lines, tick } = scheduler(store, clock, ok.poster, { archive: broken });
    expect(await tick()).toMatchObject({ failedServers: 1, sent: 1 });
    expect(logged(lines, 'scheduled posts failed for this server; the others go on')).toEqual([
      expect.objectContaining({
        level: 50,
        guildId: 'guild-broken',
        err: expect.objectContaining({ message: 'made-up failure reading what is hidden' }),
      }),
    ]);
  });
});

describe('what the admins are told could not be posted', () => {
  it('names the kind of a summary by its items (new blog posts), not as a summary', async () => {
    const { store, clock } = withWaiting('posts', 6);
    const refused = scriptedPoster(async () => {
      throw new DeliveryError('rejected', 'Request entity too large');
    });
    await scheduler(store, clock, refused.poster).tick();
    expect(refused.told).toEqual([
      'Announcements of new blog posts could not be posted: Discord refused it (Request entity too large).',
    ]);
  });

  it('names the weekly round-up', async () => {
    const store = openStore(tempDir());
    stores.push(store);
    const clock = { now: () => new Date(START) };
    store.settings.update(
      GUILD,
      { kind: 'digest', channel: CHANNEL, on: false, weekly: 'monday' },
      clock.now().toISOString(),
    );
    const archive: ScopedArchive = {
      onThisDay: emptyDay,
      week: (week) => ({ week, posts: [], morePosts: 0, discussed: [] }),
    };
    const refused = scriptedPoster(async () => {
      throw new DeliveryError('rejected', 'Invalid Form Body');
    });
    await scheduler(store, clock, refused.poster, { archive }).tick();
    expect(refused.told).toEqual(['The weekly round-up could not be posted: Discord refused it (Invalid Form Body).']);
  });
});

describe('when announcements fold into one summary', () => {
  it('sends five waiting one by one, and six as one summary of the six', async () => {
    const five = withWaiting('posts', 5);
    const p5 = scriptedPoster();
    await scheduler(five.store, five.clock, p5.poster).tick();
    expect(p5.sent.map((s) => s.dispatch.type)).toEqual(Array(5).fill('announcement'));

    const six = withWaiting('posts', 6);
    const p6 = scriptedPoster();
    await scheduler(six.store, six.clock, p6.poster).tick();
    expect(p6.sent).toHaveLength(1);
    const [only] = p6.sent;
    expect(only!.dispatch).toMatchObject({ type: 'summary', kind: 'posts' });
    expect((only!.dispatch as { announcements: Announcement[] }).announcements.map((a) => a.key)).toEqual(
      Array.from({ length: 6 }, (_, i) => `fake-posts-${i}`),
    );
  });

  it('holds back only new posts the server hid; Napo news and petition updates go out whatever the archive hides', async () => {
    const hidesAll: ScopedArchive = { onThisDay: emptyDay, hidesPost: () => true };
    for (const kind of ['napo', 'petition', 'posts'] as const) {
      const { store, clock } = withWaiting(kind, 1);
      const p = scriptedPoster();
      await scheduler(store, clock, p.poster, { archive: hidesAll }).tick();
      expect(p.sent.length, kind).toBe(kind === 'posts' ? 0 : 1);
    }
  });
});

describe('what a scheduled post is recorded as showing of the archive', () => {
  const item = (kind: AnnouncementKind, key: string): Announcement =>
    ({ id: 1, kind, key, title: 't', body: 'b', link: null, createdAt: '2025-06-02T09:00:00.000Z' }) as Announcement;

  it('a new post announced, alone or in a summary; never Napo news or a petition update', () => {
    expect(shownIn({ type: 'announcement', announcement: item('posts', 'p1') })).toEqual({
      what: 'announcement',
      shows: [{ postId: 'p1', commentId: null, author: null }],
    });
    expect(shownIn({ type: 'announcement', announcement: item('napo', 'https://example.org/news/1') })).toBeNull();
    expect(
      shownIn({ type: 'summary', kind: 'posts', announcements: [item('posts', 'p1'), item('posts', 'p2')] }),
    ).toMatchObject({ what: 'announcement', shows: [{ postId: 'p1' }, { postId: 'p2' }] });
    expect(
      shownIn({ type: 'summary', kind: 'petition', announcements: [item('petition', 'milestone:10000')] }),
    ).toBeNull();
    expect(
      shownIn({ type: 'summary', kind: 'napo', announcements: [item('napo', 'https://example.org/news/2')] }),
    ).toBeNull();
  });

  it("reads back a round-up's record key, and nothing else as one", () => {
    expect(weeklyOfRecordKey(weeklyRecordKey('2025-05-26', 'Europe/London'))).toEqual({
      from: '2025-05-26',
      zone: 'Europe/London',
    });
    expect(weeklyOfRecordKey('2025-05-26')).toBeNull();
    expect(weeklyOfRecordKey('old-week:2025-05-26:Europe/London')).toBeNull();
    expect(weeklyOfRecordKey('week:2025-05-26:Europe/London\nweek')).toBeNull();
  });
});

describe('the name a process claims by', () => {
  it('is, when none is given, its process id and a random part: two schedulers never claim under one name', async () => {
    const { store, clock } = withWaiting('posts', 2);
    const claimers: string[] = [];
    for (let i = 0; i < 2; i++) {
      const flaky = scriptedPoster(async () => {
        throw new DeliveryError('transient', 'Discord: 503 Service Unavailable');
      });
      const s = createScheduler({ store, archive: plainArchive, poster: flaky.poster, clock, log: memoryLog().log });
      await s.tick();
      claimers.push(
        ...(connectionOf(store)
          .prepare("SELECT claimed_by FROM deliveries WHERE state = 'claimed' ORDER BY key")
          .pluck()
          .all() as string[]),
      );
      connectionOf(store).prepare('DELETE FROM deliveries').run();
    }
    expect(claimers).toHaveLength(4);
    for (const name of claimers) expect(name).toMatch(new RegExp(`^${process.pid}-[0-9a-f]{6}$`));
    expect(new Set(claimers).size).toBe(2);
  });
});

describe('the delivery error', () => {
  it('is named in the log as a DeliveryError', () => {
    expect(new DeliveryError('gone', 'Unknown Channel').name).toBe('DeliveryError');
  });
});
