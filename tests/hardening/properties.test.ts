// Property tests: for any text at all (fast-check generates it, including
// the awkward: surrogate pairs, control and zero-width characters, Markdown,
// mentions), the excerpt builder and the Discord formatter keep their
// promises. A fixed seed keeps a failure reproducible; the run is bounded.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutAtWord, highlighted, inert, LIMITS, titleLink } from '../../src/discord/format.js';
import { quoteMessage, searchPage } from '../../src/discord/messages.js';
import { excerptFor } from '../../src/search/excerpt.js';
import { BLOG_CREDIT } from '../../src/search/search.js';
import { termOf } from '../../src/search/terms.js';

const RUNS = { numRuns: 300, seed: 20_231_123 };

/** Text as members and commenters write it, with the pieces that break naive code mixed in. */
const hostileText = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.constantFrom(
        '@everyone',
        '@here',
        '<@123456789012345678>',
        '<@&987654321098765432>',
        '<#111111111111111111>',
        '```',
        '**',
        '__',
        '~~',
        '||',
        '[link](javascript:alert(1))',
        '# heading',
        '> quote',
        '\u200b',
        '\u202e',
        '\ufeff',
        '\n\n',
        '\\',
        'probation',
        'treadmill',
        '🚨',
        'ﷺ',
        'שלום',
      ),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(' '));

/** No mention Discord would act on, whatever `allowedMentions` says. */
const LIVE_MENTION = /@(everyone|here)|<@[!&]?\d|<#\d/;

/** `**` markers Discord would act on: not escaped (a backslash escapes the one character after it). */
function unescapedBold(markdown: string): number {
  let count = 0;
  for (let i = 0; i < markdown.length; i++) {
    if (markdown[i] === '\\') i++;
    else if (markdown[i] === '*' && markdown[i + 1] === '*') {
      count++;
      i++;
    }
  }
  return count;
}

describe('the Discord formatter, for any text', () => {
  it('makes it inert: no live mention survives', () => {
    fc.assert(
      fc.property(hostileText, (text) => !LIVE_MENTION.test(inert(text))),
      RUNS,
    );
  });

  it('cuts to at most the length asked, ending in … only when cut', () => {
    fc.assert(
      fc.property(hostileText, fc.integer({ min: 1, max: 500 }), (text, max) => {
        const cut = cutAtWord(text, max);
        if (cut.length > max) return false;
        return text.trim().length <= max ? cut === text.trim() : cut.endsWith('…');
      }),
      RUNS,
    );
  });

  it('bolds highlights without leaving Markdown open or a mention live', () => {
    fc.assert(
      fc.property(
        hostileText,
        fc.array(fc.tuple(fc.nat(300), fc.nat(40)), { maxLength: 6 }),
        fc.integer({ min: 10, max: 600 }),
        (text, spans, max) => {
          const highlights = spans.map(([start, length]) => [start, start + length] as [number, number]);
          const out = highlighted(text, highlights, max);
          return unescapedBold(out) % 2 === 0 && !LIVE_MENTION.test(out);
        },
      ),
      RUNS,
    );
  });

  it('never lets a title break out of its link', () => {
    fc.assert(
      fc.property(hostileText, (title) => {
        const link = titleLink(title, 'https://fake-blog.example/post.html');
        return (
          /^\[[\s\S]*\]\(https:\/\/fake-blog\.example\/post\.html\)$/.test(link) &&
          !/(?<!\\)[[\]][\s\S]*\]\(/.test(link.slice(1, link.lastIndexOf('](')))
        );
      }),
      RUNS,
    );
  });

  it('builds search pages and quotes within every Discord limit', () => {
    fc.assert(
      fc.property(hostileText, hostileText, hostileText, (query, title, text) => {
        const hit = {
          kind: 'comment' as const,
          postId: '1',
          commentId: 'c1',
          postTitle: title || 'x',
          postUrl: null,
          date: '2023-11-23',
          author: text.slice(0, 80) || null,
          excerpt: text,
          highlights: [] as [number, number][],
          url: 'https://fake-blog.example/p.html',
          linksToMonth: false,
          dateIsPosts: false,
          score: 1,
          passageId: 1,
        };
        const page = searchPage(
          query || 'x',
          { author: null, from: null, to: null, in: 'all' },
          Array(7).fill(hit),
          1,
          'abc',
        );
        const quote = quoteMessage(
          { ...hit, author: hit.author ?? BLOG_CREDIT, text, continues: { before: true, after: true } },
          { sharedBy: '1', suggestedFor: null },
        );
        return [page, quote].every(
          (m) =>
            m.embeds.every(
              (e) =>
                (e.title ?? '').length <= LIMITS.embedTitle &&
                (e.description ?? '').length <= LIMITS.embedDescription &&
                (e.author?.name ?? '').length <= LIMITS.authorName &&
                (e.footer?.text ?? '').length <= LIMITS.footer &&
                (e.title ?? '').length +
                  (e.description ?? '').length +
                  (e.footer?.text ?? '').length +
                  (e.author?.name ?? '').length <=
                  LIMITS.embedTotal,
            ) && !LIVE_MENTION.test(JSON.stringify(m.embeds)),
        );
      }),
      { ...RUNS, numRuns: 150 },
    );
  });
});

describe('the excerpt builder, for any passage', () => {
  it('stays within its length, and highlights exactly the matched words it shows', () => {
    const matched = new Set(['probation', 'treadmill'].map((w) => termOf(w)!));
    fc.assert(
      fc.property(hostileText, fc.integer({ min: 20, max: 400 }), (passage, max) => {
        const { text, highlights } = excerptFor(passage, matched, max);
        if (text.length > max) return false;
        // Each highlight is one whole word whose term was matched: not merely any word.
        const marked = highlights.every(
          ([start, end]) =>
            start >= 0 && end <= text.length && start < end && matched.has(termOf(text.slice(start, end)) ?? ''),
        );
        // And every matched word the excerpt shows whole is highlighted (the one a cut split may not be).
        const shown = [...text.matchAll(/\p{L}+/gu)].filter(
          (m) => matched.has(termOf(m[0]) ?? '') && m.index + m[0].length < text.length && text[m.index - 1] !== '…',
        );
        const covered = shown.every((m) => highlights.some(([s, e]) => s <= m.index && e >= m.index + m[0].length));
        return marked && covered;
      }),
      RUNS,
    );
  });
});

it('finds nothing live in a plain mention-only text after formatting (a sanity check of the property itself)', () => {
  expect(LIVE_MENTION.test('@everyone')).toBe(true);
  expect(LIVE_MENTION.test(inert('@everyone'))).toBe(false);
});
