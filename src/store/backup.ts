// Backups of the database and restoring one. A backup is taken online with
// SQLite's backup API (the bot keeps answering and writing meanwhile), made
// one self-contained file, checked (integrity, schema, what it holds) and only
// then given its name. A restore checks the file first and refuses while a bot
// leads the data directory; the search index is derived, so it is removed and
// rebuilt from the restored store on the next start.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkDatabaseFile, type DatabaseCheck } from './databaseCheck.js';
import { DATABASE_FILE, type Db, openDatabase, SCHEMA_VERSION } from './db.js';
import { INDEX_FILE } from './indexFile.js';
import { LEADER_LEASE, leaseRepository } from './leases.js';
import { describeStorageFault } from './storageErrors.js';

export interface BackupReport {
  file: string;
  bytes: number;
  schema: number;
  posts: number;
  comments: number;
}

/** A backup or restore that must not go ahead, said in one line (a damaged file, a bot running). */
export class BackupRefused extends Error {
  override name = 'BackupRefused';
}

const refusal = (file: string, check: DatabaseCheck) =>
  new BackupRefused(`${file} is not a usable backup: ${check.problems.join('; ')}`);

/** Copy the open database `db` to `file`, online, then check the copy; the file appears only once it passed. */
export async function backupDatabase(db: Db, file: string): Promise<BackupReport> {
  const target = resolve(file);
  if (target === resolve(db.name)) throw new BackupRefused(`${file} is the database itself: name another file`);
  const partial = `${target}.partial`;
  try {
    mkdirSync(dirname(target), { recursive: true });
    rmSync(partial, { force: true });
    await db.backup(partial);
    const check = checkDatabaseFile(partial, SCHEMA_VERSION, { selfContained: true });
    if (check.problems.length > 0) throw refusal(file, check);
    renameSync(partial, target);
    return {
      file: target,
      bytes: statSync(target).size,
      schema: check.schema!,
      posts: check.posts!,
      comments: check.comments!,
    };
  } catch (error) {
    rmSync(partial, { force: true });
    throw describeStorageFault(error, target) ?? error;
  }
}

/** Check a backup file without changing it: what it holds, or why it would not do. */
export function verifyBackup(file: string): BackupReport {
  const check = checkDatabaseFile(file, SCHEMA_VERSION);
  if (check.problems.length > 0) throw refusal(file, check);
  return {
    file: resolve(file),
    bytes: statSync(file).size,
    schema: check.schema!,
    posts: check.posts!,
    comments: check.comments!,
  };
}

/**
 * Replace the database in `dataDir` with the backup `file`. Refuses (BackupRefused) when the file fails its check or
 * while a bot leads the data directory (its lease has not run out): stop every bot on it first. The copy goes through
 * SQLite's backup API into the live file, so it is whole or not at all; the saved index and the leases go with the
 * old data. A backup from an older schema is migrated on the next open.
 */
export async function restoreDatabase(dataDir: string, file: string, now: Date): Promise<BackupReport> {
  if (resolve(file) === resolve(join(dataDir, DATABASE_FILE)))
    throw new BackupRefused(`${file} is the database itself: name a backup file`);
  const report = verifyBackup(file);
  const db = openDatabase(dataDir);
  const leases = leaseRepository(db);
  const holder = `restore-${process.pid}`;
  try {
    const leader = leases.holder(LEADER_LEASE, now.toISOString());
    if (leader) {
      throw new BackupRefused(
        `a bot is running on ${dataDir} (${leader.holder} leads it until ${leader.expiresAt}): stop every bot using this DATA_DIR, then restore`,
      );
    }
    // Held while the copy runs, so a bot started meanwhile does not lead (sync, prune) on the data being replaced.
    leases.acquire(LEADER_LEASE, holder, now.toISOString(), 10 * 60_000);
    const source = new Database(file, { readonly: true, fileMustExist: true });
    try {
      await source.backup(db.name);
    } finally {
      source.close();
    }
    // The copy brought the backup's own leases; none of them is held by anyone now.
    db.prepare('DELETE FROM leases').run();
    for (const name of readdirSync(dataDir))
      if (name === INDEX_FILE || name.startsWith(`${INDEX_FILE}.`)) rmSync(join(dataDir, name), { force: true });
    return report;
  } catch (error) {
    throw describeStorageFault(error, db.name) ?? error;
  } finally {
    leases.release(LEADER_LEASE, holder);
    db.close();
  }
}

