// Where a term's postings lie in a saved index file, read with the segment's own parser: tests damage the bytes a
// query reads (or bytes none reads) to show a damaged block is never served and costs a start nothing.
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { headerLength, parseHeader, readTables } from '../../src/search/segment.js';

/** [start, end) in the file of the postings (passages and titles) of `term`. */
export function postingsBytesOf(file: string, term: string): [number, number] {
  const bytes = readFileSync(file);
  const header = parseHeader(bytes.subarray(0, headerLength(bytes)), (data, previous) =>
    data.length === 0 ? previous : crc32(data, previous),
  );
  const tables = new Uint8Array(bytes.subarray(headerLength(bytes), header.postingsOffset));
  const segment = readTables(header, tables);
  const at = segment.terms.indexOf(term);
  if (at < 0) throw new Error(`the index has no term "${term}"`);
  return [header.postingsOffset + segment.termOffsets[at]!, header.postingsOffset + segment.termOffsets[at + 1]!];
}

/** The file with one byte inverted at `at`. */
export function flipped(bytes: Buffer, at: number): Buffer {
  const out = Buffer.from(bytes);
  out[at] = out[at]! ^ 0xff;
  return out;
}
