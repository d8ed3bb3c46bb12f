// Keeps the archive in step with the blog while the bot runs: a sync every
// SYNC_INTERVAL, never two at once, the first one soon after start when the
// last completed sync is older than the interval. Timers are injected, so
// tests drive it with a fake clock.
import type { SyncReport } from './sync.js';

export interface SyncScheduleOptions {
  intervalMs: number;
  /** When the last sync completed (ISO), or null if never. */
  lastSuccess: () => string | null;
  run: () => Promise<SyncReport>;
  onReport: (report: SyncReport) => void;
  /** A bug in `run` (sync itself reports network trouble in its report); the schedule goes on. */
  onError: (error: unknown) => void;
  now?: () => number;
  timers?: { setTimeout: (fn: () => void, ms: number) => unknown; clearTimeout: (handle: unknown) => void };
  /** Wait before a first sync that is due at start, so the bot answers members first. */
  startDelayMs?: number;
}

export interface SyncSchedule {
  /** Run a sync now unless one is running; resolves with its report (or null when one was already running). */
  runNow(): Promise<SyncReport | null>;
  /** No more syncs; waits for one in progress to finish. */
  stop(): Promise<void>;
}

export function scheduleSync(options: SyncScheduleOptions): SyncSchedule {
  const now = options.now ?? Date.now;
  const timers = options.timers ?? {
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms).unref(),
    clearTimeout: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout),
  };
  let timer: unknown = null;
  let running: Promise<SyncReport | null> | null = null;
  let stopped = false;

  const plan = (ms: number) => {
    if (stopped) return;
    timer = timers.setTimeout(
      () => {
        timer = null;
        void runNow();
      },
      Math.max(0, ms),
    );
  };

  const runNow = (): Promise<SyncReport | null> => {
    if (running || stopped) return Promise.resolve(null);
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    running = options
      .run()
      .then(
        (report) => {
          options.onReport(report);
          return report;
        },
        (error: unknown) => {
          options.onError(error);
          return null;
        },
      )
      .finally(() => {
        running = null;
        plan(options.intervalMs);
      });
    return running;
  };

  const last = options.lastSuccess();
  const age = last === null ? Infinity : now() - Date.parse(last);
  plan(age >= options.intervalMs ? (options.startDelayMs ?? 10_000) : options.intervalMs - age);

  return {
    runNow,
    async stop() {
      stopped = true;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
