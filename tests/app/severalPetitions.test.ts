// Several petitions: PETITION_ID as a list (the first the default), the
// `petition` option of /petition by number or title with suggestions from the
// store, each petition polled and its milestones announced under its own keys,
// keys announced before (one petition, no number in the key) still counted.
// The 2016 fixture serves as one petition; the other is made up here, in the
// current schema, both from 127.0.0.1; fixed clocks.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignSources, campaignViews } from '../../src/app/campaign.js';
import { UserProblem } from '../../src/app/userProblem.js';
import { readConfig } from '../../src/config.js';
import { parsePetition } from '../../src/digest/petitionJson.js';
import { petitionAnswerText, petitionText } from '../../src/console/render.js';
import { petitionJob } from '../../src/jobs/campaign.js';
import { openDatabase } from '../../src/store/db.js';
import { connectionOf, type Store, storeOver } from '../../src/store/store.js';
import { FIXTURES, tempDir } from '../helpers.js';
import { TEST_NETWORK } from '../sources/testNetwork.js';

const FIXTURE_2016 = readFileSync(join(FIXTURES, 'petition-parliament-uk-131215-2016.json'), 'utf8');
const FAKE = 900_888;
let fakeCount = 9_990;

const server = createServer((req, res) => {
  const json = (body: string) => res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  if (req.url === '/petitions/131215.json') return json(FIXTURE_2016);
  if (req.url === `/petitions/${FAKE}.json`)
    return json(
      JSON.stringify({
        data: {
          type: 'petition',
          id: FAKE,
          attributes: {
            action: 'Fake petition: invented caseload cap for the tests',
            state: 'open',
            signature_count: fakeCount,
            opened_at: '2026-01-15T10:00:00.000Z',
            closed_at: null,
            response_threshold_reached_at: null,
            debate_threshold_reached_at: null,
            government_response: null,
            debate: null,
            signatures_by_constituency: [
              { name: 'Fakeshire North', ons_code: 'E14999901', mp: 'A. Madeup MP', signature_count: 40 },
              { name: 'Invented Vale', ons_code: 'W07999902', mp: '', signature_count: 10 },
            ],
            signatures_by_country: [{ name: 'United Kingdom', code: 'GB', signature_count: 50 }],
            signatures_by_region: [],
          },
        },
      }),
    );
  res.writeHead(404).end('not found');
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

const NOW = new Date('2026-03-10T12:00:00.000Z');

function views(store: Store, ids: number[]) {
  return campaignViews(
    { ...store },
    {
      petition: {
        id: ids[0]!,
        ids,
        baseUrl: base,
        network: TEST_NETWORK,
        changeOrgUrl: 'https://change.example/fake-campaign',
      },
      napo: { feedUrl: null, blogUrl: 'https://fake-blog.example' },
    },
    () => NOW,
  );
}

function problems(env: Record<string, string>): string[] {
  try {
    readConfig(env);
    return [];
  } catch (error) {
    return (error as { problems: string[] }).problems;
  }
}

describe('PETITION_ID', () => {
  it('takes one number as before, or a list separated by commas, the first the default', () => {
    expect(readConfig({ PETITION_ID: '651215' }).PETITION_ID).toBe('651215');
    expect(readConfig({}).PETITION_ID).toBe('651215');
    const config = readConfig({ PETITION_ID: ' 651215 , 700001,131215 ' });
    expect(config.PETITION_ID).toBe('651215,700001,131215');
    expect(campaignSources(config).petition).toMatchObject({ id: 651215, ids: [651215, 700001, 131215] });
    expect(campaignSources(readConfig({ PETITION_ID: '651215' })).petition).toMatchObject({
      id: 651215,
      ids: [651215],
    });
  });

  it('names the bad item of a list', () => {
    expect(problems({ PETITION_ID: 'abc' })).toEqual(['PETITION_ID: must be the petition number, digits only']);
    expect(problems({ PETITION_ID: '651215,70x001' })).toEqual([
      'PETITION_ID: item 2 of 2, "70x001", is not a petition number: digits only, separated by commas',
    ]);
    expect(problems({ PETITION_ID: '651215,,131215' })).toEqual([
      'PETITION_ID: item 2 of 3 is empty: give petition numbers separated by commas',
    ]);
    expect(problems({ PETITION_ID: '651215, 131215, 651215' })).toEqual([
      'PETITION_ID: item 3 of 3, 651215, is listed already',
    ]);
  });
});

describe('the petition option of /petition', () => {
  it('shows the default without it, another by its number or its title, and refuses one not followed', async () => {
    const store = storeOver(openDatabase(tempDir()));
    const campaign = views(store, [FAKE, 131215]);
    const first = await campaign.geography.answer({ show: 'total' }, 'member-1');
    expect(petitionAnswerText(first, NOW).split('\n')[0]).toBe(
      'Petition: Fake petition: invented caseload cap for the tests',
    );
    // The campaign's change.org petition goes beside the default only.
    expect(petitionAnswerText(first, NOW)).toContain('change.org: https://change.example/fake-campaign');
    const second = await campaign.petition('131215');
    expect(petitionText(second, NOW)).not.toContain('change.org');
    expect(petitionText(second, NOW).split('\n').slice(0, 2)).toEqual([
      'Petition: EU Referendum Rules triggering a 2nd EU Referendum',
      '3,555,721 signatures · open',
    ]);
    // Stored now: its title finds it, in any case.
    const byTitle = await campaign.geography.answer({ show: 'total', petition: 'eu referendum' }, 'member-1');
    expect(petitionAnswerText(byTitle, NOW)).toContain('3,555,721 signatures');
    await expect(campaign.petition('651215')).rejects.toThrow(
      new UserProblem(`Petition 651215 is not one the bot follows: the bot follows petitions ${FAKE}, 131215.`),
    );
    await expect(campaign.petition('brexit')).rejects.toThrow(/No petition the bot follows has "brexit" in its title/);
  });

  it('answers where:, top and nations from the petition named, and suggests its constituencies', async () => {
    const store = storeOver(openDatabase(tempDir()));
    const campaign = views(store, [FAKE, 131215]);
    await campaign.petition();
    await campaign.petition('131215');
    const holborn = await campaign.geography.answer({ show: 'where', place: 'Holborn', petition: '131215' }, 'm');
    expect(petitionAnswerText(holborn, NOW).split('\n').slice(1, 3)).toEqual([
      'Holborn and St Pancras (MP: Keir Starmer MP)',
      expect.stringMatching(/^18,704 signatures · 4th of 650 constituencies/),
    ]);
    const fake = await campaign.geography.answer({ show: 'where', place: 'Fakeshire' }, 'm');
    expect(petitionAnswerText(fake, NOW).split('\n')[1]).toBe('Fakeshire North (MP: A. Madeup MP)');
    await expect(campaign.geography.answer({ show: 'where', place: 'Holborn' }, 'm')).rejects.toThrow(
      /No constituency or MP in this petition's list matches "Holborn"/,
    );
    expect(campaign.geography.suggest('Starmer', 'm', 25, '131215').map((p) => p.name)).toEqual([
      'Holborn and St Pancras',
    ]);
    expect(campaign.geography.suggest('', 'm', 25).map((p) => p.name)).toEqual(['Fakeshire North', 'Invented Vale']);
    // A petition typed wrong while suggesting still gets the default's places, not an error.
    expect(campaign.geography.suggest('Invented', 'm', 25, 'nonsense').map((p) => p.name)).toEqual(['Invented Vale']);
  });

  it('draws the chart of the petition named from its own readings, under its own file name', async () => {
    const store = storeOver(openDatabase(tempDir()));
    const drawn: unknown[] = [];
    const campaign = campaignViews(
      store,
      {
        petition: { id: FAKE, ids: [FAKE, 131215], baseUrl: base, network: TEST_NETWORK, changeOrgUrl: null },
        napo: { feedUrl: null, blogUrl: 'https://fake-blog.example' },
      },
      () => NOW,
      async (spec) => {
        drawn.push(spec);
        return new Uint8Array([1]);
      },
    );
    // A reading of the 2016 petition a day earlier, 1,000 fewer: with today's, a line.
    const earlier = JSON.parse(FIXTURE_2016);
    earlier.data.attributes.signature_count = 3_554_721;
    store.petition.store(131215, parsePetition(earlier), new Date(NOW.getTime() - 86_400_000).toISOString());
    const view = await campaign.petition('131215');
    if (!('progress' in view)) throw new Error('expected figures');
    const chart = await campaign.chart(view);
    expect(chart?.name).toBe('petition-131215.png');
    expect(chart?.alt).toMatch(/^Signatures over time: 3,555,721 on 10 Mar 2026, up from 3,554,721 on 9 Mar 2026/);
    // The default petition has one reading only: nothing to draw yet.
    const first = await campaign.petition();
    if (!('progress' in first)) throw new Error('expected figures');
    expect(await campaign.chart(first)).toBeNull();
    expect(drawn).toHaveLength(1);
  });

  it('suggests the petitions followed by title and number, from the store alone', async () => {
    const store = storeOver(openDatabase(tempDir()));
    const campaign = views(store, [FAKE, 131215]);
    // Before any reading, only their numbers are known.
    expect(campaign.petitions('', 25)).toEqual([
      { id: FAKE, title: null, signatureCount: null },
      { id: 131215, title: null, signatureCount: null },
    ]);
    await campaign.petition();
    await campaign.petition('131215');
    expect(campaign.petitions('referendum', 25)).toEqual([
      { id: 131215, title: 'EU Referendum Rules triggering a 2nd EU Referendum', signatureCount: 3_555_721 },
    ]);
    expect(campaign.petitions('9008', 25).map((p) => p.id)).toEqual([FAKE]);
    expect(campaign.petitions('', 1).map((p) => p.id)).toEqual([FAKE]);
    expect(campaign.petitions('nothing like it', 25)).toEqual([]);
  });
});

describe('polling several petitions', () => {
  const announced = (store: Store) =>
    (
      connectionOf(store).prepare("SELECT key, link FROM announcements WHERE kind = 'petition' ORDER BY id").all() as {
        key: string;
        link: string;
      }[]
    ).map((a) => `${a.key} ${a.link.replace('https://petition.parliament.uk/petitions/', '#')}`);

  it('polls each, announces each one’s milestones under keys with its number, once, and keeps keys stored before', async () => {
    const store = storeOver(openDatabase(tempDir()));
    // An earlier version, following the made-up petition alone, announced its 10,000 under a key without its number.
    store.deliveries.announce(
      {
        kind: 'petition',
        key: 'threshold:10000',
        title: 'Fake',
        body: 'The petition has passed 10,000 signatures: the government must now respond.',
        link: `https://petition.parliament.uk/petitions/${FAKE}`,
      },
      '2026-03-01T09:00:00.000Z',
    );
    let clock = NOW;
    const job = petitionJob(
      store,
      { id: FAKE, ids: [FAKE, 131215], baseUrl: base, network: TEST_NETWORK },
      { now: () => clock, after: () => () => {} },
    );
    const poll = async () => {
      clock = new Date(clock.getTime() + 15 * 60_000);
      await job.run(new AbortController().signal);
    };
    fakeCount = 9_990;
    await poll();
    expect(store.petition.latest(FAKE)?.signatureCount).toBe(9_990);
    expect(store.petition.latest(131215)?.signatureCount).toBe(3_555_721);
    // The count dipped under 10,000 and climbs past it again: announced before, not again.
    fakeCount = 10_020;
    await poll();
    fakeCount = 11_005;
    await poll();
    await poll();
    expect(announced(store)).toEqual(['threshold:10000 #900888', `${FAKE}:count:11000 #900888`]);
  });

  it('does not take another petition’s key without a number for its own', async () => {
    const store = storeOver(openDatabase(tempDir()));
    store.deliveries.announce(
      {
        kind: 'petition',
        key: 'count:11000',
        title: 'Other',
        body: 'x',
        link: 'https://petition.parliament.uk/petitions/131215',
      },
      '2026-03-01T09:00:00.000Z',
    );
    let clock = NOW;
    const job = petitionJob(
      store,
      { id: 131215, ids: [131215, FAKE], baseUrl: base, network: TEST_NETWORK },
      { now: () => clock, after: () => () => {} },
    );
    fakeCount = 10_500;
    await job.run(new AbortController().signal);
    clock = new Date(clock.getTime() + 15 * 60_000);
    fakeCount = 11_200;
    await job.run(new AbortController().signal);
    expect(announced(store)).toEqual(['count:11000 #131215', `${FAKE}:count:11000 #900888`]);
  });
});
