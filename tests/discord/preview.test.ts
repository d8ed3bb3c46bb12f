// The preview's renderer: the bot's own messages, built by the real views from
// hostile or awkward archive text, shown as a member would read them.
import { describe, expect, it } from 'vitest';
import { problemMessage, quoteMessage, searchPage, textEmbed, type BotMessage } from '../../src/discord/messages.js';
import { previewIndex, previewPage, type PreviewAnswer } from '../../src/discord/preview.js';
import { markdownHtml } from '../../src/discord/previewMarkdown.js';
import type { Quote, SearchHit } from '../../src/search/search.js';
import { visibleText } from '../helpers.js';

const answer = (message: BotMessage, ephemeral = false): PreviewAnswer => ({
  slug: '01-test',
  asked: '/test',
  command: 'test',
  ephemeral,
  message,
});

const quote: Quote = {
  passageId: 7,
  postId: 'fake-post',
  commentId: 'fake-comment',
  kind: 'comment',
  text: 'They said <script>alert("x")</script> and *this* is not bold, nor is [this](https://evil.example) a link.',
  author: 'A <b>reader</b>',
  date: '2023-11-23',
  dateIsPosts: false,
  postTitle: 'Title with <img src=x onerror=alert(1)> and **stars**',
  postUrl: 'https://probationmatters.blogspot.com/2023/11/x.html',
  url: 'https://probationmatters.blogspot.com/2023/11/x.html?showComment=1#c1',
  continues: { before: false, after: false },
  linksToMonth: false,
};

const hit = (n: number, title: string): SearchHit => ({
  kind: 'post',
  postId: `p${n}`,
  commentId: null,
  postTitle: title,
  postUrl: `https://probationmatters.blogspot.com/2023/11/p${n}.html`,
  date: '2023-11-23',
  dateIsPosts: false,
  author: null,
  excerpt: 'The workload keeps growing, they said.',
  highlights: [[4, 12]],
  url: `https://probationmatters.blogspot.com/2023/11/p${n}.html`,
  linksToMonth: false,
  score: 1,
  passageId: n,
});

describe('the preview renderer', () => {
  it('shows archive HTML as text: a <script> in a quote is words on the page, not an element', () => {
    const page = previewPage(answer(quoteMessage(quote, { sharedBy: null, suggestedFor: null })));
    expect(page).not.toMatch(/<script|<img|<b>/i);
    const seen = visibleText(page);
    expect(seen).toContain('They said <script>alert("x")</script> and *this* is not bold');
    expect(seen).toContain('Title with <img src=x onerror=alert(1)> and **stars**');
    expect(seen).toContain('A <b>reader</b> · 23 Nov 2023');
  });

  it('shows Markdown escapes without their backslashes, and never turns archive brackets into a link', () => {
    const page = previewPage(answer(quoteMessage(quote, { sharedBy: null, suggestedFor: null })));
    const seen = visibleText(page);
    expect(seen).toContain('nor is [this](https://evil.example) a link.');
    expect(seen).not.toMatch(/\\[*_[\]()<>#-]/);
    // The address alone is linked, as Discord links any address in text; "this" is not a masked link.
    expect(page).not.toMatch(/>this<\/a>/);
    expect(page).toContain('<a href="https://evil.example">https://evil.example</a>) a link.');
    expect(page).not.toMatch(/<strong>this<\/strong>/);
  });

  it('renders a search page: numbers in bold, titles as links, highlights in bold, no raw [text](url)', () => {
    const page = previewPage(
      answer(searchPage('workload', ALL, [hit(1, 'Caseloads [2023] (part 1)'), hit(2, 'More')], 0, 's1'), true),
    );
    expect(page).toContain('<strong>1.</strong>');
    const [, linked = ''] =
      /<a href="https:\/\/probationmatters\.blogspot\.com\/2023\/11\/p1\.html">(.*?)<\/a>/.exec(page) ?? [];
    expect(visibleText(linked)).toBe('Caseloads [2023] (part 1)');
    expect(page).toContain('<strong>workload</strong>');
    expect(visibleText(page)).not.toMatch(/\]\(https?:/);
    expect(visibleText(page)).toContain('Share a hit with the channel');
  });

  it('marks an answer only the member sees, as Discord does, and no other', () => {
    expect(visibleText(previewPage(answer(problemMessage('Give some words to look for.'), true)))).toContain(
      'Only you can see this',
    );
    expect(visibleText(previewPage(answer(problemMessage('Posted for everyone.'), false)))).not.toContain(
      'Only you can see this',
    );
  });

  it('shows an embed with its fields, and who used which command', () => {
    const message = textEmbed('The archive', 'Some **bold** words.', [
      { name: 'Years', value: '2021–2024', inline: true },
    ]);
    const page = previewPage({ ...answer(message), command: 'stats' });
    expect(visibleText(page)).toMatch(/member used \/stats/);
    expect(page).toContain('<strong>bold</strong>');
    expect(page).toMatch(/class="field inline"><div class="name">Years<\/div>/);
  });

  it('renders -# small lines, > quotes and line breaks', () => {
    expect(markdownHtml('first\nsecond\n-# ref digest:2023-11-23\n> quoted\n> on')).toBe(
      '<div>first<br>second</div><div class="small">ref digest:2023-11-23</div><blockquote>quoted<br>on</blockquote>',
    );
  });

  it('links every page from the index, with what was asked and who sees it', () => {
    const index = previewIndex(
      [
        { ...answer(problemMessage('Nope.'), true), slug: '01-a', asked: '/search query:"<x>"' },
        { ...answer(textEmbed('Stats', 'n')), slug: '02-b', asked: '/stats' },
      ],
      'a note',
    );
    expect(index).toContain('href="01-a.html"');
    expect(index).toContain('href="02-b.html"');
    expect(visibleText(index)).toMatch(/\/search query:"<x>" only the member Nope\./);
    expect(visibleText(index)).toMatch(/\/stats the channel Stats/);
  });
});

const ALL = { author: null, from: null, to: null, in: 'all' } as const;
