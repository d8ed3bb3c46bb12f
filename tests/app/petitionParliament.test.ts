// The petition's closing day and Parliament acting on it: days left in
// /petition and the console, "closed on" once closed; the government's
// response, a debate scheduled and a debate held announced once each through
// the deliveries ledger. Current-schema JSON made up here (not a real
// petition), served from 127.0.0.1; fixed clocks.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announcePetitionMilestones } from '../../src/app/announcements.js';
import { currentPetition, type PetitionView } from '../../src/app/campaign.js';
import { petitionText } from '../../src/console/render.js';
import { announcementMessage, petitionMessage } from '../../src/discord/messages.js';
import { petitionJob } from '../../src/jobs/campaign.js';
import { openDatabase } from '../../src/store/db.js';
import { connectionOf, type Store, storeOver } from '../../src/store/store.js';
import { tempDir } from '../helpers.js';
import { TEST_NETWORK } from '../sources/testNetwork.js';

const ID = 900_777;

/** What the site serves for the petition now: tests change it between polls. */
let attributes: Record<string, unknown> = {};
const server = createServer((req, res) => {
  if (req.url !== `/petitions/${ID}.json`) return void res.writeHead(404).end('not found');
  const body = {
    links: { self: `https://petition.parliament.uk/petitions/${ID}.json` },
    data: {
      type: 'petition',
      id: ID,
      attributes: {
        action: 'Fake petition: made-up test data, not a real petition',
        background: 'Invented for the tests.',
        state: 'open',
        signature_count: 12_000,
        opened_at: '2026-01-15T10:00:00.000Z',
        closed_at: null,
        response_threshold_reached_at: '2026-02-01T08:00:00.000Z',
        debate_threshold_reached_at: null,
        government_response_at: null,
        scheduled_debate_date: null,
        debate_outcome_at: null,
        government_response: null,
        debate: null,
        signatures_by_region: [],
        ...attributes,
      },
    },
  };
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
});
let base = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function viewAt(store: Store, iso: string): Promise<PetitionView> {
  const view = await currentPetition(store, {
    petitionId: ID,
    baseUrl: base,
    network: TEST_NETWORK,
    now: () => new Date(iso),
    freshForMs: 0,
  });
  if (!('progress' in view)) throw new Error('expected figures');
  return view;
}

describe('days left before the petition closes', () => {
  it('counts London days to the end of the six months from opened_at, in /petition and the console', async () => {
    attributes = {};
    const store = storeOver(openDatabase(tempDir()));
    // Opened 15 Jan 2026: it can be signed until the end of 15 Jul 2026. On 3 Jul at 23:30 in London (22:30 UTC), 12 days.
    const view = await viewAt(store, '2026-07-03T22:30:00.000Z');
    expect(view.closing).toEqual({ closed: false, closesOn: '2026-07-15', daysLeft: 12 });
    expect(petitionText(view, new Date('2026-07-03T22:30:00.000Z')).split('\n')).toContain(
      'Closes 15 Jul 2026 · 12 days left',
    );
    // Half an hour later it is 4 July in London: 11 days.
    const later = await viewAt(store, '2026-07-03T23:30:00.000Z');
    expect(petitionMessage(later, new Date('2026-07-03T23:30:00.000Z')).embeds[0]!.description).toContain(
      'Closes 15 Jul 2026 · 11 days left',
    );
    const lastDay = await viewAt(store, '2026-07-15T20:00:00.000Z');
    expect(petitionText(lastDay, new Date('2026-07-15T20:00:00.000Z'))).toContain('Closes today (15 Jul 2026)');
  });

  it('takes the closing time the JSON gives, and says "closed on" once the petition has closed', async () => {
    const store = storeOver(openDatabase(tempDir()));
    attributes = { closed_at: '2026-05-20T22:59:59.999Z' };
    const open = await viewAt(store, '2026-05-18T09:00:00.000Z');
    expect(petitionText(open, new Date('2026-05-18T09:00:00.000Z'))).toContain('Closes 20 May 2026 · 2 days left');
    attributes = { state: 'closed', closed_at: '2026-05-20T22:59:59.999Z' };
    const closed = await viewAt(store, '2026-06-01T09:00:00.000Z');
    expect(closed.closing).toEqual({ closed: true, closedOn: '2026-05-20' });
    const text = petitionText(closed, new Date('2026-06-01T09:00:00.000Z'));
    expect(text).toContain('Closed on 20 May 2026');
    expect(text).not.toMatch(/days? left/);
    expect(petitionMessage(closed, new Date('2026-06-01T09:00:00.000Z')).embeds[0]!.description).toContain(
      'Closed on 20 May 2026',
    );
  });

  it('says nothing of closing for a petition waiting to be published', async () => {
    const store = storeOver(openDatabase(tempDir()));
    attributes = { state: 'sponsored', opened_at: null, signature_count: 7 };
    const view = await viewAt(store, '2026-05-18T09:00:00.000Z');
    expect(view.closing).toBeNull();
    expect(petitionText(view, new Date('2026-05-18T09:00:00.000Z'))).not.toMatch(/Close/);
  });
});

