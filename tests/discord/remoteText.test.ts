// What a remote server says (a status text, a content type, a feed's titles,
// the addresses in a problem line) reaches /napo and /petition inert and
// without query strings: no Markdown, no pings, no tokens from a feed URL.
// Made-up feeds and petitions, served on 127.0.0.1.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentNapoNews, currentPetition } from '../../src/app/campaign.js';
import { remoteText, withoutQueries } from '../../src/discord/format.js';
import { napoMessage, petitionMessage } from '../../src/discord/messages.js';
import { openDatabase } from '../../src/store/db.js';
import { storeOver } from '../../src/store/store.js';
import { tempDir } from '../helpers.js';
import { TEST_NETWORK } from '../sources/testNetwork.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const HOSTILE =
  '**Down** @everyone <@&123> [here](https://evil.example/x?t=1) see https://status.example/?token=SECRET';

/** What a member reads of a message, all of it: content, titles, descriptions, footers. */
const everything = (message: unknown) => JSON.stringify(message);

function expectInert(shown: string): void {
  expect(shown).not.toContain('SECRET');
  expect(shown).not.toContain('?t=1');
  expect(shown).not.toMatch(/(?<!\\)\*\*Down/);
  expect(shown).not.toMatch(/@everyone/);
  expect(shown).not.toMatch(/<@&/);
  expect(shown).not.toMatch(/(?<!\\)\[here/);
}

let base = '';
const routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
const server = createServer((req, res) => {
  const route = routes.get(req.url!.replace(/\?.*$/, ''));
  if (route) route(req, res);
  else res.writeHead(404).end();
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('addresses in remote text', () => {
  it.each([
    ['Napo feed https://napo.example/feed?key=SECRET answered 503', 'Napo feed https://napo.example/feed answered 503'],
    ['(see https://napo.example/news?id=5#top).', '(see https://napo.example/news).'],
    ['https://a.example/x?y=1, then https://b.example/z#frag', 'https://a.example/x, then https://b.example/z'],
    ['no address here? none', 'no address here? none'],
    ['https://napo.example/feed stays whole', 'https://napo.example/feed stays whole'],
  ])('%s', (text, shown) => {
    expect(withoutQueries(text)).toBe(shown);
  });

  it('are shown on one short line, inert', () => {
    const shown = remoteText(`line one\n${HOSTILE} ${'more words '.repeat(100)}`, 200);
    expect(shown).not.toContain('\n');
    expect(shown.length).toBeLessThan(260);
    expectInert(shown);
    expect(shown).toContain('\\*\\*Down\\*\\*');
    expect(shown).toContain('https://status.example/');
  });
});

describe('/napo', () => {
  it('shows a feed item whose title carries Markdown, mentions and an address with a query inert and without the query', async () => {
    routes.set('/napo/items', (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(
        `<?xml version="1.0"?><rss version="2.0"><channel><title>Fake Union</title>
<item><title>**Strike ballot** @everyone &lt;@&amp;123&gt; [vote](https://evil.example/x?t=1) at https://napo.example/ballot?token=SECRET#vote</title>
<link>https://union.example/fake-ballot</link><guid>fake-ballot</guid><pubDate>Tue, 02 Nov 2021 09:30:00 GMT</pubDate></item>
</channel></rss>`,
      ),
    );
    const view = await currentNapoNews(storeOver(openDatabase(tempDir())), {
      network: TEST_NETWORK,
      feedUrl: `${base}/napo/items`,
      now: () => NOW,
    });
    const message = napoMessage(view);
    const description = message.embeds[0]!.description!;
    expectInert(everything(message));
    expect(description).toContain('\\*\\*Strike ballot\\*\\*');
    expect(description).toContain('\\[vote\\]');
    expect(description).toContain('at https://napo.example/ballot');
    expect(description).not.toContain('#vote');
    expect(description).toContain('](https://union.example/fake-ballot)');
  });

  it.each([
    [
      'a status text',
      (_req: IncomingMessage, res: ServerResponse) => res.writeHead(503, HOSTILE).end(),
      /^No Napo news to show: Napo feed http:\/\/127\.0\.0\.1:\d+\/napo\/down answered 503 \\\*\\\*Down\\\*\\\* @\u200beveryone/,
    ],
    [
      'a content type',
      (_req: IncomingMessage, res: ServerResponse) => res.writeHead(200, { 'content-type': HOSTILE }).end('x'),
      /^No Napo news to show: Napo feed http:\/\/127\.0\.0\.1:\d+\/napo\/down sent \\\*\\\*Down\\\*\\\* @\u200beveryone/,
    ],
  ])('tells a problem from %s, on a feed URL with a query, inert and without the query', async (_what, route, line) => {
    routes.set('/napo/down', route);
    const view = await currentNapoNews(storeOver(openDatabase(tempDir())), {
      network: TEST_NETWORK,
      feedUrl: `${base}/napo/down?key=SECRET`,
      now: () => NOW,
    });
    expect(view.problem).toContain('?key=SECRET'); // the operator's log keeps the address as configured
    const message = napoMessage(view);
    expectInert(everything(message));
    expect(message.content).toMatch(line);
    expect(message.content).not.toContain('\n');
  });
});

describe('/petition', () => {
  it('tells a problem from the site with no figures stored inert and without queries', async () => {
    routes.set('/petitions/900301.json', (_req, res) => res.writeHead(500, HOSTILE).end());
    const view = await currentPetition(storeOver(openDatabase(tempDir())), {
      network: TEST_NETWORK,
      petitionId: 900301,
      baseUrl: base,
      now: () => NOW,
    });
    const message = petitionMessage(view, NOW);
    expectInert(everything(message));
    expect(message.content).toMatch(
      /^No petition figures to show: petition 900301: the site answered 500 \\\*\\\*Down\\\*\\\* @\u200beveryone .* see https:\/\/status\.example\/, and none was stored earlier\.$/,
    );
  });

  it('keeps the problem out of the figures it shows from the store, and the site’s own title inert', async () => {
    const db = openDatabase(tempDir());
    const petition = (title: string) =>
      JSON.stringify({
        data: {
          type: 'petition',
          id: 900302,
          attributes: { action: title, state: 'open', signature_count: 1234, opened_at: '2026-01-05T09:00:00.000Z' },
        },
      });
    routes.set('/petitions/900302.json', (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(petition(`Fake petition ${HOSTILE}`)),
    );
    const options = { network: TEST_NETWORK, petitionId: 900302, baseUrl: base };
    await currentPetition(storeOver(db), { ...options, now: () => NOW });
    routes.set('/petitions/900302.json', (_req, res) => res.writeHead(503, HOSTILE).end());
    const later = new Date(NOW.getTime() + 3_600_000);
    const view = await currentPetition(storeOver(db), { ...options, now: () => later });
    expect(view).toMatchObject({ live: false, problem: expect.stringContaining('SECRET') });
    const message = petitionMessage(view, later);
    expectInert(everything(message));
    expect(message.embeds[0]!.title).toMatch(/^Fake petition \\\*\\\*Down\\\*\\\*/);
    expect(message.embeds[0]!.footer!.text).toBe('The petition site could not be reached: figures as of 1 hour ago');
    db.close();
  });
});
