// Scheduled posts retracted: a digest and a new post's announcement, once posted, are recorded with what they
// show; a takedown of a post in them edits them (the digest shown again without it, the announcement replaced),
// each once per takedown, and a later takedown of another item in the same digest edits it again.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postAnnouncement } from '../../src/app/announcements.js';
import { openArchive, type OpenArchive } from '../../src/app/archive.js';
import { type ChannelPoster, createScheduler, DeliveryError, type Dispatch } from '../../src/app/deliveries.js';
import { createRetractions } from '../../src/app/retractions.js';
import { hide, targetOf } from '../../src/app/takedowns.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { BLOG_URL, memoryLog, SEEDS, tempDir } from '../helpers.js';

let archive: OpenArchive;
beforeAll(async () => {
  archive = openArchive(join(tempDir(), 'data'), BLOG_URL);
  await ingestSources(archive.store, [SEEDS], { now: () => '2025-11-01T08:00:00Z' });
  archive.invalidate();
});
afterAll(() => archive.close());

describe('a digest and an announcement showing a post taken down', () => {
  it('are edited once per takedown: the digest without the post, the announcement replaced', async () => {
    const sent = new Map<string, Dispatch>();
    const edits: { messageId: string; dispatch: Dispatch }[] = [];
    const poster: ChannelPoster = {
      serves: () => true,
      send: async (_channel, dispatch) => {
        const id = `m${sent.size + 1}`;
        sent.set(id, dispatch);
        return { id };
      },
      findMarker: async () => null,
      edit: async (_channel, messageId, dispatch) => {
        edits.push({ messageId, dispatch });
      },
      notifyAdmins: async () => true,
    };
    // 08:00:30 in London on 20 November (GMT): the digest is due, with posts of two earlier years.
    const clock = { now: () => new Date('2025-11-20T08:00:30Z') };
    const log = memoryLog().log;
    const { store } = archive;
    store.settings.update('g', { kind: 'digest', channel: 'c' }, '2025-11-20T07:00:00Z');
    store.settings.update('g', { kind: 'posts', channel: 'c' }, '2025-11-20T07:00:00Z');
    const announced = archive.search('probation treadmill', { limit: 1 })[0]!.postId;
    const post = store.archive.readPost(announced)!;
    store.deliveries.announce({ kind: 'posts', key: announced, ...postAnnouncement(post) }, '2025-11-20T07:30:00Z');

    await createScheduler({ store, archive, poster, clock, log }).tick();
    const idOf = (type: Dispatch['type']) => [...sent].find(([, d]) => d.type === type)?.[0];
    const digestId = idOf('digest');
    const announcementId = idOf('announcement');
    expect(digestId && announcementId).toBeTruthy();
    const digest = sent.get(digestId!)!;
    if (digest.type !== 'digest') throw new Error('expected the digest');
    expect(digest.digest.items.length).toBeGreaterThan(1);
    const [firstItem, secondItem] = digest.digest.items;

    const retract = () => createRetractions({ store, archive, poster, clock, log }).tick();
    expect(await retract()).toMatchObject({ edited: 0 });

    hide(store, targetOf(store, firstItem!.postId), { reason: 'asked', by: 'test', now: '2025-11-20T09:00:00Z' });
    hide(store, targetOf(store, announced), { reason: 'asked', by: 'test', now: '2025-11-20T09:00:01Z' });
    expect(await retract()).toMatchObject({ edited: 2 });
    const editOf = (id: string) => edits.filter((e) => e.messageId === id).map((e) => e.dispatch);
    const [again] = editOf(digestId!);
    if (again?.type !== 'digest') throw new Error('expected the digest shown again');
    expect(again.digest.items.map((i) => i.postId)).not.toContain(firstItem!.postId);
    expect(again.digest.items.map((i) => i.postId)).toContain(secondItem!.postId);
    expect(editOf(announcementId!)).toEqual([{ type: 'retracted', what: 'announcement' }]);

    expect(await retract()).toMatchObject({ edited: 0 });
    // Another post of the same digest hidden later: the digest is edited again, once.
    hide(store, targetOf(store, secondItem!.postId), { reason: 'asked', by: 'test', now: '2025-11-20T10:00:00Z' });
    expect(await retract()).toMatchObject({ edited: 1 });
    expect(await retract()).toMatchObject({ edited: 0 });
    const latest = editOf(digestId!).at(-1)!;
    if (latest.type !== 'digest') throw new Error('expected the digest shown again');
    expect(latest.digest.items.map((i) => i.postId)).not.toContain(secondItem!.postId);
    expect(edits).toHaveLength(3);
  });
});

