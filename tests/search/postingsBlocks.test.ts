// The postings' checksums, a block at a time: each block's crc32 is that of the same bytes read whole, however the
// builder's chunks fall across block edges, and a read is checked against every block it touches.
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockChecksums, blocksSpanned } from '../../src/search/segment.js';

const zlibCrc = (data: Uint8Array, previous: number) => (data.length === 0 ? previous : crc32(data, previous));

describe('postings checked a block at a time', () => {
  it("gives each block the crc32 of its bytes, whatever the chunks' sizes (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 12 }),
        fc.integer({ min: 1, max: 33 }),
        (chunks, blockBytes) => {
          const whole = Buffer.concat(chunks);
          const expected: number[] = [];
          for (let at = 0; at < whole.length; at += blockBytes)
            expected.push(crc32(whole.subarray(at, at + blockBytes)));
          expect([...blockChecksums(chunks, blockBytes, zlibCrc)]).toEqual(expected);
        },
      ),
    );
  });

  it('names every block a read touches, and no other (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 64 }),
        (offset, length, blockBytes) => {
          const [first, last] = blocksSpanned(offset, length, blockBytes);
          expect(first * blockBytes).toBeLessThanOrEqual(offset);
          expect((first + 1) * blockBytes).toBeGreaterThan(offset);
          expect(last * blockBytes).toBeLessThanOrEqual(offset + length - 1);
          expect((last + 1) * blockBytes).toBeGreaterThan(offset + length - 1);
        },
      ),
    );
    expect(blocksSpanned(65_535, 2, 65_536)).toEqual([0, 1]);
    expect(blocksSpanned(65_536, 1, 65_536)).toEqual([1, 1]);
  });
});
