// One runner for every job. A job never runs twice at once: a run that falls
// due while the last one still runs is skipped, not queued. A failure is
// logged with the job's name and retried with backoff. `stop()` waits for the
// runs under way (bounded) and says which it had to abandon.
import type { Logger } from 'pino';
import { type Clock, sleep } from '../clock.js';
import type { Job } from './job.js';
import { isBusy } from '../store/busy.js';

/** How often a process that does not lead asks again whether it does, for a leader-only job. */
const FOLLOWER_RECHECK_MS = 20_000;

export interface JobRunnerOptions {
  clock: Clock;
  log: Logger;
  /** Whether this process leads; asked before each run of a `leaderOnly` job (default: always). */
  isLeader?: () => boolean;
  /** The first retry after a failure; doubled for each failure in a row, never past the job's `every`. */
  retryAfterMs?: number;
  /** How long `stop()` waits for running jobs before it abandons them. */
  stopTimeoutMs?: number;
}

export interface JobRunner {
  /** Run a job now unless it is running; resolves with false when it was skipped. */
  runNow(name: string): Promise<boolean>;
  /** No more runs; waits for those under way, at most `stopTimeoutMs`; returns the names still running then. */
  stop(): Promise<{ abandoned: string[] }>;
}

interface JobState {
  job: Job;
  running: Promise<void> | null;
  cancelTimer: (() => void) | null;
  failures: number;
}

export function startJobs(jobs: readonly Job[], options: JobRunnerOptions): JobRunner {
  const { clock, log } = options;
  const retryAfterMs = options.retryAfterMs ?? 30_000;
  const stopping = new AbortController();
  const states = new Map<string, JobState>(
    jobs.map((job) => [job.name, { job, running: null, cancelTimer: null, failures: 0 }]),
  );

  const plan = (state: JobState, ms: number) => {
    state.cancelTimer?.();
    state.cancelTimer = stopping.signal.aborted ? null : clock.after(ms, () => void start(state, 'timer'));
  };

  /** After a run: the next slot on the job's rhythm (slots missed while it ran are skipped), or a backoff after a failure. */
  const nextDelay = (state: JobState, startedAt: number): number => {
    const { every } = state.job;
    if (state.failures > 0) return Math.min(every, retryAfterMs * 2 ** (state.failures - 1));
    const elapsed = clock.now().getTime() - startedAt;
    return every - (elapsed % every);
  };

  const start = (state: JobState, why: 'timer' | 'asked'): Promise<boolean> => {
    const { job } = state;
    if (stopping.signal.aborted) return Promise.resolve(false);
    if (state.running) {
      log.debug({ job: job.name, why }, 'job still running: this run skipped');
      return Promise.resolve(false);
    }
    if (job.leaderOnly && !(options.isLeader?.() ?? true)) {
      // Asked again soon: a process that becomes leader (the old one died) takes the job up within a minute.
      plan(state, Math.min(job.every, FOLLOWER_RECHECK_MS));
      return Promise.resolve(false);
    }
    state.cancelTimer?.();
    state.cancelTimer = null;
    const startedAt = clock.now().getTime();
    const run = (async () => {
      try {
        await job.run(stopping.signal);
        state.failures = 0;
      } catch (error) {
        state.failures++;
        // Another process holding the write lock is not a fault: the run is tried again later, as any failed one.
        if (isBusy(error))
          log.warn({ job: job.name, failures: state.failures }, 'database busy with another process; will retry');
        else log.error({ err: error, job: job.name, failures: state.failures }, 'job failed; will retry');
      }
    })();
    state.running = run;
    return run.then(() => {
      state.running = null;
      plan(state, nextDelay(state, startedAt));
      return true;
    });
  };

  for (const state of states.values()) plan(state, state.job.firstRunIn?.() ?? 0);

  return {
    runNow(name) {
      const state = states.get(name);
      if (!state) throw new Error(`no job named ${name}`);
      return start(state, 'asked');
    },
    async stop() {
      stopping.abort();
      for (const state of states.values()) state.cancelTimer?.();
      const running = [...states.values()].filter((s) => s.running);
      const timedOut = new AbortController();
      await Promise.race([
        Promise.all(running.map((s) => s.running)),
        sleep(clock, options.stopTimeoutMs ?? 15_000, timedOut.signal),
      ]);
      timedOut.abort();
      const abandoned = running.filter((s) => s.running).map((s) => s.job.name);
      if (abandoned.length > 0) log.warn({ jobs: abandoned }, 'stopped while these jobs still ran');
      return { abandoned };
    },
  };
}
