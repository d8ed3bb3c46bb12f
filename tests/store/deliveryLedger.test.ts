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
