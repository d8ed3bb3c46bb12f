import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestSources } from '../../src/ingest/ingest.js';
import { fetchNapoNews, NapoFeedError } from '../../src/sources/napo.js';
import { TEST_NETWORK } from './testNetwork.js';
import { storeParsedPost } from '../../src/store/archive.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { latestNews, napoNews, storeNewsItems } from '../../src/store/news.js';
import { SEEDS, tempDir } from '../helpers.js';
import { storeOver } from '../../src/store/store.js';

const NOW = '2026-11-23T08:00:00.000Z';
const LATER = '2026-11-24T08:00:00.000Z';

// Made-up feeds: every title, address and word is invented for the tests.
const rss = (ballotTitle: string) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Fake Union</title><link>https://union.example/</link>
  <item><title>${ballotTitle}</title><link>https://union.example/news/ballot</link><guid>fake-1</guid>
    <pubDate>Tue, 02 Nov 2021 09:30:00 GMT</pubDate><description>&lt;p&gt;Vote &lt;b&gt;now&lt;/b&gt;.&lt;/p&gt;</description></item>
  <item><title>Caseload survey results</title><link>https://union.example/news/survey</link><guid>fake-2</guid>
    <pubDate>Wed, 10 Nov 2021 12:00:00 GMT</pubDate><description>Too many cases per officer.</description></item>
</channel></rss>`;
const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Fake Union Atom</title><id>urn:fake</id><updated>2021-12-01T08:00:00Z</updated>
  <entry><title>Conference motion passed</title><link href="https://union.example/news/motion"/><id>urn:fake:3</id>
    <updated>2021-12-01T08:00:00Z</updated><summary>Café “quotes” survive.</summary></entry>
</feed>`;

let server: Server;
let base: string;
/** The next body /rss serves (a test changes it to mimic the union correcting an item). */
let rssBody = rss('Pay ballot opens');

