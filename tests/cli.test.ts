// The operator CLI as DESIGN.md specifies it, run as a child process.
import { writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '../src/app/archive.js';
import { termsOf } from '../src/search/terms.js';
import { BLOG_URL, SEEDS, cli, tempDir } from './helpers.js';

let dataDir: string;
let firstIngest: ReturnType<typeof cli>;
beforeAll(() => {
  dataDir = tempDir();
  firstIngest = cli(['ingest', SEEDS, '--json'], dataDir);
});

describe('cli ingest', () => {
  it('prints exactly one JSON value with the totals: 26 posts, at least 80 comments', () => {
    expect(firstIngest.status).toBe(0);
    const totals = JSON.parse(firstIngest.stdout) as Record<string, number>;
    expect(totals).toEqual({ posts: 26, comments: 102, added: 128, updated: 0, skipped: 0 });
    // Progress and the undated post's warning go to stderr, not stdout.
    expect(firstIngest.stderr).toMatch(/\[5\/5\]/);
    expect(firstIngest.stderr).toMatch(/warning: .*003_.*has no date line/);
  });

  it('adds nothing when run again', () => {
    const again = cli(['ingest', SEEDS, '--json'], dataDir);
    expect(JSON.parse(again.stdout)).toEqual({ posts: 26, comments: 102, added: 0, updated: 0, skipped: 128 });
  });

  it('names each bad file on one line, exits non-zero, and keeps what was stored', () => {
    const dir = tempDir();
    writeFileSync(`${dir}/junk.bin`, Buffer.from([0, 159, 146, 150, 0, 0, 1]));
    writeFileSync(`${dir}/empty.txt`, '');
    const run = cli(['ingest', `${dir}/junk.bin`, `${dir}/nope.txt`, `${dir}/empty.txt`, '--json'], dataDir);
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ posts: 26, comments: 102, added: 0 });
    const errors = run.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(errors).toEqual([
      expect.stringMatching(/junk\.bin: binary file/),
      expect.stringMatching(/nope\.txt: no such file/),
      expect.stringMatching(/empty\.txt: empty file/),
    ]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('cli search', () => {
  it('returns hits best first in the contract shape', () => {
    const run = cli(['search', 'probation treadmill', '--json'], dataDir);
    expect(run.status).toBe(0);
    const hits = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(hits[0]).toMatchObject({ kind: 'post', postTitle: 'The Probation Treadmill', date: '2022-07-03' });
    for (const hit of hits) {
      expect(Object.keys(hit).sort()).toEqual(
        ['author', 'commentId', 'date', 'excerpt', 'kind', 'postId', 'postTitle', 'postUrl', 'score', 'url'].sort(),
      );
      expect(['post', 'comment']).toContain(hit['kind']);
      // What `cli hide` takes: a comment's id, null for a post's own passages.
      if (hit['kind'] === 'post') expect(hit['commentId']).toBeNull();
      else expect(typeof hit['commentId']).toBe('string');
      expect(typeof hit['excerpt'] === 'string' && hit['excerpt'].length <= 400).toBe(true);
      expect(hit['date'] === null || /^\d{4}-\d{2}-\d{2}$/.test(hit['date'] as string)).toBe(true);
      expect(typeof hit['score']).toBe('number');
    }
    const scores = hits.map((h) => h['score'] as number);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('honours --limit and rejects a bad one in one line', () => {
    expect(JSON.parse(cli(['search', 'probation', '--limit', '2', '--json'], dataDir).stdout)).toHaveLength(2);
    const bad = cli(['search', 'probation', '--limit', 'lots'], dataDir);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/--limit.*whole number/);
  });

  it('answers an empty archive with an empty list, not an error', () => {
    const run = cli(['search', 'anything', '--json'], tempDir());
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([]);
  });
});

describe('cli search syntax', () => {
  type Hit = { postId: string; commentId: string | null; excerpt: string; date: string | null };
  const hitsOf = (run: ReturnType<typeof cli>) => JSON.parse(run.stdout) as Hit[];

  it('"mass supervision" -treadmill: only hits showing the phrase, none whose passage holds the word', () => {
    const run = cli(['search', '"mass supervision" -treadmill', '--json'], dataDir);
    expect(run.status).toBe(0);
    const hits = hitsOf(run);
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) expect(hit.excerpt.toLowerCase()).toContain('mass supervision');
    // The whole passage behind each hit (not just its excerpt), read from the same store.
    const archive = openArchive(dataDir, BLOG_URL);
    try {
      const passages = archive
        .search('"mass supervision" -treadmill', { limit: 10 })
        .map((h) => ({ where: [h.postId, h.commentId], text: archive.quote(h.passageId)!.text }));
      expect(passages.map((p) => p.where)).toEqual(hits.map((h) => [h.postId, h.commentId]));
      for (const { text } of passages) {
        expect(text.toLowerCase().replace(/\s+/g, ' ')).toContain('mass supervision');
        expect(termsOf(text)).not.toContain(termsOf('treadmill')[0]);
      }
      // Without the exclusion the phrase's post is shown by a passage that does speak of the treadmill.
      const unexcluded = archive.search('"mass supervision"', { limit: 10 });
      expect(unexcluded.some((h) => termsOf(archive.quote(h.passageId)!.text).includes('treadmil'))).toBe(true);
    } finally {
      archive.close();
    }
  });

  it('--order newest and order:oldest put the hits in date order', () => {
    const newest = hitsOf(cli(['search', 'probation', '--order', 'newest', '--json'], dataDir)).map((h) => h.date);
    const oldest = hitsOf(cli(['search', 'probation order:oldest', '--json'], dataDir)).map((h) => h.date);
    const dated = (dates: (string | null)[]) => dates.filter((d): d is string => d !== null);
    expect(dated(newest).length).toBeGreaterThan(3);
    expect(dated(newest)).toEqual([...dated(newest)].sort().reverse());
    expect(dated(oldest)).toEqual([...dated(oldest)].sort());
    expect(newest[0]).toBe('2024-02-19');
  });

  it.each([
    ['only exclusions', ['-treadmill'], /needs words to look for/],
    ['an unclosed quote', ['"mass supervision'], /not closed/],
    ['an empty phrase', ['probation ""'], /empty pair of quotes/],
    ['a bad --order', ['probation', '--order', 'sideways'], /--order.*relevance, newest, oldest/],
  ])('refuses %s with one line on stderr and a non-zero exit', (_what, args, message) => {
    const run = cli(['search', ...args, '--json'], dataDir);
    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[0]).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('cli onthisday and stats', () => {
  it('lists what was posted on a date in its year and earlier ones', () => {
    const run = cli(['onthisday', '--date', '2024-11-23', '--json'], dataDir);
    const result = JSON.parse(run.stdout) as {
      date: string;
      items: { year: number; postTitle: string; postUrl: string; excerpt: string }[];
    };
    expect(result.date).toBe('2024-11-23');
    expect(result.items).toEqual([
      {
        year: 2023,
        postTitle: 'On Being a PQiP',
        postUrl: 'https://probationmatters.blogspot.com/2023/11/',
        excerpt: expect.any(String),
      },
    ]);
  });

  it('falls back to the nearest day with posts, and says so', () => {
    const result = JSON.parse(cli(['onthisday', '--date', '2025-07-05', '--json'], dataDir).stdout) as {
      exact: boolean;
      day: string;
      items: { postTitle: string }[];
    };
    expect(result).toMatchObject({ exact: false, day: '07-03', items: [{ postTitle: 'The Probation Treadmill' }] });
  });

  it('rejects a date that is not YYYY-MM-DD', () => {
    const run = cli(['onthisday', '--date', '23/11/2023'], dataDir);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/YYYY-MM-DD/);
  });

  it('reports posts, comments and the dates covered', () => {
    const stats = JSON.parse(cli(['stats', '--json'], dataDir).stdout) as Record<string, unknown>;
    expect(stats).toMatchObject({ posts: 26, comments: 102, firstDate: '2021-11-12', lastDate: '2024-02-19' });
  });

  it('reports every configuration problem together, in plain words', () => {
    const run = cli(['stats'], dataDir, { BLOG_URL: 'not a url', DEFAULT_TIMEZONE: 'Mars/Olympus' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/BLOG_URL: must be a full URL/);
    expect(run.stderr).toMatch(/DEFAULT_TIMEZONE: must be an IANA time zone/);
  });
});
