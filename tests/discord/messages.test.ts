// The words of the bot's main messages, as members read them: a search's pages and its empty answer, a quote, on
// this day and the daily digest, the weekly round-up, announcements one at a time and after downtime, Napo news,
// the petition's figures, and what replaces a message whose content was taken down. Made-up inputs only.
import { ComponentType } from 'discord-api-types/payloads/v10';
import { describe, expect, it } from 'vitest';
import type { NapoView } from '../../src/app/campaign.js';
import type { PetitionView } from '../../src/app/petitionFigures.js';
import type { Digest } from '../../src/digest/onThisDay.js';
import type { WeeklyRoundUp } from '../../src/digest/weekly.js';
import {
  announcementMessage,
  burstMessage,
  contextButton,
  digestMessage,
  napoMessage,
  onThisDayMessage,
  petitionMessage,
  quoteMessage,
  retractedMessage,
  searchPage,
  weeklyMessage,
  withChart,
  withoutFiles,
} from '../../src/discord/messages.js';
import type { SearchFilters } from '../../src/discord/sessions.js';
import type { Quote, SearchHit } from '../../src/search/search.js';
import type { Announcement } from '../../src/store/deliveries.js';

const ALL: SearchFilters = { author: null, from: null, to: null, in: 'all' };
const BLOG = 'https://probationmatters.blogspot.com';

const hit = (n: number, over: Partial<SearchHit> = {}): SearchHit => ({
  kind: 'post',
  postId: `p${n}`,
  commentId: null,
  postTitle: `Made-up post ${n}`,
  postUrl: `${BLOG}/2020/0${n}/p.html`,
  date: '2020-03-04',
  dateIsPosts: false,
  author: `Fake Author ${n}`,
  excerpt: `An invented excerpt number ${n}.`,
  highlights: [],
  url: `${BLOG}/2020/0${n}/p.html`,
  linksToMonth: false,
  score: 1,
  passageId: n,
  ...over,
});

describe('a search', () => {
  const nothing = (query: string) => searchPage(query, ALL, [], 0, 's1').embeds[0]!.description;
  const GENERAL = 'use fewer or more general words (the last word also matches as the start of a word).';

  it('with no hits says how to widen it, naming a phrase or a word left out only when the query has one', () => {
    expect(nothing('pre-sentence report')).toBe(`Nothing in the archive matches. Try to ${GENERAL}`);
    const narrower = `Nothing in the archive matches. Try to shorten the "phrase" or leave out fewer -words, or ${GENERAL}`;
    expect(nothing('"some phrase"')).toBe(narrower);
    expect(nothing('-caseloads')).toBe(narrower);
    expect(nothing('probation -caseloads')).toBe(narrower);
    // A dash inside a word, or one standing alone, leaves nothing out.
    expect(nothing('probation - caseloads')).toBe(`Nothing in the archive matches. Try to ${GENERAL}`);
  });

  it("lists a page's hits numbered from the page's start, a month's-archive link said, a Context button per comment", () => {
    const hits = [1, 2, 3, 4, 5, 6, 7].map((n) =>
      n === 7
        ? hit(n, { kind: 'comment', commentId: 'c7', linksToMonth: true })
        : n === 2
          ? hit(n, { kind: 'comment', commentId: 'c2' })
          : hit(n),
    );
    const second = searchPage('probation', ALL, hits, 1, 's1');
    expect(second.embeds[0]!.description).toBe(
      [
        `**6.** [Made-up post 6](${BLOG}/2020/06/p.html)\n4 Mar 2020 · post · Fake Author 6\nAn invented excerpt number 6.`,
        `**7.** [Made-up post 7](${BLOG}/2020/07/p.html)\n4 Mar 2020 · comment · Fake Author 7 · link: the month’s archive\nAn invented excerpt number 7.`,
      ].join('\n\n'),
    );
    expect(second.embeds[0]!.footer!.text).toBe(
      'Hits 6–7 of 7 · only you see this; sharing posts a hit to the channel',
    );
    const contexts = (page: ReturnType<typeof searchPage>) =>
      page.components?.[2]?.components.map((c) =>
        c.type === ComponentType.Button && 'custom_id' in c ? [c.label, c.custom_id] : [],
      );
    expect(contexts(second)).toEqual([['Context 7', 'context:c7']]);
    expect(contexts(searchPage('probation', ALL, hits, 0, 's1'))).toEqual([['Context 2', 'context:c2']]);
    const menu = second.components?.[1]?.components[0];
    const unsigned = searchPage('probation', ALL, [hit(1, { author: null })], 0, 's1');
    expect(unsigned.embeds[0]!.description).toBe(
      `**1.** [Made-up post 1](${BLOG}/2020/01/p.html)\n4 Mar 2020 · post\nAn invented excerpt number 1.`,
    );
    const unsignedMenu = unsigned.components?.[1]?.components[0];
    expect(unsignedMenu && 'options' in unsignedMenu ? unsignedMenu.options[0]!.description : null).toBe(
      '4 Mar 2020 · post',
    );
    expect(menu && 'options' in menu ? menu.options.map((o) => [o.label, o.description, o.value]) : null).toEqual([
      ['6. Made-up post 6', '4 Mar 2020 · post · Fake Author 6', '5'],
      ['7. Made-up post 7', '4 Mar 2020 · comment · Fake Author 7', '6'],
    ]);
  });
});

