// The words both renderers share, as members read them: dates (a bare day as written, a moment on the UK day it fell,
// across the clock changes both ways), a search's filters, /stats, a thread's heading, the weekly round-up, and the
// petition's numbers (ordinals, shares, changes, pace, closing). Written against the mutation run of 4 December.
import { describe, expect, it } from 'vitest';
import type { Momentum, PetitionClosing } from '../../src/digest/petitionMomentum.js';
import { changeWords, closingLine, momentumLine, ordinal, percent } from '../../src/discord/petitionWording.js';
import {
  commentWhen,
  describeFilters,
  formatDate,
  formatDay,
  formatDayTime,
  formatMonthDay,
  newComments,
  onThisDayHeading,
  petitionWeekLine,
  removedText,
  roleLabel,
  roundUpHeading,
  type StatsView,
  statsLines,
  threadHeading,
  whenAndWhat,
  whenWritten,
} from '../../src/discord/wording.js';

describe('dates', () => {
  it('writes a bare day as written, whatever the clock', () => {
    expect(formatDay('2024-03-31')).toBe('31 Mar 2024');
    expect(formatMonthDay('11-23')).toBe('23 November');
    expect(formatMonthDay('01-01')).toBe('1 January');
    expect(formatMonthDay('12-31')).toBe('31 December');
    expect(Array.from({ length: 12 }, (_, i) => formatMonthDay(`${i + 1}-1`))).toEqual(
      [
        'January',
        'February',
        'March',
        'April',
        'May',
        'June',
        'July',
        'August',
        'September',
        'October',
        'November',
        'December',
      ].map((m) => `1 ${m}`),
    );
  });

  it('puts a moment on the UK day it fell: after 23:00 UTC in summer is the next day, in winter the same', () => {
    expect(formatDay('2024-06-30T23:30:00Z')).toBe('1 Jul 2024');
    expect(formatDay('2024-01-31T23:30:00Z')).toBe('31 Jan 2024');
    // The clocks go forward at 01:00 UTC on 31 March 2024 and back at 01:00 UTC on 27 October 2024.
    expect(formatDayTime('2024-03-31T00:59:00Z')).toBe('31 Mar 2024, 00:59');
    expect(formatDayTime('2024-03-31T01:00:00Z')).toBe('31 Mar 2024, 02:00');
    expect(formatDayTime('2024-10-26T23:30:00Z')).toBe('27 Oct 2024, 00:30');
    expect(formatDayTime('2024-10-27T01:30:00Z')).toBe('27 Oct 2024, 01:30');
  });

  it('shows what it cannot read as it came, and says when a date is unknown', () => {
    expect(formatDay('no date given')).toBe('no date given');
    // Not read as 1 January: a date that says only its year is shown as it came, not given a day it never had.
    expect(formatDay('sometime in 2019')).toBe('sometime in 2019');
    expect(formatDay('March 2019')).toBe('March 2019');
    expect(formatDayTime('not a time')).toBe('not a time');
    expect(formatDayTime('2019')).toBe('2019');
    expect(formatDate(null)).toBe('date unknown');
    expect(formatDate('2022-07-03')).toBe('3 Jul 2022');
  });

  it('says when and what a hit or a quote is, a comment known only by its post said so', () => {
    expect(whenAndWhat({ kind: 'post', date: '2022-07-03', dateIsPosts: false })).toBe('3 Jul 2022 · post');
    expect(whenAndWhat({ kind: 'comment', date: '2022-07-03', dateIsPosts: true })).toBe(
      'comment on the post of 3 Jul 2022',
    );
    expect(whenWritten({ date: '2022-07-03', dateIsPosts: false })).toBe('3 Jul 2022');
    expect(whenWritten({ date: null, dateIsPosts: true })).toBe('on the post of date unknown');
    expect(commentWhen({ date: '2022-07-03', time: '14:05' })).toBe('3 Jul 2022, 14:05');
    expect(commentWhen({ date: '2022-07-03', time: null })).toBe('3 Jul 2022');
    expect(commentWhen({ date: null, time: '14:05' })).toBe('date unknown');
  });

  it("heads an on-this-day answer by the day, the asked year's own posts, or the nearest day", () => {
    const items = (...years: number[]) => years.map((year) => ({ year }));
    expect(onThisDayHeading({ date: '2026-11-23', day: '11-23', exact: true, items: items(2015, 2019) })).toBe(
      'On this day: 23 November',
    );
    expect(onThisDayHeading({ date: '2019-11-23', day: '11-23', exact: true, items: items(2015, 2019) })).toBe(
      '23 Nov 2019, and this day in earlier years',
    );
    expect(onThisDayHeading({ date: '2026-11-23', day: '11-25', exact: false, items: items(2016) })).toBe(
      'Nothing on 23 November: the nearest day with posts is 25 November',
    );
  });
});

