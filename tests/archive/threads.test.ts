// Which comments show a comment's context, and in what order.
import { describe, expect, it } from 'vitest';
import type { Comment } from '../../src/archive/model.js';
import { contextOf, inDateOrder } from '../../src/archive/threads.js';

const made = (id: string, time: string | null, parentId: string | null = null, date: string | null = '2021-03-04') =>
  ({
    id,
    postId: 'p',
    parentId,
    author: `Fake ${id}`,
    date: time === null ? null : date,
    time,
    text: `made-up ${id}`,
    permalink: null,
    deleted: false,
  }) satisfies Comment;

const ids = (context: ReturnType<typeof contextOf>) => context?.comments.map((c) => `${c.role}:${c.comment.id}`);

describe('contextOf', () => {
  it('shows the parent, the comment and its replies only, in date order whatever the stored order', () => {
    const comments = [
      made('r2', '12:00', 'b'),
      made('a', '09:00'),
      made('b', '10:00', 'a'),
      made('other', '10:30'),
      made('r1', '11:00', 'b'),
      made('sibling', '13:00', 'a'),
      made('grandchild', '14:00', 'r1'),
    ];
    expect(ids(contextOf(comments, 'b'))).toEqual(['parent:a', 'this:b', 'reply:r1', 'reply:r2']);
    expect(contextOf(comments, 'b')?.neighbours).toBe(false);
  });

  it('shows a top-level comment with its replies, and one whose parent is not stored alone with its replies', () => {
    const comments = [made('a', '09:00'), made('b', '10:00', 'a'), made('lost', '11:00', 'gone')];
    expect(ids(contextOf(comments, 'a'))).toEqual(['this:a', 'reply:b']);
    expect(ids(contextOf(comments, 'lost'))).toEqual(['this:lost']);
  });

  it('shows up to three comments either side when the post has no reply links at all', () => {
    const comments = Array.from({ length: 9 }, (_, i) => made(`c${i}`, `1${i}:00`)).reverse();
    const context = contextOf(comments, 'c1');
    expect(context?.neighbours).toBe(true);
    expect(ids(context)).toEqual(['around:c0', 'this:c1', 'around:c2', 'around:c3', 'around:c4']);
    expect(ids(contextOf(comments, 'c8'))).toEqual(['around:c5', 'around:c6', 'around:c7', 'this:c8']);
  });

  it('is null for a comment the post does not have', () => {
    expect(contextOf([made('a', '09:00')], 'zzz')).toBeNull();
  });
});

describe('inDateOrder', () => {
  it('orders by date then time, equal times keeping their order', () => {
    const comments = [
      made('late', '09:00', null, '2021-03-05'),
      made('x', '10:00'),
      made('y', '10:00'),
      made('w', '08:00'),
    ];
    expect(inDateOrder(comments).map((c) => c.id)).toEqual(['w', 'x', 'y', 'late']);
  });

  it('keeps the stored order when a comment is undated (a page copy keeps no dates)', () => {
    const comments = [made('b', '10:00'), made('undated', null), made('a', '09:00')];
    expect(inDateOrder(comments).map((c) => c.id)).toEqual(['b', 'undated', 'a']);
  });
});
