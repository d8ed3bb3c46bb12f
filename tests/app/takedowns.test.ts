// Takedowns: what the operator hides is absent from every answer at once (search, autocomplete, quote, on this
// day), in this process and in another one on the same data directory, and comes back when unhidden.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive, type OpenArchive } from '../../src/app/archive.js';
import { postAnnouncement } from '../../src/app/announcements.js';
import { type ChannelPoster, createScheduler, type Dispatch } from '../../src/app/deliveries.js';
import { authorTarget, hiddenReader, hide, targetOf, unhide } from '../../src/app/takedowns.js';
import { UserProblem } from '../../src/app/userProblem.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { readComments, readPost, storeParsedPost } from '../../src/store/archive.js';
import { connectionOf } from '../../src/store/store.js';
import type { SearchHit } from '../../src/search/search.js';
import { BLOG_URL, memoryLog, SEEDS, tempDir } from '../helpers.js';

const now = () => '2026-11-23T08:00:00.000Z';
const record = { reason: 'asked by its author', by: 'test', now: now() };

let dataDir: string;
let archive: OpenArchive;
/** Another process on the same data directory: its own connection, its own answers kept. */
let other: OpenArchive;

beforeAll(async () => {
  dataDir = join(tempDir(), 'data');
  archive = openArchive(dataDir, BLOG_URL);
  await ingestSources(archive.store, [SEEDS], { now });
  archive.invalidate();
  other = openArchive(dataDir, BLOG_URL);
});
afterAll(() => {
  archive.close();
  other.close();
});

/** A poster that serves every server and tells `seen` what it is asked to send. */
function recordingPoster(seen: (channel: string, dispatch: Dispatch) => void): ChannelPoster {
  let sends = 0;
  return {
    serves: () => true,
    send: async (channel: string, dispatch: Dispatch) => {
      seen(channel, dispatch);
      return { id: String(++sends) };
    },
    findMarker: async () => null,
    edit: async () => {},
    notifyAdmins: async () => true,
  };
}

/** The message of the UserProblem `work` throws; anything else it throws, or nothing, fails the test. */
function refused(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    if (error instanceof UserProblem) return error.message;
    throw error;
  }
  throw new Error('not refused');
}

/** A comment signed `author`, stored as a sync stores one (after the hidden set was last read). */
function addComment(id: string, author: string | null, postId: string) {
  const db = connectionOf(archive.store);
  const comment = {
    id,
    postId,
    parentId: null,
    author,
    date: '2026-11-23',
    time: '09:00',
    text: `A made-up comment for the test, word ${id}zq.`,
    permalink: null,
    deleted: false,
  };
  storeParsedPost(
    db,
    { line: 1, post: readPost(db, postId)!, comments: [...readComments(db, postId), comment], warnings: [] },
    'test',
    now(),
  );
}

const QUERY = 'trainee probation officer programme';
const passages = (hits: SearchHit[]) => hits.map((h) => h.passageId);

/** A comment the search shows for QUERY, with its id as `search --json` gives it. */
function aComment(): SearchHit & { commentId: string } {
  const hit = archive.search(QUERY, { limit: 10 }).find((h) => h.kind === 'comment');
  if (!hit?.commentId) throw new Error(`the seeds should answer "${QUERY}" with a comment`);
  return hit as SearchHit & { commentId: string };
}

