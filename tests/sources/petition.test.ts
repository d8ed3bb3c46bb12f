// The petition fetcher against a real HTTP server on 127.0.0.1, and what it
// fetched stored and read back as progress.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { petitionProgress } from '../../src/digest/petition.js';
import { fetchPetition, PetitionFetchError, PetitionNotPublished } from '../../src/sources/petition.js';
import { TEST_NETWORK } from './testNetwork.js';
import { openDatabase } from '../../src/store/db.js';
import { latestSnapshot, snapshotsSince, storeSnapshot } from '../../src/store/petition.js';
import { FIXTURES, refusingUrl, tempDir } from '../helpers.js';

const FIXTURE = readFileSync(join(FIXTURES, 'petition-parliament-uk-131215-2016.json'), 'utf8');

let baseUrl = '';
const hits = new Map<string, number>();
let countOverride: number | null = null;

function json(res: ServerResponse, body: string): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
}

function withCount(count: number): string {
  const doc = JSON.parse(FIXTURE) as { data: { attributes: { signature_count: number } } };
  doc.data.attributes.signature_count = count;
  return JSON.stringify(doc);
}

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/petitions/131215.json': (_req, res) => json(res, countOverride === null ? FIXTURE : withCount(countOverride)),
  // A closed petition moves to the archive and its old address redirects there.
  '/petitions/131216.json': (_req, res) => res.writeHead(302, { location: '/archived/petitions/131216.json' }).end(),
  '/archived/petitions/131216.json': (_req, res) => json(res, FIXTURE),
  '/petitions/503.json': (req, res) => {
    if (hits.get(req.url!) === 1) res.writeHead(503, 'Service Unavailable').end('busy');
    else json(res, FIXTURE);
  },
  // Before it is published, the site sends a petition's address on to a page saying so (HTML).
  '/petitions/900011.json': (_req, res) => res.writeHead(302, { location: '/petitions/900011/moderation-info' }).end(),
  '/petitions/900011/moderation-info': (_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>This petition is being checked</h1>'),
  '/petitions/900012.json': (_req, res) =>
    res.writeHead(302, { location: '/petitions/900012/gathering-support' }).end(),
  '/petitions/900012/gathering-support': (_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Gathering support</h1>'),
  '/petitions/500.json': (_req, res) => res.writeHead(500, 'Internal Server Error').end('down'),
  '/petitions/403.json': (_req, res) => res.writeHead(403, 'Forbidden').end('no'),
  '/petitions/html.json': (_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>We are doing maintenance</h1>'),
  '/petitions/huge.json': (_req, res) => json(res, `{"pad":"${'x'.repeat(3 * 1024 * 1024)}"}`),
  // Streamed without a length, so only counting the bytes as they come can stop it.
  '/petitions/chunked.json': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    for (let i = 0; i < 30; i++) res.write(' '.repeat(100 * 1024));
    res.end('{}');
  },
  '/petitions/bad.json': (_req, res) =>
    json(res, JSON.stringify({ data: { id: 1, attributes: { action: 'x', state: 'open' } } })),
  '/petitions/stall.json': () => {
    /* never answers */
  },
};

const server = createServer((req, res) => {
  hits.set(req.url!, (hits.get(req.url!) ?? 0) + 1);
  (routes[req.url!] ?? ((_, r: ServerResponse) => r.writeHead(404).end('not found')))(req, res);
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Records the waits instead of waiting. */
function fakeSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms) => {
      waits.push(ms);
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<PetitionFetchError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PetitionFetchError);
  return error as PetitionFetchError;
}

describe('fetchPetition', () => {
  it('fetches and reads the petition', async () => {
    const { snapshot, url } = await fetchPetition(131215, { network: TEST_NETWORK, baseUrl });
    expect(snapshot).toMatchObject({ petitionId: 131215, signatureCount: 3_555_721, state: 'open' });
    expect(url).toBe(`${baseUrl}/petitions/131215.json`);
  });

  it('reads where the signatures come from: 650 constituencies with their MPs and 221 countries', async () => {
    const { geography } = await fetchPetition(131215, { network: TEST_NETWORK, baseUrl });
    expect(geography?.constituencies).toHaveLength(650);
    expect(geography?.countries).toHaveLength(221);
    expect(geography?.constituencies.find((c) => c.onsCode === 'E14000750')).toEqual({
      name: 'Holborn and St Pancras',
      onsCode: 'E14000750',
      mp: 'Keir Starmer MP',
      signatureCount: 18_704,
    });
  });

  it('says a petition the site is still checking, or still gathering supporters for, is waiting to be published', async () => {
    const { sleep, waits } = fakeSleep();
    const checking = await failure(fetchPetition(900011, { network: TEST_NETWORK, baseUrl, sleep }));
    expect(checking).toBeInstanceOf(PetitionNotPublished);
    expect(checking.message).toBe('petition 900011 is waiting to be published (in moderation)');
    const gathering = await failure(fetchPetition(900012, { network: TEST_NETWORK, baseUrl, sleep }));
    expect(gathering).toMatchObject({ stage: 'gathering support' });
    expect(waits).toEqual([]);
  });

  it('follows an archived petition to its new address', async () => {
    const { snapshot, url } = await fetchPetition(131216, { network: TEST_NETWORK, baseUrl });
    expect(url).toBe(`${baseUrl}/archived/petitions/131216.json`);
    expect(snapshot.signatureCount).toBe(3_555_721);
  });

  it('says a petition that does not exist is not found, without retrying', async () => {
    const { sleep, waits } = fakeSleep();
    const error = await failure(fetchPetition(404, { network: TEST_NETWORK, baseUrl, sleep }));
    expect(error.message).toBe('petition 404 not found');
    expect(waits).toEqual([]);
  });

  it('reports another client error with its status', async () => {
    expect((await failure(fetchPetition(403, { network: TEST_NETWORK, baseUrl }))).message).toBe(
      'petition 403: the site answered 403 Forbidden',
    );
  });

  it('retries after a 503 and gets the petition', async () => {
    const { sleep, waits } = fakeSleep();
    const { snapshot } = await fetchPetition(503, { network: TEST_NETWORK, baseUrl, sleep });
    expect(snapshot.petitionId).toBe(131215);
    expect(waits).toHaveLength(1);
  });

  it('gives up after three attempts at a failing server, backing off each time', async () => {
    const { sleep, waits } = fakeSleep();
    const error = await failure(fetchPetition(500, { network: TEST_NETWORK, baseUrl, sleep }));
    expect(error.message).toBe('petition 500: the site answered 500 Internal Server Error (tried 3 times)');
    expect(hits.get('/petitions/500.json')).toBe(3);
    expect(waits[1]).toBeGreaterThan(waits[0]!);
  });

  it('gives up on a server that never answers', async () => {
    const { sleep } = fakeSleep();
    const error = await failure(fetchPetition('stall', { network: TEST_NETWORK, baseUrl, sleep, timeoutMs: 50 }));
    expect(error.message).toBe('petition stall: no answer within 0.05 s (tried 3 times)');
  });

  it('says so when nothing listens at the address', async () => {
    const { sleep } = fakeSleep();
    const baseUrl = await refusingUrl();
    const error = await failure(fetchPetition(1, { network: TEST_NETWORK, baseUrl, sleep }));
    expect(error.message).toMatch(
      new RegExp(`^petition 1: could not reach ${new URL(baseUrl).host.replace(/\./g, '\\.')}`),
    );
  });

  it('refuses an HTML page served with 200', async () => {
    expect((await failure(fetchPetition('html', { network: TEST_NETWORK, baseUrl }))).message).toBe(
      'petition html: expected JSON but the site sent text/html',
    );
  });

  it('refuses an answer larger than the cap', async () => {
    expect((await failure(fetchPetition('huge', { network: TEST_NETWORK, baseUrl }))).message).toMatch(
      /larger than 2048 KB/,
    );
    expect((await failure(fetchPetition('chunked', { network: TEST_NETWORK, baseUrl }))).message).toMatch(
      /larger than 2048 KB/,
    );
  });

  it('names the missing field of a JSON that is not a petition', async () => {
    expect((await failure(fetchPetition('bad', { network: TEST_NETWORK, baseUrl }))).message).toMatch(
      /^petition bad: petition JSON: data\.attributes\.signature_count/,
    );
  });
});

describe('petition snapshots in the store', () => {
  it("stores what was fetched and reads back the day's progress", async () => {
    const db = openDatabase(tempDir());
    expect(latestSnapshot(db, 131215)).toBeNull();

    countOverride = 3_555_511;
    storeSnapshot(
      db,
      131215,
      (await fetchPetition(131215, { network: TEST_NETWORK, baseUrl })).snapshot,
      '2016-06-26T01:00:00.000Z',
    );
    countOverride = null;
    storeSnapshot(
      db,
      131215,
      (await fetchPetition(131215, { network: TEST_NETWORK, baseUrl })).snapshot,
      '2016-06-27T00:30:00.000Z',
    );

    const now = new Date('2016-06-27T01:00:00.000Z');
    const latest = latestSnapshot(db, 131215)!;
    expect(latest).toMatchObject({
      takenAt: '2016-06-27T00:30:00.000Z',
      signatureCount: 3_555_721,
      openedAt: '2016-05-25T11:19:56.925Z',
    });
    const earlier = snapshotsSince(db, 131215, '2016-06-25T13:00:00.000Z');
    expect(earlier.map((s) => s.signatureCount)).toEqual([3_555_511, 3_555_721]);

    const progress = petitionProgress(latest, earlier, now);
    expect(progress.line).toBe(
      '3,555,721 signatures (+210 in the last day) · government response due · debate threshold reached',
    );
    expect(snapshotsSince(db, 131215, '2016-06-27T00:00:00.000Z')).toHaveLength(1);
    expect(latestSnapshot(db, 999)).toBeNull();
    db.close();
  });
});
