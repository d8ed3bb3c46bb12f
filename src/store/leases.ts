// Leases: one process at a time holds a named role (the leader of a data
// directory) until its lease runs out; the holder renews it, others take it
// over only once it has expired.
import type { Db } from './db.js';
import { guarded, prepared } from './statements.js';

/** The lease the leader of a data directory holds (src/jobs/leadership.ts); a restore refuses while it is held. */
export const LEADER_LEASE = 'leader';

/** Take or renew the lease `name` for `holder` until now + ttl; true when `holder` holds it afterwards. */
function acquire(db: Db, name: string, holder: string, now: string, ttlMs: number): boolean {
  const expires = new Date(Date.parse(now) + ttlMs).toISOString();
  return db
    .transaction((): boolean => {
      prepared(
        db,
        `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`,
      ).run(name, holder, expires, now);
      return prepared<string>(db, 'SELECT holder FROM leases WHERE name = ?').pluck().get(name) === holder;
    })
    .immediate();
}

function release(db: Db, name: string, holder: string): void {
  prepared(db, 'DELETE FROM leases WHERE name = ? AND holder = ?').run(name, holder);
}

/** Who holds the lease `name` until when; null when nobody does (or it has run out by `now`). */
function holder(db: Db, name: string, now: string): { holder: string; expiresAt: string } | null {
  const row = prepared<{ holder: string; expiresAt: string }>(
    db,
    'SELECT holder, expires_at AS expiresAt FROM leases WHERE name = ? AND expires_at > ?',
  ).get(name, now);
  return row ?? null;
}

export interface LeaseRepository {
  acquire(name: string, holder: string, now: string, ttlMs: number): boolean;
  release(name: string, holder: string): void;
  holder(name: string, now: string): { holder: string; expiresAt: string } | null;
}

export function leaseRepository(db: Db): LeaseRepository {
  return guarded(db, {
    acquire: (name: string, holder: string, now: string, ttlMs: number) => acquire(db, name, holder, now, ttlMs),
    release: (name: string, holder: string) => release(db, name, holder),
    holder: (name: string, now: string) => holder(db, name, now),
  });
}
