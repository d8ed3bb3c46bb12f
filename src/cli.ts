// The operator CLI: ingest, search, onthisday, stats, reindex, backup and
// restore, takedowns, the reconciliation with the blog. `--json` prints exactly
// one JSON value on stdout; progress and warnings go to stderr; bad input is a
// one-line error and a non-zero exit, never a stack trace.
import { Command, InvalidArgumentError } from 'commander';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import 'dotenv/config';
import { DateTime } from 'luxon';
import { isIsoDate } from './archive/text.js';
import { recordSourcesRead } from './app/sourcesRead.js';
import { openArchive, type OpenArchive } from './app/archive.js';
import { authorTarget, hide, targetOf, unhide } from './app/takedowns.js';
import { UserProblem } from './app/userProblem.js';
import { ConfigError, readConfig, type Config } from './config.js';
import { ingestSources, type IngestProgress } from './ingest/ingest.js';
import { reconcileBlog, type ReconcileReport } from './ingest/reconcile.js';
import { onThisDayText, searchText, statsText } from './console/render.js';
import { SEARCH_ORDERS, type SearchOrder } from './search/syntax.js';
import { BackupRefused, type BackupReport, restoreDatabase } from './store/backup.js';
import { DATABASE_FILE } from './store/db.js';
import { CORRUPT_INDEX_FILE } from './store/indexFile.js';
import { openStore } from './store/store.js';
import { describeStorageFault } from './store/storageErrors.js';
import type { Takedown } from './store/takedowns.js';

const program = new Command()
  .name('npm run cli --')
  .description('Operate the On Probation archive: ingest sources, search, on this day, stats, backups, takedowns.')
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

program
  .command('ingest')
  .description('ingest files, directories (walked recursively) and blog URLs; formats are told from content')
  .argument('<sources...>', 'paths or URLs')
  .option('--json', 'print the totals as JSON')
  .action((sources: string[], opts: { json?: boolean }) =>
    withArchive(async (config, archive) => {
      const progress = progressPrinter();
      const report = await ingestSources(archive.store, sources, {
        now: () => new Date().toISOString(),
        onProgress: progress,
        blogUrl: config.BLOG_URL,
        sync: { blogUrls: [config.BLOG_URL, ...config.ARCHIVE_SOURCES] },
      });
      // `npm start` then knows these were read to the end and does not read them again.
      recordSourcesRead(archive.store, sources, report, new Date().toISOString());
      for (const s of report.sources) for (const w of s.warnings) process.stderr.write(`warning: ${w}\n`);
      printErrors(report.sources.flatMap((s) => s.errors));
      noteIndex(archive);
      const stats = archive.stats();
      const totals = { posts: stats.posts, comments: stats.comments, ...report.counts };
      if (opts.json) {
        print(totals);
      } else {
        print(
          `${report.counts.added} added, ${report.counts.updated} updated, ${report.counts.skipped} unchanged; the archive holds ${statsText(stats)}`,
        );
      }
      return report.sources.some((s) => s.errors.length > 0) ? 1 : 0;
    }),
  );

program
  .command('search')
  .description(
    'search the archive; the last word also matches as a prefix. "exact phrase", -word (leave out), order:newest|oldest',
  )
  .argument('<query>', 'words to look for')
  .option('--limit <n>', 'how many hits (1–100)', positiveInt, 10)
  .option('--order <order>', 'relevance (default), newest or oldest first', orderArg)
  .option('--json', 'print hits as JSON')
  // `search -treadmill` is a query that leaves a word out (and is told it needs words to look for), not an option.
  .allowUnknownOption()
  .action((query: string, opts: { limit: number; order?: SearchOrder; json?: boolean }) =>
    withArchive((_config, archive) => {
      const hits = archive.search(query, { limit: opts.limit, ...(opts.order && { order: opts.order }) });
      noteIndex(archive);
      if (opts.json) {
        print(
          hits.map(({ kind, postId, commentId, postTitle, postUrl, date, author, excerpt, url, score }) => ({
            kind,
            postId,
            commentId,
            postTitle,
            postUrl,
            date,
            author,
            excerpt,
            url,
            score,
          })),
        );
      } else {
        print(searchText(query, hits));
      }
      return 0;
    }),
  );