describe('hiding a comment', () => {
  it('takes it out of search, autocomplete and quote at once, and unhide brings it back', () => {
    const comment = aComment();
    const typed = 'trainee probation officer program';
    expect(passages(archive.suggest(typed))).toContain(comment.passageId);
    expect(archive.quote(comment.passageId)).not.toBeNull();

    const { takedown, already } = hide(archive.store, targetOf(archive.store, comment.commentId), record);
    expect(already).toBe(false);
    expect(takedown).toMatchObject({ kind: 'comment', target: comment.commentId, reason: 'asked by its author' });
    expect(passages(archive.search(QUERY, { limit: 10 }))).not.toContain(comment.passageId);
    expect(passages(archive.search(QUERY, { limit: 10, kinds: ['comment'] }))).not.toContain(comment.passageId);
    expect(passages(archive.suggest(typed))).not.toContain(comment.passageId);
    expect(archive.quote(comment.passageId)).toBeNull();
    expect(archive.stats().hidden).toEqual({ posts: 0, comments: 1, authors: 0 });

    unhide(archive.store, { id: comment.commentId }, { by: 'test', now: now() });
    expect(passages(archive.search(QUERY, { limit: 10 }))).toContain(comment.passageId);
    expect(passages(archive.suggest(typed))).toContain(comment.passageId);
    expect(archive.quote(comment.passageId)).not.toBeNull();
    expect(archive.stats().hidden).toEqual({ posts: 0, comments: 0, authors: 0 });
    // The record is kept, with who undid it and when.
    expect(archive.store.takedowns.list({ undone: true })[0]).toMatchObject({ undoneBy: 'test', undoneAt: now() });
  });

  it('still gives as many hits as asked for when the archive has them', () => {
    const before = archive.search(QUERY, { limit: 3 });
    expect(before).toHaveLength(3);
    const first = before[0]!;
    const target = first.commentId ?? first.postId;
    hide(archive.store, targetOf(archive.store, target), record);
    const after = archive.search(QUERY, { limit: 3 });
    expect(after).toHaveLength(3);
    if (!first.commentId) expect(after.map((h) => h.postId)).not.toContain(first.postId);
    expect(passages(after)).not.toContain(first.passageId);
    unhide(archive.store, { id: target }, { by: 'test', now: now() });
  });

  it('done by another process applies to the next answer here, even one this process has kept', () => {
    const comment = aComment();
    // Asked twice: the second answer is the one kept.
    expect(passages(archive.search(QUERY, { limit: 10 }))).toContain(comment.passageId);
    expect(passages(archive.search(QUERY, { limit: 10 }))).toContain(comment.passageId);
    expect(passages(archive.suggest('trainee probation officer program'))).toContain(comment.passageId);

    hide(other.store, targetOf(other.store, comment.commentId), record);
    expect(passages(archive.search(QUERY, { limit: 10 }))).not.toContain(comment.passageId);
    expect(passages(archive.suggest('trainee probation officer program'))).not.toContain(comment.passageId);
    expect(archive.quote(comment.passageId)).toBeNull();

    unhide(other.store, { id: comment.commentId }, { by: 'test', now: now() });
    expect(passages(archive.search(QUERY, { limit: 10 }))).toContain(comment.passageId);
  });
});

describe('hiding a post', () => {
  it('takes it and its comments out of search and on this day; unhide brings it back', () => {
    const hit = archive.search('probation treadmill', { limit: 5 })[0]!;
    expect(hit).toMatchObject({ kind: 'post', postTitle: 'The Probation Treadmill' });
    const day = hit.date!;
    expect(archive.onThisDay(day).items.map((i) => i.postTitle)).toContain('The Probation Treadmill');

    hide(archive.store, targetOf(archive.store, hit.postId), record);
    expect(archive.search('probation treadmill', { limit: 10 }).map((h) => h.postId)).not.toContain(hit.postId);
    expect(archive.onThisDay(day).items.map((i) => i.postTitle)).not.toContain('The Probation Treadmill');
    expect(archive.hidesPost(hit.postId)).toBe(true);
    expect(archive.stats().hidden.posts).toBe(1);

    unhide(archive.store, { id: hit.postId }, { by: 'test', now: now() });
    expect(archive.search('probation treadmill', { limit: 5 })[0]?.postId).toBe(hit.postId);
    expect(archive.onThisDay(day).items.map((i) => i.postTitle)).toContain('The Probation Treadmill');
    expect(archive.hidesPost(hit.postId)).toBe(false);
  });
});

describe('announcements of new posts', () => {
  it('leave out a post hidden before its announcement went out, while it stays hidden', async () => {
    const [kept, hidden] = archive.search('probation', { limit: 2, kinds: ['paragraph'] }).map((h) => h.postId);
    const sent: string[] = [];
    const poster = recordingPoster((_channel, dispatch) => {
      if (dispatch.type === 'announcement') sent.push(dispatch.announcement.key);
    });
    let clock = new Date('2026-11-23T08:00:00Z');
    const tick = () =>
      createScheduler({
        store: archive.store,
        archive,
        poster,
        clock: { now: () => clock },
        log: memoryLog().log,
      }).tick();
    archive.store.settings.update('guild-1', { kind: 'posts', channel: 'channel-1' }, clock.toISOString());
    clock = new Date('2026-11-23T08:01:00Z');
    for (const id of [kept!, hidden!]) {
      const post = archive.store.archive.readPost(id)!;
      archive.store.deliveries.announce({ kind: 'posts', key: id, ...postAnnouncement(post) }, clock.toISOString());
    }
    hide(archive.store, targetOf(archive.store, hidden!), record);
    await tick();
    expect(sent).toEqual([kept]);
    await tick();
    expect(sent).toEqual([kept]);
    // Shown again (within the week announcements wait): announced then, once.
    unhide(archive.store, { id: hidden! }, { by: 'test', now: now() });
    await tick();
    await tick();
    expect(sent).toEqual([kept, hidden]);
  });
});

