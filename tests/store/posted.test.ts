// The record of what the bot's public messages showed: what a server's admins are offered to hide (by a title's or
// an author's words, taken literally), what one message shows, and which messages a takedown or a deletion on the
// blog leaves to retract, each cause under its own ledger key.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive, type OpenArchive } from '../../src/app/archive.js';
import { authorTarget, hide, targetOf } from '../../src/app/takedowns.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { retractionKey } from '../../src/store/posted.js';
import type { SearchHit } from '../../src/search/search.js';
import { BLOG_URL, SEEDS, tempDir } from '../helpers.js';

const at = '2026-11-23T08:00:00.000Z';
let archive: OpenArchive;
let comment: SearchHit & { commentId: string; author: string };
let post: SearchHit;

beforeAll(async () => {
  archive = openArchive(join(tempDir(), 'data'), BLOG_URL);
  await ingestSources(archive.store, [SEEDS], { now: () => at });
  archive.invalidate();
  post = archive.search('probation treadmill', { limit: 1 })[0]!;
  // A comment signed with a name (most of the seeds' comments are anonymous).
  comment = archive
    .search('getafix', { limit: 10 })
    .find((h) => h.kind === 'comment' && h.commentId && h.author) as SearchHit & { commentId: string; author: string };
  const { posted } = archive.store;
  posted.record(
    {
      guildId: 'g1',
      channelId: 'c1',
      messageId: 'm1',
      what: 'quote',
      key: 'k1',
      shows: [{ postId: comment.postId, commentId: comment.commentId, author: comment.author }],
    },
    at,
  );
  posted.record(
    {
      guildId: 'g1',
      channelId: 'c1',
      messageId: 'm2',
      what: 'announcement',
      key: post.postId,
      shows: [{ postId: post.postId, commentId: null, author: post.author }],
    },
    '2026-11-23T09:00:00.000Z',
  );
  posted.record(
    {
      guildId: null,
      channelId: 'dm',
      messageId: 'm3',
      what: 'quote',
      key: 'k3',
      shows: [{ ...post, commentId: null }],
    },
    at,
  );
});
afterAll(() => archive.close());

describe('what was shown in a server', () => {
  it('is offered most recent first; no words, or only spaces, offer everything', () => {
    const all = archive.store.posted.shownIn('g1', '   ', 10);
    expect(all.map((s) => s.postId)).toEqual([post.postId, comment.postId]);
    expect(all[1]).toMatchObject({ commentId: comment.commentId, author: comment.author });
    expect(archive.store.posted.shownIn('g1', '', 10)).toEqual(all);
    expect(archive.store.posted.shownIn('g2', '', 10)).toEqual([]);
  });

  it("is narrowed by a title's or an author's words, with spaces around them ignored", () => {
    const byTitle = archive.store.posted.shownIn('g1', `  ${post.postTitle.toLowerCase()} `, 10);
    expect(byTitle.length).toBeGreaterThan(0);
    expect(byTitle.every((s) => s.postTitle === post.postTitle)).toBe(true);
    expect(archive.store.posted.shownIn('g1', 'zzz-in-no-title', 10)).toEqual([]);
    const byAuthor = archive.store.posted.shownIn('g1', comment.author.slice(1, 5), 10);
    expect(byAuthor.map((s) => s.commentId)).toContain(comment.commentId);
  });

  it('takes % and _ in the words literally, not as patterns', () => {
    expect(archive.store.posted.shownIn('g1', '%', 10)).toEqual([]);
    expect(archive.store.posted.shownIn('g1', '_', 10)).toEqual([]);
    expect(archive.store.posted.shownIn('g1', '\\', 10)).toEqual([]);
  });

  it('says what one message shows, and nothing for a message that is not the bot’s', () => {
    expect(archive.store.posted.shownBy('m1')).toMatchObject([
      { postId: comment.postId, commentId: comment.commentId },
    ]);
    expect(archive.store.posted.shownBy('m2')).toMatchObject([{ postId: post.postId, commentId: null }]);
    expect(archive.store.posted.shownBy('not-ours')).toEqual([]);
  });
});

describe('retractions due', () => {
  it('keys a takedown’s and a deletion’s retraction of one message apart', () => {
    const byTakedown = retractionKey({ messageId: 'm1', takedownId: 7, deletionId: null });
    const byDeletion = retractionKey({ messageId: 'm1', takedownId: null, deletionId: 7 });
    expect(byTakedown).toBe('m1/7');
    expect(byDeletion).toBe('m1/deleted-7');
  });

  it('finds the messages showing a hidden author, in a server and in a direct message', () => {
    const { takedown } = hide(archive.store, authorTarget(archive.store, post.author ?? 'Anonymous'), {
      reason: null,
      by: 'test',
      now: at,
    });
    const due = archive.store.posted.dueRetractions(50).filter((r) => r.takedownId === takedown.id);
    expect(due.map((r) => [r.guildId, r.messageId]).sort()).toEqual(
      [
        ['g1', 'm2'],
        [null, 'm3'],
      ].sort(),
    );
  });

  it('finds the message showing a comment the blog deleted, under the deletion', () => {
    archive.store.deletions.markDeleted(BLOG_URL, { posts: [], comments: [comment.commentId] }, at);
    const due = archive.store.posted.dueRetractions(50).filter((r) => r.deletionId !== null);
    expect(due.map((r) => r.messageId)).toEqual(['m1']);
    expect(retractionKey(due[0]!)).toMatch(/^m1\/deleted-\d+$/);
    // Hidden as well: both causes are due, each under its own key.
    const { takedown } = hide(archive.store, targetOf(archive.store, comment.commentId), {
      reason: null,
      by: 'test',
      now: at,
    });
    const keys = archive.store.posted
      .dueRetractions(50)
      .filter((r) => r.messageId === 'm1')
      .map(retractionKey);
    expect(keys).toContain(`m1/${takedown.id}`);
    expect(keys.some((k) => k.startsWith('m1/deleted-'))).toBe(true);
  });
});
