// /stats in words: the counts, the years, what was taken out on request and what the blog itself removed.
import { describe, expect, it } from 'vitest';
import { statsLines } from '../../src/discord/wording.js';

const base = {
  posts: 5_000,
  comments: 150_000,
  passages: 400_000,
  undatedPosts: 0,
  firstDate: '2012-01-03',
  lastDate: '2024-02-19',
  removedComments: 0,
  lastSync: null,
  now: new Date('2026-11-23T09:00:00Z'),
};

describe('/stats for members', () => {
  it('says what is held, from when to when, and nothing about takedowns when there are none', () => {
    expect(statsLines(base)[0]).toBe('5,000 posts and 150,000 comments, from 2012 to 2024.');
  });

  it('counts what was taken out on request and what the blog removed, in the singular when one', () => {
    const [line] = statsLines({ ...base, removedComments: 1, hidden: { posts: 1, comments: 2, authors: 0 } });
    expect(line).toBe(
      '5,000 posts and 150,000 comments, from 2012 to 2024. Taken out on request: 1 post, 2 comments. 1 comment was removed on the blog and is not shown.',
    );
    expect(statsLines({ ...base, removedComments: 1_204 })[0]).toMatch(
      / 1,204 comments were removed on the blog and are not shown\.$/,
    );
  });
});