describe("a server's own takedown", () => {
  it("leaves the post out of that server's digest and announcements only, in this process and another", async () => {
    const hit = archive.search('probation treadmill', { limit: 5 })[0]!;
    const [day, time] = ['2026-11-23', '08:00'];
    const monthDay = hit.date!.slice(5);
    const sent: { guild: string; what: string; titles: string[] }[] = [];
    const poster = recordingPoster((channel, dispatch) => {
      const guild = channel.replace('channel-', 'guild-');
      if (dispatch.type === 'digest') {
        sent.push({ guild, what: 'digest', titles: dispatch.digest.items.map((i) => i.postTitle) });
      }
      if (dispatch.type === 'announcement') sent.push({ guild, what: 'post', titles: [dispatch.announcement.key] });
    });
    // The digest's day is the treadmill post's day of the year: it is in that day's digest.
    const clock = new Date(`${day.slice(0, 4)}-${monthDay}T${time}:30Z`);
    for (const guild of ['guild-a', 'guild-b']) {
      const channel = guild.replace('guild-', 'channel-');
      archive.store.settings.update(guild, { kind: 'digest', channel, time, zone: 'UTC' }, '2026-01-01T00:00:00Z');
      archive.store.settings.update(guild, { kind: 'posts', channel }, '2026-01-01T00:00:00Z');
    }
    const post = archive.store.archive.readPost(hit.postId)!;
    archive.store.deliveries.announce(
      { kind: 'posts', key: hit.postId, ...postAnnouncement(post) },
      new Date(clock.getTime() - 60_000).toISOString(),
    );
    // Hidden in guild-a by its admins, through another process's connection.
    other.forServer('guild-a').hideHere(hit.postId, { reason: null, by: 'discord:1', now: now() });
    expect(archive.forServer('guild-a').hidesPost(hit.postId)).toBe(true);
    expect(archive.forServer('guild-b').hidesPost(hit.postId)).toBe(false);
    expect(archive.hidesPost(hit.postId)).toBe(false);
    expect(archive.stats().hidden.posts).toBe(0);

    await createScheduler({
      store: archive.store,
      archive,
      poster,
      clock: { now: () => clock },
      log: memoryLog().log,
    }).tick();
    const of = (guild: string, what: string) => sent.filter((s) => s.guild === guild && s.what === what);
    expect(of('guild-b', 'digest')[0]?.titles).toContain('The Probation Treadmill');
    expect(of('guild-a', 'digest')).toHaveLength(1);
    expect(of('guild-a', 'digest')[0]!.titles).not.toContain('The Probation Treadmill');
    expect(of('guild-b', 'post').flatMap((s) => s.titles)).toContain(hit.postId);
    expect(of('guild-a', 'post').flatMap((s) => s.titles)).not.toContain(hit.postId);

    // Only guild-a's admins undo it there; the operator's unhide does not reach it.
    expect(() => unhide(archive.store, { id: hit.postId }, { by: 'test', now: now() })).toThrow(UserProblem);
    archive.forServer('guild-a').unhideHere(hit.postId, { by: 'discord:1', now: now() });
    expect(archive.forServer('guild-a').hidesPost(hit.postId)).toBe(false);
  });
});

