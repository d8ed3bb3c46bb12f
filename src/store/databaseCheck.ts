// Whether a database file is a whole copy of the archive: SQLite's integrity
// check, the schema version it was written with, and what it holds. Backups
// are checked with it after they are written and before they are restored.
import Database from 'better-sqlite3';

export interface DatabaseCheck {
  /** Empty when the file is a whole archive database this version can open. */
  problems: string[];
  /** `PRAGMA user_version`: how far the file's schema has come; null when it could not be read. */
  schema: number | null;
  posts: number | null;
  comments: number | null;
}

/**
 * Open `file` (read only unless `selfContained`) and check it. `selfContained`: first switch the file out of WAL mode
 * (a copy of a WAL database says WAL in its header), so the backup is one file with no -wal or -shm beside it.
 */
export function checkDatabaseFile(file: string, knownSchema: number, { selfContained = false } = {}): DatabaseCheck {
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: !selfContained, fileMustExist: true });
    if (selfContained) db.pragma('journal_mode = DELETE');
    const schema = db.pragma('user_version', { simple: true }) as number;
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    const problems = integrity.length === 1 && integrity[0] === 'ok' ? [] : integrity.slice(0, 5);
    if (schema > knownSchema)
      problems.push(`it is from a newer version of the bot (schema ${schema}; this one knows ${knownSchema})`);
    const hasPosts = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'posts'").get();
    if (schema < 1 || !hasPosts) {
      problems.push('it is not an archive database (no posts table)');
      return { problems, schema, posts: null, comments: null };
    }
    const count = (table: string) => db!.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    return { problems, schema, posts: count('posts'), comments: count('comments') };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { problems: [`it cannot be read as a database: ${why}`], schema: null, posts: null, comments: null };
  } finally {
    db?.close();
  }
}
