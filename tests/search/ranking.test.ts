// What the ranking makes of a reader's words, on a small made-up archive (no
// seed text): every word in one passage beats one word repeated down a thread, words side by side beat the same words
// apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comment, Post } from '../../src/archive/model.js';
import { openArchive, type OpenArchive } from '../../src/app/archive.js';
import { storeParsedPost } from '../../src/store/archive.js';
import { connectionOf } from '../../src/store/store.js';
import { BLOG_URL, tempDir } from '../helpers.js';

const NOW = '2026-11-23T08:00:00.000Z';

/** Filler posts, so that the made-up words below are rare and the common ones common. */
const FILLER = Array.from({ length: 30 }, (_, i) => ({
  id: `fake-filler-${i}`,
  title: `Office notes ${i}`,
  paragraphs: [
    'The office kettle was descaled again and the rota pinned to the board.',
    `Item ${i + 100}: the lift is out of order on floor ${i % 7}, use the stairs.`,
  ],
  comments: ['Thanks for the update.', 'The rota is on the board by the kettle.'],
}));

interface FakePost {
  id: string;
  title: string;
  paragraphs: string[];
  comments: string[];
}

function store(archive: OpenArchive, fake: FakePost): void {
  const post: Post = {
    id: fake.id,
    title: fake.title,
    date: '2026-01-01',
    time: null,
    author: null,
    url: null,
    labels: [],
    text: fake.paragraphs.join('\n\n'),
  };
  const comments: Comment[] = fake.comments.map((text, i) => ({
    id: `${fake.id}-c${i}`,
    postId: fake.id,
    parentId: null,
    author: `Reader ${i}`,
    date: '2026-01-02',
    time: '09:00',
    text,
    permalink: null,
    deleted: false,
  }));
  storeParsedPost(connectionOf(archive.store), { line: 1, post, comments, warnings: [] }, 'test', NOW);
}

let archive: OpenArchive;
beforeAll(() => {
  archive = openArchive(tempDir(), BLOG_URL);
  for (const fake of FILLER) store(archive, fake);
  // One paragraph holding both words, in a post with a short thread.
  store(archive, {
    id: 'fake-both',
    title: 'Tuesday notes',
    paragraphs: ['The office kettle was descaled.', 'The wombat rota was agreed with the marmot team on Tuesday.'],
    comments: ['Thanks for the update.'],
  });
  // One of the words in its title and repeated down a long thread, never beside the other.
  store(archive, {
    id: 'fake-repeats',
    title: 'Wombat corner',
    paragraphs: ['The wombat corner is open again.'],
    comments: Array.from({ length: 12 }, (_, i) => `Wombat sighting number ${i + 1}, wombat again by the kettle.`),
  });
  store(archive, {
    id: 'fake-other',
    title: 'Sightings',
    paragraphs: ['A marmot was seen by the stairs.'],
    comments: ['Marmot again.'],
  });
  // Both words in each, side by side in the longer passage, apart in the shorter.
  store(archive, {
    id: 'fake-near',
    title: 'Thursday notes',
    paragraphs: [
      'Ask at the desk about the glimmet tarbush before the kettle is descaled and the rota pinned to the board.',
    ],
    comments: [],
  });
  store(archive, {
    id: 'fake-apart',
    title: 'Friday notes',
    paragraphs: ['The glimmet is back; the lift is out of order; tarbush.'],
    comments: [],
  });
  // The one post with a rare word, and none of the common ones every filler post holds.
  store(archive, {
    id: 'fake-rare',
    title: 'Postcards',
    paragraphs: ['A postcard came from the zanzibarine coast.'],
    comments: [],
  });
  // Numbered bulletins with the same title words: only the number tells them apart.
  for (const n of [14, 41, 141, 410])
    store(archive, {
      id: `fake-bulletin-${n}`,
      title: `Staff Bulletin ${n}`,
      paragraphs: ['This week the kettle rota and the lift.', 'More staff bulletin news next week.'],
      comments: [],
    });
});
afterAll(() => archive.close());

const first = (query: string) => archive.search(query, { limit: 3 })[0]?.postId;

describe('ranking by what the reader means', () => {
  it('puts the passage holding every query word above a thread repeating one of them', () => {
    expect(first('wombat marmot')).toBe('fake-both');
    expect(first('marmot wombat')).toBe('fake-both');
  });

  it('puts the words side by side above the same words apart', () => {
    expect(first('glimmet tarbush')).toBe('fake-near');
  });

  it('counts a rare word held for more than two common ones', () => {
    expect(first('kettle rota zanzibarine')).toBe('fake-rare');
  });

  it('counts a number in the query: the bulletin it names first, not one with other numbers', () => {
    expect(first('staff bulletin 41')).toBe('fake-bulletin-41');
    expect(first('bulletin 141')).toBe('fake-bulletin-141');
    expect(first('41 bulletin')).toBe('fake-bulletin-41');
  });

  it('still ranks by one word when no passage holds them all', () => {
    expect(first('wombat')).toBe('fake-repeats');
  });
});