describe('hiding an author', () => {
  it('takes out every passage signed with the name, whatever its case', () => {
    const signed = (hits: SearchHit[]) => hits.filter((h) => h.author?.toLowerCase() === 'getafix');
    const before = signed(archive.search('getafix', { limit: 50 }));
    expect(before.length).toBeGreaterThan(0);

    const { takedown } = hide(archive.store, authorTarget(archive.store, '  GETAFIX '), record);
    expect(takedown).toMatchObject({ kind: 'author', target: 'getafix', label: 'author "Getafix"' });
    expect(signed(archive.search('getafix', { limit: 50 }))).toEqual([]);
    for (const hit of before) expect(archive.quote(hit.passageId)).toBeNull();

    unhide(archive.store, { author: 'Getafix' }, { by: 'test', now: now() });
    expect(signed(archive.search('getafix', { limit: 50 })).length).toBe(before.length);
  });
});

describe('what cannot be hidden', () => {
  it('refuses an unknown id, a junk or foreign address, empty input and an unknown author, in one line', () => {
    const messages = [
      refused(() => targetOf(archive.store, 'no-such-id')),
      refused(() => targetOf(archive.store, 'https://example.com/2020/01/x.html')),
      refused(() => targetOf(archive.store, 'https://probationmatters.blogspot.com/2022/07/x.html?showComment=1#c99')),
      refused(() => targetOf(archive.store, 'http://[oops')),
      refused(() => targetOf(archive.store, '   ')),
      refused(() => targetOf(archive.store, `${'x'.repeat(5000)}`)),
      refused(() => authorTarget(archive.store, 'Nobody Of That Name')),
      refused(() => unhide(archive.store, { id: aComment().commentId }, { by: 'test', now: now() })),
    ];
    for (const message of messages) expect(message).not.toContain('\n');
    expect(messages[0]).toMatch(/no post or comment in the archive has the id "no-such-id"/);
    expect(messages[7]).toMatch(/is not hidden/);
  });

  it('says what is wrong with each input in its own words, and takes an id with spaces around it', () => {
    const comment = aComment();
    const id = 'a post or comment id, or its address on the blog';
    expect(refused(() => targetOf(archive.store, '   '))).toBe(`give ${id}`);
    expect(refused(() => targetOf(archive.store, 'x'.repeat(2001)))).toBe(`not ${id}`);
    expect(refused(() => targetOf(archive.store, 'abc\u0007'))).toBe(`not ${id}`);
    // 2,000 characters is still read as an id (none has that one), and shown cut to one short line.
    expect(refused(() => targetOf(archive.store, 'y'.repeat(2000)))).toBe(
      `no post or comment in the archive has the id "${'y'.repeat(117)}…"`,
    );
    expect(refused(() => targetOf(archive.store, 'http://[oops'))).toBe('not a blog address: "http://[oops"');
    expect(refused(() => authorTarget(archive.store, ' \t '))).toBe('give an author name');
    expect(refused(() => authorTarget(archive.store, 'Nobody Of That Name'))).toBe(
      'nothing in the archive is signed "Nobody Of That Name"',
    );
    expect(refused(() => unhide(archive.store, { author: 'Nobody' }, { by: 'test', now: now() }))).toBe(
      'no takedown in force for the author "Nobody"',
    );
    expect(targetOf(archive.store, `  ${comment.commentId}\n`)).toMatchObject({
      kind: 'comment',
      target: comment.commentId,
      label: expect.stringMatching(/^comment by .+ on ".+"$/),
    });
  });

  it('hiding what is already hidden keeps the first takedown', () => {
    const comment = aComment();
    const first = hide(archive.store, targetOf(archive.store, comment.commentId), record);
    const again = hide(archive.store, targetOf(archive.store, comment.commentId), { ...record, reason: 'again' });
    expect(again).toEqual({ takedown: first.takedown, already: true });
    unhide(archive.store, { id: comment.commentId }, { by: 'test', now: now() });
  });
});

