// Live sources answering badly: the petition API, the Napo feed and the blog's
// own feeds served from 127.0.0.1 with the wrong content type, an HTML error
// page sent as a 200, JSON missing or mistyping its fields, a stall, a
// redirect loop, a redirect to another site, an endless body. Each is one
// clear line; the bot keeps answering with the last good figures and items.
// Every petition, feed and post here is made up.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentNapoNews, currentPetition, type PetitionView } from '../../src/app/campaign.js';
import { syncBlog } from '../../src/ingest/sync.js';
import { fetchNapoNews, NapoFeedError } from '../../src/sources/napo.js';
import { fetchPetition, PetitionFetchError } from '../../src/sources/petition.js';
import { archiveStats, readPost } from '../../src/store/archive.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { tempDir } from '../helpers.js';
import { recordingServer, type RecordingServer } from './input-fakes.js';
import { TEST_NETWORK } from '../sources/testNetwork.js';
import { storeOver } from '../../src/store/store.js';

const NOW = '2026-03-10T12:00:00.000Z';
const MINUTE = 60_000;
const KB = 1024;
/** Small caps and a short timeout keep these fast; the code paths are the ones the defaults take. */
const CAP = 256 * KB;
const TIMEOUT_MS = 200;
const at = (plusMs: number) => () => new Date(Date.parse(NOW) + plusMs);

/** A made-up petition in the current schema. */
function fakePetition(id: number, count: number): string {
  return JSON.stringify({
    data: {
      type: 'petition',
      id,
      attributes: {
        action: 'Fake petition: test data for the probation archive bot',
        state: 'open',
        signature_count: count,
        opened_at: '2026-01-05T09:00:00.000Z',
        response_threshold_reached_at: null,
        debate_threshold_reached_at: null,
      },
    },
  });
}

