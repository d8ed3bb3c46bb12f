// Statements prepared once per connection: a repository asks for its SQL by
// text and gets the statement prepared the first time, as rocicorp's zqlite
// does. Storage faults met by a repository call are turned into one-line
// StorageErrors here, in one place.
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';
import { describeStorageFault } from './storageErrors.js';

const cache = new WeakMap<Db, Map<string, Statement>>();

/** The statement for `sql` on this connection, prepared on first use; its pluck mode reset to off. */
export function prepared<Row = unknown>(db: Db, sql: string): Statement<unknown[], Row> {
  let statements = cache.get(db);
  if (!statements) cache.set(db, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  // Rows are typed where the statement is asked for: one declaration per query instead of a cast per call.
  const typed = statement as Statement<unknown[], Row>;
  return typed.reader ? typed.pluck(false) : typed;
}

/** Run `work`; a failure of the disk under the database (full, read-only, damaged) comes out as a one-line StorageError. */
export function asStorageError<T>(db: Db, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw describeStorageFault(error, db.name) ?? error;
  }
}

/**
 * A repository whose every method maps storage faults through `asStorageError`.
 * Methods returning promises or iterators are passed through as they are.
 */
export function guarded<R extends object>(db: Db, repository: R): R {
  const out = {} as R;
  for (const [name, value] of Object.entries(repository)) {
    (out as Record<string, unknown>)[name] =
      typeof value === 'function'
        ? (...args: unknown[]) => asStorageError(db, () => (value as (...a: unknown[]) => unknown)(...args))
        : value;
  }
  return out;
}

/**
 * Run a write with `synchronous=NORMAL`: committed without waiting for the disk (a power loss can roll back the
 * last such writes), then back to FULL for everything else (the deliveries ledger must not lose a `sent`). For
 * what can be lost harmlessly: bulk ingest batches (the next ingest stores them again), a search's pages.
 * Synchronous, so no other write of this process runs in between.
 */
export function relaxedSync<T>(db: Db, write: () => T): T {
  db.pragma('synchronous = NORMAL');
  try {
    return write();
  } finally {
    db.pragma('synchronous = FULL');
  }
}