describe('a Context button', () => {
  it("is given while its id fits Discord's 100 characters, and not past them", () => {
    const fits = 'c'.repeat(100 - 'context:'.length);
    const button = contextButton(fits);
    expect(button && 'custom_id' in button ? button.custom_id : null).toBe(`context:${fits}`);
    expect(contextButton(`${fits}c`)).toBeNull();
  });
});

const quote = (over: Partial<Quote> = {}): Quote => ({
  passageId: 42,
  postId: 'p1',
  commentId: null,
  kind: 'post',
  text: 'An invented passage about a made-up caseload.',
  author: 'Fake Author',
  date: '2021-05-06',
  dateIsPosts: false,
  postTitle: 'A Made-Up Post',
  postUrl: `${BLOG}/2021/05/a.html`,
  url: `${BLOG}/2021/05/a.html`,
  linksToMonth: false,
  continues: { before: false, after: false },
  ...over,
});

describe('a quote', () => {
  it("says where the words come from: the blog, or a comment on it, and when the link opens the month's archive", () => {
    const shared = (q: Quote) => quoteMessage(q, { sharedBy: null, suggestedFor: null });
    expect(shared(quote()).embeds[0]!.footer!.text).toBe('The On Probation blog');
    expect(shared(quote({ kind: 'comment', commentId: 'c1' })).embeds[0]!.footer!.text).toBe(
      'A comment on the On Probation blog',
    );
    expect(shared(quote({ linksToMonth: true })).embeds[0]!.footer!.text).toBe(
      'The On Probation blog · the link opens the month’s archive',
    );
  });

  it('marks a piece of a longer comment with an ellipsis where the comment goes on, before and after', () => {
    const text = (continues: Quote['continues'], body = 'A piece of a made-up comment, cut here;') =>
      quoteMessage(quote({ kind: 'comment', commentId: 'c1', text: body, continues }), {
        sharedBy: null,
        suggestedFor: null,
      }).embeds[0]!.description;
    expect(text({ before: false, after: false })).toBe('A piece of a made-up comment, cut here;');
    expect(text({ before: true, after: false })).toBe('…A piece of a made-up comment, cut here;');
    // The ellipsis replaces trailing punctuation and spaces, once: a cut that already ends in one keeps it.
    expect(text({ before: false, after: true })).toBe('A piece of a made-up comment, cut here…');
    expect(text({ before: false, after: true }, 'Ends in a dash -')).toBe('Ends in a dash…');
    expect(text({ before: false, after: true }, 'Already cut…')).toBe('Already cut…');
    expect(text({ before: false, after: true }, 'a-b')).toBe('a-b…');
  });

  it('keeps within 1,500 characters with an ellipsis at both ends (a middle piece of a long comment)', () => {
    const text = 'a '.repeat(900).trim();
    const description = quoteMessage(
      quote({ kind: 'comment', commentId: 'c1', text, continues: { before: true, after: true } }),
      {
        sharedBy: null,
        suggestedFor: null,
      },
    ).embeds[0]!.description!;
    expect(description).toMatch(/^…a a .* a…$/);
    expect(description.length).toBeLessThanOrEqual(1_500);
    expect(description.length).toBeGreaterThan(1_490);
  });

  it('shows at most 1,500 characters of a passage, cut at a word', () => {
    const text = 'made-up words about a caseload '.repeat(60).trim();
    const description = quoteMessage(quote({ text }), { sharedBy: null, suggestedFor: null }).embeds[0]!.description!;
    expect(description.length).toBeLessThanOrEqual(1_500);
    expect(description.length).toBeGreaterThan(1_450);
    expect(description).toMatch(/ [a-z-]+…$/);
  });

  it('names who shared it and who it is suggested for on one line, nothing when neither, and a Context button for a comment', () => {
    expect(quoteMessage(quote(), { sharedBy: null, suggestedFor: null }).content).toBeUndefined();
    expect(quoteMessage(quote(), { sharedBy: '111', suggestedFor: '222' }).content).toBe(
      'Suggested for <@222> · Shared by <@111>',
    );
    expect(quoteMessage(quote(), { sharedBy: null, suggestedFor: null }).components).toBeUndefined();
    const comment = quoteMessage(quote({ kind: 'comment', commentId: 'c9' }), { sharedBy: null, suggestedFor: null });
    expect(comment.components?.[0]?.components.map((c) => ('custom_id' in c ? c.custom_id : null))).toEqual([
      'context:c9',
    ]);
    // A comment hit without an id (a page copy's) has no thread to open.
    expect(quoteMessage(quote({ kind: 'comment' }), { sharedBy: null, suggestedFor: null }).components).toBeUndefined();
  });
});

