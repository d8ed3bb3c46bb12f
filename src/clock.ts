// The one clock the program reads and waits on. Passed to use cases and the
// job runner, so tests drive time (vitest's fake timers fake this one too).
export interface Clock {
  now(): Date;
  /** Call `fn` after `ms`; returns a cancel. The timer never keeps the process alive on its own. */
  after(ms: number, fn: () => void): () => void;
}

const MAX_TIMEOUT_MS = 2_147_483_647;

export const systemClock: Clock = {
  now: () => new Date(),
  after(ms, fn) {
    // setTimeout fires at once past 2^31 - 1 ms (24.8 days): a longer wait (RECONCILE_EVERY=30d) is waited in legs.
    let timer: ReturnType<typeof setTimeout>;
    const wait = (left: number) => {
      timer = setTimeout(
        () => (left > MAX_TIMEOUT_MS ? wait(left - MAX_TIMEOUT_MS) : fn()),
        Math.min(left, MAX_TIMEOUT_MS),
      );
      timer.unref?.();
    };
    wait(Math.max(0, ms));
    return () => clearTimeout(timer);
  },
};

/** Resolves after `ms` on `clock`, or at once when `signal` is aborted. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const cancel = clock.after(ms, done);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      cancel();
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
