// Hostile text through every public path: for any archive, feed or petition
// text (fast-check generates it, with long runs of Markdown and mentions mixed
// in), every message builder the bot posts from keeps three promises: no
// mention Discord would act on, no Markdown left open or link broken out of,
// and every one of Discord's limits. A fixed seed keeps a failure reproducible.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NapoView, PetitionView } from '../../src/app/campaign.js';
import {
  hidePickMessage,
  type SettingsAnswer,
  settingsMessage,
  takedownMessage,
} from '../../src/discord/aboutMessages.js';
import { LIMITS } from '../../src/discord/format.js';
import { threadCommentsMessage } from '../../src/discord/commentMessages.js';
import {
  announcementMessage,
  type BotMessage,
  burstMessage,
  digestMessage,
  weeklyMessage,
  napoMessage,
  onThisDayMessage,
  petitionMessage,
  problemMessage,
  quoteMessage,
  searchPage,
} from '../../src/discord/messages.js';
import { petitionAnswerMessage, petitionOffersMessage } from '../../src/discord/petitionMessages.js';
import { threadPage } from '../../src/discord/threadMessages.js';
import { watchAnswerMessage, watchMessage } from '../../src/discord/watchMessages.js';
import type { PetitionAnswer } from '../../src/app/petitionGeography.js';
import type { Announcement } from '../../src/store/deliveries.js';
import type { SearchHit } from '../../src/search/search.js';
import {
  ROUND_UP_DISCUSSED,
  ROUND_UP_NEWS,
  ROUND_UP_POSTS,
  WEEKDAYS,
  type WeeklyRoundUp,
} from '../../src/digest/weekly.js';

const RUNS = { numRuns: 200, seed: 20_261_202 };

const PIECES = [
  '@everyone',
  '@here',
  '<@123456789012345678>',
  '<@!123456789012345678>',
  '<@&987654321098765432>',
  '<#111111111111111111>',
  '```',
  '`',
  '**',
  '*',
  '__',
  '_',
  '~~',
  '||',
  '[',
  ']',
  '(',
  ')',
  '[link](https://evil.example/)',
  '[x](javascript:alert(1))',
  '# heading',
  '> quote',
  '- item',
  '1. item',
  '\\',
  '\u200b',
  '\u202e',
  '\n',
  '\n\n',
  'https://fake-blog.example/a_(b)?token=secret',
  'probation',
  '🚨',
  'שלום',
];

/** Text as archive authors, feeds and the petition site might write it: short and ordinary, or long and full of Markdown. */
const hostile = fc
  .oneof(
    fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constantFrom(...PIECES)), { maxLength: 30 }),
    fc.array(fc.constantFrom(...PIECES), { minLength: 100, maxLength: 700 }),
    fc.array(fc.constantFrom('*', '_', '\\', '`', '[', ']', '~', '|', '@everyone'), {
      minLength: 150,
      maxLength: 2500,
    }),
  )
  .map((parts) => parts.join(''));

const nonEmpty = hostile.map((t) => (t.trim() ? t : 'x'));

const url = fc.oneof(
  fc.constant(null),
  fc.constantFrom(
    'https://fake-blog.example/2023/11/post.html',
    'https://fake-blog.example/a (b)/c<d>',
    'javascript:alert(1)',
    'data:text/html,x',
    'https://fake-blog.example/x?showComment=1#c2',
  ),
  hostile,
);

const isoDate = fc.constantFrom('2012-03-01', '2023-11-23', '2024-02-29');

const hit: fc.Arbitrary<SearchHit> = fc.record({
  kind: fc.constantFrom('post' as const, 'comment' as const),
  postId: fc.constant('1'),
  commentId: fc.constant(null),
  postTitle: nonEmpty,
  postUrl: url,
  date: fc.option(isoDate),
  dateIsPosts: fc.boolean(),
  author: fc.option(hostile),
  excerpt: hostile,
  highlights: fc
    .array(fc.tuple(fc.nat(600), fc.nat(40)), { maxLength: 6 })
    .map((spans) => spans.map(([s, n]) => [s, s + n] as [number, number])),
  url,
  linksToMonth: fc.boolean(),
  score: fc.constant(1),
  passageId: fc.constant(1),
});

