// What a later ingest of the same post stores: a change to any part of it is seen and stored, however the parts
// are split; the same content again changes nothing. Made-up posts only.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ParsedPost, Post } from '../../src/archive/model.js';
import { openStore } from '../../src/store/store.js';
import { tempDir } from '../helpers.js';

const now = '2026-11-23T08:00:00Z';
const post = (over: Partial<Post> = {}): ParsedPost => ({
  line: 1,
  post: {
    id: '9201',
    title: 'A Made-Up Post',
    date: '2021-03-04',
    time: null,
    author: 'Fake Editor',
    url: 'https://probationmatters.blogspot.com/2021/03/a-made-up-post.html',
    labels: ['ab', 'c'],
    text: 'An invented paragraph about a made-up caseload, long enough to be a passage of its own in the archive.',
    ...over,
  },
  comments: [],
  warnings: [],
});

describe('a post ingested again', () => {
  it('is stored again when its labels change, even when joined they read the same (ab, c → a, bc)', () => {
    const store = openStore(join(tempDir(), 'data'));
    try {
      expect(store.archive.storePost(post(), 'test', now)).toEqual({ added: 1, updated: 0, skipped: 0 });
      expect(store.archive.storePost(post(), 'test', now)).toEqual({ added: 0, updated: 0, skipped: 1 });
      expect(store.archive.storePost(post({ labels: ['a', 'bc'] }), 'test', now)).toEqual({
        added: 0,
        updated: 1,
        skipped: 0,
      });
      expect(store.archive.readPost('9201')?.labels).toEqual(['a', 'bc']);
    } finally {
      store.close();
    }
  });
});
