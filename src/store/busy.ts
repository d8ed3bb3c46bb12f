// Another process's write lock, waited out with the event loop free. SQLite's
// own busy handler sleeps inside the call, so with a long busy_timeout one
// blocked write freezes every interaction of the process; the bot keeps that
// timeout short and tries again between timers instead.
import { setTimeout as sleep } from 'node:timers/promises';
import { errorCode, StorageError } from './storageErrors.js';

/** Whether an error is another connection holding the lock (nothing wrong with the disk or the data). */
export function isBusy(error: unknown): boolean {
  const code = error instanceof StorageError ? error.reason : errorCode(error);
  return code !== null && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

/** Waits between tries: about 1.5 s in all, inside Discord's 3 s for a first answer. */
const WAITS_MS = [50, 100, 200, 400, 750] as const;

/**
 * Run `work`, and while it fails only because the database is locked by another connection, run it again after a
 * pause. `work` must be safe to repeat: it failed before committing anything. Any other failure, or still busy
 * after the last try, is thrown as it came.
 */
export async function whenFree<T>(
  work: () => T | Promise<T>,
  waits: readonly number[] = WAITS_MS,
  wait: (ms: number) => Promise<unknown> = sleep,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isBusy(error) || attempt >= waits.length) throw error;
      await wait(waits[attempt]!);
    }
  }
}
