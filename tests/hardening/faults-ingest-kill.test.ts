// Issue 8, faults: `kill -9` at random points of an ingest, again and again.
// After each kill the store is whole (integrity, no half post, every post
// marked current has the passages its stored rows cut into), the next start
// repairs what the kill left and its index answers as a fresh one would, and
// finishing the ingest at last gives exactly what a clean ingest gives.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '../../src/app/archive.js';
import { INDEX_FILE } from '../../src/store/indexFile.js';
import { generateArchive } from '../bench/generate.js';
import { BLOG_URL, cliAsync, tempDir } from '../helpers.js';
import {
  FAULT_SEED,
  after,
  atWalWrite,
  checkStore,
  cliKilled,
  commentsPerPost,
  countWalWrites,
  passageRows,
  seededRandom,
} from './faults-support.js';

/** Kills that land mid-ingest; an ingest killed is run again (and killed again) until one finishes, then a new one starts from empty. */
const KILLS = 10;
/** Runs at most, killed or finished: keeps the file bounded on a slow machine. */
const MAX_RUNS = 24;
const QUERIES = ['probation caseload', 'napo strike ballot', 'unpaid wor'];

/** How far an ingest had come, from what it printed to stderr. */
function stageOf(stderr: string): string {
  if (/search index rebuilt/.test(stderr)) return 'indexing';
  if (/\(100%/.test(stderr)) return 're-cutting passages or indexing';
  if (stderr.includes('[1/1]')) return 'storing rows';
  return 'starting (or re-cutting what the last kill left)';
}

/** The next start, in this process: the store opened (and repaired), its index loaded (or rebuilt), searched. */
function searchAll(dataDir: string): string[] {
  const archive = openArchive(dataDir, BLOG_URL);
  try {
    return QUERIES.map((q) =>
      JSON.stringify(
        archive
          .search(q, { limit: 10 })
          .map(({ postId, kind, excerpt, url, score }) => ({ postId, kind, excerpt, url, score })),
      ),
    );
  } finally {
    archive.close();
  }
}

describe('kill -9 during ingest', () => {
  let exportFile = '';
  let cleanDir = '';
  let cleanMs = 0;
  let cleanWalWrites = 0;

  beforeAll(async () => {
    exportFile = join(tempDir(), 'blog-export.xml');
    await generateArchive({ scale: 0.015, seed: 8, out: exportFile });
    cleanDir = tempDir();
    const started = Date.now();
    cleanWalWrites = await countWalWrites(cleanDir, async () => {
      const run = await cliAsync(['ingest', exportFile, '--json'], cleanDir);
      expect(run.status, run.stderr).toBe(0);
    });
    cleanMs = Date.now() - started;
  }, 60_000);

  it(`leaves a whole store after each of ${KILLS} kills, and each finished ingest equals a clean one (seed ${FAULT_SEED})`, async () => {
    const random = seededRandom(FAULT_SEED);
    const cleanComments = commentsPerPost(cleanDir);
    const cleanPassages = new Set(passageRows(cleanDir));
    const cleanHits = searchAll(cleanDir);
    const log: string[] = [];
    let kills = 0;
    let runs = 0;

    for (let campaign = 1; kills < KILLS && runs < MAX_RUNS; campaign++) {
      const dataDir = tempDir();
      for (let attempt = 1; ; attempt++) {
        runs++;
        // Half the kills come at a random time of the run, half at a random one of the writes a clean ingest makes.
        const byTime = runs % 2 === 1;
        const point = byTime ? Math.round(50 + random() * (cleanMs - 50)) : 1 + Math.floor(random() * cleanWalWrites);
        // The last kill's ingest is let finish.
        const run =
          kills === KILLS
            ? { ...(await cliAsync(['ingest', exportFile, '--json'], dataDir)), killed: false }
            : await cliKilled(
                ['ingest', exportFile, '--json'],
                dataDir,
                byTime ? after(point) : atWalWrite(dataDir, point),
              );
        const where = `ingest ${campaign}, run ${attempt}: ${
          run.killed
            ? `killed ${byTime ? `at ${point} ms` : `at write ${point} of ${cleanWalWrites}`}` +
              ` (${stageOf(run.stderr)})`
            : 'finished'
        }, FAULT_SEED=${FAULT_SEED}`;
        log.push(where);

        if (!run.killed) {
          // Finished at last: exactly what a clean ingest of the same file holds, and answers.
          expect(run.status, `${where}: ${run.stderr}`).toBe(0);
          const done = checkStore(dataDir);
          const clean = checkStore(cleanDir);
          expect(
            { posts: done.posts, comments: done.comments, passages: done.passages, stalePosts: done.stalePosts },
            where,
          ).toEqual({ posts: clean.posts, comments: clean.comments, passages: clean.passages, stalePosts: 0 });
          expect(passageRows(dataDir), where).toEqual(passageRows(cleanDir));
          if (kills === KILLS) expect(searchAll(dataDir), where).toEqual(cleanHits);
          break;
        }
        kills++;

        // As the kill left it, before anything repairs it.
        expect(checkStore(dataDir), where).toMatchObject({
          integrity: 'ok',
          foreignKeyProblems: 0,
          orphanComments: 0,
          orphanPassages: 0,
          inconsistentPosts: [],
        });
        // The next start re-cuts what the kill left stale, and its index (loaded and caught up, or
        // rebuilt) answers as one built afresh from the store would.
        const answered = searchAll(dataDir);
        rmSync(join(dataDir, INDEX_FILE));
        expect(answered, where).toEqual(searchAll(dataDir));
        expect(checkStore(dataDir), where).toMatchObject({ integrity: 'ok', stalePosts: 0, inconsistentPosts: [] });
        // A post whose comments are all in has exactly the passages a clean ingest gave it.
        const complete = new Set(
          [...commentsPerPost(dataDir)].filter(([id, n]) => cleanComments.get(id) === n).map(([id]) => id),
        );
        const wrong = passageRows(dataDir).filter(
          (row) => complete.has(JSON.parse(row)[0] as string) && !cleanPassages.has(row),
        );
        expect(wrong, where).toEqual([]);
      }
    }
    console.log(`ingest kills:\n${log.join('\n')}`);
    // About the test, not the product: on a machine too slow for MAX_RUNS to land them, it proves too little.
    expect(kills, log.join('\n')).toBeGreaterThanOrEqual(8);
    // Ten ingests of the seeds and ten checks: about a minute alone, two on a machine busy with other work (118 s
    // seen beside two mutation runs, past the 150 s this had with the whole suite besides).
  }, 360_000);
});
