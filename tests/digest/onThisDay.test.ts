import { describe, expect, it } from 'vitest';
import type { Post } from '../../src/archive/model.js';
import { nearestDay, onThisDay } from '../../src/digest/onThisDay.js';

const post = (date: string, title: string): Post => ({
  id: title,
  title,
  date,
  time: null,
  author: null,
  url: null,
  labels: [],
  text: `${title} text`,
});

describe('on this day', () => {
  it('picks the nearest day, going round the end of the year', () => {
    expect(nearestDay('01-02', ['06-01', '12-30'])).toBe('12-30');
    expect(nearestDay('12-31', ['01-01', '12-20'])).toBe('01-01');
    expect(nearestDay('03-01', ['02-29', '03-03'])).toBe('02-29');
  });

  it('prefers the earlier day on a tie', () => {
    expect(nearestDay('11-11', ['11-09', '11-13'])).toBe('11-09');
  });

  it('lists posts of the day newest first and leaves out later years than the date', () => {
    const posts = [post('2023-11-23', 'Newer'), post('2019-11-23', 'Older'), post('2025-11-23', 'Future')];
    const result = onThisDay(
      '2024-11-23',
      (day) => (day === '11-23' ? posts.map((p) => ({ post: p, opening: null })) : []),
      ['11-23'],
      'https://blog.example',
    );
    expect(result).toMatchObject({ date: '2024-11-23', day: '11-23', exact: true });
    expect(result.items.map((i) => [i.year, i.postTitle])).toEqual([
      [2023, 'Newer'],
      [2019, 'Older'],
    ]);
    expect(result.items[0]!.postUrl).toBe('https://blog.example/2023/11/');
  });

  it('says when nothing was posted on the day itself', () => {
    const result = onThisDay(
      '2024-02-28',
      (day) => (day === '02-19' ? [{ post: post('2024-02-19', 'Civil'), opening: null }] : []),
      ['02-19'],
      'https://blog.example',
    );
    expect(result).toMatchObject({ exact: false, day: '02-19' });
  });

  it('reads the nearest days first and stops at the first with a post old enough, not every day of the year', () => {
    const asked: string[] = [];
    const days = ['01-10', '02-01', '05-05', '11-20', '11-26', '12-31'];
    const byDay: Record<string, Post[]> = {
      '11-20': [post('2024-11-20', 'Too new')],
      '11-26': [post('2019-11-26', 'Old enough')],
      '12-31': [post('2018-12-31', 'Also old')],
    };
    const result = onThisDay(
      '2020-11-23',
      (day) => {
        asked.push(day);
        return (byDay[day] ?? []).map((p) => ({ post: p, opening: null }));
      },
      days,
      'https://blog.example',
    );
    expect(result).toMatchObject({ exact: false, day: '11-26' });
    expect(result.items.map((i) => i.postTitle)).toEqual(['Old enough']);
    // The day itself; then, of the two days 3 days off, the earlier first (its post is too new), then the later,
    // which answers. Nothing further is read.
    expect(asked).toEqual(['11-23', '11-20', '11-26']);
  });
});