/** The daily backups' names: `archive-YYYY-MM-DD.sqlite`. */
const DAILY = /^archive-(\d{4}-\d{2}-\d{2})\.sqlite$/;

export interface DailyBackupReport {
  /** The backup written, or null when today's was there already. */
  written: BackupReport | null;
  /** Daily backups removed for being older than the days kept. */
  removed: string[];
}

/**
 * Today's backup of `db` in `dir` (`date` is YYYY-MM-DD) unless it is there already, and the daily backups older than
 * `keepDays` removed. Other files in `dir` (the backups before a migration, the operator's own) are left alone.
 */
export async function dailyBackup(db: Db, dir: string, date: string, keepDays: number): Promise<DailyBackupReport> {
  const written = existsSync(dailyFile(dir, date)) ? null : await backupDatabase(db, dailyFile(dir, date));
  return { written, removed: pruneDaily(dir, date, keepDays) };
}

const dailyFile = (dir: string, date: string) => join(dir, `archive-${date}.sqlite`);

/** Remove the daily backups older than `keepDays` before `date` (today's counts as the first day). */
function pruneDaily(dir: string, date: string, keepDays: number): string[] {
  const oldest = new Date(Date.parse(`${date}T00:00:00Z`) - (keepDays - 1) * 86_400_000).toISOString().slice(0, 10);
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    const day = DAILY.exec(name)?.[1];
    if (day && day < oldest) {
      rmSync(join(dir, name), { force: true });
      removed.push(name);
    }
  }
  return removed;
}

/** What `dailyBackupInChild` asks its child. */
export interface DailyBackupTask {
  dataDir: string;
  dir: string;
  date: string;
  keepDays: number;
}

export type DailyBackupMessage = { done: DailyBackupReport } | { error: string };

/**
 * `dailyBackup` in a child process with a connection of its own: the copy and its integrity check read the whole
 * database (seconds at full size), which on the bot's event loop would hold up every member meanwhile.
 */
export async function dailyBackupInChild(task: DailyBackupTask): Promise<DailyBackupReport> {
  // Today's is there already (the job runs hourly): only the old ones to remove, no child needed.
  if (existsSync(dailyFile(task.dir, task.date)))
    return { written: null, removed: pruneDaily(task.dir, task.date, task.keepDays) };
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(`./backupChild${fromSources ? '.ts' : '.js'}`, import.meta.url));
  // node:child_process loaded with the first backup, not with every start.
  const { fork } = await import('node:child_process');
  return new Promise((resolvePromise, reject) => {
    const child = fork(entry, [], {
      // From sources the child needs tsx's loader, resolved from the project's root; built, nothing.
      cwd: fromSources ? fileURLToPath(new URL('../..', import.meta.url)) : process.cwd(),
      execArgv: fromSources ? ['--import', 'tsx'] : [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    let outcome: DailyBackupMessage | null = null;
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2_000);
    });
    child.on('message', (message: DailyBackupMessage) => {
      outcome = message;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const ended = outcome as DailyBackupMessage | null;
      if (ended && 'done' in ended) return resolvePromise(ended.done);
      const why = ended && 'error' in ended ? ended.error : `the backup process exited with ${code}: ${stderr.trim()}`;
      reject(new Error(why));
    });
    child.send({ ...task, dataDir: resolve(task.dataDir), dir: resolve(task.dir) });
  });
}
