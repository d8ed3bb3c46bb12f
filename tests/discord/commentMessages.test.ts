// A batch of new comments as one message in a post's thread: within Discord's limits whatever the comments' length
// (one embed each, at most ten, 6,000 characters in all with room for the delivery's marker), a comment cut short
// ending with a link to the whole of it on the blog, its author and time in London shown, its text inert.
import { describe, expect, it } from 'vitest';
import { commentTime, threadCommentsMessage } from '../../src/discord/commentMessages.js';
import { embedLength, LIMITS } from '../../src/discord/format.js';
import { withMarker } from '../../src/discord/poster.js';
import type { QueuedComment } from '../../src/store/postThreads.js';

// Made-up comments on a made-up post.
const comment = (n: number, text: string): QueuedComment => ({
  queueId: n,
  commentId: `c${n}`,
  postId: 'p1',
  author: `Fake reader ${n}`,
  date: '2026-03-29',
  time: '01:30',
  text,
  permalink: `https://fake-blog.example/2026/03/post.html?showComment=${n}#c${n}`,
  deleted: false,
});
const post = { title: 'A made-up post', url: 'https://fake-blog.example/2026/03/post.html' };
const total = (m: ReturnType<typeof threadCommentsMessage>) => m.embeds.reduce((n, e) => n + embedLength(e), 0);

describe('a batch of comments as one message', () => {
  it('keeps ten long comments within 6,000 characters with the marker, each cut one ending with a link to it', () => {
    const long = 'made-up words about the rota '.repeat(200);
    const message = withMarker(
      threadCommentsMessage(
        post,
        Array.from({ length: 10 }, (_, i) => comment(i + 1, long)),
      ),
      'comments:p1:0',
      post.url,
    );
    expect(message.embeds).toHaveLength(10);
    expect(total(message)).toBeLessThanOrEqual(LIMITS.embedTotal);
    for (const [i, e] of message.embeds.entries()) {
      expect(e.description).toMatch(
        /…\n\[Read the whole comment on the blog\]\(https:\/\/fake-blog\.example\/.+#c\d+\)$/,
      );
      expect(e.author?.name).toBe(`Fake reader ${i + 1}`);
    }
    expect(message.content).toBe('10 new comments on the blog on "A made-up post"');
  });

  it('shows a short comment whole, without the link line, with its time in London', () => {
    const message = threadCommentsMessage(post, [comment(1, 'Short and made up.')]);
    expect(message.embeds[0]).toMatchObject({
      title: 'Comment, 01:30, 29 March 2026 (London)',
      description: 'Short and made up.',
      url: 'https://fake-blog.example/2026/03/post.html?showComment=1#c1',
    });
    expect(message.content).toBe('A new comment on the blog on "A made-up post"');
    expect(message.allowedMentions).toEqual({ parse: [] });
  });

  it('makes a comment inert: no ping, no Markdown, no masked link', () => {
    const message = threadCommentsMessage(post, [
      { ...comment(1, '@everyone **bold** [x](javascript:alert(1)) <@&123>'), author: '<@42> @here' },
    ]);
    const e = message.embeds[0]!;
    expect(e.description).not.toMatch(/@everyone|\*\*b|<@&/);
    expect(e.description).toContain('\\*\\*bold\\*\\*');
    expect(e.author?.name).not.toMatch(/<@42>|@here/);
  });

  it('shows a comment without a date plainly, and one dated without a time by its day', () => {
    expect(commentTime(null, null)).toBe('');
    expect(commentTime('2026-11-23', null)).toBe('23 November 2026');
    expect(threadCommentsMessage(post, [{ ...comment(1, 'x'), date: null }]).embeds[0]!.title).toBe('Comment');
  });
  it('takes only a plain day as a date (nothing read into other text), and credits a blank author as Anonymous', () => {
    expect(commentTime('2026-11-23T10:00:00Z', '10:00')).toBe('');
    expect(commentTime('12026-11-23', null)).toBe('');
    const [spaced, blank, none] = threadCommentsMessage(post, [
      { ...comment(1, 'x'), author: '  Fake reader  ' },
      { ...comment(2, 'x'), author: '   ' },
      { ...comment(3, 'x'), author: null },
    ]).embeds;
    expect([spaced!.author?.name, blank!.author?.name, none!.author?.name]).toEqual([
      'Fake reader',
      'Anonymous',
      'Anonymous',
    ]);
  });

  it('adds the link to the whole comment only when text was left out, and keeps most of a long one', () => {
    const spaces = threadCommentsMessage(post, [comment(1, `Short and made up.${' '.repeat(5_000)}`)]).embeds[0]!;
    expect(spaces.description).toBe('Short and made up.');
    const long = threadCommentsMessage(post, [comment(1, 'made-up words about the rota '.repeat(300))]).embeds[0]!;
    expect(long.description).toMatch(/\[Read the whole comment on the blog\]/);
    expect(long.description!.length).toBeGreaterThan(LIMITS.embedDescription - 200);
    expect(threadCommentsMessage(post, [comment(1, '')]).embeds[0]!.description).toBe('(no text)');
  });
});
