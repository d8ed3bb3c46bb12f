import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createBloggerExportParser,
  readBloggerJsonFeed,
  type BloggerExportSummary,
} from '../../src/archive/blogger.js';
import { decodeEntities, htmlToText } from '../../src/archive/html.js';
import type { Comment, ParseWarning, Post } from '../../src/archive/model.js';
import { FIXTURES } from '../helpers.js';

interface Parsed {
  posts: (Post & { line: number })[];
  comments: (Comment & { line: number })[];
  warnings: ParseWarning[];
  summary: BloggerExportSummary;
}

/** Feed `text` to the parser in chunks of `chunkSize` characters, as ingest does with a large file. */
function parse(text: string, chunkSize = 64 * 1024, options: { blogUrl?: string } = {}): Parsed {
  const posts: Parsed['posts'] = [];
  const comments: Parsed['comments'] = [];
  const warnings: ParseWarning[] = [];
  const parser = createBloggerExportParser({
    source: 'test.xml',
    blogUrl: options.blogUrl ?? null,
    onPost: (post, line) => posts.push({ ...post, line }),
    onComment: (comment, line) => comments.push({ ...comment, line }),
    onWarning: (w) => warnings.push(w),
  });
  for (let i = 0; i < text.length; i += chunkSize) parser.write(text.slice(i, i + chunkSize));
  return { posts, comments, warnings, summary: parser.end() };
}

const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

// Counts established independently of this parser, from the files themselves:
//   grep -o 'kind#[a-z]*' FILE | sort | uniq -c          → entries of each kind
//   grep -o '<app:draft>yes</app:draft>' FILE | wc -l    → drafts (posts and pages)
// and a Python pass over re.findall('<entry>(.*?)</entry>') that printed, per
// post/page/comment entry, its id, draft flag, thr:in-reply-to ref and
// rel='related' link. From that listing:
//   ghost-importer: 4 posts (no drafts), 1 page, 57 settings, 1 template,
//     13 comments, every one replying to `.post-1099408231173381423`, which is
//     the page `.page-1099408231173381423` (so no comment is on a post).
//   threaded: 9 post entries of which 2 drafts, 2 pages, 57 settings,
//     1 template, 6 comments on "semiotics hoodie", 3 of them with a
//     rel='related' parent (two under the first comment, one under the second).
//   pelican: 2 post entries of which 1 draft, 2 pages (1 a draft), 58 settings,
//     1 template, 1 comment on the live post.
const PINNED = [
  {
    file: 'blogger-export-classic-ghost-importer-2012.xml',
    posts: 4,
    comments: 0,
    replies: 0,
    draftsSkipped: 0,
    commentsOnIgnored: 13,
    ignored: { settings: 57, templates: 1, pages: 1, other: 0 },
    entries: 76,
  },
  {
    file: 'blogger-export-classic-threaded-2019.xml',
    posts: 7,
    comments: 6,
    replies: 3,
    draftsSkipped: 2,
    commentsOnIgnored: 0,
    ignored: { settings: 57, templates: 1, pages: 2, other: 0 },
    entries: 75,
  },
  {
    file: 'blogger-export-classic-pelican-2018.xml',
    posts: 1,
    comments: 1,
    replies: 0,
    draftsSkipped: 1,
    commentsOnIgnored: 0,
    ignored: { settings: 58, templates: 1, pages: 2, other: 0 },
    entries: 64,
  },
];

