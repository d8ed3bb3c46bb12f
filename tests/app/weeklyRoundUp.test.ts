// The weekly round-up: what it holds for a week of the seeds (new posts, the posts most commented on, the
// petition's week, Napo news), and the scheduler posting it on the chosen weekday at the digest's local time in
// London, across both clock changes, exactly once across ticks and a restart, never on another day, with the daily
// digest going on as before; and a takedown of a post in it shows the round-up again without that post.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openArchive, type OpenArchive } from '../../src/app/archive.js';
import { campaignWeek } from '../../src/app/campaign.js';
import { type ChannelPoster, createScheduler, type Dispatch } from '../../src/app/deliveries.js';
import { createRetractions } from '../../src/app/retractions.js';
import { serverSettings } from '../../src/app/serverSettings.js';
import { hide, targetOf, unhide } from '../../src/app/takedowns.js';
import { parsePetition } from '../../src/digest/petitionJson.js';
import { embedLength } from '../../src/discord/format.js';
import { weeklyMessage } from '../../src/discord/messages.js';
import { dueWeekly, weekFrom, weeklyRoundUp } from '../../src/digest/weekly.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { connectionOf } from '../../src/store/store.js';
import { BLOG_URL, FIXTURES, memoryLog, SEEDS, tempDir } from '../helpers.js';

const PETITION = 900002;
let archive: OpenArchive;
beforeAll(async () => {
  archive = openArchive(join(tempDir(), 'data'), BLOG_URL);
  await ingestSources(archive.store, [SEEDS], { now: () => '2025-11-01T08:00:00Z' });
  archive.invalidate();
});
afterAll(() => archive.close());
beforeEach(() => {
  for (const table of ['guild_settings', 'deliveries', 'posted_passages', 'petition_snapshots', 'news_items'])
    connectionOf(archive.store).prepare(`DELETE FROM ${table}`).run();
});

/** The seeds' posts dated in [from, to), oldest first, read straight from the store. */
const postsDated = (from: string, to: string) =>
  connectionOf(archive.store)
    .prepare<[string, string], { id: string }>(
      "SELECT id FROM posts WHERE date >= ? AND date < ? ORDER BY date, coalesce(time, ''), id",
    )
    .all(from, to)
    .map((r) => r.id);

function snapshot(count: number, takenAt: string) {
  const json = JSON.parse(readFileSync(join(FIXTURES, 'petition-parliament-uk-131215-2016.json'), 'utf8')) as {
    data: { id: number; attributes: Record<string, unknown> };
  };
  json.data.id = PETITION;
  Object.assign(json.data.attributes, { action: 'Fake petition: fund probation properly', signature_count: count });
  archive.store.petition.store(PETITION, parsePetition(json), takenAt);
}

