import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/clock.js';
import type { Job } from '../../src/jobs/job.js';
import { type JobRunner, startJobs } from '../../src/jobs/runner.js';
import { memoryLog } from '../helpers.js';

const START = Date.parse('2025-10-26T00:30:00Z');
const SECOND = 1_000;

beforeEach(() => {
  vi.useFakeTimers({ now: START });
});
afterEach(() => {
  vi.useRealTimers();
});

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const since = () => Date.now() - START;

/** Stop the runner, letting the fake clock run while runs under way finish. */
async function stopAll(runner: JobRunner) {
  const stopping = runner.stop();
  await vi.advanceTimersByTimeAsync(60 * SECOND);
  return stopping;
}

/** A job that records when each run started and how many ran at once. */
function timedJob(name: string, every: number, runMs: number, more: Partial<Job> = {}) {
  const starts: number[] = [];
  let running = 0;
  let most = 0;
  const job: Job = {
    name,
    every,
    leaderOnly: false,
    async run() {
      starts.push(since());
      most = Math.max(most, ++running);
      await wait(runMs);
      running--;
    },
    ...more,
  };
  return { job, starts, most: () => most };
}

describe('the job runner', () => {
  it('never runs a slow job twice at once: runs that fall due meanwhile are skipped, not queued', async () => {
    const { log } = memoryLog();
    const slow = timedJob('slow', 10 * SECOND, 35 * SECOND);
    const runner = startJobs([slow.job], { clock: systemClock, log });
    await vi.advanceTimersByTimeAsync(100 * SECOND);
    expect(slow.most()).toBe(1);
    // Starts keep to the 10 s rhythm, with the slots a run overlapped left out (no burst of catch-up runs).
    expect(slow.starts).toEqual([0, 40 * SECOND, 80 * SECOND]);
    expect(await runner.runNow('slow')).toBe(false); // one is running: asking again is skipped too
    await stopAll(runner);
  });

  it('runs each job on its own rhythm, the first after firstRunIn', async () => {
    const { log } = memoryLog();
    const a = timedJob('a', 30 * SECOND, SECOND, { firstRunIn: () => 5 * SECOND });
    const b = timedJob('b', 60 * SECOND, SECOND);
    const runner = startJobs([a.job, b.job], { clock: systemClock, log });
    await vi.advanceTimersByTimeAsync(125 * SECOND);
    expect(a.starts).toEqual([5, 35, 65, 95, 125].map((s) => s * SECOND));
    expect(b.starts).toEqual([0, 60 * SECOND, 120 * SECOND]);
    await stopAll(runner);
  });

  it('stop() waits for a running job to finish, and no run starts after it', async () => {
    const { log } = memoryLog();
    const job = timedJob('sync', 60 * SECOND, 5 * SECOND);
    const runner = startJobs([job.job], { clock: systemClock, log });
    await vi.advanceTimersByTimeAsync(SECOND);
    let stopped = false;
    const stopping = runner.stop().then((result) => {
      stopped = true;
      return result;
    });
    await vi.advanceTimersByTimeAsync(3 * SECOND);
    expect(stopped).toBe(false); // the run is still going: stop has not returned
    await vi.advanceTimersByTimeAsync(2 * SECOND);
    expect(await stopping).toEqual({ abandoned: [] });
    await vi.advanceTimersByTimeAsync(10 * 60 * SECOND);
    expect(job.starts).toEqual([0]);
  });

  it('tells a running job to stop through its signal', async () => {
    const { log } = memoryLog();
    let aborted = false;
    const job: Job = {
      name: 'pages',
      every: 60 * SECOND,
      leaderOnly: false,
      run: (signal) =>
        new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          }),
        ),
    };
    const runner = startJobs([job], { clock: systemClock, log });
    await vi.advanceTimersByTimeAsync(SECOND);
    expect(await runner.stop()).toEqual({ abandoned: [] });
    expect(aborted).toBe(true);
  });

  it('stop() gives up on a job that will not finish, after stopTimeoutMs, and says which', async () => {
    const { log, lines } = memoryLog();
    const stuck = timedJob('petition check', 60 * SECOND, 10 * 60 * SECOND);
    const quick = timedJob('scheduled posts', 30 * SECOND, SECOND);
    const runner = startJobs([stuck.job, quick.job], { clock: systemClock, log, stopTimeoutMs: 10 * SECOND });
    await vi.advanceTimersByTimeAsync(100);
    const stopping = runner.stop();
    await vi.advanceTimersByTimeAsync(10 * SECOND);
    expect(await stopping).toEqual({ abandoned: ['petition check'] });
    expect(lines).toContainEqual(expect.objectContaining({ level: 40, jobs: ['petition check'] }));
  });

  it('logs a failure with the job name and retries with backoff, then keeps its rhythm once it succeeds', async () => {
    const { log, lines } = memoryLog();
    const starts: number[] = [];
    const job: Job = {
      name: 'Napo check',
      every: 30 * 60 * SECOND,
      leaderOnly: false,
      async run() {
        starts.push(since());
        if (starts.length <= 3) throw new Error(`feed down (${starts.length})`);
      },
    };
    const runner = startJobs([job], { clock: systemClock, log, retryAfterMs: 30 * SECOND });
    await vi.advanceTimersByTimeAsync(60 * 60 * SECOND);
    // Failed at 0, retried after 30 s, then 60 s, then 120 s; succeeded at 210 s; then every 30 minutes.
    expect(starts).toEqual([0, 30, 90, 210, 210 + 1800, 210 + 3600].filter((s) => s <= 3600).map((s) => s * SECOND));
    const failures = lines.filter((l) => l['msg'] === 'job failed; will retry');
    expect(failures).toHaveLength(3);
    expect(failures[0]).toMatchObject({ job: 'Napo check', level: 50, err: { message: 'feed down (1)' } });
    await stopAll(runner);
  });

  it('runs leader-only jobs only while this process leads', async () => {
    const { log } = memoryLog();
    let leading = false;
    const sync = timedJob('sync', 10 * SECOND, 100, { leaderOnly: true });
    const posts = timedJob('scheduled posts', 10 * SECOND, 100);
    const runner = startJobs([sync.job, posts.job], { clock: systemClock, log, isLeader: () => leading });
    await vi.advanceTimersByTimeAsync(25 * SECOND);
    expect(sync.starts).toEqual([]);
    expect(posts.starts).toHaveLength(3);
    leading = true;
    await vi.advanceTimersByTimeAsync(10 * SECOND);
    expect(sync.starts).toEqual([30 * SECOND]);
    await stopAll(runner);
  });
});