describe('Blogger classic export parser', () => {
  it.each(PINNED)(
    'reads $file: $posts posts, $comments comments ($replies replies), $draftsSkipped drafts skipped',
    (pin) => {
      const { posts, comments, summary } = parse(fixture(pin.file));
      expect(posts).toHaveLength(pin.posts);
      expect(comments).toHaveLength(pin.comments);
      expect(comments.filter((c) => c.parentId !== null)).toHaveLength(pin.replies);
      expect(summary).toMatchObject({
        format: 'classic',
        posts: pin.posts,
        comments: pin.comments,
        replies: pin.replies,
        draftsSkipped: pin.draftsSkipped,
        commentsOnIgnored: pin.commentsOnIgnored,
        ignored: pin.ignored,
        entries: pin.entries,
        unreadable: 0,
      });
    },
  );

  it.each(PINNED)('reads $file the same whatever the chunk size', ({ file }) => {
    const text = fixture(file);
    const whole = parse(text, text.length);
    expect(parse(text, 7)).toEqual(whole);
    expect(parse(text, 4096)).toEqual(whole);
  });

  it('keeps the thread: each reply names the comment it answers', () => {
    const { comments } = parse(fixture('blogger-export-classic-threaded-2019.xml'));
    const byId = new Map(comments.map((c) => [c.id, c]));
    const first = byId.get('4427771335982415454')!;
    const second = byId.get('5321406067876946484')!;
    expect(first.parentId).toBeNull();
    expect(second.parentId).toBeNull();
    expect(byId.get('9194569436234002269')?.parentId).toBe(first.id);
    expect(byId.get('7872405309194510957')?.parentId).toBe(first.id);
    expect(byId.get('7071214881861130764')?.parentId).toBe(second.id);
    expect(new Set(comments.map((c) => c.postId))).toEqual(new Set(['4049156646748610070']));
  });

  it('gives ids as strings of all their digits, dates and times in the offset the blog showed', () => {
    const { posts, comments } = parse(fixture('blogger-export-classic-threaded-2019.xml'));
    const oversize = posts.find((p) => p.title === 'oversize image')!;
    // published 2018-07-07T18:14:00.002+10:00
    expect(oversize).toMatchObject({ id: '2968614290658965264', date: '2018-07-07', time: '18:14', author: '200ok' });
    // 2012-11-16T23:33:55.580+11:00 (daylight saving): still the 16th, not the UTC 12:33
    expect(comments.find((c) => c.id === '7071214881861130764')).toMatchObject({ date: '2012-11-16', time: '23:33' });
    expect(posts.every((p) => /^\d{15,19}$/.test(p.id))).toBe(true);
  });

  it('links each post to its page and each comment to its place on that page', () => {
    const { posts, comments } = parse(fixture('blogger-export-classic-threaded-2019.xml'));
    expect(posts.find((p) => p.id === '4049156646748610070')?.url).toBe(
      'https://200ok-weblog-test.blogspot.com/2012/10/semiotics-hoodie.html',
    );
    // 2012-11-05T00:15:05.941+11:00 is 1352034905941 ms after the epoch; Blogger's own link says the same.
    expect(comments.find((c) => c.id === '4427771335982415454')?.permalink).toBe(
      'https://200ok-weblog-test.blogspot.com/2012/10/semiotics-hoodie.html?showComment=1352034905941#c4427771335982415454',
    );
  });

  it('takes labels from the categories that are not the kind', () => {
    const { posts } = parse(fixture('blogger-export-classic-threaded-2019.xml'));
    expect(posts.find((p) => p.title === 'pitchfork cray')?.labels).toEqual(['label2', 'label1', 'label3']);
    expect(posts.find((p) => p.title === 'content test')?.labels).toEqual([]);
  });

  it('skips drafts, pages, settings and templates', () => {
    const { posts } = parse(fixture('blogger-export-classic-threaded-2019.xml'));
    expect(posts.map((p) => p.title)).not.toContain('wolf brunch');
    expect(posts.map((p) => p.title)).not.toContain('Contact');
    const all = JSON.stringify(parse(fixture('blogger-export-classic-ghost-importer-2012.xml')));
    expect(all).not.toMatch(/@gmail\.com|BLOG_ADMIN|Template:/);
  });

  it('turns escaped HTML into paragraphs and list lines, with &nbsp; read as a space', () => {
    const { posts } = parse(fixture('blogger-export-classic-ghost-importer-2012.xml'));
    const live = posts.find((p) => p.title === 'Mo Words is Live!')!;
    expect(live.text).toMatch(/^Mo Words is now live in the marketplace\. Hopefully a couple/);
    expect(live.text).toContain('\n\n- ');
    expect(posts.map((p) => p.text).join('\n')).not.toMatch(/&nbsp;|&amp;|<br|\u00a0/);
  });

  it('reads the pelican file that strict XML parsers reject, warning where the undeclared prefix is', () => {
    const { posts, comments, warnings } = parse(fixture('blogger-export-classic-pelican-2018.xml'));
    expect(warnings).toEqual([
      { line: 973, message: expect.stringMatching(/prefix "app:" is used but never declared/) },
    ]);
    expect(posts.map((p) => [p.title, p.line])).toEqual([['The Steel Windpipe', 991]]);
    expect(comments).toMatchObject([
      { postId: posts[0]!.id, author: 'Thomas Isidore Noël Sankara', date: '2010-11-29', time: '12:35', line: 1047 },
    ]);
  });

  it('reads what comes before a cut, and says on which line the cut-off entry starts', () => {
    const text = fixture('blogger-export-classic-pelican-2018.xml');
    const cut = text.slice(0, text.indexOf('always a pleasure'));
    const { posts, comments, warnings, summary } = parse(cut, 1000);
    expect(posts).toHaveLength(1);
    expect(comments).toHaveLength(0);
    expect(summary.unreadable).toBe(1);
    expect(warnings.map((w) => w.line)).toEqual([973, 1047, 1052]);
    expect(warnings[1]!.message).toMatch(/cut off/);
    expect(warnings[2]!.message).toMatch(/ends before <\/feed>/);
  });
});