describe('what a round-up holds', () => {
  it("lists the week of 20 November 2023's new posts, oldest first, each credited, dated and linked", () => {
    const week = weekFrom('2023-11-20');
    const r = archive.week(week);
    expect(r.week).toEqual({ from: '2023-11-20', last: '2023-11-26', to: '2023-11-27' });
    expect(r.posts.map((p) => p.postId)).toEqual(postsDated('2023-11-20', '2023-11-27'));
    expect(r.posts).toHaveLength(4);
    for (const p of r.posts) {
      expect(p.date! >= '2023-11-20' && p.date! <= '2023-11-26').toBe(true);
      expect(p.url).toMatch(/^https:\/\/probationmatters\.blogspot\.com\//);
      expect(p.excerpt.length).toBeGreaterThan(20);
    }
    expect(r.morePosts).toBe(0);
    // None of the seeds' comments fall in that week.
    expect(r.discussed).toEqual([]);
  });

  it("ranks the posts by the week's comments, an undated comment counting on its post's date", () => {
    // The seeds' post of 3 July 2022 has comments with no date of their own; the undated post's comments are dated.
    const treadmill = postsDated('2022-07-03', '2022-07-04')[0]!;
    const comments = archive.store.archive.readComments(treadmill).filter((c) => !c.deleted).length;
    const r = archive.week(weekFrom('2022-06-27'));
    expect(r.discussed).toEqual([expect.objectContaining({ postId: treadmill, newComments: comments })]);
    const dated = archive.week(weekFrom('2022-10-24')).discussed;
    const inWeek = connectionOf(archive.store)
      .prepare("SELECT count(*) AS n FROM comments WHERE date >= '2022-10-24' AND date < '2022-10-31'")
      .get() as { n: number };
    expect(inWeek.n).toBeGreaterThan(0);
    expect(dated.map((d) => d.newComments)).toEqual([inWeek.n]);
  });

  it('leaves out a post taken down, and its comments from the most discussed', () => {
    const treadmill = postsDated('2022-07-03', '2022-07-04')[0]!;
    hide(archive.store, targetOf(archive.store, treadmill), { by: 'test', reason: null, now: '2025-11-01T09:00:00Z' });
    try {
      const r = archive.week(weekFrom('2022-06-27'));
      expect(r.posts).toEqual([]);
      expect(r.discussed).toEqual([]);
    } finally {
      unhide(archive.store, { id: treadmill }, { by: 'test', now: '2025-11-01T10:00:00Z' });
    }
  });

  it("gives the petition's week from the readings before it began and ended, and the week's Napo news", () => {
    const week = weekFrom('2025-03-24');
    snapshot(10_000, '2025-03-23T20:00:00Z');
    snapshot(10_400, '2025-03-27T12:00:00Z');
    snapshot(10_900, '2025-03-30T22:30:00Z'); // Monday 31 March already, in London (BST)
    snapshot(11_000, '2025-03-31T09:00:00Z');
    archive.store.news.store(
      [
        {
          id: 'n1',
          source: 'feed',
          title: 'Napo: pay talks',
          link: 'https://napo.example/1',
          published: '2025-03-25T10:00:00Z',
          summary: '',
        },
        {
          id: 'n2',
          source: 'feed',
          title: 'Napo: last week',
          link: 'https://napo.example/2',
          published: '2025-03-20T10:00:00Z',
          summary: '',
        },
      ],
      '2025-03-31T09:00:00Z',
    );
    const campaign = campaignWeek(archive.store, PETITION)(week, 'Europe/London');
    expect(campaign.petition).toMatchObject({ atStart: 10_000, atEnd: 10_900 });
    expect(campaign.napo.map((n) => n.title)).toEqual(['Napo: pay talks']);
    // A week before the first reading has no petition part.
    expect(campaignWeek(archive.store, PETITION)(weekFrom('2025-03-10'), 'Europe/London').petition).toBeNull();
    expect(weeklyRoundUp(archive.week(week), campaign).petition?.atEnd).toBe(10_900);
  });
});

describe('when a round-up is due', () => {
  it('is due on the chosen weekday once the local time has passed, and covers the seven days before', () => {
    const setting = { time: '08:00', zone: 'Europe/London', weekday: 'sunday' as const };
    expect(dueWeekly(setting, new Date('2025-03-30T06:59:00Z'))).toBeNull();
    expect(dueWeekly(setting, new Date('2025-03-30T07:00:00Z'))).toMatchObject({
      localDate: '2025-03-30',
      week: { from: '2025-03-23', last: '2025-03-29' },
    });
    expect(dueWeekly(setting, new Date('2025-03-31T08:00:00Z'))).toBeNull();
  });
});

describe('the scheduler', () => {
  function recordingPoster() {
    const sent: { channel: string; dispatch: Dispatch }[] = [];
    const edits: Dispatch[] = [];
    const poster: ChannelPoster = {
      serves: () => true,
      send: async (channel, dispatch) => {
        sent.push({ channel, dispatch });
        return { id: `m${sent.length}` };
      },
      findMarker: async () => null,
      edit: async (_channel, _id, dispatch) => {
        edits.push(dispatch);
      },
      notifyAdmins: async () => true,
    };
    return { poster, sent, edits };
  }
  const types = (sent: { dispatch: Dispatch }[]) => sent.map((s) => s.dispatch.type);

  it.each([
    ['the Sunday London springs forward (30 March 2025)', '2025-03-30T07:00:00Z', '2025-03-31T07:00:00Z'],
    ['the Sunday London falls back (26 October 2025)', '2025-10-26T08:00:00Z', '2025-10-27T08:00:00Z'],
  ])('posts it at 08:00 local time on %s, once across ticks and a restart, not the next day', async (_l, due, next) => {
    let now = new Date(0);
    const clock = { now: () => now };
    const { log } = memoryLog();
    const { poster, sent } = recordingPoster();
    serverSettings(archive.store, { now: () => new Date('2025-01-01T00:00:00Z') }).setDigest('g', {
      channel: 'c',
      weekly: 'sunday',
    });
    const scheduler = (instance: string) =>
      createScheduler({
        store: archive.store,
        archive,
        poster,
        campaignWeek: campaignWeek(archive.store, PETITION),
        clock,
        log,
        instance,
      });
    const a = scheduler('A');
    now = new Date(Date.parse(due) - 60_000);
    await a.tick();
    expect(types(sent)).toEqual([]);
    now = new Date(due);
    await a.tick();
    now = new Date(Date.parse(due) + 60_000);
    await a.tick();
    // A restart: a new scheduler over the same store.
    await scheduler('B').tick();
    expect(types(sent).sort()).toEqual(['digest', 'weekly']);
    const weekly = sent.find((s) => s.dispatch.type === 'weekly')!;
    expect(weekly.channel).toBe('c');
    const localDate = due.slice(0, 10);
    if (weekly.dispatch.type !== 'weekly') throw new Error('expected the round-up');
    expect(weekly.dispatch.roundUp.week.to).toBe(localDate);
    // Monday: the daily digest again, no round-up.
    sent.length = 0;
    now = new Date(next);
    await scheduler('C').tick();
    expect(types(sent)).toEqual(['digest']);
  });

  it('posts a time skipped by the spring change (01:30 on 30 March) once, just after the gap', async () => {
    let now = new Date(0);
    const { poster, sent } = recordingPoster();
    archive.store.settings.update(
      'g',
      { kind: 'digest', channel: 'c', time: '01:30', on: false, weekly: 'sunday' },
      '2025-01-01T00:00:00Z',
    );
    const s = createScheduler({
      store: archive.store,
      archive,
      poster,
      clock: { now: () => now },
      log: memoryLog().log,
    });
    for (const iso of [
      '2025-03-30T00:59:00Z',
      '2025-03-30T01:00:00Z',
      '2025-03-30T01:30:00Z',
      '2025-03-30T02:30:00Z',
    ]) {
      now = new Date(iso);
      await s.tick();
    }
    // The daily digest is off: only the round-up, which has a switch of its own.
    expect(types(sent)).toEqual(['weekly']);
  });

  it('records what a posted round-up shows, and a takedown shows the round-up again without it', async () => {
    const now = new Date('2023-11-27T08:00:30Z'); // Monday 27 November 2023, 08:00 GMT
    const { poster, sent, edits } = recordingPoster();
    archive.store.settings.update(
      'g',
      { kind: 'digest', channel: 'c', on: false, weekly: 'monday' },
      '2023-11-01T00:00:00Z',
    );
    const log = memoryLog().log;
    await createScheduler({ store: archive.store, archive, poster, clock: { now: () => now }, log }).tick();
    expect(types(sent)).toEqual(['weekly']);
    const shown = archive.store.posted.shownBy('m1');
    const ids = postsDated('2023-11-20', '2023-11-27');
    expect(shown.map((s) => s.postId).sort()).toEqual([...ids].sort());
    hide(archive.store, targetOf(archive.store, ids[0]!), { by: 'test', reason: null, now: '2023-11-27T09:00:00Z' });
    try {
      archive.invalidate();
      await createRetractions({ store: archive.store, archive, poster, clock: { now: () => now }, log }).tick();
      expect(edits).toHaveLength(1);
      const edit = edits[0]!;
      if (edit.type !== 'weekly') throw new Error('expected the round-up again');
      expect(edit.roundUp.week.from).toBe('2023-11-20');
      expect(edit.roundUp.posts.map((p) => p.postId)).toEqual(ids.slice(1));
    } finally {
      unhide(archive.store, { id: ids[0]! }, { by: 'test', now: '2023-11-27T10:00:00Z' });
    }
  });
});

describe('the round-up as a channel gets it', () => {
  it('stays inside Discord’s 6,000 characters of embeds with every section full, and pings no one', () => {
    const long = (n: number) => `@everyone **${'word '.repeat(n)}**`;
    const post = (i: number) => ({
      postId: `p${i}`,
      title: long(40),
      author: long(20),
      date: '2023-11-21',
      url: `https://probationmatters.blogspot.com/2023/11/post-${i}.html`,
    });
    const message = weeklyMessage({
      week: weekFrom('2023-11-20'),
      posts: Array.from({ length: 8 }, (_, i) => ({ ...post(i), excerpt: long(60) })),
      morePosts: 12,
      discussed: Array.from({ length: 5 }, (_, i) => ({ ...post(i), newComments: 40 - i })),
      petition: {
        title: long(30),
        url: 'https://petition.parliament.uk/petitions/700000',
        atStart: 9_500,
        atEnd: 10_250,
      },
      napo: Array.from({ length: 5 }, (_, i) => ({
        title: long(40),
        link: `https://napo.example/${i}`,
        published: null,
      })),
    });
    const [embed] = message.embeds;
    expect(embedLength(embed!)).toBeLessThanOrEqual(6_000);
    expect(embed!.fields?.map((f) => f.name)).toEqual(['Most discussed', 'The petition', 'Napo news']);
    expect(embed!.fields?.[1]?.value).toContain('10,250 signatures (+750 this week)');
    expect(JSON.stringify(message)).not.toMatch(/(?<!\\)@everyone|(?<!\\)\*\*word/);
    expect(message.allowedMentions).toEqual({ parse: [] });
  });
});
