import { describe, expect, it } from 'vitest';
import { ArchiveFormatError } from '../../src/archive/model.js';
import { parseNewsFeed } from '../../src/archive/newsFeed.js';

// Made-up feeds: every title, address and word below is invented for the tests.
const FAKE_RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Fake Union News</title>
  <link>https://union.example/</link>
  <description>Not a real feed</description>
  <item>
    <title>Pay &amp; grading: ballot opens</title>
    <link>https://union.example/news/ballot</link>
    <guid isPermaLink="false">fake-guid-1</guid>
    <pubDate>Tue, 02 Nov 2021 09:30:00 +0000</pubDate>
    <description>&lt;p&gt;Members are asked to &lt;b&gt;vote&lt;/b&gt; &amp;amp; share.&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;</description>
  </item>
  <item>
    <title>It&amp;#39;s a CDATA item</title>
    <link>https://union.example/news/cdata</link>
    <pubDate>Fri, 12 Nov 2021 17:05:00 GMT</pubDate>
    <description><![CDATA[<p>First &amp; second</p><p>paragraph</p>]]></description>
  </item>
  <item>
    <link>https://union.example/news/untitled</link>
    <description>An item with no title</description>
  </item>
  <item>
    <title>No date, no link, no guid</title>
  </item>
</channel>
</rss>`;

const FAKE_ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Fake Union Atom</title>
  <id>urn:fake:feed</id>
  <updated>2021-11-26T16:00:00Z</updated>
  <entry>
    <title type="html">Dispute &lt;em&gt;declared&lt;/em&gt;</title>
    <link rel="edit" href="https://union.example/api/2"/>
    <link rel="alternate" type="text/html" href="https://union.example/news/dispute"/>
    <id>urn:fake:entry:2</id>
    <published>2021-11-26T16:00:00+01:00</published>
    <updated>2021-11-27T10:00:00Z</updated>
    <summary>Plain text: 3 &lt; 4 and pay matters.</summary>
    <source><title>Not the entry title</title></source>
  </entry>
  <entry>
    <title>Only updated, xhtml content</title>
    <link href="https://union.example/news/xhtml"/>
    <id>urn:fake:entry:3</id>
    <updated>2021-12-01T08:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>One</p><p>Two</p></div></content>
  </entry>
</feed>`;

describe('parseNewsFeed', () => {
  it('reads RSS 2.0 items: decoded titles, plain-text summaries, UTC dates', () => {
    const { items } = parseNewsFeed(FAKE_RSS, 'fake-rss');
    expect(items.map((i) => i.title)).toEqual([
      'Pay & grading: ballot opens',
      "It's a CDATA item",
      'No date, no link, no guid',
    ]);
    const [ballot, cdata] = items;
    expect(ballot).toEqual({
      id: 'fake-guid-1',
      source: 'fake-rss',
      title: 'Pay & grading: ballot opens',
      link: 'https://union.example/news/ballot',
      published: '2021-11-02T09:30:00.000Z',
      summary: 'Members are asked to vote & share.',
    });
    expect(cdata).toMatchObject({
      id: 'https://union.example/news/cdata',
      published: '2021-11-12T17:05:00.000Z',
      summary: 'First & second paragraph',
    });
  });

  it('gives an item with neither guid nor link a stable id and no date', () => {
    const once = parseNewsFeed(FAKE_RSS, 'fake-rss').items[2]!;
    const again = parseNewsFeed(FAKE_RSS, 'fake-rss').items[2]!;
    expect(once).toMatchObject({ link: null, published: null, summary: '' });
    expect(once.id).toMatch(/^news-/);
    expect(again.id).toBe(once.id);
  });

  it('skips an item without a title and says so', () => {
    const { items, warnings } = parseNewsFeed(FAKE_RSS, 'fake-rss');
    expect(items.some((i) => i.link === 'https://union.example/news/untitled')).toBe(false);
    expect(warnings).toEqual(['fake-rss: item 3 (https://union.example/news/untitled) has no title: skipped']);
  });

  it('reads Atom entries: alternate link, published before updated, text and xhtml summaries', () => {
    const { items, warnings } = parseNewsFeed(FAKE_ATOM, 'fake-atom');
    expect(warnings).toEqual([]);
    expect(items).toEqual([
      {
        id: 'urn:fake:entry:2',
        source: 'fake-atom',
        title: 'Dispute declared',
        link: 'https://union.example/news/dispute',
        published: '2021-11-26T15:00:00.000Z',
        summary: 'Plain text: 3 < 4 and pay matters.',
      },
      {
        id: 'urn:fake:entry:3',
        source: 'fake-atom',
        title: 'Only updated, xhtml content',
        link: 'https://union.example/news/xhtml',
        published: '2021-12-01T08:00:00.000Z',
        summary: 'One Two',
      },
    ]);
  });

  it('cuts a long summary at a word, with an ellipsis', () => {
    const words = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    const xml = `<rss><channel><item><title>Long</title><description>${words}</description></item></channel></rss>`;
    const { summary } = parseNewsFeed(xml, 'long').items[0]!;
    expect(summary.length).toBeLessThanOrEqual(300);
    expect(summary.endsWith('…')).toBe(true);
    expect(words.startsWith(`${summary.slice(0, -1)} `)).toBe(true);
  });

  it('keeps an item whose date cannot be read, and warns', () => {
    const xml = '<rss><channel><item><title>Odd date</title><pubDate>sometime soon</pubDate></item></channel></rss>';
    const { items, warnings } = parseNewsFeed(xml, 'odd');
    expect(items[0]).toMatchObject({ title: 'Odd date', published: null });
    expect(warnings[0]).toMatch(/unreadable date "sometime soon"/);
  });

  it('skips an item the feed breaks off inside', () => {
    const xml = '<rss><channel><item><title>Whole</title></item><item><title>Half';
    const { items, warnings } = parseNewsFeed(xml, 'cut');
    expect(items.map((i) => i.title)).toEqual(['Whole']);
    expect(warnings).toEqual(['cut: item 2 is cut off (the feed ends inside it): skipped']);
  });

  it('refuses a document that is not a feed, naming what it is', () => {
    expect(() => parseNewsFeed('<!DOCTYPE html><html><body><h1>Log in</h1></body></html>', 'page')).toThrow(
      new ArchiveFormatError('page', 'not an RSS or Atom feed: it starts with <html>'),
    );
    expect(() => parseNewsFeed('just some words', 'words')).toThrow(/words: not an RSS or Atom feed: no XML elements/);
  });

  it('never expands entities declared in a DOCTYPE (no XXE, no billion laughs)', () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<rss><channel><item><title>Laughs &lol2; end</title><description>secret: &xxe;</description></item></channel></rss>`;
    const { items } = parseNewsFeed(xml, 'hostile');
    expect(items).toHaveLength(1);
    expect(items[0]!.title).toBe('Laughs &lol2; end');
    expect(items[0]!.summary).toBe('secret: &xxe;');
    expect(JSON.stringify(items)).not.toMatch(/lollol|root:/);
  });
});
