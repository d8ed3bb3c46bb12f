// Child process: the bot's own search, started the way the bot starts
// (openArchive on a data directory whose index is already built), then every
// query, memory, and how soon a newly stored comment is found.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { rebuildInChild } from '../../src/store/indexBuilder.js';
import { openArchive, type OpenArchive } from '../../src/app/archive.js';
import { readPost, storeParsedPost } from '../../src/store/archive.js';
import {
  BLOG_URL,
  childInput,
  clockMs,
  freshCommentText,
  isMain,
  runMain,
  serveAndReport,
  type BenchEngine,
  type DuringRebuild,
  round,
  summarize,
  type FreshComment,
  type QuerySet,
  type ServeConfig,
} from './common.js';
import { connectionOf } from '../../src/store/store.js';

export function oursEngine(archive: OpenArchive): BenchEngine {
  return {
    search: (q) => archive.search(q, { limit: 10 }).map((h) => h.postId),
    suggest: (q) => archive.suggest(q, { limit: 25 }).map((h) => h.postId),
    fuzzy: true,
  };
}

/** A new comment goes through the store (as an ingest or the live feed would put it), then refresh() + search. */
export function oursFreshComment(archive: OpenArchive): FreshComment {
  return {
    store: (postId, word, round) => {
      const post = readPost(connectionOf(archive.store), postId);
      if (!post) throw new Error(`post ${postId} vanished`);
      const comment = {
        id: `bench-${process.pid}-${round}`,
        postId,
        parentId: null,
        author: 'Bench Reader',
        date: post.date,
        time: '12:00',
        text: freshCommentText(word),
        permalink: null,
        deleted: false,
      };
      storeParsedPost(
        connectionOf(archive.store),
        { line: 0, post, comments: [comment], warnings: [] },
        'bench',
        new Date().toISOString(),
      );
    },
    catchUp: () => {
      archive.refresh();
    },
    found: (postId, word) => archive.search(word, { limit: 10 }).some((h) => h.postId === postId),
  };
}

/**
 * Queries asked one after another, a few milliseconds apart (as interactions arrive), for as long as a full rebuild
 * of the index runs in its child process, as the bot runs it; then the new file is loaded.
 */
export async function duringRebuild(archive: OpenArchive, queries: QuerySet, dataDir: string): Promise<DuringRebuild> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  const asked = [...queries.plain, ...queries.multi];
  const samples: number[] = [];
  let done = false;
  const started = performance.now();
  delay.enable();
  const build = rebuildInChild({ dataDir }).finally(() => {
    done = true;
  });
  for (let i = 0; !done; i++) {
    const t = performance.now();
    archive.search(asked[i % asked.length] ?? 'probation', { limit: 10 });
    samples.push(performance.now() - t);
    await sleep(5);
  }
  await build;
  const rebuildMs = performance.now() - started;
  delay.disable();
  archive.refresh();
  const latency = summarize(samples);
  return {
    p50Ms: latency.p50Ms,
    p99Ms: latency.p99Ms,
    maxEventLoopDelayMs: round(delay.max / 1e6, 1),
    queries: samples.length,
    rebuildMs: round(rebuildMs, 0),
  };
}

export function postIdsOf(archive: OpenArchive): string[] {
  return (connectionOf(archive.store).prepare('SELECT id FROM posts ORDER BY id').all() as { id: string }[]).map(
    (r) => r.id,
  );
}

async function main(): Promise<void> {
  const { config, originMs } = childInput<ServeConfig>();
  const startToMainMs = clockMs() - originMs;
  const queries = JSON.parse(readFileSync(config.queriesFile, 'utf8')) as QuerySet;
  const firstQuery = queries.plain[0] ?? 'probation';
  // No answers kept: every query is timed as searched, not as remembered.
  const archive = openArchive(config.dataDir, BLOG_URL, { answersKept: 0 });
  archive.search(firstQuery, { limit: 10 });
  const startToFirstAnswerMs = clockMs() - originMs;
  await serveAndReport(
    'ours',
    oursEngine(archive),
    { firstQuery, originMs, startToMainMs, startToFirstAnswerMs },
    config,
    queries,
    {
      postIds: postIdsOf(archive),
      comment: oursFreshComment(archive),
    },
    async () => ({ duringRebuild: await duringRebuild(archive, queries, config.dataDir) }),
  );
  archive.close();
}

if (isMain(import.meta.url)) runMain(main);
