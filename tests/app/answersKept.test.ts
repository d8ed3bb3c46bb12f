// Answers members repeat are kept a short while: the same search twice in a burst reads the store once, and
// nothing kept outlives a change (a new comment indexed, a count that moved).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { archiveService, openArchive, type OpenArchive } from '../../src/app/archive.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { readComments, readPost, storeParsedPost } from '../../src/store/archive.js';
import { connectionOf } from '../../src/store/store.js';
import { BLOG_URL, seedPath, tempDir } from '../helpers.js';

const now = () => '2026-11-23T08:00:00.000Z';

describe('answers kept for members asking the same again', () => {
  let opened: OpenArchive;
  afterEach(() => opened.close());

  async function counted(answersKept?: number) {
    opened = openArchive(join(tempDir(), 'data'), BLOG_URL);
    await ingestSources(opened.store, [seedPath('001')], { now });
    const reads = { details: 0, stats: 0 };
    const archive = {
      ...opened.store.archive,
      passageDetails: (ids: readonly number[]) => {
        reads.details += 1;
        return opened.store.archive.passageDetails(ids);
      },
      stats: () => {
        reads.stats += 1;
        return opened.store.archive.stats();
      },
    };
    const service = archiveService({ ...opened.store, archive }, BLOG_URL, {
      ...(answersKept !== undefined && { answersKept }),
    });
    return { service, reads };
  }

  /** A comment with a made-up word, stored as a sync would store it (the index hears of it on refresh). */
  function addComment(word: string, postId: string) {
    const db = connectionOf(opened.store);
    const comments = readComments(db, postId);
    storeParsedPost(
      db,
      {
        line: 1,
        post: readPost(db, postId)!,
        comments: [
          ...comments,
          {
            id: `fake-${word}`,
            postId,
            parentId: null,
            author: 'Anonymous',
            date: '2026-11-23',
            time: '09:00',
            text: `A made-up word for the test: ${word}.`,
            permalink: null,
            deleted: false,
          },
        ],
        warnings: [],
      },
      'test',
      now(),
    );
  }

  it('answers the same search again without reading the store, and the same words alike', async () => {
    const { service, reads } = await counted();
    const first = service.search('treadmill');
    expect(first.length).toBeGreaterThan(0);
    const readsAfterFirst = reads.details;
    expect(service.search('treadmill')).toEqual(first);
    expect(service.suggest('tread')).toEqual(service.suggest('tread'));
    expect(reads.details).toBe(readsAfterFirst + 1);
    // Other options are another question.
    service.search('treadmill', { limit: 1 });
    expect(reads.details).toBe(readsAfterFirst + 2);
  });

  it('forgets what it kept as soon as the index takes in a change', async () => {
    const { service } = await counted();
    const postId = service.search('treadmill')[0]!.postId;
    expect(service.search('flibbertigibbet')).toEqual([]);
    addComment('flibbertigibbet', postId);
    expect(service.refresh().changedPosts).toBe(1);
    expect(service.search('flibbertigibbet')[0]).toMatchObject({ postId, kind: 'comment' });
  });

  it('counts the archive once, and again when a passage has changed, even before the index hears of it', async () => {
    const { service, reads } = await counted();
    const before = service.stats();
    service.stats();
    expect(reads.stats).toBe(1);
    addComment('snollygoster', service.search('treadmill')[0]!.postId);
    expect(service.stats().comments).toBe(before.comments + 1);
    expect(reads.stats).toBe(2);
  });

  it('keeps nothing when told to keep nothing (the bench times every search)', async () => {
    const { service, reads } = await counted(0);
    service.search('treadmill');
    service.search('treadmill');
    service.stats();
    service.stats();
    expect(reads).toEqual({ details: 2, stats: 2 });
  });
});
