// What the operator's health check and metrics read from the store: whether
// the connection is open, how long the index journal has grown since the last
// rebuild, and the deliveries ledger by state. Cheap reads, run per scrape.
import type { Db } from './db.js';
import { guarded, prepared } from './statements.js';

export interface OperationsRepository {
  /** Whether the connection is open (it closes only when the bot stops). */
  isOpen(): boolean;
  /** Entries in the index journal: changes not yet folded into a rebuilt index. */
  journalLength(): number;
  /** Deliveries in the ledger by state (claimed, held, sent, skipped, failed). */
  deliveriesByState(): Record<string, number>;
}

export function operationsRepository(db: Db): OperationsRepository {
  const reads = guarded(db, {
    journalLength: () => prepared<number>(db, 'SELECT count(*) FROM index_journal').pluck().get() ?? 0,
    deliveriesByState: () =>
      Object.fromEntries(
        prepared<{ state: string; n: number }>(db, 'SELECT state, count(*) AS n FROM deliveries GROUP BY state')
          .all()
          .map((r) => [r.state, r.n]),
      ),
  });
  return { isOpen: () => db.open, ...reads };
}