/** A made-up classic export: every name and word here is invented for the test. */
function classicExport(entries: string[]): string {
  return [
    "<?xml version='1.0' encoding='UTF-8'?>",
    "<feed xmlns='http://www.w3.org/2005/Atom' xmlns:thr='http://purl.org/syndication/thread/1.0' xmlns:app='http://purl.org/atom/app#'>",
    ...entries,
    '</feed>',
  ].join('\n');
}

const KIND = (kind: string) =>
  `<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#${kind}'/>`;

function fakePost(id: string, title: string, html: string): string {
  return (
    `<entry><id>tag:blogger.com,1999:blog-1.post-${id}</id><published>2021-03-04T09:08:00.000Z</published>${KIND('post')}` +
    `<title type='text'>${title}</title><content type='html'>${html}</content>` +
    `<link rel='alternate' type='text/html' href='https://fake-blog.example/2021/03/p${id}.html'/>` +
    '<author><name>Fake Editor</name></author></entry>'
  );
}

function fakeComment(id: string, postId: string, html: string, parentId?: string): string {
  return (
    `<entry><id>tag:blogger.com,1999:blog-1.post-${id}</id><published>2021-03-05T10:11:12.345Z</published>${KIND('comment')}` +
    `<content type='html'>${html}</content><author><name>Anonymous</name></author>` +
    (parentId
      ? `<link rel='related' type='application/atom+xml' href='https://www.blogger.com/feeds/1/${postId}/comments/default/${parentId}?v=2'/>`
      : '') +
    `<thr:in-reply-to href='https://fake-blog.example/2021/03/p${postId}.html' ref='tag:blogger.com,1999:blog-1.post-${postId}' type='text/html'/></entry>`
  );
}

