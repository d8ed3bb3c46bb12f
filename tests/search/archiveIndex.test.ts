// The index against its contract: saved and loaded, caught up incrementally,
// or rebuilt from scratch, it answers the same queries the same way; a stale,
// corrupt or foreign index file is detected and rebuilt, never served.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive, type OpenArchive } from '../../src/app/archive.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { readComments, readPost, storeParsedPost } from '../../src/store/archive.js';
import { CORRUPT_INDEX_FILE, INDEX_FILE, rebuildIndex } from '../../src/store/indexFile.js';
import { headerLength } from '../../src/search/segment.js';
import { termOf } from '../../src/search/terms.js';
import { flipped, postingsBytesOf } from './indexFileBytes.js';
import { BLOG_URL, SEEDS, seedPath, tempDir } from '../helpers.js';
import { relevanceQueries } from './queries.js';
import { connectionOf } from '../../src/store/store.js';

const now = () => '2026-11-23T08:00:00.000Z';

/** Plain, multi-word, prefix (last word cut short), typo'd and autocomplete queries. */
const QUERIES = [
  ...relevanceQueries.map((q) => q.query),
  'treadm',
  'probation offi',
  'civil serv',
  'workload',
  'napo',
  'pqip',
  'trasnforming',
  'probaton',
  'unpaid work',
  'grayling',
  'the',
  'zzzzzz',
];

/** What a member would see: post, passage and score (rounded: sums in another order may differ in the last bits). */
function answers(archive: OpenArchive): string[] {
  return QUERIES.flatMap((q) => [
    ...archive
      .search(q, { limit: 10 })
      .map((h) => `${q} → ${h.postId} #${h.passageId} ${h.score.toFixed(2)} «${h.excerpt.slice(0, 40)}»`),
    ...archive.suggest(q, { limit: 5 }).map((h) => `${q} (suggest) → ${h.postId} #${h.passageId}`),
  ]);
}

async function seeded(files: string[]): Promise<{ dataDir: string; archive: OpenArchive }> {
  const dataDir = tempDir();
  const archive = openArchive(dataDir, BLOG_URL);
  await ingestSources(archive.store, files, { now });
  return { dataDir, archive };
}