describe('news when Parliament acts, in the milestone announcements', () => {
  interface Row {
    key: string;
    body: string;
    link: string;
  }
  const announced = (store: Store) =>
    connectionOf(store)
      .prepare("SELECT key, body, link FROM announcements WHERE kind = 'petition' ORDER BY id")
      .all() as Row[];

  it('announces the response, the debate scheduled with its date and the debate held, each once across polls and a restart', async () => {
    const dir = tempDir();
    let store = storeOver(openDatabase(dir));
    let clock = new Date('2026-03-01T09:00:00.000Z');
    const poll = async () => {
      clock = new Date(clock.getTime() + 15 * 60_000);
      const job = petitionJob(
        store,
        { id: ID, baseUrl: base, network: TEST_NETWORK },
        { now: () => clock, after: () => () => {} },
      );
      await job.run(new AbortController().signal);
    };
    attributes = {};
    await poll(); // the first poll is history
    await poll();
    expect(announced(store)).toEqual([]);

    attributes = {
      government_response_at: '2026-03-02T10:00:00.000Z',
      government_response: {
        responded_on: '2026-03-02',
        summary: 'Made-up reply @everyone <@123> **no** [link](https://evil.example) for the test.',
        details: 'Invented.',
      },
    };
    await poll();
    await poll();
    const response = announced(store);
    expect(response).toHaveLength(1);
    expect(response[0]!.key).toBe(`${ID}:response`);
    expect(response[0]!.body).toMatch(
      /^The government has responded to the petition\. The government said: “Made-up reply/,
    );
    // The site's words go out inert: no ping, no Markdown link, no bold.
    const message = announcementMessage({ id: 1, kind: 'petition', title: 'Fake', createdAt: '', ...response[0]! });
    expect(message.allowedMentions).toEqual({ parse: [] });
    const description = message.embeds[0]!.description!;
    expect(description).toContain('Made-up reply');
    for (const live of ['@everyone', '<@123>', '**no**']) expect(description).not.toContain(live);
    expect(description).not.toMatch(/(^|[^\\])\[link/);

    const responded = attributes;
    attributes = { ...responded, debate_threshold_reached_at: '2026-03-03T08:00:00.000Z', signature_count: 100_500 };
    await poll();
    attributes = { ...attributes, scheduled_debate_date: '2026-04-20' };
    await poll();
    await poll();
    // A restart: the same store opened again, the same petition read again.
    store = storeOver(openDatabase(dir));
    await poll();
    attributes = {
      ...attributes,
      debate_outcome_at: '2026-04-21T12:00:00.000Z',
      debate: { debated_on: '2026-04-20', transcript_url: null, video_url: null, overview: 'Made-up overview.' },
    };
    await poll();
    await poll();
    expect(announced(store).map((a) => [a.key, a.body])).toEqual([
      [`${ID}:response`, expect.stringMatching(/^The government has responded/)],
      [
        `${ID}:threshold:100000`,
        'The petition has passed 100,000 signatures: Parliament will now consider it for a debate.',
      ],
      [`${ID}:debate-scheduled:2026-04-20`, 'Parliament will debate the petition on 20 April 2026.'],
      [`${ID}:debate-held`, 'Parliament debated the petition on 20 April 2026.'],
    ]);
    for (const a of announced(store)) expect(a.link).toBe(`https://petition.parliament.uk/petitions/${ID}`);
  });

  it('does not announce again what was announced under the former key debate:DATE', async () => {
    const store = storeOver(openDatabase(tempDir()));
    const link = `https://petition.parliament.uk/petitions/${ID}`;
    // Announced by an earlier version, which keyed a scheduled debate by its date alone.
    store.deliveries.announce(
      {
        kind: 'petition',
        key: 'debate:2026-04-20',
        title: 'Fake',
        body: 'Parliament will debate the petition on 20 April 2026.',
        link,
      },
      '2026-03-05T09:00:00.000Z',
    );
    // The same key for another petition's link says nothing about this one.
    store.deliveries.announce(
      {
        kind: 'petition',
        key: 'debate:2026-04-27',
        title: 'Other',
        body: 'x',
        link: 'https://petition.parliament.uk/petitions/1',
      },
      '2026-03-05T09:00:00.000Z',
    );
    attributes = {};
    await viewAt(store, '2026-03-06T09:00:00.000Z');
    announcePetitionMilestones(store, ID, '2026-03-06T09:00:00.000Z');
    attributes = { scheduled_debate_date: '2026-04-20' };
    await viewAt(store, '2026-03-06T09:15:00.000Z');
    expect(announcePetitionMilestones(store, ID, '2026-03-06T09:15:00.000Z')).toBe(0);
    attributes = { scheduled_debate_date: '2026-04-27' };
    await viewAt(store, '2026-03-06T09:30:00.000Z');
    expect(announcePetitionMilestones(store, ID, '2026-03-06T09:30:00.000Z')).toBe(1);
    expect(announced(store).map((a) => a.key)).toEqual([
      'debate:2026-04-20',
      'debate:2026-04-27',
      `${ID}:debate-scheduled:2026-04-27`,
    ]);
  });
});