describe('Blogger export parser on made-up exports', () => {
  it('decodes double-escaped titles (It&amp;amp;#39;s) once more', () => {
    const { posts } = parse(
      classicExport([fakePost('11', 'It&amp;#39;s a &amp;quot;fake&amp;quot; title &amp;lt;3', 'Body.')]),
    );
    expect(posts[0]!.title).toBe('It\'s a "fake" title <3');
  });

  it('keeps a removed comment as a placeholder in the thread, with no text', () => {
    const { comments, summary } = parse(
      classicExport([
        fakePost('11', 'Fake post', 'Body.'),
        fakeComment('21', '11', 'This comment has been removed by the author.'),
        fakeComment('22', '11', 'A made-up reply to a comment that is gone.', '21'),
        fakeComment('23', '11', 'This comment has been removed by a blog administrator.'),
      ]),
    );
    expect(comments.map((c) => [c.id, c.deleted, c.text, c.parentId])).toEqual([
      ['21', true, '', null],
      ['22', false, 'A made-up reply to a comment that is gone.', '21'],
      ['23', true, '', null],
    ]);
    expect(summary.deletedComments).toBe(2);
  });

  it('names anonymous commenters Anonymous and builds permalinks from the published time', () => {
    const { comments } = parse(
      classicExport([fakePost('11', 'Fake post', 'Body.'), fakeComment('21', '11', 'Hello.')]),
    );
    expect(comments[0]).toMatchObject({
      author: 'Anonymous',
      permalink: `https://fake-blog.example/2021/03/p11.html?showComment=${Date.UTC(2021, 2, 5, 10, 11, 12, 345)}#c21`,
    });
  });

  it('reports entries it cannot read, with their lines, and reads the rest', () => {
    const { posts, comments, warnings, summary } = parse(
      classicExport([
        fakePost('11', 'Fake post', 'Body.'),
        '<entry><id>tag:blogger.com,1999:blog-1.post-12</id><title>no kind here</title></entry>',
        `<entry><id>tag:blogger.com,1999:blog-1.post-22</id>${KIND('comment')}<content type='html'>Lost.</content></entry>`,
        `<entry><id>not a blogger id</id>${KIND('post')}<title>Odd</title></entry>`,
        fakeComment('23', '11', 'Still read.'),
      ]),
    );
    expect(posts.map((p) => p.id)).toEqual(['11']);
    expect(comments.map((c) => c.id)).toEqual(['23']);
    expect(summary.unreadable).toBe(3);
    expect(warnings).toEqual([
      { line: 4, message: expect.stringMatching(/no kind/) },
      { line: 5, message: expect.stringMatching(/comment 22 does not say which post/) },
      { line: 6, message: expect.stringMatching(/no Blogger post id/) },
    ]);
  });

  it('ignores comments on pages and drafts without warning', () => {
    const { comments, summary, warnings } = parse(
      classicExport([
        `<entry><id>tag:blogger.com,1999:blog-1.page-31</id>${KIND('page')}<title>About</title></entry>`,
        fakePost('32', 'Draft', 'Unpublished.').replace(
          '<title',
          '<app:control><app:draft>yes</app:draft></app:control><title',
        ),
        fakeComment('41', '31', 'On the page.'),
        fakeComment('42', '32', 'On the draft.'),
      ]),
    );
    expect(comments).toEqual([]);
    expect(summary).toMatchObject({ draftsSkipped: 1, commentsOnIgnored: 2, ignored: { pages: 1 } });
    expect(warnings).toEqual([]);
  });

  it('never expands entities a DOCTYPE declares (no billion laughs, no external files)', () => {
    const text = [
      "<?xml version='1.0'?>",
      '<!DOCTYPE feed [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
      classicExport([fakePost('11', 'Title &lol2; &xxe;', 'Body &amp;lol2;')]).replace(/^<\?xml[^>]*>\n/, ''),
    ].join('\n');
    const { posts } = parse(text);
    expect(posts[0]!.title).toBe('Title &lol2; &xxe;');
    expect(posts[0]!.text).not.toContain('lollol');
    expect(posts[0]!.text).not.toContain('root:');
  });
});

/** A made-up 2018 Takeout feed (no real sample exists; shaped after notes/formats.md). */
function takeoutExport(entries: string[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:blogger="http://schemas.google.com/blogger/2018">',
    ...entries,
    '</feed>',
  ].join('\n');
}

