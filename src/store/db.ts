// The SQLite file under DATA_DIR: opened in WAL mode (many readers, one
// writer, as the sharded bot will need) and migrated to the current schema.
import Database from 'better-sqlite3';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkDatabaseFile } from './databaseCheck.js';
import { describeStorageFault } from './storageErrors.js';

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
  // 2: passage ids never reused (the index tells passages apart by id), and a
  // journal of the posts whose indexed content changed, written by triggers in
  // the same transaction as the change: the index catches up from it on start.
  `
  DROP TABLE passages;
  CREATE TABLE passages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id TEXT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    comment_id TEXT REFERENCES comments(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('paragraph', 'quoted', 'comment')),
    ord INTEGER NOT NULL,
    author TEXT,
    text TEXT NOT NULL
  );
  CREATE INDEX passages_by_post ON passages(post_id, ord);
  DELETE FROM meta WHERE key = 'passage_format';
  CREATE TABLE index_journal (seq INTEGER PRIMARY KEY AUTOINCREMENT, post_id TEXT NOT NULL);
  CREATE TRIGGER journal_passage_added AFTER INSERT ON passages
    BEGIN INSERT INTO index_journal (post_id) VALUES (new.post_id); END;
  CREATE TRIGGER journal_passage_removed AFTER DELETE ON passages
    BEGIN INSERT INTO index_journal (post_id) VALUES (old.post_id); END;
  CREATE TRIGGER journal_passage_changed AFTER UPDATE OF post_id, kind, author, text ON passages
    BEGIN INSERT INTO index_journal (post_id) VALUES (old.post_id), (new.post_id); END;
  CREATE TRIGGER journal_post_changed AFTER UPDATE OF title ON posts
    BEGIN INSERT INTO index_journal (post_id) VALUES (new.id); END;
  CREATE TRIGGER journal_post_removed AFTER DELETE ON posts
    BEGIN INSERT INTO index_journal (post_id) VALUES (old.id); END;
  `,
  // 3: streaming ingest stores a post's rows long before its passages are
  // re-cut (a Blogger export lists every comment after every post). The flag
  // is set in the transaction that changes the rows and cleared in the one
  // that re-cuts, so a crash in between is found and repaired on the next open.
  `
  ALTER TABLE posts ADD COLUMN passages_stale INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX posts_with_stale_passages ON posts(id) WHERE passages_stale = 1;
  `,
  // 4: the campaign's live sources: petition snapshots over time (count, state,
  // thresholds, response, debate) and Napo news items, each stored once.
  `
  CREATE TABLE petition_snapshots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    petition_id INTEGER NOT NULL,
    taken_at TEXT NOT NULL,
    signature_count INTEGER NOT NULL,
    state TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    response_threshold_reached_at TEXT,
    debate_threshold_reached_at TEXT,
    government_response_at TEXT,
    government_response_summary TEXT,
    scheduled_debate_date TEXT,
    debate_outcome_at TEXT,
    raw TEXT NOT NULL
  );
  CREATE INDEX petition_snapshots_by_time ON petition_snapshots(petition_id, taken_at);
  CREATE TABLE news_items (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    title TEXT NOT NULL,
    link TEXT,
    published TEXT,
    summary TEXT,
    first_seen TEXT NOT NULL
  );
  CREATE INDEX news_items_by_date ON news_items(published);
  `,
  // 5: scheduled posts. Each server's settings; the announcements waiting to
  // go out (new posts, petition milestones, Napo news), each once; and every
  // delivery, unique per (server, kind, key), claimed before it is sent and
  // marked sent after, so no restart or second process posts anything twice.
  `
  CREATE TABLE guild_settings (
    guild_id TEXT PRIMARY KEY,
    digest_channel TEXT,
    digest_time TEXT NOT NULL DEFAULT '08:00',
    time_zone TEXT NOT NULL DEFAULT 'Europe/London',
    digest_on INTEGER NOT NULL DEFAULT 1,
    posts_channel TEXT,
    posts_on INTEGER NOT NULL DEFAULT 1,
    posts_since TEXT,
    petition_channel TEXT,
    petition_on INTEGER NOT NULL DEFAULT 1,
    petition_since TEXT,
    napo_channel TEXT,
    napo_on INTEGER NOT NULL DEFAULT 1,
    napo_since TEXT,
    -- Why the bot switched a delivery off (a deleted channel, a lost permission): JSON by kind.
    disabled TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL
  );
  CREATE TABLE announcements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('posts', 'petition', 'napo')),
    key TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (kind, key)
  );
  CREATE TABLE deliveries (
    guild_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    channel_id TEXT,
    state TEXT NOT NULL CHECK (state IN ('claimed', 'sent', 'skipped', 'failed')),
    nonce TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    claimed_by TEXT NOT NULL,
    sent_at TEXT,
    message_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (guild_id, kind, key)
  );
  `,
  // 6: the ledger as the unit of recovery. `held`: an announcement folded into
  // a summary not yet sent (closed only when the summary is); a summary lists
  // what it `covers`. The first attempt's time bounds Discord's nonce window;
  // `reason` says why a delivery failed for good.
  `
  CREATE TABLE deliveries_6 (
    guild_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    channel_id TEXT,
    state TEXT NOT NULL CHECK (state IN ('claimed', 'held', 'sent', 'skipped', 'failed')),
    nonce TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    claimed_by TEXT NOT NULL,
    first_attempt_at TEXT NOT NULL,
    sent_at TEXT,
    message_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 1,
    reason TEXT,
    summary_key TEXT,
    covers TEXT,
    PRIMARY KEY (guild_id, kind, key)
  );
  INSERT INTO deliveries_6 (guild_id, kind, key, channel_id, state, nonce, claimed_at, claimed_by, first_attempt_at,
    sent_at, message_id, attempts)
  SELECT guild_id, kind, key, channel_id, state, nonce, claimed_at, claimed_by, claimed_at, sent_at, message_id, attempts
  FROM deliveries;
  DROP TABLE deliveries;
  ALTER TABLE deliveries_6 RENAME TO deliveries;
  CREATE INDEX deliveries_open ON deliveries(guild_id, kind) WHERE state IN ('claimed', 'held');
  CREATE INDEX deliveries_failed ON deliveries(guild_id, sent_at) WHERE state = 'failed';
  `,
  // 7: one leader per data directory: a lease with a holder and an expiry, renewed by a heartbeat.
  `
  CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at TEXT NOT NULL);
  `,
  // 8: searches members page through, kept a day, so a page or Share button works in any process and after a restart.
  `
  CREATE TABLE search_sessions (id TEXT PRIMARY KEY, body TEXT NOT NULL, created_at TEXT NOT NULL);
  CREATE INDEX search_sessions_by_age ON search_sessions(created_at);
  `,
  // 9: takedowns: a post, a comment or an author name hidden by the operator (everywhere; a server's own hides
  // later, by guild_id), kept when undone. `target` is the post or comment id, or the author name folded to lower
  // case; `label` says what it was when hidden. Triggers count every hide and unhide in meta, in the same
  // transaction, so any process sees at once (one key read) that the hidden set changed.
  `
  CREATE TABLE takedowns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('post', 'comment', 'author')),
    target TEXT NOT NULL,
    label TEXT NOT NULL,
    guild_id TEXT,
    reason TEXT,
    hidden_by TEXT NOT NULL,
    hidden_at TEXT NOT NULL,
    undone_by TEXT,
    undone_at TEXT
  );
  CREATE UNIQUE INDEX takedowns_in_force ON takedowns(kind, target, coalesce(guild_id, '')) WHERE undone_at IS NULL;
  INSERT INTO meta (key, value) VALUES ('takedowns_changes', '0') ON CONFLICT(key) DO NOTHING;
  CREATE TRIGGER takedown_added AFTER INSERT ON takedowns
    BEGIN UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'takedowns_changes'; END;
  CREATE TRIGGER takedown_undone AFTER UPDATE OF undone_at ON takedowns
    BEGIN UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'takedowns_changes'; END;
  `,
  // 10: what each public message of the bot's shows of the archive (a quote, a digest, an announcement), one row a
  // passage, so a takedown finds every message to retract. guild_id '' is a direct message; comment_id '' a post's
  // own text; author_key the signature folded as takedowns fold it.
  `
  CREATE TABLE posted_passages (
    guild_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    what TEXT NOT NULL CHECK (what IN ('quote', 'digest', 'announcement')),
    key TEXT NOT NULL,
    post_id TEXT NOT NULL,
    comment_id TEXT NOT NULL,
    author_key TEXT NOT NULL,
    posted_at TEXT NOT NULL,
    PRIMARY KEY (message_id, post_id, comment_id)
  ) WITHOUT ROWID;
  CREATE INDEX posted_by_post ON posted_passages(post_id);
  CREATE INDEX posted_by_comment ON posted_passages(comment_id) WHERE comment_id <> '';
  CREATE INDEX posted_by_author ON posted_passages(author_key) WHERE author_key <> '';
  `,
  // 11: the comments the blog removed, counted from a small partial index: /stats and the start's counts read
  // every comment row without it (260 ms of a full-size archive's start).
  `
  CREATE INDEX comments_removed ON comments(deleted) WHERE deleted = 1;
  `,
  // 12: where a petition's signatures come from: its constituency, country and region lists, one row a petition a
  // day (UTC), replaced by each later reading that day, so the last row of a day is how that day ended; and the
  // constituency a member chose (never a postcode), theirs to clear at any time.
  `
  CREATE TABLE petition_breakdowns (
    petition_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (petition_id, day)
  );
  CREATE TABLE member_constituencies (
    user_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    ons_code TEXT NOT NULL,
    set_at TEXT NOT NULL
  );
  `,
  // 13: posts and comments the blog no longer has, found by the reconciliation with its feeds: kept as thread
  // shape (their text cleared), hidden like a takedown (the same counter moves, so every process sees it at once),
  // and kept when the blog has them again (`restored_at`). `blog` is the blog address whose feeds lacked them.
  `
  CREATE TABLE blog_deletions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('post', 'comment')),
    target TEXT NOT NULL,
    blog TEXT NOT NULL,
    deleted_at TEXT NOT NULL,
    restored_at TEXT
  );
  CREATE UNIQUE INDEX blog_deletions_in_force ON blog_deletions(kind, target) WHERE restored_at IS NULL;
  CREATE TRIGGER blog_deletion_added AFTER INSERT ON blog_deletions
    BEGIN UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'takedowns_changes'; END;
  CREATE TRIGGER blog_deletion_restored AFTER UPDATE OF restored_at ON blog_deletions
    BEGIN UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'takedowns_changes'; END;
  `,
  // 14: the weekly round-up: the weekday (monday … sunday) a server gets it on, at its digest's time; null: none.
  `
  ALTER TABLE guild_settings ADD COLUMN digest_weekly TEXT;
  `,
  // 15: topic watches: a member's queries (five at most, theirs to list and delete); the passages new to the archive
  // that matched one, queued for that member until an hourly direct message takes them (`batch_key`: the delivery
  // that holds them, set in the claim's transaction); and a member whose direct messages are closed (their watches
  // paused until they resume them; `told_at`: when they were told, once).
  `
  CREATE TABLE watches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    query TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (user_id, query)
  );
  CREATE TABLE watch_matches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    watch_id INTEGER NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
    post_id TEXT NOT NULL,
    comment_id TEXT NOT NULL,
    matched_at TEXT NOT NULL,
    batch_key TEXT,
    UNIQUE (user_id, post_id, comment_id)
  );
  CREATE INDEX watch_matches_waiting ON watch_matches(user_id, matched_at) WHERE batch_key IS NULL;
  CREATE INDEX watch_matches_by_batch ON watch_matches(batch_key) WHERE batch_key IS NOT NULL;
  CREATE TABLE watch_pauses (
    user_id TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    paused_at TEXT NOT NULL,
    told_at TEXT
  );
  `,
  // 16: petition links (petition.parliament.uk/petitions/N) found in new blog posts, one row a petition: offered to
  // server admins in /config petition, never followed until one adds it (`added_at`).
  `
  CREATE TABLE petition_links (
    petition_id INTEGER PRIMARY KEY,
    post_id TEXT NOT NULL,
    post_title TEXT NOT NULL,
    found_at TEXT NOT NULL,
    added_at TEXT,
    added_by TEXT
  );
  `,
  // 17: a thread per new post. `posts_threads`: since when a server wants its new posts' announcements to start
  // threads (null: it does not). Each post's thread in each server, with how far the post's queued comments were
  // mirrored into it (`mirrored_to`, a queue id), the batch being sent (`batch_to`), when the last batch went and
  // why mirroring stopped (the thread deleted). The blog's new comments, queued by the sync in the transaction that
  // stores them (a comment once).
  `
  ALTER TABLE guild_settings ADD COLUMN posts_threads TEXT;
  CREATE TABLE comment_queue (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id TEXT NOT NULL UNIQUE,
    post_id TEXT NOT NULL,
    queued_at TEXT NOT NULL
  );
  CREATE INDEX comment_queue_by_post ON comment_queue(post_id, id);
  CREATE TABLE post_threads (
    guild_id TEXT NOT NULL,
    post_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    mirrored_to INTEGER NOT NULL DEFAULT 0,
    batch_to INTEGER,
    last_batch_at TEXT,
    stopped TEXT,
    PRIMARY KEY (guild_id, post_id)
  );
  `,
];

