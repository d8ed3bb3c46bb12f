// A thread as a member pages through it, word for word: each comment credited (the one asked about marked), pages of
// whole comments within an embed, the page buttons only the asker can press, and the footer saying where they are.
// Written against the mutation run of 4 December, which left these untested. Every name and comment is made up.
import { describe, expect, it } from 'vitest';
import type { ThreadComment, ThreadView } from '../../src/app/threads.js';
import { LIMITS } from '../../src/discord/format.js';
import { readPageId, threadPage, threadPages } from '../../src/discord/threadMessages.js';

const comment = (n: number, text: string, extra: Partial<ThreadComment> = {}): ThreadComment => ({
  commentId: `c${n}`,
  role: null,
  removed: null,
  author: `Fake Reader ${n}`,
  date: '2024-03-05',
  time: '14:05',
  text,
  url: `https://blog.example/2024/03/post.html?showComment=${n}#c${n}`,
  replyTo: null,
  ...extra,
});
const view = (comments: ThreadComment[], focus: string | null = null): ThreadView => ({
  postId: 'p1',
  postTitle: 'A Made-Up Post',
  postDate: '2024-03-04',
  postUrl: 'https://blog.example/2024/03/post.html',
  focus,
  neighbours: false,
  comments,
});

describe('a page of a thread', () => {
  it('credits each comment with its author, day and time and link, what it replies to, and marks the one asked about', () => {
    const page = threadPage(
      view(
        [
          comment(1, 'A made-up question.', { role: 'parent' }),
          comment(2, 'A made-up answer.', { role: 'this', replyTo: 'Fake Reader 1' }),
          comment(3, '', { role: 'reply', removed: 'deleted', author: null, text: null, url: null }),
        ],
        'c2',
      ),
      0,
      'c',
      'member-1',
    );
    const [embed] = page.embeds!;
    expect(embed!.description).toBe(
      [
        'Posted 4 Mar 2024 · the comment, what it replies to and the replies to it, in date order',
        '__Replied to__\n**Fake Reader 1** · 5 Mar 2024, 14:05 · [link](https://blog.example/2024/03/post.html?showComment=1#c1)\nA made-up question.',
        '▶ __This comment__\n**Fake Reader 2** · 5 Mar 2024, 14:05 · [link](https://blog.example/2024/03/post.html?showComment=2#c2) · replying to Fake Reader 1\nA made-up answer.',
        '__Reply__\n*A comment deleted on the blog.* (5 Mar 2024, 14:05)',
      ].join('\n\n'),
    );
    expect(embed!.footer!.text).toBe('Only you see this');
    expect(page.components).toEqual([]);
    expect(page.allowedMentions).toEqual({ parse: [] });
  });

  it('cuts pages at whole comments within the budget, and numbers them in the footer with buttons for the asker', () => {
    // ~980 characters a comment with its credit line: three to a page of 3,696.
    const long = 'made-up words about the rota '.repeat(30);
    const comments = Array.from({ length: 9 }, (_, i) => comment(i + 1, long.trim()));
    const pages = threadPages(view(comments));
    expect(pages.map((p) => p.length)).toEqual([3, 3, 3]);
    const budget = LIMITS.embedDescription - 400;
    for (const [i, p] of pages.entries()) {
      expect(p.join('\n\n').length).toBeLessThanOrEqual(budget);
      // A page is cut only where the next comment would not fit.
      if (i < pages.length - 1) expect([...p, pages[i + 1]![0]!].join('\n\n').length).toBeGreaterThan(budget - 2);
    }
    const second = threadPage(view(comments), 1, 'p', 'member-1');
    expect(second.embeds![0]!.footer!.text).toBe('Only you see this · page 2 of 3');
    const buttons = (second.components![0] as { components: { custom_id: string; disabled: boolean }[] }).components;
    expect(buttons.map((b) => [b.custom_id, b.disabled])).toEqual([
      ['thread:p:member-1:p1:0', false],
      ['thread:p:member-1:p1:here', true],
      ['thread:p:member-1:p1:2', false],
    ]);
    // A page asked past the end shows the last.
    expect(threadPage(view(comments), 7, 'p', 'member-1').embeds![0]!.footer!.text).toBe(
      'Only you see this · page 3 of 3',
    );
  });

  it('says when there are no comments, and offers no buttons whose id Discord would refuse', () => {
    const empty = threadPage(view([]), 0, 'p', 'member-1');
    expect(empty.embeds![0]!.description).toBe('Posted 4 Mar 2024 · no comments\n\n*No comments to show.*');
    const long = 'made-up words about the rota '.repeat(30).trim();
    const comments = Array.from({ length: 9 }, (_, i) => comment(i + 1, long));
    const tooLongId = threadPage({ ...view(comments), postId: 'p'.repeat(100) }, 0, 'p', 'member-1');
    expect(tooLongId.components).toEqual([]);
    expect(tooLongId.embeds![0]!.footer!.text).toBe('Only you see this · page 1 of 3');
  });

  it('shows a whole thread without role labels, an unsigned comment as Anonymous, and a removed one without a date plainly', () => {
    const page = threadPage(
      view([
        comment(1, 'A made-up remark.', { author: null, url: null }),
        comment(2, '', { removed: 'hidden', author: null, text: null, url: null, date: null, time: null }),
      ]),
      0,
      'p',
      'member-1',
    );
    expect(page.embeds![0]!.description).toBe(
      [
        'Posted 4 Mar 2024 · 2 comments, oldest first',
        '**Anonymous** · 5 Mar 2024, 14:05\nA made-up remark.',
        '*A comment removed from the archive.*',
      ].join('\n\n'),
    );
  });

  it('offers the page buttons only when every id fits in 100 characters', () => {
    const long = 'made-up words about the rota '.repeat(30).trim();
    const comments = Array.from({ length: 9 }, (_, i) => comment(i + 1, long));
    // 'thread:p:member-1:' + id + ':here': exactly 100 characters with an id of 77, one too many with 78.
    const fits = threadPage({ ...view(comments), postId: 'p'.repeat(77) }, 0, 'p', 'member-1');
    expect(fits.components).toHaveLength(1);
    const over = threadPage({ ...view(comments), postId: 'p'.repeat(78) }, 0, 'p', 'member-1');
    expect(over.components).toEqual([]);
  });

  it("reads a page button's id back, ids with colons included, and refuses what is not one", () => {
    expect(readPageId(['c', 'member-1', 'blog', 'c123', '2'])).toMatchObject({ id: 'blog:c123', page: 2 });
    expect(readPageId(['c', 'member-1', 'blog:c123', '2'])).toEqual({
      mode: 'c',
      userId: 'member-1',
      id: 'blog:c123',
      page: 2,
    });
    expect(readPageId(['p', 'member-1', 'p1', 'here'])).toEqual({ mode: 'p', userId: 'member-1', id: 'p1', page: 0 });
    expect(readPageId(['x', 'member-1', 'p1', '1'])).toBeNull();
    expect(readPageId(['p', '', 'p1', '1'])).toBeNull();
    expect(readPageId(['p', 'member-1', '1'])).toBeNull();
  });
});