const announcement: fc.Arbitrary<Announcement> = fc.record({
  id: fc.nat(),
  kind: fc.constantFrom('posts' as const, 'petition' as const, 'napo' as const),
  key: fc.constant('k'),
  title: nonEmpty,
  body: hostile,
  link: url,
  createdAt: fc.constant('2026-11-23T08:00:00Z'),
});

const threshold = fc.record({
  target: fc.constantFrom(10_000, 100_000),
  reached: fc.boolean(),
  reachedAt: fc.option(fc.constantFrom('2026-01-02T10:00:00Z', '2025-06-30T23:30:00Z')),
  toGo: fc.nat(100_000),
});

const petitionView: fc.Arbitrary<PetitionView> = fc.record({
  progress: fc.record({
    petitionId: fc.constant(700_000),
    title: nonEmpty,
    state: fc.oneof(fc.constantFrom('open', 'closed', 'rejected'), hostile),
    signatureCount: fc.nat(10_000_000),
    link: fc.oneof(fc.constant('https://petition.parliament.uk/petitions/700000'), hostile),
    change: fc.option(fc.record({ signatures: fc.integer({ min: -50, max: 50_000 }), since: fc.constant('x') })),
    response: threshold,
    debate: threshold,
    governmentResponseSummary: fc.option(hostile),
    debateDate: fc.option(fc.oneof(isoDate, hostile)),
    line: hostile,
  }),
  live: fc.boolean(),
  takenAt: fc.constant('2026-11-23T07:00:00Z'),
  problem: fc.option(hostile),
  changeOrgUrl: url,
  momentum: fc.option(
    fc.record({
      perDay: fc.double({ min: -1_000, max: 1_000_000, noNaN: true }),
      since: fc.constant('2026-11-16T07:00:00Z'),
      days: fc.double({ min: 0.5, max: 7, noNaN: true }),
      projection: fc.option(
        fc.record({ target: fc.constantFrom(10_000, 100_000), at: fc.constant('2027-05-01T21:42:51.428Z') }),
      ),
    }),
  ),
  closing: fc.option(
    fc.oneof(
      fc.record({ closed: fc.constant(false as const), closesOn: fc.constant('2027-05-01'), daysLeft: fc.nat(200) }),
      fc.record({ closed: fc.constant(true as const), closedOn: fc.constant('2026-11-01') }),
    ),
  ),
});

/** A constituency as the petition site might name it: names and MPs are its text, not ours. */
const standing = fc.record({
  name: nonEmpty,
  onsCode: fc.constantFrom('E14000750', 'W07000041', 'S14000022', 'N06000001', 'X1'),
  mp: fc.option(hostile),
  signatureCount: fc.nat(10_000_000),
  rank: fc.integer({ min: 1, max: 650 }),
  of: fc.constant(650),
  share: fc.double({ min: 0, max: 1, noNaN: true }),
  change: fc.option(fc.integer({ min: -50, max: 50_000 })),
});
const changeSince = fc.option(fc.record({ takenAt: fc.constant('2026-11-22T23:45:00Z'), yesterday: fc.boolean() }));
const geographic = { petition: petitionView, takenAt: fc.constant('2026-11-23T07:00:00Z'), changeSince };
const nationCount = (nation: 'England' | 'Wales' | 'Scotland' | 'Northern Ireland') =>
  fc.record({
    nation: fc.constant(nation),
    signatureCount: fc.nat(5_000_000),
    constituencies: fc.nat(650),
    share: fc.double({ min: 0, max: 1, noNaN: true }),
  });
