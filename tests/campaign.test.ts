// What /petition and /napo show: live when the sources answer, the store's last
// figure or items (with why and how old) when they do not. Real SQLite, real
// HTTP servers on 127.0.0.1, fixed clocks; every petition and feed but the
// shared 2016 fixture is made up.
import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  campaignViews,
  currentNapoNews,
  currentPetition,
  type NapoView,
  type PetitionFigures,
  type PetitionView,
} from '../src/app/campaign.js';
import { parsePetition } from '../src/digest/petitionJson.js';
import { ago } from '../src/digest/ago.js';
import { napoText, petitionAnswerText, petitionText } from '../src/console/render.js';
import { storeParsedPost } from '../src/store/archive.js';
import { openDatabase, type Db } from '../src/store/db.js';
import { latestSnapshot, storeSnapshot } from '../src/store/petition.js';
import { FIXTURES, tempDir } from './helpers.js';
import { TEST_NETWORK } from './sources/testNetwork.js';
import { storeOver } from '../src/store/store.js';

const FIXTURE_2016 = readFileSync(join(FIXTURES, 'petition-parliament-uk-131215-2016.json'), 'utf8');
const NOW = '2026-03-10T12:00:00.000Z';
const HOUR = 3_600_000;
const at = (iso: string, plusMs = 0) => new Date(Date.parse(iso) + plusMs);
const clock =
  (iso: string, plusMs = 0) =>
  () =>
    at(iso, plusMs);

/** A made-up petition in the current schema (not a real one). */
function fakePetition(id: number, count: number, attributes: Record<string, unknown> = {}): string {
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
        government_response: null,
        debate: null,
        ...attributes,
      },
    },
  });
}

/** Made-up feed: every title, address and word is invented. */
const FAKE_FEED = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Fake Union</title><link>https://union.example/</link>
  <item><title>Fake pay ballot opens</title><link>https://union.example/news/ballot</link><guid>fake-ballot</guid>
    <pubDate>Tue, 02 Nov 2021 09:30:00 GMT</pubDate><description>Made up.</description></item>
  <item><title>Fake caseload survey</title><link>https://union.example/news/survey</link><guid>fake-survey</guid>
    <pubDate>Wed, 10 Nov 2021 12:00:00 GMT</pubDate><description>Also made up.</description></item>