describe('what a takedown is called, and what it covers later', () => {
  it('names a post by its title and an unsigned comment as Anonymous', () => {
    const hit = archive.search('probation treadmill', { limit: 1 })[0]!;
    expect(targetOf(archive.store, hit.postId).label).toBe(`post "${hit.postTitle}"`);
    addComment('unsigned1', null, hit.postId);
    expect(targetOf(archive.store, 'unsigned1').label).toBe(`comment by Anonymous on "${hit.postTitle}"`);
  });

  it('records a reason of only spaces as none', () => {
    const comment = aComment();
    const { takedown } = hide(archive.store, targetOf(archive.store, comment.commentId), { ...record, reason: '  ' });
    expect(takedown.reason).toBeNull();
    unhide(archive.store, { id: comment.commentId }, { by: 'test', now: now() });
  });

  it('names an unknown author without the spaces typed around it', () => {
    const refusal = () => authorTarget(archive.store, '  Nobody Of That Name ');
    expect(refusal).toThrow(new UserProblem('nothing in the archive is signed "Nobody Of That Name"'));
    expect(() => unhide(archive.store, { author: ' Nobody ' }, { by: 'test', now: now() })).toThrow(
      new UserProblem('no takedown in force for the author "Nobody"'),
    );
  });

  it('lists every spelling of an author it covers, each quoted', () => {
    const hit = archive.search('probation treadmill', { limit: 1 })[0]!;
    addComment('zed1', 'Zed Testauthor', hit.postId);
    addComment('zed2', 'ZED TESTAUTHOR', hit.postId);
    const { label } = authorTarget(archive.store, 'zed testauthor');
    expect(label.startsWith('author ')).toBe(true);
    expect(label.slice('author '.length).split(', ').sort()).toEqual(['"ZED TESTAUTHOR"', '"Zed Testauthor"']);
  });

  it("hides a hidden author's comment stored after the hide at once, in this process and another", () => {
    const hit = archive.search('probation treadmill', { limit: 1 })[0]!;
    addComment('later0', 'Later Testwriter', hit.postId);
    hide(archive.store, authorTarget(archive.store, 'Later Testwriter'), record);
    // Both processes read the hidden set (with the author in it) before the new comment comes.
    expect(archive.search('later0zq', { limit: 5 })).toEqual([]);
    expect(other.search('later0zq', { limit: 5 })).toEqual([]);
    addComment('later1', 'Later Testwriter', hit.postId);
    archive.refresh();
    other.refresh();
    expect(archive.search('later1zq', { limit: 5 })).toEqual([]);
    expect(other.search('later1zq', { limit: 5 })).toEqual([]);
    expect(archive.forServer('guild-x').search('later1zq', { limit: 5 })).toEqual([]);
    // A new post of theirs is hidden too: its announcement is left out.
    const db = connectionOf(archive.store);
    const post = {
      ...readPost(db, hit.postId)!,
      id: 'later-post',
      title: 'A later post for the test',
      author: 'Later Testwriter',
      url: null,
    };
    expect(archive.hidesPost('later-post')).toBe(false);
    storeParsedPost(db, { line: 1, post, comments: [], warnings: [] }, 'test', now());
    expect(archive.hidesPost('later-post')).toBe(true);
    expect(other.hidesPost('later-post')).toBe(true);
    unhide(archive.store, { author: 'Later Testwriter' }, { by: 'test', now: now() });
    expect(archive.search('later1zq', { limit: 5 }).map((h) => h.commentId)).toEqual(['later1']);
    expect(archive.hidesPost('later-post')).toBe(false);
  });

  it("a server's hidden comment is hidden in that server's view only", () => {
    const comment = aComment();
    archive.forServer('guild-c').hideHere(comment.commentId, { reason: null, by: 'discord:1', now: now() });
    expect(passages(archive.forServer('guild-c').search(QUERY, { limit: 10 }))).not.toContain(comment.passageId);
    expect(archive.forServer('guild-c').quote(comment.passageId)).toBeNull();
    expect(passages(archive.forServer('guild-d').search(QUERY, { limit: 10 }))).toContain(comment.passageId);
    expect(passages(archive.search(QUERY, { limit: 10 }))).toContain(comment.passageId);
    archive.forServer('guild-c').unhideHere(comment.commentId, { by: 'discord:1', now: now() });
    expect(passages(archive.forServer('guild-c').search(QUERY, { limit: 10 }))).toContain(comment.passageId);
  });
});