describe("a search's filters", () => {
  const none = { author: null, from: null, to: null, in: 'all' as const };
  it('says nothing when nothing narrows the search', () => {
    expect(describeFilters(none)).toBe('');
    expect(describeFilters({ ...none, order: 'relevance' })).toBe('');
  });

  it('names each filter in order', () => {
    expect(describeFilters({ author: 'Fake Writer', from: 2020, to: 2022, in: 'comments', order: 'newest' })).toBe(
      'by Fake Writer, 2020–2022, comments only, newest first',
    );
    expect(describeFilters({ ...none, from: 2021, to: 2021 })).toBe('in 2021');
    expect(describeFilters({ ...none, from: 2021 })).toBe('from 2021');
    expect(describeFilters({ ...none, to: 2019, in: 'posts', order: 'oldest' })).toBe(
      'up to 2019, posts only, oldest first',
    );
  });
});

describe('/stats', () => {
  const stats = (over: Partial<StatsView>): StatsView =>
    ({
      posts: 2_345,
      comments: 104_567,
      firstDate: '2012-01-05',
      lastDate: '2024-11-30',
      removedComments: 0,
      deletedPosts: 0,
      deletedComments: 0,
      lastSync: '2026-11-23T06:00:00Z',
      now: new Date('2026-11-23T08:00:00Z'),
      ...over,
    }) as StatsView;

  it('counts posts and comments over the years, and how long ago the last sync was', () => {
    expect(statsLines(stats({}))).toEqual(['2,345 posts and 104,567 comments, from 2012 to 2024.', '2 hours ago']);
    expect(statsLines(stats({ lastDate: '2012-12-31' }))[0]).toBe('2,345 posts and 104,567 comments, from 2012.');
    expect(statsLines(stats({ firstDate: null }))[0]).toBe('2,345 posts and 104,567 comments.');
  });

  it('says why there was never a sync', () => {
    expect(statsLines(stats({ lastSync: null }))[1]).toBe('never: the archive was loaded from saved files');
    expect(statsLines(stats({ lastSync: null, posts: 0 }))[1]).toBe('never');
  });

  it('says what is not shown, one or many', () => {
    expect(
      statsLines(
        stats({
          removedComments: 1,
          deletedPosts: 1,
          deletedComments: 3_000,
          hidden: { posts: 1, comments: 2, authors: 1 },
        }),
      )[0],
    ).toBe(
      "2,345 posts and 104,567 comments, from 2012 to 2024. Taken out on request: 1 post, 2 comments, 1 author's writing. " +
        '1 comment was removed on the blog and is not shown. Deleted on the blog since archived, and not shown: 1 post, 3,000 comments.',
    );
    expect(
      statsLines(stats({ removedComments: 2, deletedPosts: 2, hidden: { posts: 2, comments: 1, authors: 2 } }))[0],
    ).toBe(
      "2,345 posts and 104,567 comments, from 2012 to 2024. Taken out on request: 2 posts, 1 comment, 2 authors' writing. " +
        '2 comments were removed on the blog and are not shown. Deleted on the blog since archived, and not shown: 2 posts.',
    );
    expect(statsLines(stats({ hidden: { posts: 0, comments: 0, authors: 0 } }))[0]).toBe(
      '2,345 posts and 104,567 comments, from 2012 to 2024.',
    );
  });
});

describe('a thread', () => {
  it('heads the whole thread, a comment in its context, or the comments around one', () => {
    const base = { postDate: '2022-07-03', focus: null, neighbours: false };
    expect(threadHeading({ ...base, comments: [] })).toBe('Posted 3 Jul 2022 · no comments');
    expect(threadHeading({ ...base, comments: [1] })).toBe('Posted 3 Jul 2022 · 1 comment, oldest first');
    expect(threadHeading({ ...base, postDate: null, comments: [1, 2] })).toBe(
      'Post date unknown · 2 comments, oldest first',
    );
    expect(threadHeading({ ...base, focus: 'c1', comments: [1] })).toBe(
      'Posted 3 Jul 2022 · the comment, what it replies to and the replies to it, in date order',
    );
    expect(threadHeading({ ...base, focus: 'c1', neighbours: true, comments: [1] })).toBe(
      "Posted 3 Jul 2022 · this post's comments carry no reply links, so the comments around this one are shown, in order",
    );
  });

  it('labels how a comment stands to the one asked about, and a comment not shown', () => {
    expect([roleLabel('parent'), roleLabel('this'), roleLabel('reply'), roleLabel('around'), roleLabel(null)]).toEqual([
      'Replied to',
      'This comment',
      'Reply',
      null,
      null,
    ]);
    expect(removedText('hidden')).toBe('A comment removed from the archive.');
    expect(removedText('deleted')).toBe('A comment deleted on the blog.');
    expect([newComments(1), newComments(0), newComments(3)]).toEqual([
      '1 new comment',
      '0 new comments',
      '3 new comments',
    ]);
  });
});