describe('a retraction that cannot be made at once', () => {
  it('leaves a message another process is retracting alone, gives up on a channel it cannot see, and retries a failure', async () => {
    const { store } = archive;
    const { log, lines } = memoryLog();
    const hit = archive.search('pqip', { limit: 1, kinds: ['comment'] })[0]!;
    const shows = [{ postId: hit.postId, commentId: hit.commentId, author: hit.author }];
    const at = '2025-12-01T09:00:00Z';
    for (const [guildId, messageId] of [
      ['g-busy', 'm-busy'],
      ['g-closed', 'm-closed'],
      ['g-flaky', 'm-flaky'],
      [null, 'm-dm'],
    ] as const) {
      store.posted.record({ guildId, channelId: `c-${messageId}`, messageId, what: 'quote', key: 'k', shows }, at);
    }
    const { takedown } = hide(store, targetOf(store, hit.commentId!), { reason: 'asked', by: 'test', now: at });
    // Another process claimed the first one a moment ago: its lease is not out.
    store.deliveries.claim({
      guildId: 'g-busy',
      kind: 'retraction',
      key: `m-busy/${takedown.id}`,
      channelId: 'c-m-busy',
      nonce: 'n',
      by: 'other-process',
      now: at,
      leaseMs: 120_000,
    });
    let flaky = true;
    const edited: string[] = [];
    const poster: Pick<ChannelPoster, 'serves' | 'edit'> = {
      serves: () => true,
      edit: async (_channel, messageId) => {
        if (messageId === 'm-closed') throw new DeliveryError('forbidden', 'Discord: Missing Access');
        if (messageId === 'm-flaky' && flaky) {
          flaky = false;
          throw new DeliveryError('transient', 'Discord: 502 Bad Gateway');
        }
        edited.push(messageId);
      },
    };
    let now = new Date('2025-12-01T09:00:30Z');
    const pass = () => createRetractions({ store, archive, poster, clock: { now: () => now }, log }).tick();

    expect(await pass()).toEqual({ edited: 1, gone: 0, failed: 1, retryLater: 1 });
    // The operator's log says which message each outcome was, and why one could not be retracted.
    const logged = (msg: string) => lines.filter((l) => l['msg'] === msg);
    expect(logged('posted passage retracted')).toMatchObject([{ messageId: 'm-dm', takedownId: takedown.id }]);
    expect(logged('a posted passage could not be retracted')).toMatchObject([
      { messageId: 'm-closed', reason: 'Discord: Missing Access' },
    ]);
    expect(logged('retraction failed; will retry')).toMatchObject([{ messageId: 'm-flaky' }]);
    // The direct message's quote was edited; the busy one was left to its process.
    expect(edited).toEqual(['m-dm']);
    // Within the failed attempt's lease, nothing more; past it, the failure is tried again, once.
    expect(await pass()).toEqual({ edited: 0, gone: 0, failed: 0, retryLater: 0 });
    now = new Date('2025-12-01T09:03:00Z');
    expect(await pass()).toEqual({ edited: 2, gone: 0, failed: 0, retryLater: 0 });
    // The other process's claim ran out too: taken over and done. The closed channel is not tried again.
    expect(edited.sort()).toEqual(['m-busy', 'm-dm', 'm-flaky']);
    expect(await pass()).toEqual({ edited: 0, gone: 0, failed: 0, retryLater: 0 });
  });

  it("leaves a server's messages to the shard that serves it", async () => {
    const { store } = archive;
    const { log } = memoryLog();
    const hit = archive.search('treadmill', { limit: 1 })[0]!;
    const at = '2025-12-02T09:00:00Z';
    const shows = [{ postId: hit.postId, commentId: hit.commentId, author: hit.author }];
    store.posted.record(
      { guildId: 'g-other', channelId: 'c-other', messageId: 'm-other', what: 'quote', key: 'k', shows },
      at,
    );
    hide(store, targetOf(store, hit.commentId ?? hit.postId), { reason: null, by: 'test', now: at });
    const edited: string[] = [];
    const shard = (served: string) => ({
      serves: (guildId: string) => guildId === served,
      edit: async (_channel: string, messageId: string) => {
        edited.push(`${served}:${messageId}`);
      },
    });
    const now = () => new Date('2025-12-02T09:00:30Z');
    const pass = (served: string) =>
      createRetractions({ store, archive, poster: shard(served), clock: { now }, log, instance: served }).tick();
    // This shard serves another server: it neither edits nor claims it (the one that serves it need not wait).
    expect((await pass('g-mine')).edited).toBe(0);
    expect(edited.filter((e) => e.endsWith(':m-other'))).toEqual([]);
    expect((await pass('g-other')).edited).toBeGreaterThanOrEqual(1);
    expect(edited).toContain('g-other:m-other');
  });
});
