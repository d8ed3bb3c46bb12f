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
});