describe('the index on disk', () => {
  it('answers the same after it is saved and loaded again', async () => {
    const { dataDir, archive } = await seeded([SEEDS]);
    expect(archive.index().origin).toBe('missing');
    const built = answers(archive);
    archive.close();

    const reopened = openArchive(dataDir, BLOG_URL);
    expect(reopened.index()).toMatchObject({ origin: 'loaded', caughtUp: 0 });
    expect(answers(reopened)).toEqual(built);
    expect(built.length).toBeGreaterThan(300);
    reopened.close();
  });

  it('answers after incremental updates exactly as after a full rebuild', async () => {
    const { dataDir, archive } = await seeded([seedPath('000'), seedPath('001')]);
    archive.index();

    // New posts, an edited post (title and text), a new comment, a post deleted.
    await ingestSources(archive.store, [seedPath('002'), seedPath('003'), seedPath('004')], { now });
    const treadmill = archive.search('treadmill')[0]!;
    const post = readPost(connectionOf(archive.store), treadmill.postId)!;
    storeParsedPost(
      connectionOf(archive.store),
      {
        line: 1,
        post: {
          ...post,
          title: `${post.title} (revised)`,
          text: `${post.text}\n\nA made-up closing paragraph about zebrafish caseloads and the treadmill.`,
        },
        comments: [
          ...readComments(connectionOf(archive.store), post.id),
          {
            id: 'fake-comment-1',
            postId: post.id,
            parentId: null,
            author: 'Test Commenter',
            date: '2026-11-23',
            time: '08:00',
            text: 'A made-up comment: the quokka rota is back.',
            permalink: null,
            deleted: false,
          },
        ],
        warnings: [],
      },
      'test',
      now(),
    );
    const civil = archive.search('civil service').find((h) => h.postId !== post.id)!;
    connectionOf(archive.store).prepare('DELETE FROM posts WHERE id = ?').run(civil.postId);

    expect(archive.refresh().changedPosts).toBeGreaterThan(2);
    const incremental = answers(archive);
    expect(archive.search('quokka')[0]?.postId).toBe(post.id);
    expect(archive.search('zebrafish')[0]?.postTitle).toBe(`${post.title} (revised)`);
    expect(archive.search('civil service').map((h) => h.postId)).not.toContain(civil.postId);

    rebuildIndex(connectionOf(archive.store), dataDir);
    archive.invalidate();
    expect(archive.index().origin).toBe('loaded');
    expect(answers(archive)).toEqual(incremental);
    archive.close();
  });

  it('makes a newly stored comment searchable on refresh, and after a restart without refresh (the store is the truth)', async () => {
    const { dataDir, archive } = await seeded([SEEDS]);
    archive.index();
    const hit = archive.search('treadmill')[0]!;
    const comments = readComments(connectionOf(archive.store), hit.postId);
    const comment = (text: string, n: number) => ({
      id: `fake-${n}`,
      postId: hit.postId,
      parentId: null,
      author: 'Anonymous',
      date: '2026-11-23',
      time: '09:00',
      text,
      permalink: null,
      deleted: false,
    });
    const store = (extra: ReturnType<typeof comment>[]) =>
      storeParsedPost(
        connectionOf(archive.store),
        {
          line: 1,
          post: readPost(connectionOf(archive.store), hit.postId)!,
          comments: [...comments, ...extra],
          warnings: [],
        },
        'test',
        now(),
      );

    store([comment('Made-up word for the test: flibbertigibbet.', 1)]);
    expect(archive.search('flibbertigibbet')).toEqual([]);
    archive.refresh();
    expect(archive.search('flibbertigibbet')[0]).toMatchObject({
      postId: hit.postId,
      kind: 'comment',
      author: 'Anonymous',
    });

    // Stored, then the process dies before the index hears of it.
    store([
      comment('Made-up word for the test: flibbertigibbet.', 1),
      comment('Another made-up word: snollygoster.', 2),
    ]);
    archive.close();
    const restarted = openArchive(dataDir, BLOG_URL);
    expect(restarted.index()).toMatchObject({ origin: 'loaded', caughtUp: 1 });
    expect(restarted.search('snollygoster')[0]?.postId).toBe(hit.postId);
    restarted.close();
  });

  it('notices when another process rebuilt the index, and reloads it', async () => {
    const { dataDir, archive } = await seeded([seedPath('001')]);
    archive.index();
    const other = openArchive(dataDir, BLOG_URL);
    await ingestSources(other.store, [seedPath('004')], { now });
    other.store.index.rebuild(); // trims the journal the first process would have caught up from
    other.close();
    archive.refresh();
    expect(archive.search('civil service')[0]?.postTitle).toBe('Probation Must be Free of Civil Service');
    archive.close();
  });

  describe('a saved index that cannot be trusted is rebuilt, never served', () => {
    async function savedArchive(): Promise<{ dataDir: string; file: string; expected: string[] }> {
      const { dataDir, archive } = await seeded([SEEDS]);
      archive.index();
      const expected = answers(archive);
      archive.close();
      return { dataDir, file: join(dataDir, INDEX_FILE), expected };
    }

    it.each([
      ['a flipped byte in the tables', (b: Buffer) => flipped(b, headerLength(b) + 8), 'unreadable'],
      ['a truncated file', (b: Buffer) => b.subarray(0, b.length - 1000), 'unreadable'],
      ['an empty file', () => Buffer.alloc(0), 'unreadable'],
      ['something else entirely', () => Buffer.from('{"not":"an index"}'), 'unreadable'],
      // Format 2's header: no checksum between the JSON's length and the JSON.
      [
        'an older format',
        (b: Buffer) => {
          const text = b.toString('latin1');
          return Buffer.from(text.slice(0, 14) + text.slice(22).replace(/"format":\d+/, '"format":2'), 'latin1');
        },
        'other-version',
      ],
      [
        'a changed header',
        (b: Buffer) =>
          Buffer.from(b.toString('latin1').replace(/"journalPosition":\d+/, '"journalPosition":0'), 'latin1'),
        'unreadable',
      ],
    ] as const)('%s', async (_name, damage, origin) => {
      const { dataDir, file, expected } = await savedArchive();
      writeFileSync(file, damage(readFileSync(file)));
      const archive = openArchive(dataDir, BLOG_URL);
      expect(archive.index().origin).toBe(origin);
      expect(answers(archive)).toEqual(expected);
      archive.close();
    });

    it('a flipped byte in the postings a search reads: that search finds it, sets the file aside and answers from an index rebuilt', async () => {
      const { dataDir, file, expected } = await savedArchive();
      const [start, end] = postingsBytesOf(file, termOf('workload')!);
      writeFileSync(file, flipped(readFileSync(file), Math.floor((start + end) / 2)));
      const damaged: Error[] = [];
      const archive = openArchive(dataDir, BLOG_URL, { onIndexDamaged: (error) => damaged.push(error) });
      // A start reads the tables, not the postings: the damage is found by the first search that reads it.
      expect(archive.index().origin).toBe('loaded');
      expect(answers(archive)).toEqual(expected);
      expect(damaged.map((e) => e.message)).toEqual([
        expect.stringMatching(/index file is corrupt \(postings block \d+\)/),
      ]);
      expect(readFileSync(join(dataDir, CORRUPT_INDEX_FILE))).not.toEqual(readFileSync(file));
      archive.close();
      // The file saved in its place is whole: the next start loads it and finds nothing wrong.
      const next = openArchive(dataDir, BLOG_URL, { onIndexDamaged: (error) => damaged.push(error) });
      expect(next.index().origin).toBe('loaded');
      expect(answers(next)).toEqual(expected);
      expect(damaged).toHaveLength(1);
      next.close();
    });

    it('an index built from another database', async () => {
      const { file, expected } = await savedArchive();
      const { dataDir: otherDir, archive: other } = await seeded([SEEDS]);
      other.close();
      copyFileSync(file, join(otherDir, INDEX_FILE));
      const archive = openArchive(otherDir, BLOG_URL);
      expect(archive.index().origin).toBe('stale');
      expect(answers(archive)).toEqual(expected);
      archive.close();
    });
  });
});
