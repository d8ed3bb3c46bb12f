// Watches in-process: what the sync matches (in the transaction that stores the item), what it leaves alone, and how
// the hourly message ends when Discord refuses it. Everything here is made up.
import { afterEach, describe, expect, it } from 'vitest';
import { type ChannelPoster, DeliveryError } from '../../src/app/deliveries.js';
import { batchHour, createWatchDeliveries, watchMatcher, watchService } from '../../src/app/watches.js';
import { syncJob } from '../../src/jobs/sync.js';
import { openDatabase } from '../../src/store/db.js';
import { connectionOf, type Store, storeOver } from '../../src/store/store.js';
import { memoryLog, tempDir } from '../helpers.js';
import { type FakeBlog, type FakeComment, startFakeBlog } from '../sources/fakeBlog.js';
import { TEST_NETWORK } from '../sources/testNetwork.js';

const POST = '7300000000000000001';
let time = new Date('2026-11-23T09:00:00Z');
const clock = { now: () => time, after: () => () => {} };

let blog: FakeBlog | null = null;
let store: Store | null = null;
afterEach(async () => {
  await blog?.close();
  store?.close();
  blog = null;
  store = null;
});

let n = 0;
const comment = (html: string, extra: Partial<FakeComment> = {}): FakeComment => {
  n++;
  return {
    id: `${8_400_000_000_000_000_000n + BigInt(n)}`,
    postId: POST,
    html,
    published: time.toISOString(),
    updated: time.toISOString(),
    author: 'Made-up Reader',
    ...extra,
  };
};

async function setUp() {
  time = new Date('2026-11-23T09:00:00Z');
  blog = await startFakeBlog({
    posts: [
      {
        id: POST,
        title: 'A made-up post',
        html: '<p>Made-up opening.</p>',
        published: '2026-11-20T09:00:00Z',
        updated: '2026-11-20T09:00:00Z',
      },
    ],
    comments: [comment('<p>An old made-up caseload comment, history before the first sync.</p>')],
  });
  const s = storeOver(openDatabase(tempDir()));
  store = s;
  const job = syncJob({
    store: s,
    archive: { refresh: () => ({ changedPosts: 0 }) },
    blogUrl: blog.url,
    every: 3_600_000,
    clock,
    log: memoryLog().log,
    sync: { network: TEST_NETWORK, retries: 0, sleep: async () => {} },
    watches: () => watchMatcher(s),
  });
  const watches = watchService(s, clock);
  return { store: s, watches, sync: () => job.run(new AbortController().signal) };
}

const rows = (s: Store, sql: string) => connectionOf(s).prepare(sql).pluck().get() as number;

describe('matching new posts and comments', () => {
  it('matches only what is new after the first sync, once per member, and never for a paused member', async () => {
    const { store: s, watches, sync } = await setUp();
    watches.add('1', 'caseload');
    watches.add('1', '"caseload crisis"');
    watches.add('2', 'caseload');
    watches.add('3', 'caseload');
    s.watches.pause('3', 'made up', time.toISOString());
    await sync(); // history: the old comment matches nothing
    expect(rows(s, 'SELECT count(*) FROM watch_matches')).toBe(0);

    time = new Date('2026-11-23T10:00:00Z');
    blog!.comments.push(comment('<p>The made-up caseload crisis again.</p>'));
    blog!.comments.push(comment('<p>Nothing to see here, made up.</p>'));
    blog!.posts.push({
      id: '7300000000000000002',
      title: 'Made-up caseloads',
      html: '<p>A made-up post whose opening says nothing of it.</p>',
      published: time.toISOString(),
      updated: time.toISOString(),
    });
    await sync();
    const matched = connectionOf(s)
      .prepare('SELECT user_id AS user, post_id AS post, comment_id AS comment FROM watch_matches ORDER BY id')
      .all();
    // The post (matched by its title; posts are read first), then the comment: member 1's two watches share it, one item.
    expect(matched).toEqual([
      { user: '1', post: '7300000000000000002', comment: '' },
      { user: '2', post: '7300000000000000002', comment: '' },
      { user: '1', post: POST, comment: expect.stringMatching(/^84/) },
      { user: '2', post: POST, comment: expect.stringMatching(/^84/) },
    ]);
  });

  it('matches in the transaction that stores the comment: a failure queuing the match stores neither', async () => {
    const { store: s, watches, sync } = await setUp();
    watches.add('1', 'caseload');
    await sync();
    connectionOf(s).exec(
      `CREATE TRIGGER refuse_match BEFORE INSERT ON watch_matches
       BEGIN SELECT RAISE(ABORT, 'database is locked (made up for the test)'); END;`,
    );
    time = new Date('2026-11-23T10:00:00Z');
    const refused = comment('<p>A made-up caseload comment.</p>');
    blog!.comments.push(refused);
    await sync();
    expect(rows(s, `SELECT count(*) FROM comments WHERE id = '${refused.id}'`)).toBe(0);

    connectionOf(s).exec('DROP TRIGGER refuse_match');
    time = new Date('2026-11-23T10:30:00Z');
    const next = comment('<p>Another made-up caseload comment.</p>');
    blog!.comments.push(next);
    await sync();
    expect(rows(s, `SELECT count(*) FROM comments WHERE id = '${next.id}'`)).toBe(1);
    expect(rows(s, `SELECT count(*) FROM watch_matches WHERE comment_id = '${next.id}'`)).toBe(1);
  });
});