const FAKE_RSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>Fake Union</title>
<item><title>Fake ballot opens</title><link>https://union.example/fake-ballot</link><guid>fake-ballot</guid><pubDate>Tue, 02 Nov 2021 09:30:00 GMT</pubDate></item>
</channel></rss>`;

const FEED_NS = "xmlns='http://www.w3.org/2005/Atom' xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/'";
const fakeBlogFeed = (entries: string) =>
  `<?xml version='1.0' encoding='UTF-8'?><feed ${FEED_NS}><id>tag:blogger.com,1999:blog-999</id>` +
  `<openSearch:totalResults>${entries ? 1 : 0}</openSearch:totalResults>${entries}</feed>`;
const FAKE_POST_ENTRY =
  '<entry><id>tag:blogger.com,1999:blog-999.post-111</id><published>2024-01-01T10:00:00.000+00:00</published>' +
  "<updated>2024-01-01T10:00:00.000+00:00</updated><title type='text'>Fake synced post</title><content type='html'>Fake synced words.</content>" +
  "<link rel='alternate' type='text/html' href='https://fake-blog.example/fake.html'/><author><name>Fake Editor</name></author></entry>";

/** What a path answers: the faults every source meets. */
type Fault =
  | 'wrong-type'
  | 'html-200'
  | 'html-as-json'
  | 'html-as-xml'
  | 'stall'
  | 'stall-mid-body'
  | 'loop'
  | 'elsewhere'
  | 'endless'
  | 'huge-declared';

let base = '';
let elsewhere: RecordingServer;
/** Bytes handed to each endless answer before its connection closed, by path. */
const endlessSent = new Map<string, Promise<number>>();
/** What each path serves now; tests switch them. */
const routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
const stalled = new Set<ServerResponse>();

const ok = (type: string, body: string) => (_req: IncomingMessage, res: ServerResponse) =>
  res.writeHead(200, { 'content-type': type }).end(body);

function fault(kind: Fault, type: string): (req: IncomingMessage, res: ServerResponse) => void {
  switch (kind) {
    case 'wrong-type':
      return ok('text/plain', 'Fake plain text');
    case 'html-200':
      return ok('text/html; charset=utf-8', '<html><body><h1>Fake maintenance: back soon</h1></body></html>');
    case 'html-as-json':
      return ok('application/json', '<html><body>Fake error page</body></html>');
    case 'html-as-xml':
      return ok(type, '<html><body>Fake error page</body></html>');
    case 'stall':
      return (_req, res) => void stalled.add(res);
    case 'stall-mid-body':
      return (_req, res) => {
        stalled.add(res);
        res.writeHead(200, { 'content-type': type }).write('<?xml version="1.0"?>{"da');
      };
    case 'loop':
      return (req, res) =>
        res.writeHead(302, { location: req.url!.endsWith('?b') ? req.url!.slice(0, -2) : `${req.url}?b` }).end();
    case 'elsewhere':
      return (req, res) =>
        res.writeHead(301, { location: `${elsewhere.url.replace('127.0.0.1', 'localhost')}${req.url}` }).end();
    case 'huge-declared':
      return (_req, res) => {
        res.writeHead(200, { 'content-type': type, 'content-length': String(2 * 1024 * KB * KB) });
        res.write(' ');
        stalled.add(res);
      };
    case 'endless':
      return (req, res) => {
        // "2 GB": written as long as the client reads, counted as it goes.
        res.writeHead(200, { 'content-type': type });
        const chunk = Buffer.alloc(64 * KB, 0x20);
        let sent = 0;
        endlessSent.set(req.url!.replace(/\?.*$/, ''), new Promise((resolve) => res.on('close', () => resolve(sent))));
        const pump = () => {
          while (sent < 2 * 1024 * KB * KB) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
      };
  }
}

beforeAll(async () => {
  elsewhere = await recordingServer(ok('application/json', fakePetition(1, 999_999)));
  const server = createServer((req, res) =>
    (routes.get(req.url!.replace(/\?.*$/, '')) ?? ok('text/plain', 'not found'))(req, res),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  afterAll(async () => {
    for (const res of stalled) res.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await elsewhere.close();
  });
});

/** Bytes the endless answer at `path` wrote before the client hung up: near the cap, nowhere near 2 GB. */
async function sentBeforeHangUp(path: string): Promise<number> {
  const sent = await endlessSent.get(path);
  expect(sent).toBeDefined();
  return sent!;
}
/** Kernel socket buffers on loopback hold a few MB between the two ends; 2 GB would be 8,000 times the cap. */
const NEAR_THE_CAP = CAP + 32 * 1024 * KB;

async function petitionProblem(id: number): Promise<string> {
  const error = await fetchPetition(id, {
    network: TEST_NETWORK,
    baseUrl: base,
    timeoutMs: TIMEOUT_MS,
    retries: 0,
    maxBytes: CAP,
  }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PetitionFetchError);
  return (error as Error).message;
}

describe('the petition API answering badly', () => {
  const cases: [Fault, RegExp][] = [
    ['wrong-type', /^petition 700001: expected JSON but the site sent text\/plain$/],
    ['html-200', /^petition 700002: expected JSON but the site sent text\/html$/],
    ['html-as-json', /^petition 700003: the site sent JSON that does not parse$/],
    ['stall', /^petition 700004: no answer within 0\.2 s \(tried 1 times?\)$/],
    ['stall-mid-body', /^petition 700005: no answer within 0\.2 s \(tried 1 times?\)$/],
    ['loop', /^petition 700006: the site redirects in a loop/],
    [
      'elsewhere',
      /^petition 700007: http:\/\/127\.0\.0\.1:\d+\/petitions\/700007\.json redirected to another site \(localhost:\d+\): not followed$/,
    ],
    ['huge-declared', /^petition 700008: the answer is larger than 256 KB$/],
    ['endless', /^petition 700009: the answer is larger than 256 KB$/],
  ];
  it.each(cases)('%s: one line saying what went wrong', async (kind, message) => {
    const id = 700001 + cases.findIndex(([k]) => k === kind);
    routes.set(`/petitions/${id}.json`, fault(kind, 'application/json'));
    expect(await petitionProblem(id)).toMatch(message);
  });

  it('never requests the other site a redirect points to', async () => {
    routes.set('/petitions/700010.json', fault('elsewhere', 'application/json'));
    await petitionProblem(700010);
    expect(elsewhere.requests).toEqual([]);
  });

  it('stops reading an endless answer near the cap', async () => {
    routes.set('/petitions/700011.json', fault('endless', 'application/json'));
    await petitionProblem(700011);
    expect(await sentBeforeHangUp('/petitions/700011.json')).toBeLessThan(NEAR_THE_CAP);
  });

  it.each([
    [
      'an array for the document',
      '[1, 2, 3]',
      /^petition 700020: petition JSON: the document: expected object, received array$/,
    ],
    ['null', 'null', /^petition 700020: petition JSON: the document: /],
    [
      'no attributes',
      JSON.stringify({ data: { id: 700020 } }),
      /^petition 700020: petition JSON: data\.attributes: .*missing/,
    ],
    [
      'a count that is text',
      fakePetition(700020, 1).replace('"signature_count":1', '"signature_count":"lots"'),
      /signature_count: expected number/,
    ],
    ['a negative count', fakePetition(700020, -5), /signature_count: /],
    [
      'a date that is no date',
      fakePetition(700020, 1).replace('2026-01-05T09:00:00.000Z', 'yesterday-ish'),
      /opened_at: expected a date/,
    ],
    ['nesting 200,000 deep', '['.repeat(200_000), /^petition 700020: the site sent JSON that does not parse$/],
  ])('JSON with %s: names the field', async (_what, body, message) => {
    routes.set('/petitions/700020.json', ok('application/json', body));
    expect(await petitionProblem(700020)).toMatch(message);
  });

  it('follows a redirect within its own site (a closed petition moves to /archived/)', async () => {
    routes.set('/petitions/700030.json', (_req, res) =>
      res.writeHead(302, { location: '/archived/petitions/700030.json' }).end(),
    );
    routes.set('/archived/petitions/700030.json', ok('application/json', fakePetition(700030, 4_321)));
    const fetched = await fetchPetition(700030, {
      network: TEST_NETWORK,
      baseUrl: base,
      timeoutMs: TIMEOUT_MS,
      retries: 0,
    });
    expect(fetched).toMatchObject({
      snapshot: { signatureCount: 4_321 },
      url: `${base}/archived/petitions/700030.json`,
    });
  });

  it('/petition keeps showing the last good figure, with the problem, through every bad answer', async () => {
    const db: Db = openDatabase(tempDir());
    const id = 700040;
    const path = `/petitions/${id}.json`;
    routes.set(path, ok('application/json', fakePetition(id, 12_345)));
    const options = { network: TEST_NETWORK, petitionId: id, baseUrl: base, timeoutMs: TIMEOUT_MS };
    const first = await currentPetition(storeOver(db), { ...options, now: at(0) });
    expect(first).toMatchObject({ live: true, progress: { signatureCount: 12_345 } });

    const faults: Fault[] = ['wrong-type', 'html-200', 'html-as-json', 'stall', 'loop', 'elsewhere', 'endless'];
    for (const [i, kind] of faults.entries()) {
      routes.set(path, fault(kind, 'application/json'));
      // Past the minute a failure (or a fresh figure) is remembered for, so each call asks the site again.
      const view = await currentPetition(storeOver(db), { ...options, now: at((i + 1) * 2 * MINUTE) });
      expect('unavailable' in view, kind).toBe(false);
      const shown = view as PetitionView;
      expect(shown, kind).toMatchObject({ live: false, takenAt: NOW, progress: { signatureCount: 12_345 } });
      expect(shown.problem, kind).toMatch(/^petition 700040: /);
      expect(shown.problem, kind).not.toContain('\n');
    }
    routes.set(path, ok('application/json', fakePetition(id, 12_400)));
    expect(await currentPetition(storeOver(db), { ...options, now: at(30 * MINUTE) })).toMatchObject({
      live: true,
      problem: null,
      progress: { signatureCount: 12_400 },
    });
    db.close();
  });
});

async function napoProblem(path: string): Promise<NapoFeedError> {
  const error = await fetchNapoNews(`${base}${path}`, {
    network: TEST_NETWORK,
    timeoutMs: TIMEOUT_MS,
    maxBytes: CAP,
  }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NapoFeedError);
  return error as NapoFeedError;
}

describe('the Napo feed answering badly', () => {
  const cases: [Fault, string, RegExp][] = [
    ['wrong-type', 'not-a-feed', /^Napo feed \S+ sent text\/plain, not an RSS or Atom feed$/],
    ['html-200', 'not-a-feed', /^Napo feed \S+ sent text\/html, not an RSS or Atom feed$/],
    ['html-as-xml', 'not-a-feed', /^\S+: not an RSS or Atom feed: it starts with <html>$/],
    ['stall', 'timeout', /^Napo feed \S+ did not answer within 0\.2 s$/],
    ['stall-mid-body', 'timeout', /^Napo feed \S+ did not answer within 0\.2 s$/],
    ['loop', 'redirect', /^Napo feed \S+ redirects in a loop/],
    ['elsewhere', 'refused', /^Napo feed \S+ redirected to another site \(localhost:\d+\): not followed$/],
    ['huge-declared', 'too-large', /^Napo feed \S+ is 2147483648 bytes, more than the 262144 allowed$/],
    ['endless', 'too-large', /^Napo feed \S+ is more than the 262144 bytes allowed$/],
  ];
  it.each(cases)('%s: %s, in one line', async (kind, problem, message) => {
    const path = `/napo/${kind}`;
    routes.set(path, fault(kind, 'application/rss+xml'));
    const error = await napoProblem(path);
    expect(error.problem).toBe(problem);
    expect(error.message).toMatch(message);
  });

  it('never requests the other site a redirect points to', async () => {
    routes.set('/napo/elsewhere-2', fault('elsewhere', 'application/rss+xml'));
    await napoProblem('/napo/elsewhere-2');
    expect(elsewhere.requests).toEqual([]);
  });

  it('stops reading an endless feed near the cap', async () => {
    routes.set('/napo/endless-2', fault('endless', 'application/rss+xml'));
    await napoProblem('/napo/endless-2');
    expect(await sentBeforeHangUp('/napo/endless-2')).toBeLessThan(NEAR_THE_CAP);
  });

  it('refuses a feed nested 100,000 deep as not a feed, at once', async () => {
    routes.set(
      '/napo/deep',
      ok('application/rss+xml', `<rss><channel>${'<x>'.repeat(100_000)}${'</x>'.repeat(100_000)}</channel></rss>`),
    );
    // Under the feed's default 5 MB cap, so it is the nesting that is refused.
    const error = await fetchNapoNews(`${base}/napo/deep`, { network: TEST_NETWORK, timeoutMs: 5_000 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      problem: 'not-a-feed',
      message: expect.stringMatching(/elements nested more than 256 deep: not a feed$/),
    });
  });

  it('never expands or fetches the entities a feed declares', async () => {
    const before = elsewhere.requests.length;
    const dtd = `<!DOCTYPE rss [<!ENTITY xxe SYSTEM "${elsewhere.url}/entity"><!ENTITY file SYSTEM "file:///etc/passwd">]>`;
    routes.set(
      '/napo/xxe',
      ok(
        'application/rss+xml',
        FAKE_RSS.replace('<rss', `${dtd}<rss`).replace('Fake ballot opens', 'Fake &xxe;&file; ballot'),
      ),
    );
    const { items } = await fetchNapoNews(`${base}/napo/xxe`, { network: TEST_NETWORK, timeoutMs: TIMEOUT_MS });
    expect(items.map((i) => i.title)).toEqual(['Fake &xxe;&file; ballot']);
    expect(elsewhere.requests.length).toBe(before);
  });

  it('/napo keeps showing the stored items, with the problem, through every bad answer', async () => {
    const db = openDatabase(tempDir());
    const path = '/napo/current';
    const feedUrl = `${base}${path}`;
    routes.set(path, ok('application/rss+xml', FAKE_RSS));
    const first = await currentNapoNews(storeOver(db), {
      network: TEST_NETWORK,
      feedUrl,
      now: at(0),
      timeoutMs: TIMEOUT_MS,
    });
    expect(first).toMatchObject({ source: 'feed', problem: null, items: [{ title: 'Fake ballot opens' }] });

    const faults: Fault[] = ['wrong-type', 'html-200', 'html-as-xml', 'stall', 'loop', 'elsewhere', 'endless'];
    for (const [i, kind] of faults.entries()) {
      routes.set(path, fault(kind, 'application/rss+xml'));
      // Past the 15 minutes a good read is trusted for.
      const view = await currentNapoNews(storeOver(db), {
        network: TEST_NETWORK,
        feedUrl,
        now: at((i + 1) * 20 * MINUTE),
        timeoutMs: TIMEOUT_MS,
      });
      expect(view, kind).toMatchObject({ source: 'feed', fetchedAt: NOW, items: [{ title: 'Fake ballot opens' }] });
      expect(view.problem, kind).toMatch(/^(Napo feed |http)/);
      expect(view.problem, kind).not.toContain('\n');
    }
    db.close();
  });
});

describe('the blog feeds answering badly during a sync', () => {
  const blogPath = '/fake-blog';
  const posts = `${blogPath}/feeds/posts/default`;
  const comments = `${blogPath}/feeds/comments/default`;
  const sync = (db: Db) =>
    syncBlog(storeOver(db), `${base}${blogPath}`, {
      network: TEST_NETWORK,
      now: () => NOW,
      timeoutMs: TIMEOUT_MS,
      retries: 0,
      sleep: async () => {},
      maxBytes: CAP,
    });
  let db: Db;

  beforeAll(async () => {
    db = openDatabase(tempDir());
    routes.set(posts, ok('application/atom+xml', fakeBlogFeed(FAKE_POST_ENTRY)));
    routes.set(comments, ok('application/atom+xml', fakeBlogFeed('')));
    const first = await sync(db);
    expect(first).toMatchObject({ complete: true, errors: [] });
    expect(archiveStats(db)).toMatchObject({ posts: 1 });
  });
  afterAll(() => db.close());

  const cases: [Fault | 'cut-off', RegExp][] = [
    ['wrong-type', /^the posts feed \S+ sent text\/plain, not what was asked for$/],
    ['html-200', /^the posts feed \S+ sent text\/html, not what was asked for$/],
    ['html-as-xml', /^the posts feed \S+ did not send an Atom feed: is \S+ a Blogger blog\?$/],
    ['stall', /^the posts feed \S+ did not answer within 0\.2 s \(tried 1 times?\)$/],
    ['stall-mid-body', /^the posts feed \S+ did not answer within 0\.2 s \(tried 1 times?\)$/],
    ['loop', /^the posts feed \S+ redirects in a loop/],
    ['elsewhere', /^the posts feed \S+ redirected to another site \(localhost:\d+\): not followed$/],
    ['huge-declared', /^the posts feed \S+ is more than the 262144 bytes allowed$/],
    ['endless', /^the posts feed \S+ is more than the 262144 bytes allowed$/],
    ['cut-off', /^the posts feed could not be read whole: \S+:1: entry is cut off/],
  ];
  it.each(cases)('%s: the sync reports it in one line and the archive keeps what it held', async (kind, message) => {
    routes.set(
      posts,
      kind === 'cut-off'
        ? ok('application/atom+xml', fakeBlogFeed(FAKE_POST_ENTRY).slice(0, -60))
        : fault(kind, 'application/atom+xml'),
    );
    const report = await sync(db);
    expect(report.complete).toBe(false);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatch(message);
    expect(storeOver(db).syncs.get(`${base}${blogPath}`).lastError).toBe(report.errors[0]);
    expect(archiveStats(db)).toMatchObject({ posts: 1 });
    expect(readPost(db, '111')?.text).toBe('Fake synced words.');
  });

  it('never requests the other site a redirect points to', async () => {
    routes.set(posts, fault('elsewhere', 'application/atom+xml'));
    await sync(db);
    expect(elsewhere.requests).toEqual([]);
  });

  it('stops reading an endless page near the cap', async () => {
    routes.set(posts, fault('endless', 'application/atom+xml'));
    await sync(db);
    expect(await sentBeforeHangUp(posts)).toBeLessThan(NEAR_THE_CAP);
  });

  it('reads the feed again once it answers well', async () => {
    routes.set(posts, ok('application/atom+xml', fakeBlogFeed(FAKE_POST_ENTRY)));
    expect(await sync(db)).toMatchObject({ complete: true, errors: [] });
    expect(storeOver(db).syncs.get(`${base}${blogPath}`).lastError).toBeNull();
  });
});