describe('the weekly round-up', () => {
  it('heads the week by its days and gives the petition with its change, up or down', () => {
    expect(roundUpHeading({ from: '2023-11-20', last: '2023-11-26' } as Parameters<typeof roundUpHeading>[0])).toBe(
      'The week on the blog: 20 Nov 2023 to 26 Nov 2023',
    );
    const week = (atStart: number | null, atEnd: number) =>
      ({ atStart, atEnd }) as Parameters<typeof petitionWeekLine>[0];
    expect(petitionWeekLine(week(11_667, 12_345))).toBe('12,345 signatures (+678 this week)');
    expect(petitionWeekLine(week(12_345, 12_345))).toBe('12,345 signatures (+0 this week)');
    expect(petitionWeekLine(week(13_345, 12_345))).toBe('12,345 signatures (−1,000 this week)');
    expect(petitionWeekLine(week(null, 12_345))).toBe('12,345 signatures');
  });
});

describe("the petition's numbers", () => {
  it('writes ordinals as people say them, the teens included', () => {
    const said = [1, 2, 3, 4, 10, 11, 12, 13, 14, 21, 22, 23, 101, 111, 112, 113, 1_001].map(ordinal);
    expect(said).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '10th',
      '11th',
      '12th',
      '13th',
      '14th',
      '21st',
      '22nd',
      '23rd',
      '101st',
      '111th',
      '112th',
      '113th',
      '1,001st',
    ]);
  });

  it('gives shares to one decimal, under 1 % to two', () => {
    expect([percent(0.5623), percent(0.01), percent(0.0099), percent(0.0056), percent(0)]).toEqual([
      '56.2%',
      '1.0%',
      '0.99%',
      '0.56%',
      '0.00%',
    ]);
  });

  it('says a change since yesterday or since a day, up or down; nothing without an earlier reading', () => {
    expect(changeWords(120, { takenAt: '2026-11-22T23:45:00Z', yesterday: true })).toBe('+120 since yesterday');
    expect(changeWords(-1_340, { takenAt: '2026-11-28T09:00:00Z', yesterday: false })).toBe('−1,340 since 28 Nov 2026');
    expect(changeWords(0, { takenAt: '2026-11-28T09:00:00Z', yesterday: true })).toBe('+0 since yesterday');
    expect(changeWords(null, { takenAt: '2026-11-28T09:00:00Z', yesterday: true })).toBe('');
    expect(changeWords(5, null)).toBe('');
  });

  it('gives the pace a day, one or many, and when the next target would be reached at it', () => {
    const m = (perDay: number, days: number, projection: Momentum['projection'] = null): Momentum =>
      ({ perDay, days, since: '2026-11-16T07:00:00Z', projection }) as Momentum;
    expect(momentumLine(m(1_234.4, 7, { target: 10_000, at: '2026-03-14T12:00:00Z' }))).toBe(
      'Pace: 1,234 signatures a day over the last 7 days · at this pace, 10,000 around 14 Mar 2026',
    );
    expect(momentumLine(m(1, 1))).toBe('Pace: 1 signature a day over the last day');
    expect(momentumLine(m(-1, 0.4))).toBe('Pace: −1 signature a day over the last day');
    expect(momentumLine(m(-2_500.6, 2.6))).toBe('Pace: −2,501 signatures a day over the last 3 days');
  });

  it('says when the petition closes, today, or closed', () => {
    const open = (daysLeft: number) => ({ closed: false, closesOn: '2026-07-05', daysLeft }) as PetitionClosing;
    expect(closingLine(open(12))).toBe('Closes 5 Jul 2026 · 12 days left');
    expect(closingLine(open(1))).toBe('Closes 5 Jul 2026 · 1 day left');
    expect(closingLine(open(0))).toBe('Closes today (5 Jul 2026)');
    expect(closingLine({ closed: true, closedOn: '2026-07-05' } as PetitionClosing)).toBe('Closed on 5 Jul 2026');
  });
});