describe('the hourly message', () => {
  it('closes on the hour, UTC', () => {
    expect(batchHour(new Date('2026-03-29T01:59:59.999Z'))).toBe('2026-03-29T01:00:00.000Z');
    expect(batchHour(new Date('2026-03-29T02:00:00Z'))).toBe('2026-03-29T02:00:00.000Z');
  });

  const poster = (problem: { open?: DeliveryError; send?: DeliveryError }): ChannelPoster & { sent: number } => {
    const p = {
      sent: 0,
      serves: () => true,
      findMarker: async () => null,
      edit: async () => {},
      notifyAdmins: async () => false,
      openDm: async () => {
        if (problem.open) throw problem.open;
        return '555';
      },
      send: async () => {
        if (problem.send) throw problem.send;
        p.sent++;
        return { id: '777' };
      },
    };
    return p;
  };

  async function waiting() {
    const { store: s, watches, sync } = await setUp();
    watches.add('1', 'caseload');
    await sync();
    time = new Date('2026-11-23T10:00:00Z');
    blog!.comments.push(comment('<p>A made-up caseload comment.</p>'));
    await sync();
    time = new Date('2026-11-23T11:00:10Z');
    return { s, watches };
  }

  it('is given up without pausing when Discord refuses the message itself (400): a bug, not closed messages', async () => {
    const { s, watches } = await waiting();
    const refusing = poster({ send: new DeliveryError('rejected', 'Discord: Invalid Form Body') });
    const log = memoryLog().log;
    expect(await createWatchDeliveries({ store: s, poster: refusing, clock, log }).tick()).toMatchObject({
      sent: 0,
      paused: 0,
    });
    expect(s.watches.pauseOf('1')).toBeNull();
    expect(watches.pauseNotice('1')).toBeNull();
    expect(rows(s, "SELECT count(*) FROM deliveries WHERE kind = 'watch' AND state = 'failed'")).toBe(1);
    // Given up means not tried again.
    time = new Date('2026-11-23T11:10:00Z');
    expect((await createWatchDeliveries({ store: s, poster: refusing, clock, log }).tick()).alreadyDone).toBe(0);
  });

  it('pauses when Discord will not open a conversation with the member, and tells them once', async () => {
    const { s, watches } = await waiting();
    const closed = poster({ open: new DeliveryError('rejected', 'Discord: Invalid Recipient(s)') });
    const report = await createWatchDeliveries({ store: s, poster: closed, clock, log: memoryLog().log }).tick();
    expect(report).toMatchObject({ paused: 1, sent: 0 });
    expect(closed.sent).toBe(0);
    expect(watches.pauseNotice('1')).toMatch(/paused/);
    expect(watches.pauseNotice('1')).toBeNull();
  });
});
