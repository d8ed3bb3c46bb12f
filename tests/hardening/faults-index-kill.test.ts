// Issue 8, faults: the saved search index is derived, so no crash while it is
// written, and no damage to the file, may ever be served. `kill -9` during
// `reindex` at random points and at the moment its file is being written;
// then the next start answers searches exactly as after a clean build, and
// leaves nothing of the killed write behind.
import {
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORRUPT_INDEX_FILE, INDEX_FILE, loadIndex, rebuildIndex } from '../../src/store/indexFile.js';
import { headerLength } from '../../src/search/segment.js';
import { termOf } from '../../src/search/terms.js';
import { flipped, postingsBytesOf } from '../search/indexFileBytes.js';
import { generateArchive } from '../bench/generate.js';
import { openArchive } from '../../src/app/archive.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { searchArchive } from '../../src/search/search.js';
import { passageDetails, readComments, readPost, storeParsedPost } from '../../src/store/archive.js';
import { openDatabase } from '../../src/store/db.js';
import { BLOG_URL, FIXTURES, SEEDS, cliAsync, tempDir } from '../helpers.js';
import { FAULT_SEED, after, checkStore, cliKilled, seededRandom } from './faults-support.js';
import { storeOver } from '../../src/store/store.js';

const QUERIES = ['probation caseload', 'napo strike ballot', 'unpaid wor'];

/** A search as the CLI prints it with --json. */
type Hits = unknown[];

/** The next start, as the operator runs it: one search through the CLI (which repairs the index when it must). */
async function cliSearch(dataDir: string, query: string): Promise<{ hits: Hits; stderr: string }> {
  const run = await cliAsync(['search', query, '--limit', '10', '--json'], dataDir);
  expect(run.status, run.stderr).toBe(0);
  return { hits: JSON.parse(run.stdout) as Hits, stderr: run.stderr };
}

/** Every query's hits, with the fields the CLI prints, through the index that start left. */
function allHits(dataDir: string): Hits[] {
  const archive = openArchive(dataDir, BLOG_URL);
  try {
    return QUERIES.map(
      (q) =>
        JSON.parse(
          JSON.stringify(
            archive
              .search(q, { limit: 10 })
              .map(({ kind, postId, commentId, postTitle, postUrl, date, author, excerpt, url, score }) => ({
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
          ),
        ) as Hits,
    );
  } finally {
    archive.close();
  }
}

const leftovers = (dataDir: string) => readdirSync(dataDir).filter((f) => f.startsWith(INDEX_FILE) && f !== INDEX_FILE);

/** Resolves `extraMs` after an index file in `dir` is first created or written to (the save has begun). */
function whenSaveStarts(dir: string, extraMs: number): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      const watcher = watch(dir, (_event, name) => {
        if (name?.startsWith(INDEX_FILE)) {
          watcher.close();
          setTimeout(resolve, extraMs);
        }
      });
    });
}

