// Property tests over the two parsers that take text straight from the
// outside: the page-copy (text dump) parser and HTML-to-text. fast-check
// builds hostile input from the pieces these formats are made of plus
// arbitrary Unicode, with a fixed seed so a failure is reproducible (and
// shrunk to its smallest case). All generated text is made up.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../src/archive/html.js';
import { ArchiveFormatError } from '../../src/archive/model.js';
import { parseTextDump } from '../../src/archive/textDump.js';

const RUNS = { numRuns: 200, seed: 20_261_123 };
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;

/** Characters that make trouble: NUL and other controls, bidi overrides, BOM, odd spaces and line ends, emoji, RTL letters. */
const awkward = fc.constantFrom(
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u202e',
  '\u2066',
  '\u202c',
  '\ufeff',
  '\u00a0',
  '\u2028',
  '\r',
  '\r\n',
  '\t',
  '\v',
  '👨‍👩‍👧',
  '👍🏽',
  'مرحبا',
  'שלום',
  '\ud800',
  '\udfff',
  '',
);

/** Lines a page copy is made of, well-formed and not. */
const dumpLine = fc.oneof(
  fc.constantFrom(
    'Thursday, 23 November 2023',
    'Monday 19 February 2024',
    'Sunday, July 3, 2022',
    'Friday, 31 February 2023',
    'Saturday, 1st January 2000',
    '8 comments:',
    '0 comments:',
    '999 comments:',
    '1 comment:',
    '  1.',
    '  1. Fake top comment',
    '    1. Fake reply',
    '  12.',
    '    4. ',
    'Replies',
    'ReplyDelete',
    'Delete',
    'Reply',
    'ReplyDeleteFake glued words',
    'DeleteFake glued reply',
    'Load more...',
    '*****',
    '--oo00oo--',
    "'Getafix",
    'Fake Name',
    'Anonymous 28 October 2022 at 22:00',
    'Fake Person 1 January 2020 at 7:05: fake words',
    'Fake introduction:-',
    '',
    '   ',
  ),
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.tuple(fc.string({ maxLength: 10 }), awkward, fc.string({ maxLength: 10 })).map((parts) => parts.join('')),
);
const textDump = fc
  .tuple(fc.array(dumpLine, { maxLength: 60 }), fc.constantFrom('\n', '\r\n', '\r'))
  .map(([lines, end]) => lines.join(end));

/** Pieces of hostile HTML: executable elements, script addresses in every spelling, entities, comments, nesting. */
const htmlPiece = fc.oneof(
  fc.constantFrom(
    '<script>',
    '</script>',
    '<SCRIPT src="https://evil.example/x.js">',
    '<script type="text/template">',
    '<style>',
    '</style>',
    '<a href="javascript:alert(1)">',
    '<a href="JaVaScRiPt&#58;alert(1)">',
    '</a>',
    '<img src=x width=1 height=1 onerror="steal()">',
    '<iframe src="javascript:alert(1)">',
    '</iframe>',
    '<svg><script>steal()</script></svg>',
    '<noscript>',
    '<textarea>',
    '<title>',
    '<div>',
    '</div>',
    '<p>',
    '</p>',
    '<br>',
    '<ul>',
    '<ol>',
    '<li>',
    '<pre>',
    '</pre>',
    '<table><tr><td>',
    '<!--',
    '-->',
    '<![CDATA[',
    ']]>',
    '<',
    '>',
    '/',
    '&',
    ';',
    '&lt;',
    '&gt;',
    '&amp;',
    '&lt;script&gt;',
    '&lt;/script&gt;',
    '&#60;script',
    '&#x3C;SCRIPT',
    '&lt;scripts',
    'javascript',
    'script',
    'java',
    ':',
    '&#58;',
    '&colon;',
    'JaVaScRiPt:',
    'vbscript:',
    'java&#x09;script:',
    '&#x202E;',
    '&#8238;',
    '&nbsp;',
    '&#0;',
    '&#xD800;',
    '&#x1F600;',
    '&notin;',
    '&amp;lt;script&amp;gt;',
    'fake words ',
  ),
  fc.integer({ min: 1, max: 600 }).map((n) => `${'<div>'.repeat(n)}fake deep${'</div>'.repeat(n)}`),
  fc.string({ maxLength: 20 }),
  awkward,
);
const html = fc.array(htmlPiece, { maxLength: 40 }).map((pieces) => pieces.join(''));

describe('parseTextDump on hostile page copies (property)', () => {
  it('throws nothing but ArchiveFormatError; every post has a title; no text holds NUL or a bidi control', () => {
    fc.assert(
      fc.property(textDump, (text) => {
        let posts: ReturnType<typeof parseTextDump>;
        try {
          posts = parseTextDump(text, 'fuzz.txt');
        } catch (error) {
          if (!(error instanceof ArchiveFormatError)) throw error;
          expect(error.message).toMatch(/^fuzz\.txt(:\d+)?: /);
          return;
        }
        for (const { post, comments } of posts) {
          expect(post.title.trim()).not.toBe('');
          const texts = [
            post.title,
            post.text,
            post.author ?? '',
            ...comments.flatMap((c) => [c.text, c.author ?? '']),
          ];
          for (const t of texts) {
            expect(t).not.toContain('\u0000');
            expect(t).not.toMatch(BIDI_CONTROLS);
          }
        }
      }),
      RUNS,
    );
  });

  it('reads a page copy of 200,000 date lines in bounded time (no step rescans the rest of the file)', () => {
    const lines = Array.from({ length: 200_000 }, (_, i) =>
      i % 2 === 0 ? 'Monday, 1 January 2024' : `Fake title ${i}`,
    );
    expect(parseTextDump(lines.join('\n'), 'many.txt')).toHaveLength(100_000);
  }, 15_000);
});

describe('htmlToText on hostile HTML (property)', () => {
  it('never throws, and what comes out holds no script tag, no javascript: address, no NUL, no bidi control', () => {
    fc.assert(
      fc.property(html, (input) => {
        const text = htmlToText(input);
        expect(text).not.toMatch(/<\s*\/?\s*script/i);
        expect(text).not.toMatch(/javascript:/i);
        expect(text).not.toContain('\u0000');
        expect(text).not.toMatch(BIDI_CONTROLS);
      }),
      RUNS,
    );
  });
});
