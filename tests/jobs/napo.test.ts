// The Napo check as the bot runs it, against a made-up feed on 127.0.0.1:
// the first successful read of a feed address is history, not news.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { napoJob, petitionJob } from '../../src/jobs/campaign.js';
import { START_SETTLES_MS } from '../../src/jobs/job.js';
import { startJobs } from '../../src/jobs/runner.js';
import { openDatabase } from '../../src/store/db.js';
import { connectionOf, storeOver, type Store } from '../../src/store/store.js';
import { memoryLog, tempDir } from '../helpers.js';
import { TEST_NETWORK } from '../sources/testNetwork.js';

// Made-up feed: every title and address is invented for the test.
const item = (n: number) =>
  `<item><title>Fake union news ${n}</title><link>https://union.example/news/${n}</link><guid>fake-${n}</guid></item>`;
const rss = (count: number) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Fake Union</title>${Array.from({ length: count }, (_, i) => item(i + 1)).join('')}</channel></rss>`;

let server: Server;
let base: string;
/** What the feed answers next: an error status, or this many items. */
let next: { status: number } | { items: number } = { status: 500 };

beforeAll(async () => {
  server = createServer((_req, res) => {
    if ('status' in next) res.writeHead(next.status, { 'content-type': 'text/plain' }).end('down');
    else res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(next.items));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function clockAt(start: string): Clock & { advance(ms: number): void } {
  let now = Date.parse(start);
  return { now: () => new Date(now), after: () => () => {}, advance: (ms) => void (now += ms) };
}

const announced = (store: Store) =>
  connectionOf(store).prepare("SELECT key FROM announcements WHERE kind = 'napo' ORDER BY key").pluck().all();

describe('Napo news, announced by the Napo check', () => {
  it('announces nothing of the feed when its first read fails, nor of the first read that works; then each new item once', async () => {
    const store = storeOver(openDatabase(tempDir()));
    const clock = clockAt('2025-07-01T09:00:00Z');
    const job = napoJob(store, { network: TEST_NETWORK, feedUrl: `${base}/feed` }, clock);
    const signal = new AbortController().signal;

    next = { status: 500 };
    await job.run(signal);
    expect(announced(store)).toEqual([]);

    clock.advance(30 * 60_000);
    next = { items: 20 };
    await job.run(signal);
    expect(announced(store)).toEqual([]); // twenty old items: history, not news

    clock.advance(30 * 60_000);
    next = { items: 21 };
    await job.run(signal);
    expect(announced(store)).toEqual(['fake-21']);
    store.close();
  });

  it('treats the first read of a new feed address as history too', async () => {
    const store = storeOver(openDatabase(tempDir()));
    const clock = clockAt('2025-07-01T09:00:00Z');
    const signal = new AbortController().signal;
    next = { items: 2 };
    await napoJob(store, { network: TEST_NETWORK, feedUrl: `${base}/old` }, clock).run(signal);
    clock.advance(30 * 60_000);
    next = { items: 5 };
    await napoJob(store, { network: TEST_NETWORK, feedUrl: `${base}/new` }, clock).run(signal);
    expect(announced(store)).toEqual([]);
    store.close();
  });
  it("leaves the feed and the petition site alone until the start has settled: members' first answers come first", async () => {
    const store = storeOver(openDatabase(tempDir()));
    const planned = new Map<string, number>();
    const jobs = [
      napoJob(store, { network: TEST_NETWORK, feedUrl: `${base}/feed` }, clockAt('2025-07-01T09:00:00Z')),
      petitionJob(store, { id: 1, baseUrl: base, network: TEST_NETWORK }, clockAt('2025-07-01T09:00:00Z')),
    ];
    // The runner plans each job's first run through its clock: recorded here, never fired.
    const clock: Clock = {
      now: () => new Date('2025-07-01T09:00:00Z'),
      after: (ms) => {
        planned.set(jobs[planned.size]!.name, ms);
        return () => {};
      },
    };
    const runner = startJobs(jobs, { clock, log: memoryLog().log });
    expect(Object.fromEntries(planned)).toEqual({ 'Napo check': START_SETTLES_MS, 'petition check': START_SETTLES_MS });
    expect(START_SETTLES_MS).toBeGreaterThanOrEqual(5_000);
    await runner.stop();
    store.close();
  });
});