describe('the words of a refusal, exactly (what the mutation run found unpinned)', () => {
  const by = { by: 'test', now: now() };

  it('asks for what unhide needs when it is given nothing', () => {
    expect(refused(() => unhide(archive.store, {}, by))).toBe('give a post or comment id, or its address on the blog');
    expect(refused(() => unhide(archive.store, { id: ' ' }, by))).toBe(
      'give a post or comment id, or its address on the blog',
    );
    expect(refused(() => unhide(archive.store, { author: '  ' }, by))).toBe('give an author name');
  });

  it('says what is not hidden, and "in this server" only for a server', () => {
    const comment = aComment();
    const label = targetOf(archive.store, comment.commentId).label;
    expect(refused(() => unhide(archive.store, { id: comment.commentId }, by))).toBe(`${label} is not hidden`);
    expect(refused(() => unhide(archive.store, { id: comment.commentId }, { ...by, guildId: 'guild-n' }))).toBe(
      `${label} is not hidden in this server`,
    );
  });

  it('names a post given by its address on the blog by its title', () => {
    const db = connectionOf(archive.store);
    const hit = archive.search('probation treadmill', { limit: 1 })[0]!;
    const url = `${BLOG_URL}/2026/11/a-made-up-post-with-an-address.html`;
    const post = { ...readPost(db, hit.postId)!, id: 'address-post', title: 'A made-up post with an address', url };
    storeParsedPost(db, { line: 1, post, comments: [], warnings: [] }, 'test', now());
    expect(targetOf(archive.store, url)).toEqual({
      kind: 'post',
      target: 'address-post',
      label: 'post "A made-up post with an address"',
    });
  });

  it('reads input that only contains an address later on as an id, not as an address', () => {
    expect(refused(() => targetOf(archive.store, 'see https://probationmatters.blogspot.com/'))).toBe(
      'no post or comment in the archive has the id "see https://probationmatters.blogspot.com/"',
    );
  });

  it('echoes input of 120 characters whole, and cuts it only past that', () => {
    expect(refused(() => targetOf(archive.store, 'z'.repeat(120)))).toBe(
      `no post or comment in the archive has the id "${'z'.repeat(120)}"`,
    );
    expect(refused(() => targetOf(archive.store, 'z'.repeat(121)))).toBe(
      `no post or comment in the archive has the id "${'z'.repeat(117)}…"`,
    );
  });
});

describe("a server's own takedown of a post, in its searches", () => {
  it("leaves the post's passages out of that server's search, as well as what is hidden everywhere", () => {
    const comment = aComment();
    const hits = archive.search(QUERY, { limit: 10 });
    const post =
      hits.find((h) => h.postId !== comment.postId && h.kind !== 'comment') ??
      hits.find((h) => h.postId !== comment.postId)!;
    const server = archive.forServer('guild-p');
    server.hideHere(post.postId, { reason: null, by: 'discord:1', now: now() });
    hide(archive.store, targetOf(archive.store, comment.commentId), record);
    try {
      const shown = server.search(QUERY, { limit: 10 });
      expect(shown.map((h) => h.postId)).not.toContain(post.postId);
      expect(passages(shown)).not.toContain(comment.passageId);
      expect(
        archive
          .forServer('guild-q')
          .search(QUERY, { limit: 10 })
          .map((h) => h.postId),
      ).toContain(post.postId);
    } finally {
      unhide(archive.store, { id: comment.commentId }, { by: 'test', now: now() });
      server.unhideHere(post.postId, { by: 'discord:1', now: now() });
    }
  });
});

describe('the hidden set is read from the store only when it may have changed', () => {
  /** The archive's store, counting how often the hidden set is read whole. */
  function counted() {
    const store = archive.store;
    const reads = { count: 0 };
    const takedowns = {
      ...store.takedowns,
      hiddenNow: () => {
        reads.count++;
        return store.takedowns.hiddenNow();
      },
    };
    return { reads, read: hiddenReader({ takedowns, archive: store.archive }) };
  }

  it('reads it once for many answers, and again after a hide; an ingest matters only while an author is hidden', () => {
    const { reads, read } = counted();
    for (let i = 0; i < 3; i++) read();
    read('guild-x');
    expect(reads.count).toBe(1);
    const hit = archive.search('probation treadmill', { limit: 1 })[0]!;
    const store = (id: string, author: string) => addComment(id, author, hit.postId);
    store('count-1', 'Count Testwriter');
    read();
    expect(reads.count).toBe(1);
    hide(archive.store, authorTarget(archive.store, 'Count Testwriter'), record);
    read();
    expect(reads.count).toBe(2);
    read();
    expect(reads.count).toBe(2);
    store('count-2', 'Someone Else Entirely');
    read();
    expect(reads.count).toBe(3);
    unhide(archive.store, { author: 'Count Testwriter' }, { by: 'test', now: now() });
  });
});
