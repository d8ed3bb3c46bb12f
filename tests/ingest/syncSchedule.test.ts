import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SyncReport } from '../../src/ingest/sync.js';
import { scheduleSync, type SyncScheduleOptions } from '../../src/ingest/syncSchedule.js';

const HOUR = 3_600_000;
const START = Date.parse('2025-03-30T00:30:00Z');

beforeEach(() => {
  vi.useFakeTimers({ now: START });
});
afterEach(() => {
  vi.useRealTimers();
});

const report = (): SyncReport => ({
  source: 'https://fake-blog.example',
  format: null,
  posts: 0,
  comments: 0,
  counts: { added: 0, updated: 0, skipped: 0 },
  warnings: [],
  errors: [],
  requests: 2,
  firstSync: false,
  complete: true,
  events: [],
});

function schedule(more: Partial<SyncScheduleOptions> & { runMs?: number } = {}) {
  const runs: number[] = [];
  const errors: unknown[] = [];
  const s = scheduleSync({
    intervalMs: HOUR,
    startDelayMs: 5_000,
    lastSuccess: () => null,
    run: async () => {
      runs.push(Date.now() - START);
      await new Promise((resolve) => setTimeout(resolve, more.runMs ?? 1_000));
      return report();
    },
    onReport: () => {},
    onError: (e) => errors.push(e),
    now: () => Date.now(),
    timers: {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    },
    ...more,
  });
  return { s, runs, errors };
}

describe('the sync schedule', () => {
  it('syncs soon after start when the last sync is older than the interval, then every interval after each sync ends', async () => {
    const { s, runs } = schedule({ lastSuccess: () => new Date(START - 2 * HOUR).toISOString() });
    await vi.advanceTimersByTimeAsync(3 * HOUR);
    expect(runs).toEqual([5_000, 5_000 + 1_000 + HOUR, 5_000 + 2 * (1_000 + HOUR)]);
    await s.stop();
  });

  it('waits out the rest of the interval when the last sync is recent', async () => {
    const { s, runs } = schedule({ lastSuccess: () => new Date(START - 10 * 60_000).toISOString() });
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(runs).toEqual([50 * 60_000]);
    await s.stop();
  });

  it('never runs two syncs at once, even when one takes longer than the interval', async () => {
    const { s, runs } = schedule({ intervalMs: 60_000, runMs: 5 * 60_000 });
    await vi.advanceTimersByTimeAsync(6_000);
    expect(await Promise.race([s.runNow(), Promise.resolve('pending')])).toBeNull();
    await vi.advanceTimersByTimeAsync(694_000); // to 700 s: the second sync ended at 665 s, the third is due at 725 s
    expect(runs).toEqual([5_000, 5_000 + 5 * 60_000 + 60_000]);
    await s.stop();
  });

  it('goes on after a sync that throws', async () => {
    let calls = 0;
    const { s, errors } = schedule({
      run: async () => {
        calls++;
        if (calls === 1) throw new Error('made-up bug');
        return report();
      },
    });
    await vi.advanceTimersByTimeAsync(5_000 + HOUR + 1);
    expect(errors).toHaveLength(1);
    expect(calls).toBe(2);
    await s.stop();
  });

  it('runs nothing more once stopped', async () => {
    const { s, runs } = schedule();
    await s.stop();
    await vi.advanceTimersByTimeAsync(3 * HOUR);
    expect(runs).toEqual([]);
  });
});