function takeoutEntry(fields: Record<string, string>, content = 'Made-up text.'): string {
  const xml = Object.entries(fields)
    .map(([k, v]) => `<${k}>${v}</${k}>`)
    .join('');
  return `<entry>${xml}<author><name>Fake Person</name><blogger:type>BLOGGER</blogger:type></author><content type="html">${content}</content></entry>`;
}

describe('Blogger Takeout (2018) parser', () => {
  const feed = takeoutExport([
    takeoutEntry(
      {
        id: 'tag:blogger.com,1999:blog-9.post-101',
        'blogger:type': 'POST',
        'blogger:status': 'LIVE',
        title: 'A fake summer post',
        published: '2023-07-01T12:30:00Z',
        'blogger:filename': '/2023/07/a-fake-summer-post.html',
      },
      '&lt;p&gt;One.&lt;/p&gt;&lt;p&gt;Two.&lt;/p&gt;',
    ),
    takeoutEntry({
      id: 'tag:blogger.com,1999:blog-9.post-102',
      'blogger:type': 'POST',
      'blogger:status': 'DRAFT',
      title: 'Unfinished',
      published: '2023-07-02T08:00:00Z',
    }),
    takeoutEntry({
      id: 'tag:blogger.com,1999:blog-9.page-103',
      'blogger:type': 'PAGE',
      'blogger:status': 'LIVE',
      title: 'About',
    }),
    takeoutEntry(
      {
        id: 'tag:blogger.com,1999:blog-9.post-201',
        'blogger:type': 'COMMENT',
        'blogger:status': 'LIVE',
        'blogger:parent': 'tag:blogger.com,1999:blog-9.post-101',
        published: '2023-12-01T23:30:00Z',
      },
      'First!',
    ),
    takeoutEntry(
      {
        id: 'tag:blogger.com,1999:blog-9.post-202',
        'blogger:type': 'COMMENT',
        'blogger:status': 'LIVE',
        'blogger:parent': 'tag:blogger.com,1999:blog-9.post-101',
        'blogger:inReplyTo': '201',
        published: '2023-12-02T00:15:00Z',
      },
      'A reply.',
    ),
    takeoutEntry(
      {
        id: 'tag:blogger.com,1999:blog-9.post-203',
        'blogger:type': 'COMMENT',
        'blogger:status': 'DELETED',
        'blogger:parent': 'tag:blogger.com,1999:blog-9.post-101',
        published: '2023-12-03T00:15:00Z',
      },
      'Gone.',
    ),
  ]);

  it('reads live posts and their comment threads; drafts and pages are skipped', () => {
    const { posts, comments, summary } = parse(feed, 50, { blogUrl: 'https://fake-blog.example/' });
    expect(summary).toMatchObject({
      format: 'takeout',
      posts: 1,
      comments: 3,
      replies: 1,
      draftsSkipped: 1,
      ignored: { pages: 1 },
    });
    expect(posts[0]).toMatchObject({
      id: '101',
      title: 'A fake summer post',
      text: 'One.\n\nTwo.',
      url: 'https://fake-blog.example/2023/07/a-fake-summer-post.html',
    });
    expect(comments.map((c) => [c.id, c.postId, c.parentId, c.deleted, c.text])).toEqual([
      ['201', '101', null, false, 'First!'],
      ['202', '101', '201', false, 'A reply.'],
      ['203', '101', null, true, ''],
    ]);
  });

  it('shows UTC times on the UK wall clock (BST in summer, GMT in winter)', () => {
    const { posts, comments } = parse(feed, 50, { blogUrl: 'https://fake-blog.example' });
    expect(posts[0]).toMatchObject({ date: '2023-07-01', time: '13:30' });
    expect(comments[0]).toMatchObject({ date: '2023-12-01', time: '23:30' });
    expect(comments[0]!.permalink).toBe(
      `https://fake-blog.example/2023/07/a-fake-summer-post.html?showComment=${Date.UTC(2023, 11, 1, 23, 30)}#c201`,
    );
  });

  it('leaves links out when the blog address is not configured', () => {
    const { posts, comments } = parse(feed);
    expect(posts[0]!.url).toBeNull();
    expect(comments[0]!.permalink).toBeNull();
  });
});

