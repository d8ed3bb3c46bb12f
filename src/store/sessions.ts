// Searches members are paging through, as opaque JSON under a short id: any
// process answers their buttons, a restart keeps them, a day forgets them.
import type { Db } from './db.js';
import { guarded, prepared, relaxedSync } from './statements.js';

export interface SessionRepository {
  save(id: string, body: string, now: string): void;
  /** A saved session's new body; it keeps its age. */
  update(id: string, body: string): void;
  /** The session's body, when it was saved at or after `since`. */
  load(id: string, since: string): string | null;
  /** Forget sessions saved before `before`; returns how many. */
  forget(before: string): number;
}

export function sessionRepository(db: Db): SessionRepository {
  return guarded(db, {
    // One write per search: not worth waiting for the disk (a power loss forgets the last searches' pages).
    save: (id: string, body: string, now: string) => {
      relaxedSync(db, () =>
        prepared(db, 'INSERT OR REPLACE INTO search_sessions (id, body, created_at) VALUES (?, ?, ?)').run(
          id,
          body,
          now,
        ),
      );
    },
    update: (id: string, body: string) => {
      prepared(db, 'UPDATE search_sessions SET body = ? WHERE id = ?').run(body, id);
    },
    load: (id: string, since: string) =>
      prepared<string>(db, 'SELECT body FROM search_sessions WHERE id = ? AND created_at >= ?')
        .pluck()
        .get(id, since) ?? null,
    forget: (before: string) => prepared(db, 'DELETE FROM search_sessions WHERE created_at < ?').run(before).changes,
  });
}
