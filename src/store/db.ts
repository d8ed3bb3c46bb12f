// The SQLite file under DATA_DIR: opened in WAL mode (many readers, one
// writer, as the sharded bot will need) and migrated to the current schema.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type Db = Database.Database;

export const DATABASE_FILE = 'archive.sqlite';

/** Each entry moves the schema one version on; `PRAGMA user_version` says how far a file has come. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE posts (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    date TEXT,
    time TEXT,
    author TEXT,
    url TEXT,
    labels TEXT NOT NULL DEFAULT '[]',
    text TEXT NOT NULL,
    source TEXT,
    content_hash TEXT NOT NULL,
    stored_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX posts_by_date ON posts(date);
  CREATE INDEX posts_by_day ON posts(substr(date, 6, 5));
  CREATE TABLE comments (
    id TEXT PRIMARY KEY,
    post_id TEXT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    parent_id TEXT,
    ord INTEGER NOT NULL,
    author TEXT,
    date TEXT,
    time TEXT,
    text TEXT NOT NULL,
    permalink TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    content_hash TEXT NOT NULL,
    stored_at TEXT NOT NULL
  );
  CREATE INDEX comments_by_post ON comments(post_id, ord);
  CREATE TABLE passages (
    id INTEGER PRIMARY KEY,
    post_id TEXT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    comment_id TEXT REFERENCES comments(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('paragraph', 'quoted', 'comment')),
    ord INTEGER NOT NULL,
    author TEXT,
    text TEXT NOT NULL
  );
  CREATE INDEX passages_by_post ON passages(post_id, ord);
  INSERT INTO meta (key, value) VALUES ('generation', '0');
  `,
];

/** Open (creating if needed) the archive database in `dataDir`. */
export function openDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`the database is from a newer version of the bot (schema ${current}, this one knows ${MIGRATIONS.length})`);
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