</channel></rss>`;

/** Requests per path, so tests can tell a fetch from a cached answer. */
const hits = new Map<string, number>();
/** What each path serves; tests set their own (each uses its own petition id or feed path). */
const routes = new Map<string, (res: ServerResponse) => void>();
const server = createServer((req, res) => {
  hits.set(req.url!, (hits.get(req.url!) ?? 0) + 1);
  const route = routes.get(req.url!);
  if (route) route(res);
  else res.writeHead(404, 'Not Found').end('not found');
});
let base = '';
/** An address where nothing listens. */
let closedBase = '';

const petitionJson = (body: string) => (res: ServerResponse) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end(body);
const failing = (res: ServerResponse) => res.writeHead(500, 'Internal Server Error').end('down');
const feed = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(FAKE_FEED);

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  closedBase = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise((resolve) => closed.close(resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const freshDb = (): Db => openDatabase(tempDir());

function shown(view: PetitionFigures): PetitionView {
  if ('unavailable' in view) throw new Error(`expected a petition view, got: ${view.unavailable}`);
  if ('waiting' in view) throw new Error(`expected a petition view, got one waiting: ${view.waiting.stage}`);
  return view;
}

describe('currentPetition', () => {
  it('fetches the petition live, stores the snapshot and shows it as live', async () => {
    const db = freshDb();
    routes.set('/petitions/131215.json', petitionJson(FIXTURE_2016));
    const view = shown(
      await currentPetition(storeOver(db), {
        network: TEST_NETWORK,
        petitionId: 131215,
        baseUrl: base,
        now: clock(NOW),
      }),
    );
    expect(view).toMatchObject({ live: true, takenAt: NOW, problem: null, changeOrgUrl: null });
    expect(view.progress).toMatchObject({
      signatureCount: 3_555_721,
      state: 'open',
      link: 'https://petition.parliament.uk/petitions/131215',
    });
    expect(latestSnapshot(db, 131215)).toMatchObject({ takenAt: NOW, signatureCount: 3_555_721 });
    expect(petitionText(view, at(NOW))).toBe(
      [
        'Petition: EU Referendum Rules triggering a 2nd EU Referendum',
        '3,555,721 signatures · open',
        'Government response at 10,000: reached 24 Jun 2016',
        'Debate at 100,000: reached 24 Jun 2016',
        'https://petition.parliament.uk/petitions/131215',
      ].join('\n'),
    );
  });

  it('makes no request for a snapshot younger than freshForMs, and fetches again after', async () => {
    const db = freshDb();
    routes.set('/petitions/900001.json', petitionJson(fakePetition(900001, 5_000)));
    await currentPetition(storeOver(db), { network: TEST_NETWORK, petitionId: 900001, baseUrl: base, now: clock(NOW) });
    const again = shown(
      await currentPetition(storeOver(db), {
        network: TEST_NETWORK,
        petitionId: 900001,
        baseUrl: base,
        now: clock(NOW, 30_000),
      }),
    );
    expect(hits.get('/petitions/900001.json')).toBe(1);
    expect(again).toMatchObject({ live: true, takenAt: NOW });
    await currentPetition(storeOver(db), {
      network: TEST_NETWORK,
      petitionId: 900001,
      baseUrl: base,
      now: clock(NOW, 61_000),
    });
    expect(hits.get('/petitions/900001.json')).toBe(2);
  });

  it('says how old a cached figure is when freshForMs is long enough for it to matter', async () => {
    const db = freshDb();
    routes.set('/petitions/900010.json', petitionJson(fakePetition(900010, 5_000)));
    await currentPetition(storeOver(db), { network: TEST_NETWORK, petitionId: 900010, baseUrl: base, now: clock(NOW) });
    const cached = shown(
      await currentPetition(storeOver(db), {
        network: TEST_NETWORK,
        petitionId: 900010,
        baseUrl: base,
        now: clock(NOW, 5 * 60_000),
        freshForMs: 10 * 60_000,
      }),
    );
    expect(hits.get('/petitions/900010.json')).toBe(1);
    expect(
      petitionText(cached, at(NOW, 5 * 60_000))
        .split('\n')
        .at(-1),
    ).toBe('(figures as of 5 minutes ago)');
  });

  it('shares one request between members asking at the same moment', async () => {
    const db = freshDb();
    routes.set('/petitions/900002.json', petitionJson(fakePetition(900002, 5_000)));
    const views = await Promise.all(
      [1, 2, 3].map(() =>
        currentPetition(storeOver(db), { network: TEST_NETWORK, petitionId: 900002, baseUrl: base, now: clock(NOW) }),
      ),
    );
    expect(hits.get('/petitions/900002.json')).toBe(1);
    expect(views.map((v) => shown(v).progress.signatureCount)).toEqual([5_000, 5_000, 5_000]);
  });

  it('shows the last snapshot, not live, with its age and the problem, when the site answers 500', async () => {
    const db = freshDb();
    routes.set('/petitions/900003.json', petitionJson(fakePetition(900003, 7_655)));
    await currentPetition(storeOver(db), { network: TEST_NETWORK, petitionId: 900003, baseUrl: base, now: clock(NOW) });
    routes.set('/petitions/900003.json', failing);
    const view = shown(
      await currentPetition(storeOver(db), {
        network: TEST_NETWORK,
        petitionId: 900003,
        baseUrl: base,
        now: clock(NOW, 3 * HOUR),
      }),
    );
    expect(view).toMatchObject({
      live: false,
      takenAt: NOW,
      problem: 'petition 900003: the site answered 500 Internal Server Error',
    });
    expect(view.progress.signatureCount).toBe(7_655);
    const text = petitionText(view, at(NOW, 3 * HOUR));
    expect(text).toContain('Government response at 10,000: 2,345 to go');
    expect(text).toContain('Debate at 100,000: 92,345 to go');
    expect(text.split('\n').at(-1)).toBe(
      '(could not read the petition site just now: petition 900003: the site answered 500 Internal Server Error. These figures are as of 3 hours ago.)',
    );
  });

  it('shows the last snapshot when nothing listens at the site', async () => {
    const db = freshDb();
    storeSnapshot(
      db,
      900004,
      parsePetition(JSON.parse(fakePetition(900004, 4_321))),
      new Date(Date.parse(NOW) - 2 * 86_400_000).toISOString(),
    );
    const view = shown(
      await currentPetition(storeOver(db), {
        network: TEST_NETWORK,
        petitionId: 900004,
        baseUrl: closedBase,
        now: clock(NOW),
      }),
    );
    expect(view.live).toBe(false);
    expect(view.problem).toBe(`petition 900004: could not reach ${new URL(closedBase).host} (ECONNREFUSED)`);
    expect(petitionText(view, at(NOW))).toContain('These figures are as of 2 days ago.');
  });

  it('gives up within the timeout on a site that never answers', async () => {
    const db = freshDb();
    storeSnapshot(db, 900005, parsePetition(JSON.parse(fakePetition(900005, 4_321))), NOW);
    routes.set('/petitions/900005.json', () => {
      /* never answers */
    });
    const view = shown(
      await currentPetition(storeOver(db), {
        network: TEST_NETWORK,
        petitionId: 900005,
        baseUrl: base,
        timeoutMs: 200,
        now: clock(NOW, 10 * 60_000),
      }),
    );
    expect(view).toMatchObject({ live: false, problem: 'petition 900005: no answer within 0.2 s' });
    expect(petitionText(view, at(NOW, 10 * 60_000))).toContain('as of 10 minutes ago');
  });

  it('says the figures are unavailable when the site cannot be reached and nothing is stored', async () => {
    const db = freshDb();
    const view = await currentPetition(storeOver(db), {
      network: TEST_NETWORK,
      petitionId: 900006,
      baseUrl: closedBase,
      now: clock(NOW),
    });
    if (!('unavailable' in view)) throw new Error('expected the figures to be unavailable');
    expect(view).toEqual({
      unavailable: `No petition figures to show: petition 900006: could not reach ${new URL(closedBase).host} (ECONNREFUSED), and none was stored earlier.`,
    });
    expect(petitionText(view, at(NOW))).toBe(view.unavailable);
  });

  it('during an outage, a burst of /petition costs one request and each member sees the problem at once', async () => {
    const db = freshDb();
    storeSnapshot(db, 900007, parsePetition(JSON.parse(fakePetition(900007, 1_000))), NOW);
    routes.set('/petitions/900007.json', failing);
    const later = (ms: number) =>
      currentPetition(storeOver(db), {
        network: TEST_NETWORK,
        petitionId: 900007,
        baseUrl: base,
        now: clock(NOW, HOUR + ms),
      });
    const first = shown(await later(0));
    const second = shown(await later(20_000));
    expect(first.problem).toBe('petition 900007: the site answered 500 Internal Server Error');
    expect(hits.get('/petitions/900007.json')).toBe(1);
    expect(second).toMatchObject({ live: false, problem: first.problem });
    // Once the site is back, the next ask after the pause is live again.
    routes.set('/petitions/900007.json', petitionJson(fakePetition(900007, 1_100)));
    expect(shown(await later(61_000))).toMatchObject({ live: true, problem: null });
  });

  it('shows the gain over the last day when a snapshot about 24 h old exists', async () => {
    const db = freshDb();
    storeSnapshot(
      db,
      900008,
      parsePetition(JSON.parse(fakePetition(900008, 12_135))),
      at(NOW, -24 * HOUR).toISOString(),
    );
    routes.set(
      '/petitions/900008.json',
      petitionJson(fakePetition(900008, 12_345, { response_threshold_reached_at: '2026-03-01T10:00:00.000Z' })),
    );
    const view = shown(
      await currentPetition(storeOver(db), {
        network: TEST_NETWORK,
        petitionId: 900008,
        baseUrl: base,
        now: clock(NOW),
        changeOrgUrl: 'https://change.example/fake',
      }),
    );
    expect(view.progress.change).toEqual({ signatures: 210, since: at(NOW, -24 * HOUR).toISOString() });
    expect(petitionText(view, at(NOW))).toBe(
      [
        'Petition: Fake petition: test data for the probation archive bot',
        '12,345 signatures (+210 in the last day) · open',
        'Government response at 10,000: reached 1 Mar 2026',
        'Debate at 100,000: 87,655 to go',
        // 87,655 to go at 210 a day: 417 days on.
        'Pace: 210 signatures a day over the last day · at this pace, 100,000 around 1 May 2027',
        'Closes 5 Jul 2026 · 117 days left',
        'https://petition.parliament.uk/petitions/900008',
        'change.org: https://change.example/fake',
      ].join('\n'),
    );
  });

  it('gives an old figure the change over the day before it, not before now', async () => {
    const db = freshDb();
    storeSnapshot(
      db,
      900009,
      parsePetition(JSON.parse(fakePetition(900009, 2_000))),
      at(NOW, -44 * HOUR).toISOString(),
    );
    storeSnapshot(
      db,
      900009,
      parsePetition(JSON.parse(fakePetition(900009, 2_500))),
      at(NOW, -20 * HOUR).toISOString(),
    );
    const view = shown(
      await currentPetition(storeOver(db), {
        network: TEST_NETWORK,
        petitionId: 900009,
        baseUrl: closedBase,
        now: clock(NOW),
      }),
    );
    expect(view.progress.change?.signatures).toBe(500);
    expect(petitionText(view, at(NOW))).toContain('2,500 signatures (+500 in the last day)');
    expect(petitionText(view, at(NOW))).toContain('These figures are as of 20 hours ago.');
  });
});

describe('currentNapoNews', () => {
  function fakeNapoPost(db: Db): void {
    storeParsedPost(
      db,
      {
        line: 1,
        post: {
          id: 'fake-napo-999',
          title: 'Latest From Napo 999',
          date: '2024-02-03',
          time: null,
          author: null,
          url: 'https://fake-blog.example/napo-999.html',
          labels: [],
          text: 'A made-up mail-out for the tests.',
        },
        comments: [],
        warnings: [],
      },
      'test',
      NOW,
    );
  }

  it('reads the feed, stores it, and shows its items', async () => {
    const db = freshDb();
    routes.set('/napo-a', feed);
    const view = await currentNapoNews(storeOver(db), {
      network: TEST_NETWORK,
      feedUrl: `${base}/napo-a`,
      now: clock(NOW),
    });
    expect(view).toMatchObject({ source: 'feed', problem: null, fetchedAt: NOW });
    expect(view.items.map((i) => i.title)).toEqual(['Fake caseload survey', 'Fake pay ballot opens']);
    expect(napoText(view, at(NOW))).toBe(
      [
        'Fake caseload survey — https://union.example/news/survey (10 Nov 2021)',
        'Fake pay ballot opens — https://union.example/news/ballot (2 Nov 2021)',
      ].join('\n'),
    );
  });

  it('does not fetch the feed again within maxAgeMs', async () => {
    const db = freshDb();
    routes.set('/napo-b', feed);
    const options = (plusMs: number) => ({
      network: TEST_NETWORK,
      feedUrl: `${base}/napo-b`,
      now: clock(NOW, plusMs),
      maxAgeMs: 15 * 60_000,
    });
    await currentNapoNews(storeOver(db), options(0));
    const cached = await currentNapoNews(storeOver(db), options(14 * 60_000));
    expect(hits.get('/napo-b')).toBe(1);
    expect(cached).toMatchObject({ source: 'feed', fetchedAt: NOW });
    const refetched = await currentNapoNews(storeOver(db), options(16 * 60_000));
    expect(hits.get('/napo-b')).toBe(2);
    expect(refetched.fetchedAt).toBe(at(NOW, 16 * 60_000).toISOString());
  });

  it('shows the stored items with the problem when the feed fails, and when they were last read', async () => {
    const db = freshDb();
    fakeNapoPost(db);
    routes.set('/napo-c', feed);
    await currentNapoNews(storeOver(db), { network: TEST_NETWORK, feedUrl: `${base}/napo-c`, now: clock(NOW) });
    routes.set('/napo-c', failing);
    const view = await currentNapoNews(storeOver(db), {
      network: TEST_NETWORK,
      feedUrl: `${base}/napo-c`,
      now: clock(NOW, 3 * HOUR),
    });
    expect(view).toMatchObject({
      source: 'feed',
      fetchedAt: NOW,
      problem: `Napo feed ${base}/napo-c answered 500 Internal Server Error`,
    });
    expect(view.items).toHaveLength(2);
    expect(
      napoText(view, at(NOW, 3 * HOUR))
        .split('\n')
        .at(-1),
    ).toBe(
      `(could not read the Napo feed just now: Napo feed ${base}/napo-c answered 500 Internal Server Error. This is the news as last read 3 hours ago.)`,
    );
    // Asked again a moment later: the member is not made to wait for another failing request.
    await currentNapoNews(storeOver(db), {
      network: TEST_NETWORK,
      feedUrl: `${base}/napo-c`,
      now: clock(NOW, 3 * HOUR + 10_000),
    });
    expect(hits.get('/napo-c')).toBe(2);
  });

  it("shows the blog's Napo posts with the problem when the feed is unreachable and nothing is stored", async () => {
    const db = freshDb();
    fakeNapoPost(db);
    const view = await currentNapoNews(storeOver(db), {
      network: TEST_NETWORK,
      feedUrl: `${closedBase}/feed`,
      now: clock(NOW),
    });
    expect(view).toMatchObject({
      source: 'archive',
      fetchedAt: null,
      problem: `Napo feed ${closedBase}/feed could not be reached (ECONNREFUSED)`,
    });
    expect(napoText(view)).toBe(
      [
        'Latest From Napo 999 — https://fake-blog.example/napo-999.html (3 Feb 2024)',
        `(could not read the Napo feed just now: Napo feed ${closedBase}/feed could not be reached (ECONNREFUSED). These are the blog's "Latest From Napo" posts instead.)`,
      ].join('\n'),
    );
  });

  it('without a feed, shows the blog\'s "Latest From Napo" posts and says so', async () => {
    const db = freshDb();
    fakeNapoPost(db);
    const view = await currentNapoNews(storeOver(db), { network: TEST_NETWORK, feedUrl: null, now: clock(NOW) });
    expect(view).toEqual<NapoView>({
      items: [expect.objectContaining({ title: 'Latest From Napo 999', from: 'archive' })],
      source: 'archive',
      problem: null,
      fetchedAt: null,
    });
    expect(napoText(view)).toBe(
      [
        'Latest From Napo 999 — https://fake-blog.example/napo-999.html (3 Feb 2024)',
        '(from the blog\'s "Latest From Napo" posts, not a live Napo feed)',
      ].join('\n'),
    );
  });

  it('says so when there is no Napo news at all', async () => {
    const view = await currentNapoNews(storeOver(freshDb()), { network: TEST_NETWORK, feedUrl: null, now: clock(NOW) });
    expect(napoText(view)).toBe('No Napo news stored yet.');
  });
});

