// What the fault tests share: seeded randomness (a failure names its seed and
// reproduces), the CLI run as a process that can be killed mid-work, and a
// look at a store after a crash that repairs nothing while it looks.
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { passagesOf } from '../../src/archive/passages.js';
import { readComments, readPost } from '../../src/store/archive.js';
import { DATABASE_FILE } from '../../src/store/db.js';
import { cliAsync, ROOT, type CliRun } from '../helpers.js';

/** FAULT_SEED=… reruns a failing schedule of faults exactly. */
export const FAULT_SEED = Number(process.env['FAULT_SEED'] ?? 20_260_613);

/** The bench's seeded PRNG (mulberry32): good enough to spread kill times, and reproducible. */
export { prng as seededRandom } from '../bench/common.js';

/** Whether this process ignores file permissions (root in CI): chmod cannot make a directory read-only for it. */
export function ignoresPermissions(dir: string): boolean {
  const probe = join(dir, '.probe');
  try {
    writeFileSync(probe, '');
    rmSync(probe);
    return true;
  } catch {
    return false;
  }
}

export interface KilledRun {
  /** False when the run finished before the kill was due. */
  killed: boolean;
  status: number | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from spawn to the kill (or to the exit). */
  at: number;
}

/**
 * Run the CLI as `cli()` in tests/helpers.ts does (node + tsx), and SIGKILL it
 * when `killWhen` resolves. tsx runs the script in a child process of its own,
 * so the kill goes to the whole process group: killing only the parent would
 * leave the real work running.
 */
export function cliKilled(
  args: string[],
  dataDir: string,
  killWhen: (run: { stderr: () => string; exited: Promise<void> }) => Promise<void>,
): Promise<KilledRun> {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'src/cli.ts'), ...args],
    {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', DATA_DIR: dataDir },
      detached: true,
    },
  );
  let stdout = '';
  let stderr = '';
  let killed = false;
  let exited = false;
  let at = 0;
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exitedRun = new Promise<void>((resolve) => child.on('close', () => resolve()));
  void killWhen({ stderr: () => stderr, exited: exitedRun }).then(() => {
    if (exited) return;
    at = Date.now() - started;
    killed = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Exited between the check and the kill.
    }
  });
  // 'close' comes once every end of the pipes is closed, so tsx's child has exited too (it may not be reaped yet).
  return new Promise((resolve) =>
    child.on('close', (status) => {
      exited = true;
      resolve({ killed, status, stdout, stderr, at: killed ? at : Date.now() - started });
    }),
  );
}

/** A user to run the CLI as (root tests run it as `nobody` so that permissions hold); null: as this process. */
export type RunAs = { uid: number; gid: number } | null;

/** `cliAsync` of tests/helpers.ts, as another user when one is given (with a HOME that user can use). */
export function cliAs(user: RunAs, args: string[], dataDir: string): Promise<CliRun> {
  return user ? cliAsync(args, dataDir, { HOME: tmpdir() }, user) : cliAsync(args, dataDir);
}

/** As root: whether `nobody` (65534) can run the CLI here, so permission faults can be tested for real. */
export function nobodyCanRun(): boolean {
  if (process.getuid?.() !== 0) return false;
  // It must be able to read the CLI and what it loads: a clone under a directory only root may enter
  // (as /root is) lets `nobody` start node, but not read the project.
  const needed = [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'src/cli.ts'), join(ROOT, 'package.json')];
  const check = `for (const f of ${JSON.stringify(needed)}) require('node:fs').accessSync(f, require('node:fs').constants.R_OK)`;
  const run = spawnSync(process.execPath, ['-e', check], { uid: NOBODY.uid, gid: NOBODY.gid, cwd: tmpdir() });
  return run.status === 0;
}

export const NOBODY = { uid: 65_534, gid: 65_534 };

export const after = (ms: number) => () => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Resolves at the `n`th write SQLite makes to the database's write-ahead log
 * in `dataDir` (as file-system events report them): a point in the sequence
 * of writes, whatever the machine's speed. Never resolves if the run ends first.
 */
