// A year of running: what the store keeps and what it lets go.
import { describe, expect, it } from 'vitest';
import { parsePetition } from '../../src/digest/petitionJson.js';
import { openDatabase } from '../../src/store/db.js';
import { connectionOf, storeOver, type Store } from '../../src/store/store.js';
import { tempDir } from '../helpers.js';

const NOW = Date.parse('2026-06-30T12:00:00Z');
const MINUTE = 60_000;
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** A made-up petition snapshot (not a real petition). */
const snapshot = (count: number) =>
  parsePetition({
    data: {
      type: 'petition',
      id: 900200,
      attributes: {
        action: 'Fake petition for the retention test',
        state: 'open',
        signature_count: count,
        opened_at: '2026-01-01T00:00:00.000Z',
        response_threshold_reached_at: null,
        debate_threshold_reached_at: null,
        government_response: null,
        debate: null,
      },
    },
  });

const fresh = () => storeOver(openDatabase(tempDir()));
const count = (store: Store, sql: string) => connectionOf(store).prepare(sql).pluck().get() as number;

describe('retention', () => {
  it('thins petition snapshots with age: all of the last day, one an hour to 30 days, one a day before', () => {
    const store = fresh();
    // Every 15 minutes for 40 days, as the petition check and /petition leave them.
    for (let at = NOW - 40 * DAY + 15 * MINUTE; at <= NOW; at += 15 * MINUTE)
      store.petition.store(900200, snapshot(at % 9973), iso(at));
    const checked = iso(NOW - 35 * DAY + 15 * MINUTE * 3);
    store.meta.set('petition_milestones_checked:900200', checked);
    const removed = store.retention.prune(iso(NOW));
    const since = (ms: number) => store.petition.since(900200, iso(ms)).length;
    expect(since(NOW - DAY)).toBe(96 + 1);
    expect(since(NOW - 30 * DAY) - since(NOW - DAY)).toBeLessThanOrEqual(29 * 24 + 1);
    expect(since(NOW - 30 * DAY) - since(NOW - DAY)).toBeGreaterThanOrEqual(29 * 24 - 1);
    expect(store.petition.since(900200, iso(NOW - 40 * DAY)).length - since(NOW - 30 * DAY)).toBeLessThanOrEqual(
      10 + 2,
    );
    // What the milestone check looks back at, and the latest, stay.
    expect(store.petition.since(900200, checked)[0]?.takenAt).toBe(checked);
    expect(store.petition.latest(900200)?.takenAt).toBe(iso(NOW));
    expect(removed.petitionSnapshots).toBeGreaterThan(2_000);
    store.close();
  });

  it('keeps a petition’s breakdowns (one a day) for 30 days, and always its newest', () => {
    const store = fresh();
    const geography = {
      constituencies: [{ name: 'Fakeborough East', onsCode: 'E14009991', mp: null, signatureCount: 5 }],
      countries: [],
      regions: null,
    };
    // Four readings a day for 40 days: one row a day, the day's latest.
    for (let at = NOW - 40 * DAY + 6 * 60 * MINUTE; at <= NOW; at += 6 * 60 * MINUTE)
      store.petition.storeBreakdown(900201, geography, iso(at));
    // Another petition last read long ago: its newest row stays whatever its age.
    store.petition.storeBreakdown(900202, geography, iso(NOW - 50 * DAY));
    const rows = () => count(store, 'SELECT count(*) FROM petition_breakdowns');
    expect(rows()).toBe(41 + 1);
    const removed = store.retention.prune(iso(NOW));
    expect(store.petition.breakdownBefore(900201, iso(NOW - 30 * DAY).slice(0, 10))).toBeNull();
    expect(rows()).toBe(31 + 1);
    expect(removed.petitionBreakdowns).toBe(10);
    expect(store.petition.latestBreakdown(900202)?.takenAt).toBe(iso(NOW - 50 * DAY));
    expect(store.petition.latestBreakdown(900201)?.takenAt).toBe(iso(NOW));
    store.close();
  });

  it('removes deliveries and announcements after 90 days, never an open delivery, and keeps each feed to its newest 200', () => {
    const store = fresh();
    const old = iso(NOW - 100 * DAY);
    const recent = iso(NOW - 10 * DAY);
    for (const [key, at] of [
      ['old', old],
      ['recent', recent],
    ] as const) {
      store.deliveries.announce({ kind: 'posts', key, title: 'Made-up', body: 'Made-up.', link: null }, at);
      const claim = {
        guildId: '100000000000000001',
        kind: 'posts' as const,
        key,
        channelId: '1',
        nonce: 'n',
        by: 'P',
        now: at,
        leaseMs: 1,
      };
      store.deliveries.claim(claim);
      store.deliveries.markDelivered(claim, 'P', '2', at);
    }
    store.deliveries.claim({
      guildId: '100000000000000001',
      kind: 'digest',
      key: 'open',
      channelId: '1',
      nonce: 'n',
      by: 'P',
      now: old,
      leaseMs: 1,
    });
    store.news.store(
      Array.from({ length: 230 }, (_, i) => ({
        id: `fake-${i}`,
        source: 'https://union.example/feed',
        title: `Made-up news ${i}`,
        link: null,
        published: iso(NOW - i * DAY),
        summary: '',
      })),
      iso(NOW),
    );
    expect(store.retention.prune(iso(NOW))).toMatchObject({ announcements: 1, deliveries: 1, newsItems: 30 });
    expect(count(store, "SELECT count(*) FROM deliveries WHERE key = 'recent'")).toBe(1);
    expect(count(store, "SELECT count(*) FROM deliveries WHERE key = 'open'")).toBe(1);
    expect(count(store, "SELECT count(*) FROM news_items WHERE id = 'fake-0'")).toBe(1);
    expect(count(store, "SELECT count(*) FROM news_items WHERE id = 'fake-229'")).toBe(0);
    expect(store.retention.sizes().tables).toMatchObject({ announcements: 1, news_items: 200 });
    expect(store.retention.sizes().bytes).toBeGreaterThan(0);
    store.close();
  });

  it("forgets new comments queued for posts' threads after 400 days, and keeps the rest", () => {
    const store = fresh();
    store.postThreads.queueComment('c-old', 'p1', iso(NOW - 401 * DAY));
    store.postThreads.queueComment('c-kept', 'p1', iso(NOW - 399 * DAY));
    expect(store.retention.prune(iso(NOW))).toMatchObject({ commentQueue: 1 });
    expect(count(store, "SELECT count(*) FROM comment_queue WHERE comment_id = 'c-kept'")).toBe(1);
    expect(count(store, 'SELECT count(*) FROM comment_queue')).toBe(1);
    store.close();
  });
});
