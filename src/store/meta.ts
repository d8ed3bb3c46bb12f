// The `meta` table: small named values other repositories and use cases keep
// (checkpoints, a failed fetch remembered, the store's own id).
import type { Db } from './db.js';
import { guarded, prepared } from './statements.js';

export interface MetaRepository {
  get(key: string): string | null;
  set(key: string, value: string): void;
  /** Store `value` unless the key has one; returns the value the key now holds. */
  setIfAbsent(key: string, value: string): string;
  delete(key: string): void;
}

export function metaRepository(db: Db): MetaRepository {
  const get = (key: string) => prepared<string>(db, 'SELECT value FROM meta WHERE key = ?').pluck().get(key) ?? null;
  return guarded(db, {
    get,
    set(key: string, value: string) {
      prepared(
        db,
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ).run(key, value);
    },
    setIfAbsent(key: string, value: string) {
      prepared(db, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING').run(key, value);
      return get(key) ?? value;
    },
    delete(key: string) {
      prepared(db, 'DELETE FROM meta WHERE key = ?').run(key);
    },
  });
}
