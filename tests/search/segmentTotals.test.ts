// The passages' summed lengths (BM25's average lengths) come from the saved header, so a start need not add up
// every passage; a file saved before the header carried them gives the same sums, added up on load.
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { liveSegmentOf } from '../../src/search/liveSegment.js';
import { headerLength, parseHeader, readTables, SegmentBuilder } from '../../src/search/segment.js';

const zlibCrc = (data: Uint8Array, previous: number) => (data.length === 0 ? previous : crc32(data, previous));
const WORDS = ['caseload', 'napo', 'officer', 'supervision', 'probation', 'court', 'report', 'hostel'];

interface FakePost {
  passages: { text: string[]; author: string[] | null; comment: boolean }[];
}

/** A saved segment of these posts, read back as a start reads it. */
function savedAndRead(posts: readonly FakePost[]) {
  const builder = new SegmentBuilder();
  let id = 1;
  posts.forEach((post, i) => {
    builder.addPost(`post-${i}`, `Fake post ${i}`);
    for (const p of post.passages)
      builder.addPassage({
        id: id++,
        kind: p.comment ? 'comment' : 'paragraph',
        author: p.author ? p.author.join(' ') : null,
        text: p.text.join(' '),
      });
  });
  const bytes = Buffer.concat(builder.finish('fake-store', 0, zlibCrc));
  const header = parseHeader(bytes.subarray(0, headerLength(bytes)), zlibCrc);
  return readTables(header, new Uint8Array(bytes.subarray(headerLength(bytes), header.postingsOffset)));
}

const sumOf = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0);

const fakePosts = fc.array(
  fc.record({
    passages: fc.array(
      fc.record({
        text: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 12 }),
        author: fc.option(fc.array(fc.constantFrom('Anon', 'Fake', 'Writer'), { minLength: 1, maxLength: 3 })),
        comment: fc.boolean(),
      }),
      { minLength: 1, maxLength: 5 },
    ),
  }),
  { minLength: 1, maxLength: 6 },
);

describe("the passages' summed lengths", () => {
  it('are saved in the header and are what the tables add up to (property)', () => {
    fc.assert(
      fc.property(fakePosts, (posts) => {
        const segment = savedAndRead(posts);
        const added = [sumOf(segment.passageTextLengths), sumOf(segment.passageAuthorLengths)];
        expect(segment.header.passageLengthTotals).toEqual(added);
        expect(liveSegmentOf(segment).passageTotals).toEqual(added);
        // Every word counts: the text total is the number of words written.
        expect(added[0]).toBe(sumOf(posts.flatMap((p) => p.passages.map((x) => x.text.length))));
      }),
      { numRuns: 50 },
    );
  });

  it('are added up on load from a file saved before the header carried them', () => {
    const segment = savedAndRead([
      { passages: [{ text: ['napo', 'court', 'report'], author: ['Fake', 'Writer'], comment: false }] },
      { passages: [{ text: ['hostel'], author: null, comment: true }] },
    ]);
    const { passageLengthTotals, ...older } = segment.header;
    expect(passageLengthTotals).toEqual([4, 2]);
    expect(liveSegmentOf({ ...segment, header: older }).passageTotals).toEqual([4, 2]);
  });
});
