// The process's own edges for `npm start`: the stop signals, and failures an
// operator can fix said in one line instead of a stack trace.
import type { Logger } from 'pino';
import { StorageError } from './store/storageErrors.js';

export interface StopSignal {
  /** Resolves on SIGINT or SIGTERM, or when `now` is called. */
  requested: Promise<void>;
  /** Stop because something cannot go on (Discord refusing the bot): the message goes to stderr, the exit code is 1. */
  fatal(message: string): void;
  /** Whether the stop was a fatal one. */
  failed(): boolean;
}

/** The first SIGINT/SIGTERM asks for an orderly stop; a second one ends the process at once. */
export function onStopSignal(log: Logger): StopSignal {
  let resolve: () => void = () => {};
  const requested = new Promise<void>((r) => {
    resolve = r;
  });
  let stopping = false;
  let failed = false;
  const onSignal = (signal: string) => {
    if (stopping) process.exit(1); // a second Ctrl-C: the operator means it
    stopping = true;
    log.info({ signal }, 'stopping');
    resolve();
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  return {
    requested,
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
