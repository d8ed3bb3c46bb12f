// What a later ingest of the same post stores: a change to any part of it is seen and stored, however the parts
// are split; the same content again changes nothing. Made-up posts only.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Comment, ParsedPost, Post } from '../../src/archive/model.js';
import { connectionOf, openStore } from '../../src/store/store.js';
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

// The content hash decides, on every ingest, whether a stored post or comment changed. Were its recipe to change in
// an upgrade (a field added, a default for an absent field altered), every stored post and comment would look changed
// on the first sync after it: all 150,000 comments rewritten and every passage cut again, with the index rebuilt. So
// the hashes of two made-up posts are pinned here, one with every field present and one with every field that can be
// absent left out; a change to the recipe must be deliberate, and must say how stored archives are brought along.
describe('the content hash, as stored archives have it', () => {
  const comment = (over: Partial<Comment> = {}): Comment => ({
    id: 'c-9201-1',
    postId: '9201',
    parentId: 'c-9201-0',
    author: 'Fake Reader',
    date: '2021-03-05',
    time: '09:15',
    text: 'An invented comment.',
    permalink: 'https://probationmatters.blogspot.com/2021/03/a-made-up-post.html?showComment=1',
    deleted: false,
    ...over,
  });
  const hashesOf = (parsed: ParsedPost) => {
    const store = openStore(join(tempDir(), 'data'));
    try {
      store.archive.storePost(parsed, 'test', now);
      const db = connectionOf(store);
      return {
        post: (db.prepare('SELECT content_hash AS h FROM posts').get() as { h: string }).h,
        comments: (db.prepare('SELECT content_hash AS h FROM comments ORDER BY ord').all() as { h: string }[]).map(
          (row) => row.h,
        ),
      };
    } finally {
      store.close();
    }
  };

  it('is the same as before for a post and comment with every field given', () => {
    expect(hashesOf({ ...post({ time: '07:30' }), comments: [comment()] })).toEqual({
      post: '9699cb285d5d4a87',
      comments: ['2f159b13e73d9644'],
    });
  });

  it('is the same as before for a post and comments with every optional field absent', () => {
    const bare = post({ date: null, time: null, author: null, url: null, labels: [] });
    const comments = [
      comment({ parentId: null, author: null, date: null, time: null, permalink: null }),
      comment({
        id: 'c-9201-2',
        parentId: null,
        author: null,
        date: null,
        time: null,
        permalink: null,
        deleted: true,
        text: '',
      }),
    ];
    expect(hashesOf({ ...bare, comments })).toEqual({
      post: '1a13c7cf7d4eb7cb',
      comments: ['76b746b9b2955a86', '4e41c63394463dcb'],
    });
  });
});

describe('a post met again in another source, or changed', () => {
  const reply = (id: string, postId: string, text: string): Comment => ({
    id,
    postId,
    parentId: null,
    author: 'Fake Reader',
    date: '2021-03-05',
    time: null,
    text,
    permalink: null,
    deleted: false,
  });
  const withStore = (check: (store: ReturnType<typeof openStore>) => void) => {
    const store = openStore(join(tempDir(), 'data'));
    try {
      check(store);
    } finally {
      store.close();
    }
  };

  it("skips a page copy of a post the blog's own copy already holds, counting the copy and each of its comments", () =>
    withStore((store) => {
      store.archive.storePost(post(), 'export', now);
      const copy = post({ id: 'txt-made-up', title: 'a made-up post!', url: null });
      const comments = [reply('txt-made-up-c1', 'txt-made-up', 'One.'), reply('txt-made-up-c2', 'txt-made-up', 'Two.')];
      expect(store.archive.storePost({ ...copy, comments }, 'dump', now)).toEqual({ added: 0, updated: 0, skipped: 3 });
      expect(store.archive.readPost('txt-made-up')).toBeNull();
      expect(store.archive.readPost('9201')?.url).toBe(post().post.url);
    }));

  it("keeps two of the blog's own posts of the same day under the same title: they are two posts, not copies", () =>
    withStore((store) => {
      store.archive.storePost(post(), 'export', now);
      expect(store.archive.storePost(post({ id: '9202', text: 'Another invented post.' }), 'export', now)).toEqual({
        added: 1,
        updated: 0,
        skipped: 0,
      });
      expect(store.archive.readPost('9201')?.text).toBe(post().post.text);
      expect(store.archive.readPost('9202')?.text).toBe('Another invented post.');
    }));

  it('stores an edited comment as an update, and its words are what the archive then quotes', () =>
    withStore((store) => {
      store.archive.storePost({ ...post(), comments: [reply('c1', '9201', 'A first made-up reply.')] }, 'feed', now);
      const edited = { ...post(), comments: [reply('c1', '9201', 'An edited made-up reply.')] };
      expect(store.archive.storePost(edited, 'feed', now)).toEqual({ added: 0, updated: 1, skipped: 1 });
      expect(store.archive.readComments('9201').map((c) => c.text)).toEqual(['An edited made-up reply.']);
    }));

  it("cuts an edited post's passages again, so on this day opens with its new words", () =>
    withStore((store) => {
      store.archive.storePost(post(), 'feed', now);
      const text =
        'An edited paragraph about a made-up caseload, long enough to be a passage of its own in the archive.';
      expect(store.archive.storePost(post({ text }), 'feed', now)).toEqual({ added: 0, updated: 1, skipped: 0 });
      expect(store.archive.postsOnDay('03-04').map((day) => day.opening?.text)).toEqual([text]);
    }));
});