// Feed pages, counted from the files: grep -c '<entry>' (16, 25, 25), the
// openSearch:totalResults element (16, 377, 55), rel='next' links (none, two),
// <summary> instead of <content> (the on-ruby feed, all 25), rel='related'
// title links (17 in the cuttingtheredtape feed). The JSON page has 2 entries
// of 253 and a next link; its second id was mangled by the repo's author
// (`blog-123234234234/.post-123234234234/`) and is read all the same.
const FEED_PAGES = [
  { file: 'blogger-feed-posts-atom-full-2009.xml', posts: 16, totalResults: 16, next: null, summaryOnly: 0 },
  {
    file: 'blogger-feed-posts-atom-summary-2009.xml',
    posts: 25,
    totalResults: 377,
    summaryOnly: 25,
    next: 'http://on-ruby.blogspot.com/feeds/posts/default?start-index=26&max-results=25',
  },
  {
    file: 'blogger-feed-posts-atom-titlelinks-2009.xml',
    posts: 25,
    totalResults: 55,
    summaryOnly: 0,
    next: 'http://cuttingtheredtape.blogspot.com/feeds/posts/default?start-index=26&max-results=25',
  },
];

describe('Blogger live feed pages', () => {
  it.each(FEED_PAGES)('reads $file: $posts posts of $totalResults, and where the next page is', (pin) => {
    const { posts, comments, summary, warnings } = parse(fixture(pin.file));
    expect(posts).toHaveLength(pin.posts);
    expect(comments).toHaveLength(0);
    expect(warnings).toEqual([]);
    expect(summary).toMatchObject({
      format: 'feed',
      posts: pin.posts,
      totalResults: pin.totalResults,
      next: pin.next,
      summaryOnly: pin.summaryOnly,
      unreadable: 0,
    });
    expect(posts.every((p) => p.text.trim().length > 0 && p.url?.startsWith('http'))).toBe(true);
  });

  it("takes a post's title link (rel=related) for what it is, not a thread parent", () => {
    const { posts } = parse(fixture('blogger-feed-posts-atom-titlelinks-2009.xml'));
    const wikileaks = posts.find((p) => p.title.startsWith('Whistle blower Wikileaks'));
    expect(wikileaks).toMatchObject({
      id: '8697511275354933755',
      url: expect.stringMatching(/cuttingtheredtape\.blogspot\.com\/2008\/02\//),
    });
  });

  it('keeps the newest update time of a page, for the next sync to start from', () => {
    const { summary } = parse(fixture('blogger-feed-posts-atom-full-2009.xml'));
    expect(summary.newestUpdate).toBe('2007-04-25T23:21:21.332+02:00');
  });

  it('reads a comments feed page: comments, their posts and their parents', () => {
    const entry = (id: string, post: string, parent: string | null, body: string) =>
      `<entry><id>tag:blogger.com,1999:blog-1.post-${id}</id>` +
      `<published>2024-01-02T10:00:00.000Z</published><updated>2024-01-02T10:00:00.000Z</updated><title type='text'>x</title>` +
      `<content type='html'>${body}</content><link rel='alternate' type='text/html' href='https://fake-blog.example/2024/01/p${post}.html?showComment=1#c${id}'/>` +
      (parent
        ? `<link rel='related' type='application/atom+xml' href='https://fake-blog.example/feeds/${post}/comments/default/${parent}?v=2'/>`
        : '') +
      `<author><name>Anonymous</name></author><thr:in-reply-to xmlns:thr='http://purl.org/syndication/thread/1.0' href='https://fake-blog.example/2024/01/p${post}.html' ref='tag:blogger.com,1999:blog-1.post-${post}' type='text/html'/></entry>`;
    const feed = `<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom'><id>tag:blogger.com,1999:blog-1.comments</id>${entry('31', '11', null, 'First.')}${entry('32', '11', '31', 'A reply.')}</feed>`;
    const { posts, comments, summary } = parse(feed);
    expect(posts).toEqual([]);
    expect(summary.format).toBe('feed');
    expect(comments.map((c) => [c.id, c.postId, c.parentId, c.text])).toEqual([
      ['31', '11', null, 'First.'],
      ['32', '11', '31', 'A reply.'],
    ]);
    expect(comments[1]!.permalink).toBe(
      `https://fake-blog.example/2024/01/p11.html?showComment=${Date.UTC(2024, 0, 2, 10)}#c32`,
    );
  });

  it('reads a feed saved with ?alt=json like its Atom form', () => {
    const posts: Post[] = [];
    const summary = readBloggerJsonFeed(JSON.parse(fixture('blogger-feed-posts-json-2013.json')), {
      source: 'feed.json',
      onPost: (p) => posts.push(p),
      onComment: () => {},
      onWarning: () => {},
    });
    expect(posts.map((p) => [p.id, p.title, p.date])).toEqual([
      ['1915353450947961844', 'Article', '2013-12-15'],
      ['123234234234', 'Another Article', '2013-11-22'],
    ]);
    expect(posts[0]!.labels).toContain('javascript');
    expect(summary).toMatchObject({
      format: 'feed',
      posts: 2,
      totalResults: 253,
      next: expect.stringContaining('start-index=11'),
    });
  });

  it('reports JSON that is not a feed instead of reading nothing silently', () => {
    const warnings: ParseWarning[] = [];
    readBloggerJsonFeed(
      { data: [] },
      { source: 'x.json', onPost: () => {}, onComment: () => {}, onWarning: (w) => warnings.push(w) },
    );
    expect(warnings).toEqual([{ line: 1, message: expect.stringMatching(/not a Blogger feed/) }]);
  });
});

describe('HTML to readable text', () => {
  it.each([
    [
      'paragraphs become blank-line separated',
      '<p>First made-up paragraph.</p><p>Second one.</p>',
      'First made-up paragraph.\n\nSecond one.',
    ],
    [
      'one <br> is a line break, two are a paragraph break',
      'Line one<br>Line two<br /><br />New paragraph',
      'Line one\nLine two\n\nNew paragraph',
    ],
    [
      'list items get lines of their own',
      'Needs:<ul><li>time</li><li>staff</li></ul>Done.',
      'Needs:\n\n- time\n- staff\n\nDone.',
    ],
    ['ordered lists are numbered', '<ol><li>first</li><li>second</li></ol>', '1. first\n2. second'],
    [
      'a blockquote is a paragraph of its own',
      'He said:<blockquote>Made-up quote.</blockquote>And left.',
      'He said:\n\nMade-up quote.\n\nAnd left.',
    ],
    [
      'divs are lines; an empty <div><br></div> is a blank line',
      '<div>one</div><div>two</div><div><br></div><div>three</div>',
      'one\ntwo\n\nthree',
    ],
    [
      'scripts and styles are dropped',
      'Keep<script>var x = "drop";</script><style>p { color: red }</style> this',
      'Keep this',
    ],
    [
      'entities are decoded, &nbsp; is a plain space',
      'Fish &amp; chips&nbsp;&nbsp;for &pound;5 &#8211; &quot;cheap&quot;',
      'Fish & chips for £5 – "cheap"',
    ],
    [
      'inline tags and source newlines do not break lines',
      'A <b>bold</b>\nand <i>italic</i>\n  <a href="x">link</a>.',
      'A bold and italic link.',
    ],
    ['images and empty anchors leave nothing', '<a name="more"></a><img src="x.jpg">Text', 'Text'],
  ])('%s', (_name, html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it('decodes entities in plain text without reading anything as a tag', () => {
    expect(decodeEntities('a &lt; b &amp;&amp; c < d &#39;q&#39;')).toBe("a < b && c < d 'q'");
  });
});
