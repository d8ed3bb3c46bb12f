// The deliveries ledger on its own: a claim is one process's for its lease; a crashed process's claim is taken over
// once, after the lease; a delivery recorded as sent is never claimed again.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { storeOver } from '../../src/store/store.js';
import { tempDir } from '../helpers.js';

const LEASE = 5 * 60_000;
const T0 = Date.parse('2026-06-30T12:00:00Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

function ledger() {
  const dir = tempDir();
  const store = storeOver(openDatabase(dir), dir);
  const claim = (by: string, ms: number) =>
    store.deliveries.claim({
      guildId: 'fake-guild',
      kind: 'digest',
      key: 'digest:2026-06-30',
      channelId: 'fake-channel',
      nonce: `nonce-${by}`,
      by,
      now: at(ms),
      leaseMs: LEASE,
    });
  return { store, claim };
}

describe('the deliveries ledger', () => {
  it('gives a claim to one process for its lease, then lets one other take it over, keeping the first nonce', () => {
    const { claim } = ledger();
    expect(claim('A', 0)).toMatchObject({ claimed: true, nonce: 'nonce-A', recovering: false });
    // Still within A's lease: A may be sending right now.
    expect(claim('B', 1_000)).toEqual({ claimed: false, state: 'claimed' });
    expect(claim('B', LEASE - 1)).toEqual({ claimed: false, state: 'claimed' });
    // A is presumed dead: B takes over, with A's nonce (Discord folds a repeat of it into A's message).
    expect(claim('B', LEASE + 1)).toMatchObject({ claimed: true, nonce: 'nonce-A', recovering: true, attempts: 2 });
    expect(claim('C', LEASE + 2)).toEqual({ claimed: false, state: 'claimed' });
  });

  it('never hands out again a delivery recorded as sent', () => {
    const { store, claim } = ledger();
    claim('A', 0);
    const key = { guildId: 'fake-guild', kind: 'digest', key: 'digest:2026-06-30' } as const;
    expect(store.deliveries.markDelivered(key, 'A', 'fake-message', at(10))).toBe(true);
    expect(claim('B', LEASE * 10)).toMatchObject({ claimed: false });
  });
});

describe('the ledger at its edges', () => {
  it('lets a claim be taken over from the very moment its lease ends, and never a finished one', () => {
    const { store, claim } = ledger();
    claim('A', 0);
    expect(claim('B', LEASE)).toMatchObject({ claimed: true, recovering: true });
    const key = { guildId: 'fake-guild', kind: 'digest', key: 'digest:2026-06-30' } as const;
    expect(store.deliveries.fail(key, 'B', 'Discord: Missing Access', at(LEASE + 1))).toBe(true);
    // Failed for good: whatever the time, nobody claims it again, and it says why not.
    expect(claim('C', LEASE * 10)).toEqual({ claimed: false, state: 'failed' });
  });

  const summaryOf = (
    store: ReturnType<typeof ledger>['store'],
    key: string,
    by: string,
    items: string[],
    kind: 'posts' | 'napo' = 'posts',
  ) =>
    store.deliveries.claimSummary({
      guildId: 'fake-guild',
      kind: 'summary',
      key,
      channelId: 'fake-channel',
      nonce: `nonce-${key}`,
      by,
      now: at(0),
      leaseMs: LEASE,
      items: items.map((k) => ({ guildId: 'fake-guild', kind, key: k })),
    });
  const announce = (store: ReturnType<typeof ledger>['store'], kind: 'posts' | 'napo', key: string) =>
    store.deliveries.announce({ kind, key, title: `Fake ${key}`, body: '', link: null }, at(0));

  it('folds announcements into one summary once: not again, and not over an item already taken', () => {
    const { store } = ledger();
    for (const k of ['p1', 'p2', 'p3']) announce(store, 'posts', k);
    expect(summaryOf(store, 'posts:1-2', 'A', ['p1', 'p2'])).toMatchObject({ claimed: true, recovering: false });
    // The same summary again, or another holding one of its items: refused, nothing written.
    expect(summaryOf(store, 'posts:1-2', 'B', ['p1', 'p2'])).toBeNull();
    expect(summaryOf(store, 'posts:2-3', 'B', ['p2', 'p3'])).toBeNull();
    expect(store.deliveries.state({ guildId: 'fake-guild', kind: 'posts', key: 'p3' })).toBeNull();
    // A summary under a key already used, even over free items: refused, and the items left free.
    expect(summaryOf(store, 'posts:1-2', 'B', ['p3'])).toBeNull();
    expect(store.deliveries.state({ guildId: 'fake-guild', kind: 'posts', key: 'p3' })).toBeNull();
    // Each item held by the summary, under its own kind and key.
    expect(store.deliveries.state({ guildId: 'fake-guild', kind: 'posts', key: 'p1' })).toBe('held');
    expect(store.deliveries.state({ guildId: 'fake-guild', kind: 'posts', key: 'p2' })).toBe('held');
  });

  it('checks a summary’s items under their own kind (Napo news, not posts)', () => {
    const { store } = ledger();
    for (const k of ['n1', 'n2']) announce(store, 'napo', k);
    expect(summaryOf(store, 'napo:1-1', 'A', ['n1'], 'napo')).toMatchObject({ claimed: true });
    expect(summaryOf(store, 'napo:1-2', 'B', ['n1', 'n2'], 'napo')).toBeNull();
    expect(store.deliveries.state({ guildId: 'fake-guild', kind: 'napo', key: 'n2' })).toBeNull();
  });

  it('carries on an open summary of its own kind only, and closes its items with it', () => {
    const { store } = ledger();
    for (const k of ['p1', 'p2']) announce(store, 'posts', k);
    summaryOf(store, 'posts:1-2', 'A', ['p1', 'p2']);
    expect(store.deliveries.openSummary('fake-guild', 'napo')).toBeNull();
    expect(store.deliveries.openSummary('fake-guild', 'posts')).toMatchObject({
      key: 'posts:1-2',
      announcements: [{ key: 'p1' }, { key: 'p2' }],
    });
    const summary = { guildId: 'fake-guild', kind: 'summary', key: 'posts:1-2' } as const;
    expect(store.deliveries.markDelivered(summary, 'A', 'fake-message', at(5))).toBe(true);
    expect(store.deliveries.openSummary('fake-guild', 'posts')).toBeNull();
    expect(store.deliveries.state({ guildId: 'fake-guild', kind: 'posts', key: 'p1' })).toBe('sent');
    expect(store.deliveries.state({ guildId: 'fake-guild', kind: 'posts', key: 'p2' })).toBe('sent');
  });

  it('closes only a summary’s own items: a digest sent leaves held announcements alone', () => {
    const { store, claim } = ledger();
    announce(store, 'posts', 'p1');
    summaryOf(store, 'digest:2026-06-30', 'A', ['p1']);
    claim('A', 0);
    const digest = { guildId: 'fake-guild', kind: 'digest', key: 'digest:2026-06-30' } as const;
    expect(store.deliveries.markDelivered(digest, 'A', 'fake-message', at(5))).toBe(true);
    expect(store.deliveries.state({ guildId: 'fake-guild', kind: 'posts', key: 'p1' })).toBe('held');
  });
});