export const atWalWrite =
  (dataDir: string, n: number) =>
  ({ exited }: { exited: Promise<void> }) =>
    new Promise<void>((resolve) => {
      let seen = 0;
      const watcher = watch(dataDir, (_event, name) => {
        if (name?.endsWith('-wal') && ++seen === n) {
          watcher.close();
          resolve();
        }
      });
      void exited.then(() => watcher.close());
    });

/** How many writes to the write-ahead log a run makes (as `atWalWrite` counts them). */
export async function countWalWrites(dataDir: string, run: () => Promise<unknown>): Promise<number> {
  let seen = 0;
  const watcher = watch(dataDir, (_event, name) => {
    if (name?.endsWith('-wal')) seen++;
  });
  try {
    await run();
  } finally {
    watcher.close();
  }
  return seen;
}

export interface StoreCheck {
  integrity: string;
  foreignKeyProblems: number;
  /** Comments whose post is not stored. */
  orphanComments: number;
  /** Passages whose post or comment is not stored. */
  orphanPassages: number;
  posts: number;
  comments: number;
  passages: number;
  stalePosts: number;
  /** Posts flagged current whose passages are not what their stored text and comments cut into. */
  inconsistentPosts: string[];
}

/**
 * Look at a store as a crash left it, without the repairs the bot makes on
 * open: a plain connection, no migrations, no re-cut. (Opening replays the
 * committed part of the write-ahead log, as any reader would.)
 */
export function checkStore(dataDir: string): StoreCheck {
  const db = new Database(join(dataDir, DATABASE_FILE));
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join('; ');
    if (db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'posts'").pluck().get() === 0) {
      // Killed before the first migration committed: an empty database, which the next open migrates.
      return {
        integrity,
        foreignKeyProblems: 0,
        orphanComments: 0,
        orphanPassages: 0,
        posts: 0,
        comments: 0,
        passages: 0,
        stalePosts: 0,
        inconsistentPosts: [],
      };
    }
    const count = (sql: string) => db.prepare(sql).pluck().get() as number;
    const inconsistentPosts: string[] = [];
    for (const id of db
      .prepare('SELECT id FROM posts WHERE passages_stale = 0 ORDER BY id')
      .pluck()
      .all() as string[]) {
      const expected = passagesOf(readPost(db, id)!, readComments(db, id)).map((p) => [
        p.kind,
        p.commentId,
        p.ord,
        p.author,
        p.text,
      ]);
      const stored = db
        .prepare('SELECT kind, comment_id, ord, author, text FROM passages WHERE post_id = ? ORDER BY ord')
        .raw()
        .all(id);
      if (JSON.stringify(stored) !== JSON.stringify(expected)) inconsistentPosts.push(id);
    }
    return {
      integrity,
      foreignKeyProblems: (db.pragma('foreign_key_check') as unknown[]).length,
      orphanComments: count('SELECT count(*) FROM comments WHERE post_id NOT IN (SELECT id FROM posts)'),
      orphanPassages: count(`SELECT count(*) FROM passages WHERE post_id NOT IN (SELECT id FROM posts)
                             OR (comment_id IS NOT NULL AND comment_id NOT IN (SELECT id FROM comments))`),
      posts: count('SELECT count(*) FROM posts'),
      comments: count('SELECT count(*) FROM comments'),
      passages: count('SELECT count(*) FROM passages'),
      stalePosts: count('SELECT count(*) FROM posts WHERE passages_stale = 1'),
      inconsistentPosts,
    };
  } finally {
    db.close();
  }
}

/** Every passage as (post, kind, comment, ord, author, text), ids left out (they are never reused, so they differ). */
export function passageRows(dataDir: string): string[] {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    return (
      db
        .prepare('SELECT post_id, kind, comment_id, ord, author, text FROM passages ORDER BY post_id, ord')
        .raw()
        .all() as unknown[][]
    ).map((r) => JSON.stringify(r));
  } finally {
    db.close();
  }
}

/** Comments per post, the way a clean ingest stored them. */
export function commentsPerPost(dataDir: string): Map<string, number> {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    return new Map(
      db.prepare('SELECT post_id, count(*) FROM comments GROUP BY post_id').raw().all() as [string, number][],
    );
  } finally {
    db.close();
  }
}