const day = (items: number, more = 0): Digest => ({
  date: '2026-11-23',
  day: '11-23',
  exact: true,
  items: Array.from({ length: items }, (_, i) => ({
    year: 2020 - i,
    postTitle: `Made-up post ${i + 1}`,
    postUrl: `${BLOG}/${2020 - i}/11/p.html`,
    excerpt: `An invented opening ${i + 1}.`,
  })) as Digest['items'],
  more,
});

describe('on this day and the daily digest', () => {
  it('gives each year a line with its post linked and its opening below, a blank line between years', () => {
    expect(onThisDayMessage(day(2)).embeds[0]!.description).toBe(
      `**2020** · [Made-up post 1](${BLOG}/2020/11/p.html)\nAn invented opening 1.\n\n**2019** · [Made-up post 2](${BLOG}/2019/11/p.html)\nAn invented opening 2.`,
    );
  });

  it('says when the archive has nothing on or near the date, naming the day', () => {
    expect(onThisDayMessage(day(0)).embeds[0]).toMatchObject({
      title: 'On this day: 23 November',
      description: 'The archive has nothing on or near this date.',
    });
  });

  it('ends the digest with how many more there are and the command that shows them, only when there are more', () => {
    const withMore = digestMessage(day(2, 3)).embeds[0]!;
    expect(withMore.description).toMatch(/\n\n…and 3 more from earlier years: \/onthisday date:2026-11-23$/);
    expect(withMore.footer!.text).toBe('Daily digest of the On Probation archive');
    expect(digestMessage(day(2, 0)).embeds[0]!.description).not.toMatch(/more from earlier years/);
    expect(digestMessage(day(2, 0)).embeds[0]!.description).toMatch(/An invented opening 2\.$/);
  });
});

const roundUp = (over: Partial<WeeklyRoundUp> = {}): WeeklyRoundUp => ({
  week: { from: '2026-11-16', last: '2026-11-22', to: '2026-11-23' },
  posts: [
    {
      postId: 'p1',
      title: 'A Made-Up Post',
      author: null,
      date: '2026-11-17',
      url: `${BLOG}/2026/11/a.html`,
      excerpt: 'An invented opening.',
    },
  ],
  morePosts: 0,
  discussed: [],
  petition: null,
  napo: [],
  ...over,
});