/** The schema version this bot writes: a database at a lower one is migrated on open, after a backup. */
export const SCHEMA_VERSION = MIGRATIONS.length;

export interface OpenOptions {
  /**
   * How long a write waits inside SQLite for another process's lock, blocking the event loop meanwhile. The CLI
   * can wait (5 s, the default); the bot keeps it short and waits between timers instead (see `whenFree`).
   */
  busyTimeoutMs?: number;
  /** Where the backup taken before a schema migration goes (BACKUP_DIR); default DATA_DIR/backups. */
  backupDir?: string;
}

/** Open (creating if needed) the archive database in `dataDir`. */
export function openDatabase(dataDir: string, options: OpenOptions = {}): Db {
  const file = join(dataDir, DATABASE_FILE);
  let db: Db | null = null;
  try {
    mkdirSync(dataDir, { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    // FULL: a power loss must not roll back a delivery recorded as sent (it would go out again with a new nonce).
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.max(0, Math.round(options.busyTimeoutMs ?? 5000))}`);
    migrate(db, options.backupDir ?? join(dataDir, 'backups'));
    return db;
  } catch (error) {
    db?.close();
    // A directory that cannot be made or written, a full disk, a damaged file: one line that says which.
    throw describeStorageFault(error, file) ?? error;
  }
}

function migrate(db: Db, backupDir: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `the database is from a newer version of the bot (schema ${current}, this one knows ${MIGRATIONS.length})`,
    );
  }
  // An upgrade that goes wrong (or a bot rolled back) can go back to the archive as it was.
  if (current > 0 && current < MIGRATIONS.length) backUpBeforeMigrating(db, backupDir, current);
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

/**
 * A copy of the database as it is, written before its schema is migrated: `VACUUM INTO` (synchronous, consistent, one
 * compact file), checked, then renamed into place. A migration does not run without one.
 */
function backUpBeforeMigrating(db: Db, backupDir: string, from: number): void {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(backupDir, `before-schema-${MIGRATIONS.length}-from-${from}-${stamp}.sqlite`);
  const partial = `${file}.partial`;
  mkdirSync(backupDir, { recursive: true });
  rmSync(partial, { force: true });
  db.prepare('VACUUM INTO ?').run(partial);
  const check = checkDatabaseFile(partial, MIGRATIONS.length, { selfContained: true });
  if (check.problems.length > 0) {
    rmSync(partial, { force: true });
    throw new Error(`the backup before migrating the schema failed its check (${check.problems.join('; ')})`);
  }
  renameSync(partial, file);
}