program
  .command('onthisday')
  .description('what the blog said on this day in earlier years (default: today in DEFAULT_TIMEZONE)')
  .option('--date <YYYY-MM-DD>', 'the date to look up', isoDateArg)
  .option('--json', 'print as JSON')
  .action((opts: { date?: string; json?: boolean }) =>
    withArchive((config, archive) => {
      const date = opts.date ?? DateTime.now().setZone(config.DEFAULT_TIMEZONE).toISODate()!;
      const result = archive.onThisDay(date);
      // DESIGN.md's contract: each item's year, title, address and excerpt (what identifies it stays inside).
      const items = result.items.map(({ postId: _id, author: _author, ...item }) => item);
      print(opts.json ? { ...result, items } : onThisDayText(result));
      return 0;
    }),
  );

program
  .command('stats')
  .description('what the archive holds')
  .option('--json', 'print as JSON')
  .action((opts: { json?: boolean }) =>
    withArchive((_config, archive) => {
      const stats = archive.stats();
      // For the operator: what each table holds and the database's size, which retention keeps in bounds.
      const store = archive.store.retention.sizes();
      const rows = Object.entries(store.tables).map(([table, n]) => `${table} ${n.toLocaleString('en-GB')}`);
      const size = `database ${(store.bytes / 1024 / 1024).toFixed(1)} MB: ${rows.join(', ')}`;
      const { posts, comments, authors } = stats.hidden;
      const hidden = `hidden: ${posts} posts, ${comments} comments, ${authors} author names (see hidden)`;
      const deleted = `deleted on the blog: ${stats.deletedPosts} posts, ${stats.deletedComments} comments (see reconcile)`;
      print(opts.json ? { ...stats, store } : `${statsText(stats)}\n${hidden}\n${deleted}\n${size}`);
      return 0;
    }),
  );

program
  .command('hide')
  .description(
    'take a post, a comment or everything an author signed out of every answer, at once; recorded, reversible',
  )
  .argument('[target]', 'a post or comment id (as search --json shows it) or its address on the blog')
  .option('--author <name>', 'hide everything signed with this name (any case) instead')
  .option('--reason <text>', 'why (kept with the takedown)')
  .option('--json', 'print the takedown as JSON')
  .action((target: string | undefined, opts: { author?: string; reason?: string; json?: boolean }) =>
    withArchive((_config, archive) => {
      const what =
        opts.author !== undefined
          ? authorTarget(archive.store, notBoth(target, opts.author))
          : targetOf(archive.store, one(target));
      const record = { reason: opts.reason ?? null, by: operator(), now: new Date().toISOString() };
      const { takedown, already } = hide(archive.store, what, record);
      if (opts.json) print({ ...takedown, already });
      else
        print(already ? `already hidden since ${takedown.hiddenAt}: ${takedown.label}` : `hidden: ${takedown.label}`);
      return 0;
    }),
  );

program
  .command('unhide')
  .description('undo a takedown: the post, comment or author is shown again at once (the record is kept)')
  .argument('[target]', 'the id or address given to hide')
  .option('--author <name>', 'undo the takedown of this author name instead')
  .option('--json', 'print the takedown as JSON')
  .action((target: string | undefined, opts: { author?: string; json?: boolean }) =>
    withArchive((_config, archive) => {
      const input = opts.author !== undefined ? { author: notBoth(target, opts.author) } : { id: one(target) };
      const takedown = unhide(archive.store, input, { by: operator(), now: new Date().toISOString() });
      print(opts.json ? takedown : `shown again: ${takedown.label}`);
      return 0;
    }),
  );