beforeAll(async () => {
  server = createServer((req, res) => {
    switch (req.url) {
      case '/rss':
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(rssBody);
        return;
      case '/atom':
        res.writeHead(200, { 'content-type': 'application/atom+xml' }).end(ATOM);
        return;
      case '/login':
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end('<html><body>Please log in</body></html>');
        return;
      case '/html-as-xml':
        res.writeHead(200, { 'content-type': 'text/xml' }).end('<html><body>Not a feed</body></html>');
        return;
      case '/huge': {
        // Written in chunks with no length header, so only counting the bytes as they come can catch it.
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.write('<rss><channel>');
        for (let i = 0; i < 100; i++)
          res.write(`<item><title>Filler ${i}</title><description>${'x'.repeat(1000)}</description></item>`);
        res.end('</channel></rss>');
        return;
      }
      case '/silent':
        return; // never answers: the client must give up by itself
      default:
        res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** The NapoFeedError a fetch fails with (the test fails if it succeeds or throws anything else). */
async function failure(path: string, options: Parameters<typeof fetchNapoNews>[1] = {}): Promise<NapoFeedError> {
  const url = path.startsWith('http') ? path : `${base}${path}`;
  const error = await fetchNapoNews(url, { network: TEST_NETWORK, ...options }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NapoFeedError);
  return error as NapoFeedError;
}

const freshDb = (): Db => openDatabase(tempDir());

describe('fetchNapoNews', () => {
  it('reads an RSS 2.0 feed', async () => {
    const { items, warnings } = await fetchNapoNews(`${base}/rss`, { network: TEST_NETWORK });
    expect(warnings).toEqual([]);
    expect(items.map((i) => [i.title, i.link, i.published, i.summary])).toEqual([
      ['Pay ballot opens', 'https://union.example/news/ballot', '2021-11-02T09:30:00.000Z', 'Vote now.'],
      [
        'Caseload survey results',
        'https://union.example/news/survey',
        '2021-11-10T12:00:00.000Z',
        'Too many cases per officer.',
      ],
    ]);
    expect(items[0]!.source).toBe(`${base}/rss`);
  });

  it('reads an Atom feed, non-ASCII text intact', async () => {
    const { items } = await fetchNapoNews(`${base}/atom`, { network: TEST_NETWORK });
    expect(items).toEqual([
      expect.objectContaining({
        id: 'urn:fake:3',
        title: 'Conference motion passed',
        link: 'https://union.example/news/motion',
        summary: 'Café “quotes” survive.',
      }),
    ]);
  });

  it('reports a 404 in one line with the address', async () => {
    const error = await failure('/gone');
    expect(error.problem).toBe('status');
    expect(error.message).toBe(`Napo feed ${base}/gone answered 404 Not Found`);
  });

  it('refuses an HTML page served with 200 (a login or error page)', async () => {
    const error = await failure('/login');
    expect(error.problem).toBe('not-a-feed');
    expect(error.message).toBe(`Napo feed ${base}/login sent text/html, not an RSS or Atom feed`);
  });

  it('refuses an HTML document that claims to be XML', async () => {
    const error = await failure('/html-as-xml');
    expect(error.problem).toBe('not-a-feed');
    expect(error.message).toMatch(/not an RSS or Atom feed: it starts with <html>/);
  });

  it('stops reading a body larger than the cap', async () => {
    const error = await failure('/huge', { maxBytes: 20_000 });
    expect(error.problem).toBe('too-large');
    expect(error.message).toBe(`Napo feed ${base}/huge is more than the 20000 bytes allowed`);
    // The same body is fine under the default cap.
    expect((await fetchNapoNews(`${base}/huge`, { network: TEST_NETWORK })).items).toHaveLength(100);
  });

  it('gives up on a server that never answers', async () => {
    const error = await failure('/silent', { timeoutMs: 200 });
    expect(error.problem).toBe('timeout');
    expect(error.message).toBe(`Napo feed ${base}/silent did not answer within 0.2 s`);
  });

  it('says when nothing listens at the address', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(`http://127.0.0.1:${port}/feed`);
    expect(error.problem).toBe('unreachable');
    expect(error.message).toBe(`Napo feed http://127.0.0.1:${port}/feed could not be reached (ECONNREFUSED)`);
  });

  it('sends the user agent it is given', async () => {
    const seen: (string | undefined)[] = [];
    const spy: typeof fetch = (input, init) => {
      seen.push(new Headers(init?.headers).get('user-agent') ?? undefined);
      return TEST_NETWORK.fetch(input, init);
    };
    await fetchNapoNews(`${base}/atom`, { network: { ...TEST_NETWORK, fetch: spy }, userAgent: 'fake-bot/1.0' });
    expect(seen).toEqual(['fake-bot/1.0']);
  });
});

describe('storing Napo news', () => {
  it('stores a feed once: fetching and storing again adds nothing', async () => {
    const db = freshDb();
    const first = storeNewsItems(db, (await fetchNapoNews(`${base}/rss`, { network: TEST_NETWORK })).items, NOW);
    const second = storeNewsItems(db, (await fetchNapoNews(`${base}/rss`, { network: TEST_NETWORK })).items, LATER);
    expect(first).toEqual({ added: 2, updated: 0, skipped: 0 });
    expect(second).toEqual({ added: 0, updated: 0, skipped: 2 });
    expect(latestNews(db, 10).map((n) => [n.title, n.firstSeen])).toEqual([
      ['Caseload survey results', NOW],
      ['Pay ballot opens', NOW],
    ]);
  });

  it('updates an item the union corrected, keeping when it was first seen', async () => {
    const db = freshDb();
    rssBody = rss('Pay ballot opens');
    storeNewsItems(db, (await fetchNapoNews(`${base}/rss`, { network: TEST_NETWORK })).items, NOW);
    rssBody = rss('Pay ballot opens: closing date extended');
    try {
      const counts = storeNewsItems(db, (await fetchNapoNews(`${base}/rss`, { network: TEST_NETWORK })).items, LATER);
      expect(counts).toEqual({ added: 0, updated: 1, skipped: 1 });
    } finally {
      rssBody = rss('Pay ballot opens');
    }
    expect(latestNews(db, 10).find((n) => n.id === 'fake-1')).toMatchObject({
      title: 'Pay ballot opens: closing date extended',
      firstSeen: NOW,
    });
    expect(latestNews(db, 1).map((n) => n.id)).toEqual(['fake-2']);
  });
});

describe('napoNews: what /napo shows', () => {
  /** The seeds hold "Latest From Napo 228" (12 Nov 2021) and "229" (26 Nov 2021). */
  async function archiveWithSeeds(): Promise<Db> {
    const db = freshDb();
    await ingestSources(storeOver(db), [SEEDS], { now: () => NOW });
    return db;
  }

  it('with no feed configured, shows the blog\'s "Latest From Napo" posts, newest first', async () => {
    const db = await archiveWithSeeds();
    const shown = napoNews(db, { feedConfigured: false, limit: 5 });
    expect(shown.map((n) => [n.title, n.published, n.from])).toEqual([
      ['Latest From Napo 229', '2021-11-26', 'archive'],
      ['Latest From Napo 228', '2021-11-12', 'archive'],
    ]);
    expect(shown[0]!.summary).toMatch(/^Email to members this afternoon/);
    expect(shown[0]!.summary.length).toBeLessThanOrEqual(300);
  });

  it("gives an archive post's address as its link, and matches whole words only", async () => {
    const db = await archiveWithSeeds();
    const post = (id: string, title: string, date: string) => ({
      line: 1,
      post: {
        id,
        title,
        date,
        time: null,
        author: null,
        url: `https://fake-blog.example/${id}.html`,
        labels: [],
        text: 'Made-up text.',
      },
      comments: [],
      warnings: [],
    });
    storeParsedPost(db, post('fake-napo-300', 'latest from napo 300', '2023-05-05'), 'test', NOW);
    storeParsedPost(db, post('fake-napoleon', 'Latest From Napoleon', '2024-01-01'), 'test', NOW);
    const shown = napoNews(db, { feedConfigured: false, limit: 2 });
    expect(shown.map((n) => [n.title, n.link])).toEqual([
      ['latest from napo 300', 'https://fake-blog.example/fake-napo-300.html'],
      ['Latest From Napo 229', null],
    ]);
  });

  it('falls back to the archive when a feed is configured but has never been read', async () => {
    const db = await archiveWithSeeds();
    expect(napoNews(db, { feedConfigured: true, limit: 5 }).map((n) => n.from)).toEqual(['archive', 'archive']);
  });

  it('shows the stored feed items once the feed has been read', async () => {
    const db = await archiveWithSeeds();
    storeNewsItems(db, (await fetchNapoNews(`${base}/rss`, { network: TEST_NETWORK })).items, NOW);
    const shown = napoNews(db, { feedConfigured: true, limit: 5 });
    expect(shown.map((n) => [n.title, n.from])).toEqual([
      ['Caseload survey results', 'feed'],
      ['Pay ballot opens', 'feed'],
    ]);
    // The feed setting removed: the stored items no longer speak for Napo.
    expect(napoNews(db, { feedConfigured: false, limit: 5 })[0]!.from).toBe('archive');
  });
});
