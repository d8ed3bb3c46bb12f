// What a member reads of their watches, word for word: the hourly direct message and /watch's private answers.
// Written against the mutation run of 4 December, which left these words untested. Every name and post is made up.
import { describe, expect, it } from 'vitest';
import type { WatchAnswer } from '../../src/app/watches.js';
import { watchAnswerMessage, watchMessage } from '../../src/discord/watchMessages.js';
import type { WatchItem } from '../../src/search/watch.js';

const item = (n: number, kind: WatchItem['kind'], author: string | null): WatchItem => ({
  kind,
  postTitle: `A Made-Up Post ${n}`,
  author,
  date: '2024-03-05',
  time: kind === 'comment' ? '14:05' : null,
  url: `https://blog.example/2024/03/post-${n}.html`,
  excerpt: { text: 'the zebra rota again', highlights: [[4, 9]] },
  query: 'zebra rota',
});
const watch = (id: number, query: string, createdAt: string) => ({ id, userId: 'member-1', query, createdAt });
const answer = (a: WatchAnswer) => watchAnswerMessage(a).content;

describe('the hourly watch message', () => {
  it('credits each item (a comment without an author as Anonymous), dates it, names the watch, and bolds the match', () => {
    const message = watchMessage({ items: [item(1, 'comment', null), item(2, 'post', 'Fake Author')] });
    expect(message.allowedMentions).toEqual({ parse: [] });
    const [embed] = message.embeds!;
    expect(embed!.title).toBe('2 new in the archive for your watches');
    expect(embed!.description!.split('\n\n')).toEqual([
      '[A Made-Up Post 1](https://blog.example/2024/03/post-1.html) — comment by Anonymous, 5 Mar 2024, 14:05 · watch “zebra rota”\nthe **zebra** rota again',
      '[A Made-Up Post 2](https://blog.example/2024/03/post-2.html) — post by Fake Author, 5 Mar 2024 · watch “zebra rota”\nthe **zebra** rota again',
    ]);
    expect(embed!.footer!.text).toBe(
      'Your watches: /watch list shows them, /watch remove stops one, /watch clear stops all.',
    );
  });

  it('says "your watch" for one item, and counts what does not fit past ten items', () => {
    expect(watchMessage({ items: [item(1, 'post', 'Fake Author')] }).embeds![0]!.title).toBe(
      'New in the archive for your watch',
    );
    const many = watchMessage({ items: Array.from({ length: 13 }, (_, i) => item(i + 1, 'post', 'Fake Author')) });
    const parts = many.embeds![0]!.description!.split('\n\n');
    expect(parts).toHaveLength(11);
    expect(parts.at(-1)).toBe('…and 3 more: /search finds them in the archive.');
  });
});

describe("/watch's answers", () => {
  it('adds: the count of five, how matches come, and the paused watches on again only when they were paused', () => {
    const added = { done: 'added', watch: watch(1, 'zebra rota', '2024-03-05T10:00:00Z'), count: 2 } as const;
    const how =
      'Watching “zebra rota” (2 of 5). New posts and comments holding every word (or the phrase) come to you by direct message, at most once an hour.';
    expect(answer({ ...added, resumed: false })).toBe(how);
    expect(answer({ ...added, resumed: true })).toBe(`${how}\nYour paused watches are on again too.`);
  });

  it('removes, clears (none, or how many) and resumes (or says nothing was paused)', () => {
    expect(answer({ done: 'removed', watch: watch(1, 'zebra rota', '2024-03-05T10:00:00Z'), count: 1 })).toBe(
      'No longer watching “zebra rota” (1 left).',
    );
    expect(answer({ done: 'cleared', count: 3 })).toBe(
      'All 3 of your watches removed, with everything kept about them.',
    );
    expect(answer({ done: 'cleared', count: 0 })).toBe('You had no watches: nothing is kept about you here.');
    expect(answer({ done: 'resumed', resumed: true, count: 2 })).toBe(
      'Your watches are on again (2): matches come by direct message, at most once an hour.',
    );
    expect(answer({ done: 'resumed', resumed: false, count: 2 })).toBe('Your watches were not paused.');
  });

  it('lists the watches numbered from 1 with the day each began in London, and the pause with its day and what to do', () => {
    const watches = [watch(1, 'zebra rota', '2024-03-05T10:00:00Z'), watch(2, 'office hours', '2024-04-01T23:30:00Z')];
    const heading = 'Your watches (only you see them; /watch remove or /watch clear deletes them):';
    // 23:30 UTC on 1 April is 00:30 on 2 April in London (summer time): the member's day, not UTC's.
    const lines = '1. “zebra rota” — since 5 Mar 2024\n2. “office hours” — since 2 Apr 2024';
    expect(answer({ done: 'list', watches, pause: null })).toBe(`${heading}\n${lines}`);
    expect(
      answer({ done: 'list', watches, pause: { reason: 'closed', pausedAt: '2024-10-26T23:10:00Z', toldAt: null } }),
    ).toBe(
      `${heading}\n${lines}\n**Paused** since 27 Oct 2024: Discord would not let the bot send you a direct message. Allow direct messages from this server’s members, then /watch resume.`,
    );
    expect(answer({ done: 'list', watches: [], pause: null })).toBe(
      'You have no watches. Add one with /watch add (the search syntax, at most 5).',
    );
  });
});
