// One leader per data directory: two processes on one store, a fixed clock.
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { leadership } from '../../src/jobs/leadership.js';
import { openStore } from '../../src/store/store.js';
import { memoryLog, tempDir } from '../helpers.js';

function clockAt(start: string): Clock & { advance(ms: number): void } {
  let now = Date.parse(start);
  return { now: () => new Date(now), after: () => () => {}, advance: (ms) => void (now += ms) };
}

describe('leadership', () => {
  it('has one leader; another takes over within a minute of its last heartbeat, and at once after a clean stop', async () => {
    const dataDir = tempDir();
    const clock = clockAt('2026-06-01T09:00:00Z');
    const { log } = memoryLog();
    const a = leadership(openStore(dataDir), 'A', clock, log);
    const b = leadership(openStore(dataDir), 'B', clock, log);
    const signal = new AbortController().signal;
    const beat = async (...who: (typeof a)[]) => {
      for (const p of who) await p.job.run(signal);
    };

    await beat(a, b);
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    // A keeps beating every 15 s: B never leads meanwhile.
    for (let i = 0; i < 8; i++) {
      clock.advance(15_000);
      await beat(a, b);
      expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    }
    // A dies (no more heartbeats): B leads within a minute, A's own view of it runs out too.
    let waited = 0;
    while (!b.isLeader() && waited < 120_000) {
      clock.advance(15_000);
      waited += 15_000;
      await beat(b);
    }
    expect(waited).toBeLessThanOrEqual(60_000);
    expect(a.isLeader()).toBe(false);
    // B stops cleanly: A leads on its next heartbeat.
    b.release();
    clock.advance(15_000);
    await beat(a);
    expect(a.isLeader()).toBe(true);
  });
});
