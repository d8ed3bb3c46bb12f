// The process's own edges for `npm start`: the stop signals, and failures an
// operator can fix said in one line instead of a stack trace.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { StorageError } from './store/storageErrors.js';

export interface StopSignal {
  /** Resolves on SIGINT or SIGTERM, or when `now` is called. */
  requested: Promise<void>;
  /** Stop in order, as on SIGTERM, for a reason of the process's own (its shard manager is gone). */
  now(reason: string): void;
  /** Stop because something cannot go on (Discord refusing the bot): the message goes to stderr, the exit code is 1. */
  fatal(message: string): void;
  /** Whether the stop was a fatal one. */
  failed(): boolean;
}

/**
 * The first SIGINT/SIGTERM asks for an orderly stop; a second one ends the process at once, unless
 * `repeatEndsAtOnce` is false: a shard hears Ctrl-C from the terminal and SIGTERM from its manager for the
 * same stop, and its manager is the one that ends it at once.
 */
export function onStopSignal(log: Logger, { repeatEndsAtOnce = true } = {}): StopSignal {
  let resolve: () => void = () => {};
  const requested = new Promise<void>((r) => {
    resolve = r;
  });
  let stopping = false;
  let failed = false;
  const onSignal = (signal: string) => {
    if (stopping) {
      if (repeatEndsAtOnce) process.exit(1); // a second Ctrl-C: the operator means it
      return;
    }
    stopping = true;
    log.info({ signal }, 'stopping');
    resolve();
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  return {
    requested,
    now(reason) {
      if (stopping) return;
      stopping = true;
      log.info({ reason }, 'stopping');
      resolve();
    },
    fatal(message) {
      process.stderr.write(`${message}\n`);
      stopping = true;
      failed = true;
      resolve();
    },
    failed: () => failed,
  };
}

/** Run `open`; a disk or permission problem is written as one line and gives null. */
export function orExplain<T>(open: () => T): T | null {
  try {
    return open();
  } catch (error) {
    if (!(error instanceof StorageError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    return null;
  }
}

/** How long the event loop has been held up since start: what an interaction arriving at a bad moment waited. */
export interface EventLoopDelay {
  p99Ms: number;
  maxMs: number;
}

/** Start measuring the event loop's delay (perf_hooks, 20 ms resolution); the function reads it so far. */
export function watchEventLoop(): () => EventLoopDelay {
  const histogram = monitorEventLoopDelay({ resolution: 20 });
  histogram.enable();
  const ms = (ns: number) => Math.round(ns / 1e5) / 10;
  return () => ({ p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max) });
}