program
  .command('hidden')
  .description('list the takedowns in force: what, by whom, when, why')
  .option('--all', 'include takedowns since undone')
  .option('--json', 'print as JSON')
  .action((opts: { all?: boolean; json?: boolean }) =>
    withArchive((_config, archive) => {
      const takedowns = archive.store.takedowns.list({ undone: opts.all ?? false });
      print(opts.json ? takedowns : takedowns.length ? takedowns.map(takedownLine).join('\n') : 'nothing is hidden');
      return 0;
    }),
  );

program
  .command('reconcile')
  .description(
    'compare the archive with the whole blog (every page of its feeds) and follow its deletions: what the blog no longer has is marked deleted, what it has again is restored',
  )
  .argument('[blog]', 'the blog address (default: each blog among ARCHIVE_SOURCES, else BLOG_URL)')
  .option('--force', 'mark deleted even more than a fifth of the archive at once (the blog really lost them)')
  .option('--json', 'print the reports as JSON (an array, one per blog)')
  .action((blogArg: string | undefined, opts: { force?: boolean; json?: boolean }) =>
    withArchive(async (config, archive) => {
      const configured = config.ARCHIVE_SOURCES.filter((s) => /^https?:\/\//i.test(s));
      const blogs = blogArg !== undefined ? [blogArg] : configured.length > 0 ? configured : [config.BLOG_URL];
      for (const blog of blogs)
        if (!/^https?:\/\/[^/\s]+/i.test(blog)) throw new UserProblem(`not a blog address: ${JSON.stringify(blog)}`);
      const reports: ReconcileReport[] = [];
      for (const blog of blogs) {
        process.stderr.write(`${blog}: reading every page of its posts and comments feeds\n`);
        let lastPrint = 0;
        const report = await reconcileBlog(archive.store, blog, {
          now: () => new Date().toISOString(),
          force: opts.force ?? false,
          blogUrls: [config.BLOG_URL, ...config.ARCHIVE_SOURCES],
          onProgress: ({ feed, read, total }) => {
            if (Date.now() - lastPrint < 1000 && read !== total) return;
            lastPrint = Date.now();
            process.stderr.write(`      ${feed} feed: ${read}${total === null ? '' : ` of ${total}`} entries read\n`);
          },
        });
        for (const w of report.warnings) process.stderr.write(`warning: ${w}\n`);
        printErrors(report.errors);
        reports.push(report);
      }
      noteIndex(archive);
      print(opts.json ? reports : reports.map(reconcileLine).join('\n'));
      return reports.some((r) => r.errors.length > 0 || r.refused !== null) ? 1 : 0;
    }),
  );

program
  .command('reindex')
  .description('rebuild the search index from the store')
  .action(() =>
    withArchive((_config, archive) => {
      archive.store.index.rebuild();
      print('index rebuilt');
      return 0;
    }),
  );

program
  .command('backup')
  .description('copy the database to <file> while the bot runs (SQLite online backup), then check the copy')
  .argument('<file>', 'the backup file to write (replaced if it exists)')
  .option('--json', 'print what the backup holds as JSON')
  .action((file: string, opts: { json?: boolean }) =>
    withDataDir(async (config) => {
      const store = openStore(config.DATA_DIR, { backupDir: config.BACKUP_DIR });
      try {
        const report = await store.backups.write(file);
        print(opts.json ? report : `backed up ${backupText(report)} to ${report.file} (integrity check ok)`);
        return 0;
      } finally {
        store.close();
      }
    }),
  );

program
  .command('restore')
  .description('replace the database with a backup, after checking it; refused while a bot runs on DATA_DIR')
  .argument('<file>', 'a backup written by `backup` (or the daily one in BACKUP_DIR)')
  .action((file: string) =>
    withDataDir(
      async (config) => {
        const report = await restoreDatabase(config.DATA_DIR, file, new Date());
        print(
          `restored ${backupText(report)} from ${report.file} into ${config.DATA_DIR}; the search index is rebuilt on the next start`,
        );
        return 0;
      },
      { mustExist: false },
    ),
  );

function backupText(report: BackupReport): string {
  const n = (count: number) => count.toLocaleString('en-GB');
  return `${n(report.posts)} posts and ${n(report.comments)} comments (${(report.bytes / 1024 / 1024).toFixed(1)} MB, schema ${report.schema})`;
}

/** For backup (DATA_DIR must hold a database: it makes no empty one) and restore (which may fill a new one). */
async function withDataDir(run: (config: Config) => Promise<number>, { mustExist = true } = {}): Promise<void> {
  try {
    const config = readConfig(process.env);
    if (mustExist && !existsSync(join(config.DATA_DIR, DATABASE_FILE))) {
      process.stderr.write(
        `error: there is no database in DATA_DIR ${config.DATA_DIR} (${DATABASE_FILE}): set DATA_DIR to the bot's data directory\n`,
      );
      process.exitCode = 1;
      return;
    }
    process.exitCode = await run(config);
  } catch (error) {
    const known = error instanceof ConfigError || error instanceof BackupRefused;
    process.stderr.write(`error: ${known ? error.message : oneLineError(error)}\n`);
    process.exitCode = 1;
  }
}

async function withArchive(run: (config: Config, archive: OpenArchive) => number | Promise<number>): Promise<void> {
  let archive: OpenArchive | null = null;
  let dataDir: string | null = null;
  try {
    const config = readConfig(process.env);
    dataDir = config.DATA_DIR;
    archive = openArchive(config.DATA_DIR, config.BLOG_URL, {
      backupDir: config.BACKUP_DIR,
      onIndexDamaged: (error) =>
        process.stderr.write(
          `search index rebuilt (damaged: ${error.message}; the file is kept as ${CORRUPT_INDEX_FILE})\n`,
        ),
    });
    for (const warning of archive.warnings) process.stderr.write(`warning: ${warning}\n`);
    process.exitCode = await run(config, archive);
  } catch (error) {
    // A full disk, a read-only or missing DATA_DIR, a damaged file: said in one line with what to do.
    const storage = dataDir === null ? null : describeStorageFault(error, join(dataDir, DATABASE_FILE));
    process.stderr.write(
      `error: ${error instanceof ConfigError ? error.message : (storage?.message ?? oneLineError(error))}\n`,
    );
    process.exitCode = 1;
  } finally {
    try {
      archive?.close();
    } catch {
      // Closing checkpoints the log; on a full disk that fails too, and the log is replayed on the next open.
    }
  }
}

/** A reconciliation on one line: what it marked and restored, what it compared, what it cost. */
function reconcileLine(r: ReconcileReport): string {
  const n = (x: number) => x.toLocaleString('en-GB');
  const cost = `${n(r.requests)} requests in ${r.seconds.toFixed(1)} s`;
  if (!r.complete) return `${r.blog}: not compared, nothing changed (${cost})`;
  const marked = r.refused
    ? 'nothing marked deleted (refused: see the warning)'
    : `${n(r.deleted.posts)} posts and ${n(r.deleted.comments)} comments marked deleted`;
  return (
    `${r.blog}: ${marked}, ${n(r.restored.posts)} posts and ${n(r.restored.comments)} comments restored; ` +
    `the blog has ${n(r.onBlog.posts)} posts and ${n(r.onBlog.comments)} comments (${cost})`
  );
}

/** One takedown on one line: what, when, by whom, why, and when undone. */
function takedownLine(t: Takedown): string {
  const target = t.kind === 'author' ? '' : ` [${t.target}]`;
  const why = t.reason ? ` — ${t.reason}` : '';
  const undone = t.undoneAt ? ` (undone ${t.undoneAt} by ${t.undoneBy})` : '';
  return `${t.label}${target}: hidden ${t.hiddenAt} by ${t.hiddenBy}${why}${undone}`;
}

/** A hide or unhide names what it takes down, or an author: not both, not neither. */
function one(target: string | undefined): string {
  if (target === undefined) throw new UserProblem('give a post or comment id, or its address, or --author NAME');
  return target;
}

function notBoth(target: string | undefined, author: string): string {
  if (target !== undefined) throw new UserProblem('give an id or address, or --author NAME, not both');
  return author;
}

/** Who is at the keyboard, for the takedown's record. */
function operator(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** Say on stderr when the saved index was not used as it was, or could not be saved. */
function noteIndex(archive: OpenArchive): void {
  const { origin, unsaved } = archive.index();
  if (origin !== 'loaded') process.stderr.write(`search index rebuilt (${origin})\n`);
  if (unsaved) process.stderr.write(`warning: ${unsaved}; searching with the index built in memory\n`);
}

/**
 * Errors on stderr, one a line, each once. One cause failing entry after
 * entry (a read-only store under a text dump) is shown once, then counted.
 */
function printErrors(errors: readonly string[]): void {
  const byReason = new Map<string, Set<string>>();
  for (const error of errors) {
    const reason = / not stored: (.*)$/.exec(error)?.[1] ?? error;
    const same = byReason.get(reason) ?? new Set<string>();
    byReason.set(reason, same.add(error));
  }
  for (const same of byReason.values()) {
    const [first] = same;
    process.stderr.write(`error: ${first}\n`);
    if (same.size > 1) process.stderr.write(`error: ${same.size - 1} more not stored for the same reason\n`);
  }
}

function oneLineError(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}

function print(value: unknown): void {
  process.stdout.write(typeof value === 'string' ? `${value}\n` : `${JSON.stringify(value, null, 2)}\n`);
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 100) throw new InvalidArgumentError('must be a whole number from 1 to 100');
  return n;
}

function orderArg(value: string): SearchOrder {
  const order = SEARCH_ORDERS.find((o) => o === value.toLowerCase());
  if (!order) throw new InvalidArgumentError(`must be one of ${SEARCH_ORDERS.join(', ')}`);
  return order;
}

function isoDateArg(value: string): string {
  if (!isIsoDate(value)) throw new InvalidArgumentError('must be a real date as YYYY-MM-DD');
  return value;
}

/** Progress on stderr: one line per source, and a running count (at most one a second) for long files. */
function progressPrinter(): (event: IngestProgress) => void {
  let lastPrint = 0;
  let started = Date.now();
  const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
  return (event) => {
    if (event.type === 'source') {
      started = Date.now();
      process.stderr.write(`[${event.index + 1}/${event.total}] ${event.source}\n`);
      return;
    }
    const finished = event.done === event.total;
    if (event.type === 'bytes' && event.done === 0) return;
    if (event.type !== 'bytes' && event.type !== 'feed' && event.total < 200) return;
    if (!finished && Date.now() - lastPrint < 1000) return;
    lastPrint = Date.now();
    if (event.type === 'bytes') {
      const percent = event.total > 0 ? Math.floor((event.done / event.total) * 100) : 100;
      process.stderr.write(
        `      ${megabytes(event.done)}/${megabytes(event.total)} MB read and stored (${percent}%, ${seconds()} s)\n`,
      );
    } else if (event.type === 'feed') {
      const of = event.total === null ? '' : ` of ${event.total}`;
      process.stderr.write(`      ${event.feed} feed: ${event.done}${of} entries read and stored (${seconds()} s)\n`);
    } else if (event.type === 'passages') {
      process.stderr.write(`      passages re-cut for ${event.done}/${event.total} posts (${seconds()} s)\n`);
    } else {
      process.stderr.write(`      ${event.done}/${event.total} posts\n`);
    }
  };
}

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`error: ${oneLineError(error)}\n`);
  process.exitCode = 1;
});
