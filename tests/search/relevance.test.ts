import { beforeAll, describe, expect, it } from 'vitest';
import { openArchive, type OpenArchive } from '../../src/app/archive.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { BLOG_URL, SEEDS, tempDir } from '../helpers.js';
import { relevanceQueries } from './queries.js';

let archive: OpenArchive;
beforeAll(async () => {
  archive = openArchive(tempDir(), BLOG_URL);
  await ingestSources(archive.store, [SEEDS], { now: () => '2026-11-23T08:00:00Z' });
  return () => archive.close();
});

describe('search over the seeds', () => {
  it('ranks "The Probation Treadmill" first for "probation treadmill"', () => {
    expect(archive.search('probation treadmill')[0]?.postTitle).toBe('The Probation Treadmill');
  });

  it.each(relevanceQueries)('finds "$expectTitle" in the top 3 for "$query"', ({ query, expectTitle }) => {
    const top3 = archive.search(query, { limit: 3 }).map((h) => h.postTitle);
    expect(top3).toContain(expectTitle);
  });

  it('puts the right post first for at least 9 queries in 10', () => {
    const first = relevanceQueries.filter(
      ({ query, expectTitle }) => archive.search(query, { limit: 1 })[0]?.postTitle === expectTitle,
    );
    expect(first.length / relevanceQueries.length).toBeGreaterThanOrEqual(0.9);
  });

  it('shows an excerpt holding the matched words, at most 400 characters', () => {
    for (const query of ['pqip workload', 'early release scheme', 'napo pay', 'london vacancies']) {
      const [hit] = archive.search(query);
      expect(hit).toBeDefined();
      expect(hit!.excerpt.length).toBeLessThanOrEqual(400);
      expect(hit!.highlights.length).toBeGreaterThan(0);
      const marked = hit!.highlights.map(([s, e]) => hit!.excerpt.slice(s, e).toLowerCase());
      expect(marked.some((w) => query.split(' ').some((q) => w.startsWith(q.slice(0, 4))))).toBe(true);
    }
  });

  it('completes the last word as a prefix and forgives a typo', () => {
    expect(archive.search('treadm')[0]?.postTitle).toBe('The Probation Treadmill');
    expect(archive.search('civil serv')[0]?.postTitle).toBe('Probation Must be Free of Civil Service');
    expect(archive.search('inspectorete london vacancies', { limit: 3 }).map((h) => h.postTitle)).toContain(
      'London Probation’s staffing crisis – but better news on YOTs',
    );
  });

  it('tells comment hits from post hits and links them to the month archive', () => {
    const hits = archive.search('please leave our service', { limit: 3, kinds: ['comment'] });
    expect(hits[0]).toMatchObject({ kind: 'comment', postTitle: expect.stringMatching(/^London Probation/) });
    // The post has no date, so its link is the blog's own search for its title.
    expect(hits[0]!.postUrl).toBe(`${BLOG_URL}/search?q=${encodeURIComponent(hits[0]!.postTitle)}`);
    const treadmill = archive.search('treadmill', { limit: 1 })[0];
    expect(treadmill).toMatchObject({
      postUrl: `${BLOG_URL}/2022/07/`,
      url: `${BLOG_URL}/2022/07/`,
      date: '2022-07-03',
    });
  });

  it('gives one hit per post, and nothing for words the archive does not hold', () => {
    const hits = archive.search('probation', { limit: 30 });
    expect(new Set(hits.map((h) => h.postId)).size).toBe(hits.length);
    expect(archive.search('xylophone zeppelin')).toEqual([]);
    expect(archive.search('the and of')).toEqual([]);
  });
});