describe('kill -9 while the index is saved', () => {
  let dataDir = '';
  let clean: Hits[] = [];
  let reindexMs = 0;

  beforeAll(async () => {
    const dir = tempDir();
    const exportFile = join(dir, 'blog-export.xml');
    await generateArchive({ scale: 0.02, seed: 9, out: exportFile });
    dataDir = tempDir();
    const ingest = await cliAsync(['ingest', exportFile], dataDir);
    expect(ingest.status, ingest.stderr).toBe(0);
    const started = Date.now();
    const reindex = await cliAsync(['reindex'], dataDir);
    reindexMs = Date.now() - started;
    expect(reindex.status, reindex.stderr).toBe(0);
    clean = [];
    for (const query of QUERIES) clean.push((await cliSearch(dataDir, query)).hits);
    expect(clean.every((hits) => hits.length > 0)).toBe(true);
    expect(allHits(dataDir)).toEqual(clean);
  }, 60_000);

  it(`serves what a clean build serves after each of 10 kills during reindex (seed ${FAULT_SEED})`, async () => {
    const random = seededRandom(FAULT_SEED + 1);
    const kills: string[] = [];
    let partials = 0;
    for (let k = 0; k < 10; k++) {
      // Half the rounds start with no saved index, so a kill leaves none; half replace one.
      if (k % 2 === 0) rmSync(join(dataDir, INDEX_FILE), { force: true });
      // Even rounds die at a random moment of the whole run, odd ones while the file is being written.
      const atSave = k % 2 === 1;
      const r = random();
      // One round kills the moment the save is seen to begin, however fast this machine writes.
      const delay = atSave ? (k === 1 ? 0 : Math.round(r * 20)) : Math.round(50 + r * (reindexMs - 50));
      const run = await cliKilled(['reindex'], dataDir, atSave ? whenSaveStarts(dataDir, delay) : after(delay));
      const left = leftovers(dataDir).map((f) => `${f} of ${statSync(join(dataDir, f)).size} bytes`);
      partials += left.length;
      const where =
        `kill ${k + 1}: ${atSave ? `${delay} ms after the save began` : `at ${delay} ms`}` +
        ` (${run.killed ? `killed, left ${left.join(', ') || 'no partial file'}` : 'finished first'}), seed ${FAULT_SEED}`;
      kills.push(where);

      const next = await cliSearch(dataDir, QUERIES[k % QUERIES.length]!);
      expect(next.hits, where).toEqual(clean[k % QUERIES.length]);
      // A file is either whole and used, or absent and built: never torn and read.
      expect(next.stderr, where).not.toMatch(/unreadable|corrupt|error/);
      expect(leftovers(dataDir), where).toEqual([]);
      expect(allHits(dataDir), where).toEqual(clean);
      expect(checkStore(dataDir).integrity, where).toBe('ok');
    }
    console.log(`reindex kills: ${kills.join('; ')}`);
    // The kills did land mid-save, or this test proves nothing about torn files.
    expect(partials).toBeGreaterThan(0);
  }, 120_000);

  it('rebuilds an index file that is cut short, overwritten or zero-filled, and answers as before', async () => {
    const random = seededRandom(FAULT_SEED + 2);
    const file = join(dataDir, INDEX_FILE);
    const whole = readFileSync(file);
    // The postings of a word the first query searches: a start reads the tables only, so damage there is found by
    // the search that reads it (and damage no search reads is never served either).
    const [start, end] = postingsBytesOf(file, termOf('caseload')!);
    const inQueried = () => start + Math.floor(random() * (end - start));
    const damage: [string, () => void, RegExp][] = [
      ['cut short at a random byte', () => truncateSync(file, Math.floor(random() * whole.length)), /unreadable/],
      ['empty', () => truncateSync(file, 0), /unreadable/],
      [
        'one byte flipped in the tables',
        () => writeFileSync(file, flipped(whole, headerLength(whole) + Math.floor(random() * 1_000))),
        /unreadable/,
      ],
      [
        'one byte flipped in the postings the query reads',
        () => writeFileSync(file, flipped(whole, inQueried())),
        /damaged: index file is corrupt \(postings block \d+\)/,
      ],
      [
        'zero-filled tail from the postings the query reads (a write the disk never finished)',
        () => {
          const bytes = Buffer.from(whole);
          bytes.fill(0, inQueried());
          writeFileSync(file, bytes);
        },
        /damaged: index file is corrupt \(postings block \d+\)/,
      ],
    ];
    for (const [what, harm, said] of damage) {
      writeFileSync(file, whole);
      rmSync(join(dataDir, CORRUPT_INDEX_FILE), { force: true });
      harm();
      const next = await cliSearch(dataDir, QUERIES[0]!);
      expect(next.hits, what).toEqual(clean[0]);
      expect(next.stderr, what).toMatch(/search index rebuilt \(/);
      expect(next.stderr, what).toMatch(said);
      expect(statSync(file).size, what).toBe(whole.length);
      expect(allHits(dataDir), what).toEqual(clean);
    }
    rmSync(join(dataDir, CORRUPT_INDEX_FILE), { force: true });
  }, 120_000);

  it('never loads an index whose header was changed on disk (a post id, with changes to catch up)', async () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    await ingestSources(storeOver(db), [SEEDS], { now: () => '2026-11-23T08:00:00.000Z' });
    rebuildIndex(db, dir);
    const file = join(dir, INDEX_FILE);
    const bytes = readFileSync(file);
    // Another id of the same length, the JSON still valid: only a checksum over the header can tell.
    const at = bytes.indexOf('"postIds":["') + '"postIds":["'.length;
    const postId = bytes.subarray(at, bytes.indexOf('"', at)).toString();
    bytes[at] = bytes[at] === 0x61 ? 0x62 : 0x61;
    writeFileSync(file, bytes);
    // A reader's comment on that post, stored after the index was saved: the next start must catch up with it.
    const post = readPost(db, postId)!;
    storeParsedPost(
      db,
      {
        post,
        line: 1,
        warnings: [],
        comments: [
          ...readComments(db, postId),
          {
            id: 'fault-comment',
            postId,
            parentId: null,
            author: 'A reader',
            date: post.date,
            time: null,
            text: 'Zyxwvut quokka sentence: the fortnightly supervision rota never changes.',
            permalink: null,
            deleted: false,
          },
        ],
      },
      'test',
      '2026-11-23T08:00:00.000Z',
    );

    const loaded = loadIndex(db, dir);
    const hits = (index: typeof loaded) =>
      ['quokka', 'probation officer', post.title].map((q) =>
        searchArchive(index.index, (ids) => passageDetails(db, ids), q, { blogUrl: BLOG_URL, limit: 10 }).map(
          ({ postId: id, kind, excerpt, score }) => ({ id, kind, excerpt, score }),
        ),
      );
    const answered = hits(loaded);
    loaded.close();
    rmSync(file);
    const fresh = loadIndex(db, dir);
    expect(answered).toEqual(hits(fresh));
    fresh.close();
    db.close();
  });

  it('catches a stale index up with what was stored after it was saved', async () => {
    const file = join(dataDir, INDEX_FILE);
    const saved = join(tempDir(), 'before.index');
    copyFileSync(file, saved);
    const ingest = await cliAsync(['ingest', join(FIXTURES, 'blogger-export-classic-pelican-2018.xml')], dataDir);
    expect(ingest.status, ingest.stderr).toBe(0);
    const fresh = await cliAsync(['search', 'windpipe', '--json'], dataDir);
    // The index from before that ingest, as a crash between store and index would leave it.
    copyFileSync(saved, file);
    const stale = await cliAsync(['search', 'windpipe', '--json'], dataDir);
    expect(stale.status, stale.stderr).toBe(0);
    expect(JSON.parse(stale.stdout).length).toBeGreaterThan(0);
    expect(stale.stdout).toBe(fresh.stdout);
    expect(existsSync(file)).toBe(true);
  }, 60_000);
});