describe('ago', () => {
  it.each([
    [0, 'just now'],
    [-5_000, 'just now'], // a clock a little behind another process's
    [59_000, 'just now'],
    [60_000, '1 minute ago'],
    [59 * 60_000, '59 minutes ago'],
    [HOUR, '1 hour ago'],
    [3 * HOUR + 59 * 60_000, '3 hours ago'],
    [24 * HOUR, '1 day ago'],
    [9 * 24 * HOUR, '9 days ago'],
  ])('%i ms before now reads "%s"', (ms, text) => {
    expect(ago(at(NOW, -ms).toISOString(), at(NOW))).toBe(text);
  });
});

describe('where the signatures come from (/petition where, top, nations, mine)', () => {
  /** The 2016 capture with Holborn and St Pancras at `holborn` signatures: a reading on an earlier day. */
  function fixtureWithHolborn(holborn: number): string {
    const doc = JSON.parse(FIXTURE_2016) as {
      data: { attributes: { signatures_by_constituency: { ons_code: string; signature_count: number }[] } };
    };
    for (const c of doc.data.attributes.signatures_by_constituency)
      if (c.ons_code === 'E14000750') c.signature_count = holborn;
    return JSON.stringify(doc);
  }

  function views(db: Db, petitionId: number, now: { at: Date }) {
    return campaignViews(
      storeOver(db),
      {
        petition: { id: petitionId, baseUrl: base, changeOrgUrl: null, network: TEST_NETWORK },
        napo: { feedUrl: null, blogUrl: 'https://probationmatters.blogspot.com' },
      },
      () => now.at,
    );
  }

  const breakdownRows = (db: Db) =>
    db.prepare('SELECT day, taken_at AS takenAt FROM petition_breakdowns ORDER BY day').all() as {
      day: string;
      takenAt: string;
    }[];

  it('answers where:Holborn and where:Starmer with the count and MP as the JSON gives them, the rank of 650 and the change since yesterday', async () => {
    const db = freshDb();
    const now = { at: at('2026-03-09T21:00:00Z') };
    const campaign = views(db, 131215, now);
    routes.set('/petitions/131215.json', petitionJson(fixtureWithHolborn(18_000)));
    await campaign.geography.answer({ show: 'total' }, 'member-1');
    routes.set('/petitions/131215.json', petitionJson(FIXTURE_2016));
    now.at = at(NOW);
    const where = await campaign.geography.answer({ show: 'where', place: 'Holborn' }, 'member-1');
    expect(petitionAnswerText(where, now.at)).toBe(
      [
        'Petition: EU Referendum Rules triggering a 2nd EU Referendum',
        'Holborn and St Pancras (MP: Keir Starmer MP)',
        '18,704 signatures · 4th of 650 constituencies · 0.56% of signatures where the constituency is known · +704 since yesterday',
        'https://petition.parliament.uk/petitions/131215',
      ].join('\n'),
    );
    now.at = at(NOW, 5 * 60_000);
    const byMp = await campaign.geography.answer({ show: 'where', place: 'Starmer' }, 'member-1');
    expect(petitionAnswerText(byMp, now.at).split('\n')[1]).toBe(
      'Holborn and St Pancras (MP: Keir Starmer MP) — found by its MP',
    );
    // Three readings on two days: one breakdown row a day, the day's latest.
    expect(breakdownRows(db)).toEqual([
      { day: '2026-03-09', takenAt: '2026-03-09T21:00:00.000Z' },
      { day: '2026-03-10', takenAt: '2026-03-10T12:05:00.000Z' },
    ]);
  });

  it('gives the four nations from the same JSON, England and Wales together, and says an unknown place plainly', async () => {
    const db = freshDb();
    const now = { at: at(NOW) };
    const campaign = views(db, 131215, now);
    routes.set('/petitions/131215.json', petitionJson(FIXTURE_2016));
    const nations = petitionAnswerText(await campaign.geography.answer({ show: 'nations' }, 'member-1'), now.at);
    expect(nations).toContain(
      [
        'England: 2,987,046 (89.1%)',
        'Wales: 135,093 (4.0%)',
        'Scotland: 167,274 (5.0%)',
        'Northern Ireland: 61,875 (1.8%)',
        'England and Wales, where probation serves: 3,122,139 — 93.2% of signatures where the constituency is known',
        'Overseas: 137,789 signatures from outside the UK',
        'Shares are of the 3,351,288 signatures where the constituency is known (3,555,721 in all).',
      ].join('\n'),
    );
    const top = petitionAnswerText(await campaign.geography.answer({ show: 'top' }, 'member-1'), now.at);
    expect(top).toContain('1. Hornsey and Wood Green (Catherine West MP): 20,780 · 0.62%');
    await expect(campaign.geography.answer({ show: 'where', place: 'Atlantis' }, 'member-1')).rejects.toThrow(
      /No constituency or MP in this petition's list matches "Atlantis"/,
    );
  });

  it('shows a blank MP as such and regions where the current schema has them', async () => {
    const db = freshDb();
    const now = { at: at(NOW) };
    const campaign = views(db, 900031, now);
    routes.set(
      '/petitions/900031.json',
      petitionJson(
        fakePetition(900031, 60, {
          closed_at: null,
          signatures_by_country: [
            { name: 'United Kingdom', code: 'GB', signature_count: 52 },
            { name: 'Fakeland', code: 'FK', signature_count: 8 },
          ],
          signatures_by_region: [
            { name: 'Fake North', ons_code: 'E15000001', signature_count: 30 },
            { name: 'Fake Wales', ons_code: 'W92000004', signature_count: 20 },
          ],
          signatures_by_constituency: [
            { name: 'Fakeborough East', ons_code: 'E14009991', mp: 'Ann Example MP', signature_count: 30 },
            { name: 'Ffug-y-Cwm', ons_code: 'W07009992', mp: null, signature_count: 20 },
          ],
        }),
      ),
    );
    const where = await campaign.geography.answer({ show: 'where', place: 'ffug' }, 'member-1');
    expect(petitionAnswerText(where, now.at).split('\n').slice(1, 3)).toEqual([
      'Ffug-y-Cwm (no MP listed)',
      '20 signatures · 2nd of 2 constituencies · 40.0% of signatures where the constituency is known',
    ]);
    const nations = petitionAnswerText(await campaign.geography.answer({ show: 'nations' }, 'member-1'), now.at);
    expect(nations).toContain('By region:\n  Fake North: 30 (60.0%)\n  Fake Wales: 20 (40.0%)');
    expect(nations).toContain('England and Wales, where probation serves: 50 — 100.0%');
  });

  it('says a petition in moderation is waiting to be published, whether the site redirects or its JSON says so', async () => {
    const db = freshDb();
    const now = { at: at(NOW) };
    routes.set('/petitions/900032.json', (res) =>
      res.writeHead(302, { location: '/petitions/900032/moderation-info' }).end(),
    );
    routes.set('/petitions/900032/moderation-info', (res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Being checked</h1>'),
    );
    const redirected = await views(db, 900032, now).petition();
    expect(petitionText(redirected, now.at)).toBe(
      'Petition 900032 is waiting to be published: the Petitions Committee is checking it before it opens for signatures.\nhttps://petition.parliament.uk/petitions/900032',
    );
    await expect(views(db, 900032, now).geography.answer({ show: 'nations' }, 'm')).rejects.toThrow(
      /waiting to be published/,
    );

    routes.set('/petitions/900033.json', petitionJson(fakePetition(900033, 7, { state: 'sponsored' })));
    const sponsored = petitionText(await views(db, 900033, now).petition(), now.at);
    expect(sponsored).toContain(
      '7 signatures · waiting to be published (being checked by the Petitions Committee)\nGovernment response at 10,000: not open for signatures yet',
    );
    expect(sponsored).not.toMatch(/to go/);
    expect(shown(await views(db, 900033, now).petition()).progress.line).toBe('7 signatures · waiting to be published');
  });

  it('keeps a member’s constituency at their asking, offers it first, shows it, and forgets it when they clear it', async () => {
    const db = freshDb();
    const now = { at: at(NOW) };
    const campaign = views(db, 131215, now);
    routes.set('/petitions/131215.json', petitionJson(FIXTURE_2016));
    await expect(campaign.geography.answer({ show: 'mine' }, 'member-2')).rejects.toThrow(/not chosen a constituency/);
    const set = await campaign.geography.answer({ show: 'set-mine', place: 'E14000548' }, 'member-2');
    expect(set).toEqual({ kind: 'mine-set', name: 'Batley and Spen', mp: null });
    expect(campaign.geography.suggest('', 'member-2', 25)[0]).toMatchObject({ name: 'Batley and Spen' });
    expect(campaign.geography.suggest('', 'member-3', 25)[0]).toMatchObject({ name: 'Hornsey and Wood Green' });
    const mine = await campaign.geography.answer({ show: 'mine' }, 'member-2');
    expect(petitionAnswerText(mine, now.at).split('\n')[1]).toBe('Your constituency: Batley and Spen (no MP listed)');
    const cleared = await campaign.geography.answer({ show: 'clear-mine' }, 'member-2');
    expect(petitionAnswerText(cleared, now.at)).toBe(
      'Your constituency (Batley and Spen) is removed: the bot keeps nothing about it now.',
    );
    expect(db.prepare('SELECT count(*) AS n FROM member_constituencies').get()).toEqual({ n: 0 });
  });

  it('suggests constituencies by name or MP from the store alone: at most 25, each name within 100 characters', async () => {
    const db = freshDb();
    const now = { at: at(NOW) };
    const campaign = views(db, 131215, now);
    expect(campaign.geography.suggest('Holborn', 'member-1', 25)).toEqual([]);
    routes.set('/petitions/131215.json', petitionJson(FIXTURE_2016));
    await campaign.petition();
    const before = hits.get('/petitions/131215.json');
    expect(campaign.geography.suggest('Starmer', 'member-1', 25)).toEqual([
      expect.objectContaining({ name: 'Holborn and St Pancras', onsCode: 'E14000750', byMp: true }),
    ]);
    const many = campaign.geography.suggest('a', 'member-1', 25);
    expect(many).toHaveLength(25);
    expect(hits.get('/petitions/131215.json')).toBe(before);
  });
});

describe('the petition’s pace (/petition)', () => {
  it('shows signatures a day over the last week and when 10,000 would come at that pace, on a fixed clock', async () => {
    const db = freshDb();
    const read = async (count: number, when: Date) => {
      routes.set('/petitions/900061.json', petitionJson(fakePetition(900061, count)));
      return currentPetition(storeOver(db), {
        network: TEST_NETWORK,
        petitionId: 900061,
        baseUrl: base,
        now: () => when,
      });
    };
    await read(2_000, at(NOW, -4 * 24 * HOUR));
    await read(3_000, at(NOW, -2 * 24 * HOUR));
    const view = await read(4_000, at(NOW));
    // 2,000 in 4 days: 500 a day; 6,000 to go: 12 days on, 22 Mar.
    expect(petitionText(view, at(NOW)).split('\n')).toContain(
      'Pace: 500 signatures a day over the last 4 days · at this pace, 10,000 around 22 Mar 2026',
    );
  });
});
