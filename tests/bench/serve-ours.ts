// Child process: the bot's own search, started the way the bot starts
// (openArchive on a data directory whose index is already built), then every
// query, memory, and how soon a newly stored comment is found.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { openArchive, type ArchiveService } from '../../src/archiveService.js';
import { readPost, storeParsedPost } from '../../src/store/archive.js';
import {
  BLOG_URL, childInput, clockMs, freshCommentText, isMain, log, measureNewComment, peakRssMb, round, runMain, runQueries,
  serveResult, steadyRssMb, writeResult, type BenchEngine, type FreshComment, type QuerySet, type ServeConfig,
} from './common.js';

export function oursEngine(archive: ArchiveService): BenchEngine {
  return {
    search: (q) => archive.search(q, { limit: 10 }).map((h) => h.postId),
    suggest: (q) => archive.suggest(q, { limit: 25 }).map((h) => h.postId),
    fuzzy: true,
  };
}

/** A new comment goes through the store (as an ingest or the live feed would put it), then refresh() + search. */
export function oursFreshComment(archive: ArchiveService): FreshComment {
  return {
    store: (postId, word, round) => {
      const post = readPost(archive.db, postId);
      if (!post) throw new Error(`post ${postId} vanished`);
      const comment = {
        id: `bench-${process.pid}-${round}`, postId, parentId: null, author: 'Bench Reader', date: post.date, time: '12:00',
        text: freshCommentText(word), permalink: null, deleted: false,
      };
      storeParsedPost(archive.db, { line: 0, post, comments: [comment], warnings: [] }, 'bench', new Date().toISOString());
    },
    catchUp: () => {
      archive.refresh();
    },
    found: (postId, word) => archive.search(word, { limit: 10 }).some((h) => h.postId === postId),
  };
}

export function postIdsOf(archive: ArchiveService): string[] {
  return (archive.db.prepare('SELECT id FROM posts ORDER BY id').all() as { id: string }[]).map((r) => r.id);
}

async function main(): Promise<void> {
  const { config, originMs } = childInput<ServeConfig>();
  const startToMainMs = clockMs() - originMs;
  const queries = JSON.parse(readFileSync(config.queriesFile, 'utf8')) as QuerySet;
  const firstQuery = queries.plain[0] ?? 'probation';
  const archive = openArchive(config.dataDir, BLOG_URL);
  archive.search(firstQuery, { limit: 10 });
  const startToFirstAnswerMs = clockMs() - originMs;
  log(`  ours: first answer ${startToFirstAnswerMs.toFixed(0)} ms after spawn; running the queries`);

  const q0 = performance.now();
  const run = runQueries(oursEngine(archive), queries);
  const queriesMs = performance.now() - q0;
  const peak = peakRssMb();
  const steady = await steadyRssMb();
  log(`  ours: queries took ${(queriesMs / 1000).toFixed(1)} s; new-comment rounds`);

  const newComment = measureNewComment(postIdsOf(archive), oursFreshComment(archive), {
    rounds: config.newCommentRounds, budgetMs: config.newCommentBudgetMs, seed: 7,
  });
  const result = serveResult('ours', run, {
    firstQuery,
    startToFirstAnswerMs: round(startToFirstAnswerMs, 1),
    startToMainMs: round(startToMainMs, 1),
    peakRssMb: peak,
    steadyRssMb: steady,
    queriesMs: round(queriesMs, 1),
    newComment,
    finalPeakRssMb: peakRssMb(),
  });

  archive.close();
  writeResult(config.resultFile, result);
}

if (isMain(import.meta.url)) runMain(main);