const petitionAnswer: fc.Arbitrary<PetitionAnswer> = fc.oneof(
  fc.record({ kind: fc.constant('where' as const), ...geographic, standing, byMp: fc.boolean(), mine: fc.boolean() }),
  fc.record({
    kind: fc.constant('top' as const),
    ...geographic,
    standings: fc.array(standing, { maxLength: 10 }),
    knownTotal: fc.nat(10_000_000),
  }),
  fc.record({
    kind: fc.constant('nations' as const),
    ...geographic,
    breakdown: fc.record({
      nations: fc.tuple(
        nationCount('England'),
        nationCount('Wales'),
        nationCount('Scotland'),
        nationCount('Northern Ireland'),
      ),
      englandAndWales: fc.record({
        signatureCount: fc.nat(10_000_000),
        share: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
      knownTotal: fc.nat(10_000_000),
      unplaced: fc.nat(1_000),
      overseas: fc.option(fc.nat(1_000_000)),
      total: fc.nat(10_000_000),
      regions: fc.option(
        fc.array(
          fc.record({
            name: nonEmpty,
            onsCode: fc.constant('E15000001'),
            signatureCount: fc.nat(1_000_000),
            share: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
          { maxLength: 12 },
        ),
      ),
    }),
  }),
  fc.record({ kind: fc.constant('mine-set' as const), name: nonEmpty, mp: fc.option(hostile) }),
  fc.record({ kind: fc.constant('mine-cleared' as const), had: fc.option(nonEmpty) }),
  fc.record({
    kind: fc.constant('total' as const),
    petition: fc.record({
      waiting: fc.record({
        petitionId: fc.constant(700_000),
        stage: fc.constantFrom('gathering support' as const, 'in moderation' as const),
        link: fc.constant('https://petition.parliament.uk/petitions/700000'),
      }),
    }),
  }),
);

const napoView: fc.Arbitrary<NapoView> = fc.record({
  items: fc.array(
    fc.record({
      id: fc.constant('n'),
      source: fc.constant('https://napo.example/feed'),
      title: hostile,
      link: url,
      published: fc.option(fc.constantFrom('2026-11-20T09:00:00Z', '2021-11-26')),
      summary: hostile,
      from: fc.constantFrom('feed' as const, 'archive' as const),
      linksToMonth: fc.boolean(),
    }),
    { maxLength: 40 },
  ),
  source: fc.constantFrom('feed' as const, 'archive' as const),
  problem: fc.option(hostile),
  fetchedAt: fc.constant(null),
});

const item = fc.record({
  postId: fc.constant('p'),
  author: fc.option(hostile),
  year: fc.integer({ min: 2012, max: 2026 }),
  postTitle: nonEmpty,
  postUrl: url.map((u) => u ?? 'https://fake-blog.example/'),
  excerpt: hostile,
});
const onThisDay = fc.record({
  date: fc.constant('2023-11-23'),
  day: fc.constant('11-23'),
  exact: fc.boolean(),
  items: fc.array(item, { maxLength: 30 }),
});

const roundUpPost = fc.record({
  postId: fc.constant('p'),
  title: hostile,
  author: fc.option(hostile),
  date: fc.option(fc.constant('2023-11-21')),
  url: url.map((u) => u ?? 'https://fake-blog.example/'),
});
const roundUp: fc.Arbitrary<WeeklyRoundUp> = fc.record({
  week: fc.constant({ from: '2023-11-20', last: '2023-11-26', to: '2023-11-27' }),
  posts: fc.array(
    fc.tuple(roundUpPost, hostile).map(([p, excerpt]) => ({ ...p, excerpt })),
    { maxLength: ROUND_UP_POSTS },
  ),
  morePosts: fc.nat(40),
  discussed: fc.array(
    fc.tuple(roundUpPost, fc.integer({ min: 1, max: 5000 })).map(([p, newComments]) => ({ ...p, newComments })),
    { maxLength: ROUND_UP_DISCUSSED },
  ),
  petition: fc.option(
    fc.record({
      title: hostile,
      url: fc.constant('https://petition.parliament.uk/petitions/700000'),
      atStart: fc.option(fc.nat(10_000_000)),
      atEnd: fc.nat(10_000_000),
    }),
  ),
  napo: fc.array(fc.record({ title: hostile, link: url, published: fc.option(fc.constant('2023-11-22')) }), {
    maxLength: ROUND_UP_NEWS,
  }),
});

const settingsAnswer: fc.Arbitrary<SettingsAnswer> = fc.record({
  title: fc.constant('Settings'),
  settings: fc.record({
    guildId: fc.constant('1'),
    digest: fc.record({
      channel: fc.option(fc.constant('222')),
      time: fc.constant('08:00'),
      zone: fc.constant('Europe/London'),
      on: fc.boolean(),
      weekly: fc.option(fc.constantFrom(...WEEKDAYS)),
    }),
    announce: fc.record({
      posts: fc.record({ channel: fc.option(fc.constant('333')), on: fc.boolean(), since: fc.constant(null) }),
      petition: fc.record({ channel: fc.option(fc.constant('333')), on: fc.boolean(), since: fc.constant(null) }),
      napo: fc.record({ channel: fc.option(fc.constant('333')), on: fc.boolean(), since: fc.constant(null) }),
    }),
    disabled: fc.record({ digest: hostile, weekly: hostile }, { requiredKeys: [] }),
  }),
  failures: fc.array(
    fc.record({
      kind: fc.constantFrom('digest', 'posts', 'summary'),
      key: fc.constant('2025-11-23'),
      at: fc.constant('2025-11-23T08:00:00Z'),
      reason: hostile,
    }),
    { maxLength: 12 },
  ),
  hidden: fc.array(fc.record({ label: hostile, hiddenAt: fc.constant('2026-11-20T10:00:00Z') }), { maxLength: 15 }),
});

type Named = [string, BotMessage];

const threadView = fc.record({
  postId: fc.constant('p1'),
  postTitle: nonEmpty,
  postDate: fc.option(isoDate),
  postUrl: fc.constant('https://fake-blog.example/2023/11/post.html'),
  focus: fc.option(fc.constant('c1')),
  neighbours: fc.boolean(),
  comments: fc.array(
    fc.record({
      commentId: fc.constantFrom('c1', 'c2', 'c3'),
      role: fc.constantFrom(null, 'parent' as const, 'this' as const, 'reply' as const, 'around' as const),
      removed: fc.constantFrom(null, 'hidden' as const, 'deleted' as const),
      author: fc.option(hostile),
      date: fc.option(isoDate),
      time: fc.option(fc.constant('09:15')),
      text: fc.option(hostile),
      url: url,
      replyTo: fc.constant(null),
    }),
    { maxLength: 30 },
  ),
});

/** Every message the bot builds from outside text, with the builder's name for a failure's report. */
/** A member's watch matched: archive text throughout, the excerpt's highlights anywhere in it. */
const watchItem = fc.record({
  kind: fc.constantFrom('post' as const, 'comment' as const),
  postTitle: hostile,
  author: fc.option(hostile),
  date: fc.option(isoDate),
  time: fc.option(fc.constantFrom('09:05', '23:59')),
  url,
  excerpt: fc.record({
    text: hostile,
    highlights: fc
      .array(fc.tuple(fc.nat(600), fc.nat(40)), { maxLength: 6 })
      .map((spans) => spans.map(([s, n]) => [s, s + n] as [number, number])),
  }),
  query: hostile,
});

const watchAnswer = fc.oneof(
  fc.record({
    done: fc.constant('list' as const),
    watches: fc.array(
      fc.record({
        id: fc.nat(),
        userId: fc.constant('1'),
        query: hostile,
        createdAt: fc.constant('2026-11-23T09:00:00Z'),
      }),
      { maxLength: 5 },
    ),
    pause: fc.option(
      fc.record({ reason: hostile, pausedAt: fc.constant('2026-11-23T11:00:00Z'), toldAt: fc.constant(null) }),
    ),
  }),
  fc.record({
    done: fc.constant('added' as const),
    watch: fc.record({
      id: fc.nat(),
      userId: fc.constant('1'),
      query: hostile,
      createdAt: fc.constant('2026-11-23T09:00:00Z'),
    }),
    count: fc.integer({ min: 1, max: 5 }),
    resumed: fc.boolean(),
  }),
);

const messages = fc.oneof(
  fc
    .tuple(hostile, fc.array(hit, { minLength: 0, maxLength: 12 }), fc.nat(3))
    .map(
      ([query, hits, page]): Named => [
        'search page',
        searchPage(query || 'x', { author: null, from: null, to: null, in: 'all' }, hits, page, 'abc'),
      ],
    ),
  fc.tuple(hostile, hostile, fc.option(hostile), url, fc.boolean(), fc.boolean(), fc.boolean(), fc.option(isoDate)).map(
    ([title, text, author, link, comment, before, after, date]): Named => [
      'quote',
      quoteMessage(
        {
          passageId: 1,
          postId: '1',
          commentId: comment ? 'c1' : null,
          kind: comment ? 'comment' : 'post',
          text,
          author: author || 'Anonymous',
          date,
          dateIsPosts: false,
          postTitle: title || 'x',
          postUrl: link,
          url: link,
          linksToMonth: false,
          continues: { before, after },
        },
        { sharedBy: '42', suggestedFor: null },
      ),
    ],
  ),
  onThisDay.map((d): Named => ['on this day', onThisDayMessage(d)]),
  fc.tuple(onThisDay, fc.nat(40)).map(([d, more]): Named => ['digest', digestMessage({ ...d, more })]),
  roundUp.map((r): Named => ['weekly round-up', weeklyMessage(r)]),
  petitionView.map((v): Named => ['petition', petitionMessage(v, new Date('2026-11-23T08:00:00Z'))]),
  fc
    .tuple(petitionView, fc.string({ maxLength: 3000 }))
    .map(
      ([v, alt]): Named => [
        'petition with its chart',
        petitionMessage(v, new Date('2026-11-23T08:00:00Z'), { name: 'petition-1.png', png: new Uint8Array(8), alt }),
      ],
    ),
  hostile.map((why): Named => ['petition unavailable', petitionMessage({ unavailable: why }, new Date())]),
  petitionAnswer.map((a): Named => [`petition ${a.kind}`, petitionAnswerMessage(a, new Date('2026-11-23T08:00:00Z'))]),
  fc
    .record({
      petitionOffers: fc.array(
        fc.record({
          petitionId: fc.integer({ min: 1, max: 9_999_999 }),
          postTitle: fc.option(hostile),
          foundAt: fc.constant('2026-11-23T07:00:00Z'),
        }),
        { maxLength: 40 },
      ),
      added: fc.option(fc.integer({ min: 1, max: 9_999_999 })),
      followed: fc.array(fc.integer({ min: 1, max: 9_999_999 }), { minLength: 1, maxLength: 30 }),
    })
    .map((a): Named => ['petition offers', petitionOffersMessage(a)]),
  napoView.map((v): Named => ['napo', napoMessage(v)]),
  announcement.map((a): Named => ['announcement', announcementMessage(a)]),
  fc
    .tuple(
      fc.constantFrom('posts' as const, 'petition' as const, 'napo' as const),
      fc.array(announcement, { maxLength: 40 }),
    )
    .map(([kind, items]): Named => ['burst', burstMessage(kind, items)]),
  settingsAnswer.map((a): Named => ['config', settingsMessage(a)]),
  hostile.map((text): Named => ['problem', problemMessage(text)]),
  fc
    .tuple(hostile, fc.constantFrom('hidden' as const, 'already' as const, 'shown' as const))
    .map(([label, takedown]): Named => ['takedown', takedownMessage({ takedown, label })]),
  fc
    .array(
      fc.record({
        postId: fc.constantFrom('1', '2'),
        commentId: fc.option(fc.constantFrom('c1', 'c2')),
        postTitle: hostile,
        author: fc.option(hostile),
        date: fc.option(isoDate),
        shownAt: isoDate,
      }),
      { minLength: 1, maxLength: 30 },
    )
    .map((items): Named => ['hide pick', hidePickMessage(items)]),
  fc
    .tuple(threadView, fc.nat(5), fc.constantFrom('c' as const, 'p' as const))
    .map(([view, page, mode]): Named => ['thread', threadPage(view, page, mode, '123456789012345678')]),
  fc
    .array(watchItem, { minLength: 1, maxLength: 40 })
    .map((items): Named => ['watch message', watchMessage({ items })]),
  watchAnswer.map((answer): Named => ['watch answer', watchAnswerMessage(answer)]),
  fc
    .tuple(
      hostile,
      url,
      fc.array(
        fc.record({
          queueId: fc.nat(),
          commentId: fc.constantFrom('c1', 'c2'),
          postId: fc.constant('1'),
          author: fc.option(hostile),
          date: fc.option(isoDate),
          time: fc.option(fc.constantFrom('09:05', '23:59')),
          text: hostile,
          permalink: url,
          deleted: fc.constant(false),
        }),
        { minLength: 1, maxLength: 12 },
      ),
    )
    .map(
      ([title, link, comments]): Named => [
        'post thread comments',
        threadCommentsMessage({ title, url: link }, comments),
      ],
    ),
);

/** Mentions Discord acts on. A channel reference pings nobody, but archive text must not make one either. */
const LIVE_MENTION = /@(everyone|here)|<@[!&]?\d|<#\d/;
const LIVE_PING = /@(everyone|here)|<@[!&]?\d/;

/** The text with every backslash-escaped character taken out: what Markdown then acts on. */
function unescaped(markdown: string): string {
  return markdown.replace(/\\[\s\S]/g, '');
}

/** What is wrong with a piece of Markdown as Discord renders it, or null. */
function markdownProblem(markdown: string): string | null {
  // Links: each kept whole and taken out, so what is left must hold no bracket.
  const bare = unescaped(markdown).replace(/\[[^[\]]*\]\(https?:\/\/[^\s()<>]+\)/g, 'L');
  if (/[[\]]/.test(bare)) return `a link bracket left open in ${JSON.stringify(markdown.slice(0, 200))}`;
  if ((bare.match(/\*\*/g) ?? []).length % 2 !== 0) return 'bold left open';
  if (/`/.test(bare)) return 'a live code mark';
  if (/~~|\|\|/.test(bare)) return 'live strike-through or spoiler';
  // A line marker counts only at the very start of a line: an escaped one starts with a backslash.
  if (/(^|\n)[^\S\n]*(#{1,3} |> |-# )/.test(markdown)) return 'a heading or quote made by the text';
  return null;
}

/** What the message breaks, or null when it keeps every promise. */
function brokenPromise(message: BotMessage, checkMarkdown: boolean): string | null {
  if ((message.content ?? '').length > LIMITS.content) return 'content over 2,000';
  if (message.embeds.length > 10) return 'more than 10 embeds';
  // The content names the member who shared (<@42>); a problem line may name a channel (it pings nobody).
  if (LIVE_PING.test(message.content?.replace(/<@42>/g, '') ?? '')) return 'a live mention in the content';
  for (const e of message.embeds) {
    const fields = e.fields ?? [];
    if ((e.title ?? '').length > LIMITS.embedTitle) return `title of ${e.title?.length}`;
    if ((e.description ?? '').length > LIMITS.embedDescription) return `description of ${e.description?.length}`;
    if ((e.footer?.text ?? '').length > LIMITS.footer) return 'footer too long';
    if ((e.author?.name ?? '').length > LIMITS.authorName) return 'author too long';
    if (fields.length > 25) return 'more than 25 fields';
    if (fields.some((f) => f.name.length > LIMITS.fieldName || f.value.length > LIMITS.fieldValue || !f.value)) {
      return 'a field too long or empty';
    }
    const total =
      (e.title ?? '').length +
      (e.description ?? '').length +
      (e.footer?.text ?? '').length +
      (e.author?.name ?? '').length +
      fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
    if (total > LIMITS.embedTotal) return `embed of ${total} characters`;
    if (e.url !== undefined && !/^https?:\/\/[^\s()<>]+$/.test(e.url)) return `embed address ${e.url}`;
    // Settings name their own channels (<#id>, chosen by an admin); nothing else may reference one.
    const shown = [e.title, e.description, e.footer?.text, e.author?.name, ...fields.flatMap((f) => [f.name, f.value])]
      .filter((t): t is string => Boolean(t))
      .map((t) => t.replace(/<#(222|333)>/g, ''));
    if (shown.some((t) => LIVE_MENTION.test(t))) return 'a live mention in an embed';
    if (checkMarkdown) {
      for (const t of [e.title, e.description, ...fields.map((f) => f.value)]) {
        const problem = t ? markdownProblem(t) : null;
        if (problem) return problem;
      }
    }
  }
  // Files (a chart): at most 10, each described within 1,024, and an embed image shows only a file that is sent.
  const files = message.files ?? [];
  if (files.length > 10) return 'more than 10 files';
  if (files.some((f) => f.description.length > LIMITS.attachmentDescription)) return 'a file description over 1,024';
  for (const e of message.embeds) {
    const image = e.image?.url;
    if (image?.startsWith('attachment://') && !files.some((f) => `attachment://${f.name}` === image)) {
      return `an embed image of a file not sent: ${image}`;
    }
  }
  for (const row of message.components ?? []) {
    for (const c of row.components) {
      if ('custom_id' in c && c.custom_id.length > LIMITS.customId) return 'custom id over 100';
      if ('label' in c && (c.label ?? '').length > 80) return 'button label over 80';
      // Menus and buttons show their text as typed: no Markdown, no mentions rendered.
      if ('options' in c) {
        if (c.options.length > 25) return 'more than 25 options';
        for (const o of c.options) {
          if (o.label.length > LIMITS.selectLabel || o.value.length > 100 || (o.description ?? '').length > 100) {
            return 'a select option too long';
          }
        }
      }
    }
  }
  return null;
}

describe('every message the bot builds, for any text from outside', () => {
  it('keeps them for /petition where, top, nations and mine, whatever the site names its constituencies, MPs and regions', () => {
    fc.assert(
      fc.property(petitionAnswer, (answer) => {
        const problem = brokenPromise(petitionAnswerMessage(answer, new Date('2026-11-23T08:00:00Z')), true);
        if (problem) throw new Error(`petition ${answer.kind}: ${problem}`);
      }),
      RUNS,
    );
  });

  it("keeps them for a member's watch message and /watch's answers, whatever the archive and the member wrote", () => {
    fc.assert(
      fc.property(fc.array(watchItem, { minLength: 1, maxLength: 40 }), watchAnswer, (items, answer) => {
        const sent = brokenPromise(watchMessage({ items }), true);
        if (sent) throw new Error(`watch message: ${sent}`);
        const answered = watchAnswerMessage(answer);
        const problem = brokenPromise(answered, true) ?? markdownProblem(answered.content ?? '') ?? null;
        if (problem) throw new Error(`watch answer: ${problem}`);
      }),
      RUNS,
    );
  });

  it('has no live mention, no broken Markdown, and stays within every Discord limit', () => {
    fc.assert(
      fc.property(messages, ([name, message]) => {
        // A problem line is plain text: Markdown in it shows as typed only where the bot escaped it.
        const problem = brokenPromise(message, name !== 'problem');
        if (problem) throw new Error(`${name}: ${problem}`);
      }),
      RUNS,
    );
  });
});

describe('the checks themselves', () => {
  it('catch what they are meant to', () => {
    const plain = (description: string): BotMessage => ({ embeds: [{ description }], allowedMentions: { parse: [] } });
    expect(brokenPromise(plain('hi @everyone'), true)).toMatch(/mention/);
    expect(brokenPromise(plain('**open'), true)).toMatch(/bold/);
    expect(brokenPromise(plain('[a](https://x.example/) and [b'), true)).toMatch(/link/);
    expect(brokenPromise(plain('x'.repeat(4097)), true)).toMatch(/description/);
    expect(brokenPromise(plain('`code`'), true)).toMatch(/code/);
    expect(brokenPromise(plain('**[a](https://x.example/)** \\*\\* \\[b\\]'), true)).toBeNull();
    expect(brokenPromise({ embeds: [{ title: 't'.repeat(257) }], allowedMentions: { parse: [] } }, true)).toMatch(
      /title/,
    );
  });
});