describe('the weekly round-up', () => {
  it('credits each post (an unsigned one to Anonymous), says how many more, and says a week without posts', () => {
    const embed = weeklyMessage(roundUp()).embeds[0]!;
    expect(embed.description).toBe(
      `[A Made-Up Post](${BLOG}/2026/11/a.html) — Anonymous · 17 Nov 2026\nAn invented opening.`,
    );
    expect(embed.footer!.text).toBe('Weekly round-up of the On Probation archive');
    expect(embed.fields).toBeUndefined();
    expect(weeklyMessage(roundUp({ morePosts: 4 })).embeds[0]!.description).toMatch(
      /An invented opening\.\n\n…and 4 more this week on the blog\.$/,
    );
    expect(weeklyMessage(roundUp({ posts: [] })).embeds[0]!.description).toBe('No new posts on the blog this week.');
  });

  it('gives the most discussed posts, the petition and Napo news a field each, listing past the budget as "…and N more."', () => {
    const discussed = Array.from({ length: 40 }, (_, i) => ({
      postId: `d${i}`,
      title: `A made-up discussed post with a long enough title, number ${i}`,
      author: 'Fake Author',
      date: '2026-10-01',
      url: `${BLOG}/2026/10/d${i}.html`,
      newComments: i === 0 ? 1 : 12,
    }));
    const embed = weeklyMessage(
      roundUp({
        discussed,
        petition: {
          title: 'A made-up petition',
          url: 'https://petition.parliament.uk/petitions/900100',
          atStart: 1_000,
          atEnd: 1_250,
        },
        napo: [{ title: 'Made-up Napo news', link: 'https://www.napo.org.uk/fake', published: null }],
      }),
    ).embeds[0]!;
    expect(embed.fields!.map((f) => f.name)).toEqual(['Most discussed', 'The petition', 'Napo news']);
    const [most, petition, napo] = embed.fields!;
    expect(most!.value.split('\n')[0]).toBe(
      `[A made-up discussed post with a long enough title, number 0](${BLOG}/2026/10/d0.html) — Fake Author · 1 Oct 2026: 1 new comment`,
    );
    expect(most!.value).toMatch(/\n…and \d+ more\.$/);
    expect(most!.value.length).toBeLessThanOrEqual(1024);
    expect(petition!.value).toMatch(
      /^\[A made-up petition\]\(https:\/\/petition\.parliament\.uk\/petitions\/900100\)\n/,
    );
    expect(napo!.value).toBe('• [Made-up Napo news](https://www.napo.org.uk/fake)');
  });

  it('lists posts within their budget and news within its field, saying "…and N more." for the rest', () => {
    const long = 'An invented opening that goes on for a while about made-up caseloads and rotas. '.repeat(3);
    const posts = Array.from({ length: 8 }, (_, i) => ({
      postId: `p${i}`,
      title: `A made-up post with a title long enough to take room, number ${i}`,
      author: 'Fake Author',
      date: '2026-11-17',
      url: `${BLOG}/2026/11/p${i}.html`,
      excerpt: long,
    }));
    const napo = Array.from({ length: 12 }, (_, i) => ({
      title: `Made-up Napo news with a long title that takes its share of the field, item ${i}`,
      link: `https://www.napo.org.uk/fake/${'n'.repeat(40)}/${i}`,
      published: null,
    }));
    const embed = weeklyMessage(roundUp({ posts, napo })).embeds[0]!;
    expect(embed.description).toMatch(/\n\n…and \d+ more\.$/);
    expect(embed.description!.length).toBeLessThanOrEqual(2_500);
    const news = embed.fields!.find((f) => f.name === 'Napo news')!.value;
    expect(news).toMatch(/^• \[Made-up Napo news/);
    expect(news).toMatch(/\n…and \d+ more\.$/);
    expect(news.length).toBeLessThanOrEqual(1024);
  });
});

const announcement = (kind: Announcement['kind'], n: number, over: Partial<Announcement> = {}): Announcement => ({
  id: n,
  kind,
  key: `k${n}`,
  title: `Made-up title ${n}`,
  body: `Made-up body ${n}`,
  link: `https://example.invalid/${kind}/${n}`,
  createdAt: '2026-11-23T08:00:00Z',
  ...over,
});

describe('announcements', () => {
  it('head each kind with its own words', () => {
    expect(announcementMessage(announcement('posts', 1)).embeds[0]!.author!.name).toBe('New on the blog');
    expect(announcementMessage(announcement('petition', 1)).embeds[0]!.author!.name).toBe('Petition update');
    expect(announcementMessage(announcement('napo', 1)).embeds[0]!.author!.name).toBe('Napo news');
  });

  it('after downtime, one message per kind: how many, and a line each (a petition update says what happened)', () => {
    const posts = burstMessage('posts', [announcement('posts', 1), announcement('posts', 2)]).embeds[0]!;
    expect(posts.title).toBe('2 new posts on the blog while the bot was away');
    expect(posts.description).toBe(
      '• [Made-up title 1](https://example.invalid/posts/1)\n• [Made-up title 2](https://example.invalid/posts/2)',
    );
    const napo = burstMessage('napo', [announcement('napo', 1)]).embeds[0]!;
    expect(napo.title).toBe('1 Napo news item while the bot was away');
    expect(burstMessage('posts', [announcement('posts', 1)]).embeds[0]!.title).toBe(
      '1 new post on the blog while the bot was away',
    );
    expect(burstMessage('petition', [announcement('petition', 1)]).embeds[0]!.title).toBe(
      '1 petition update while the bot was away',
    );
    expect(burstMessage('napo', [announcement('napo', 1), announcement('napo', 2)]).embeds[0]!.title).toBe(
      '2 Napo news items while the bot was away',
    );
    const one = burstMessage('petition', [
      announcement('petition', 1),
      announcement('petition', 2, { link: 'https://example.invalid/petition/1' }),
    ]).embeds[0]!;
    expect(one.title).toBe('2 petition updates while the bot was away');
    expect(one.description).toBe(
      '• [Made-up body 1](https://example.invalid/petition/1)\n• [Made-up body 2](https://example.invalid/petition/1)',
    );
  });

  it('from several petitions, says which petition each update is about, its title on one line and cut at a word within 60 characters', () => {
    const long = `A made-up petition\nwith a title that goes on and on well past sixty characters`;
    const two = burstMessage('petition', [
      announcement('petition', 1, { title: long }),
      announcement('petition', 2, { title: 'Another made-up petition' }),
    ]).embeds[0]!;
    expect(two.description).toBe(
      [
        '• [A made-up petition with a title that goes on and on well…: Made-up body 1](https://example.invalid/petition/1)',
        '• [Another made-up petition: Made-up body 2](https://example.invalid/petition/2)',
      ].join('\n'),
    );
  });
});

describe('a message whose content was taken down', () => {
  it('says what was removed, clearing the rest', () => {
    for (const [what, said] of [
      ['quote', 'The passage quoted here has been removed from the On Probation archive.'],
      ['announcement', 'What was announced here has been removed from the On Probation archive.'],
    ] as const) {
      const message = retractedMessage(what);
      expect(message.content).toBe('');
      expect(message.components).toEqual([]);
      expect(message.embeds).toEqual([
        { title: 'Removed from the archive', description: said, color: expect.any(Number) },
      ]);
    }
  });
});

describe('Napo news', () => {
  const napo = (over: Partial<NapoView> = {}): NapoView => ({
    items: [
      {
        title: 'Made-up news',
        link: 'https://www.napo.org.uk/fake',
        published: '2026-11-20T10:00:00Z',
        linksToMonth: false,
      },
      { title: 'Older made-up news', link: `${BLOG}/2026/10/`, published: null, linksToMonth: true },
    ] as NapoView['items'],
    source: 'feed',
    problem: null,
    fetchedAt: null,
    ...over,
  });

  it("lists each item with its date, a month's-archive link said, titled Napo news", () => {
    const embed = napoMessage(napo()).embeds[0]!;
    expect(embed.title).toBe('Napo news');
    expect(embed.description).toBe(
      `[Made-up news](https://www.napo.org.uk/fake) · 20 Nov 2026\n[Older made-up news](${BLOG}/2026/10/) · link: the month’s archive`,
    );
  });

  it('says there is nothing to show yet, or why not, when there are no items', () => {
    const said = (over: Partial<NapoView>) => napoMessage(napo({ items: [], ...over })).content;
    expect(said({})).toBe('No Napo news to show yet.');
    expect(said({ problem: 'the feed timed out' })).toBe('No Napo news to show: the feed timed out');
  });

  it('says where the items come from, and when the feed could not be read', () => {
    const footer = (over: Partial<NapoView>) => napoMessage(napo(over)).embeds[0]!.footer!.text;
    expect(footer({})).toBe('From Napo');
    expect(footer({ problem: 'timed out' })).toBe('The Napo feed could not be read just now: showing what was stored');
    expect(footer({ source: 'archive' })).toBe('From the blog\'s own "Latest From Napo" posts');
    expect(footer({ source: 'archive', problem: 'timed out' })).toBe(
      'The Napo feed could not be read just now: these are the blog\'s own "Latest From Napo" posts',
    );
  });
});

const NOW = new Date('2026-03-10T12:00:00Z');
const petition = (over: Partial<PetitionView['progress']> = {}, view: Partial<PetitionView> = {}): PetitionView => ({
  progress: {
    petitionId: 900100,
    title: 'A made-up petition',
    state: 'open',
    signatureCount: 12_345,
    link: 'https://petition.parliament.uk/petitions/900100',
    change: null,
    response: { target: 10_000, reached: true, reachedAt: '2026-02-01T09:00:00.000Z', toGo: 0 },
    debate: { target: 100_000, reached: false, reachedAt: null, toGo: 87_655 },
    governmentResponseSummary: null,
    debateDate: null,
    line: '',
    ...over,
  },
  live: true,
  takenAt: NOW.toISOString(),
  problem: null,
  changeOrgUrl: null,
  ...view,
});

describe("the petition's figures", () => {
  const lines = (view: PetitionView) => petitionMessage(view, NOW).embeds[0]!.description!.split('\n');

  it("give the day's change signed (a fall with a minus), each goal reached on its day or how many to go", () => {
    expect(lines(petition())).toEqual([
      '**12,345 signatures** · open for signatures',
      '▰▱▱▱▱▱▱▱▱▱ 12% of the way to 100,000',
      'Government response at 10,000: reached on 1 Feb 2026',
      'Debate at 100,000: 87,655 to go',
    ]);
    expect(lines(petition({ change: { signatures: 210, since: '' } }))[0]).toBe(
      '**12,345 signatures** (+210 in the last day) · open for signatures',
    );
    expect(lines(petition({ change: { signatures: 0, since: '' } }))[0]).toBe(
      '**12,345 signatures** (+0 in the last day) · open for signatures',
    );
    expect(lines(petition({ change: { signatures: -3, since: '' } }))[0]).toBe(
      '**12,345 signatures** (-3 in the last day) · open for signatures',
    );
    expect(lines(petition({ response: { target: 10_000, reached: true, reachedAt: null, toGo: 0 } }))[2]).toBe(
      'Government response at 10,000: reached',
    );
  });

  it('add the pace, the closing, the debate date and the government response when there are', () => {
    const all = lines(
      petition(
        { debateDate: '2026-04-02', governmentResponseSummary: 'A made-up response.' },
        {
          momentum: { perDay: 120, since: '2026-03-03T12:00:00Z', days: 7, projection: null },
          closing: { closed: false, closesOn: '2026-07-05', daysLeft: 116 },
        },
      ),
    );
    expect(all.slice(4)).toEqual([
      expect.stringMatching(/120/),
      expect.stringMatching(/116|close/),
      'Government response: A made-up response.',
      'Debate: 2 Apr 2026',
    ]);
  });

  it('say a petition waiting to be published, linked', () => {
    const message = petitionMessage(
      {
        waiting: {
          petitionId: 900100,
          stage: 'in moderation',
          link: 'https://petition.parliament.uk/petitions/900100',
        },
      },
      NOW,
    );
    expect(message.embeds[0]).toMatchObject({
      title: 'Waiting to be published',
      url: 'https://petition.parliament.uk/petitions/900100',
    });
    expect(message.embeds[0]!.description).toBe(
      'Petition 900100 is waiting to be published: the Petitions Committee is checking it before it opens for signatures.',
    );
  });

  it('draw the bar only while the petition is open, and say the goals are not open yet while it is checked', () => {
    expect(lines(petition({ state: 'closed' }))).toEqual([
      '**12,345 signatures** · closed',
      'Government response at 10,000: reached on 1 Feb 2026',
      'Debate at 100,000: 87,655 to go',
    ]);
    expect(lines(petition({ state: 'pending', signatureCount: 3 })).slice(1)).toEqual([
      'Government response at 10,000: not open for signatures yet',
      'Debate at 100,000: not open for signatures yet',
    ]);
  });
});

describe('a message with a chart', () => {
  it("shows the chart as its first embed's image, and without files keeps every other image", () => {
    const chart = { name: 'petition.png', png: new Uint8Array([1, 2, 3]), alt: 'A made-up chart.' };
    const message = withChart(
      {
        embeds: [{ title: 'first' }, { title: 'second', image: { url: 'https://example.invalid/picture.png' } }],
        allowedMentions: { parse: [] },
      },
      chart as Parameters<typeof withChart>[1],
    );
    expect(message.embeds[0]!.image).toEqual({ url: 'attachment://petition.png' });
    expect(message.files?.map((f) => [f.name, f.description])).toEqual([['petition.png', 'A made-up chart.']]);
    const bare = withoutFiles(message);
    expect(bare.files).toBeUndefined();
    expect(bare.embeds).toEqual([
      { title: 'first' },
      { title: 'second', image: { url: 'https://example.invalid/picture.png' } },
    ]);
  });
});
