// The index's base segment: what a full build from the store produces, in a
// compact binary form. Small tables (posts, passages, vocabulary) are loaded
// into typed arrays; the postings — most of the bytes — stay on disk and are
// read per query term, so memory and start time do not grow with the archive's
// text. Pure: bytes in, bytes out; the file itself is handled by src/store.
import type { PassageKind } from '../archive/model.js';
import { termCache, termCounts } from './terms.js';

/** Bump when the layout or the terms change: a saved segment of another version is rebuilt. */
export const SEGMENT_FORMAT_VERSION = 4;
const MAGIC = 'PRBIDX';
/** MAGIC, the header JSON's length (8 decimal digits) and its crc32 (8 hex digits). */
export const HEADER_PREFIX_BYTES = MAGIC.length + 16;

/** crc32 of `data`, continuing from `previous` (zlib's, handed in: this module touches no I/O). */
export type Crc32 = (data: Uint8Array, previous: number) => number;

/**
 * The postings are checked a block at a time, each block the first time a query reads from it, so a start reads the
 * tables alone (not the whole file) and still no byte is served unchecked.
 */
export const POSTINGS_BLOCK_BYTES = 64 * 1024;

export const KIND_CODES: Record<PassageKind, number> = { paragraph: 0, quoted: 1, comment: 2 };
export const KINDS: readonly PassageKind[] = ['paragraph', 'quoted', 'comment'];

/** Post-document fields, in MiniSearch field-id order. */
export const FIELDS = ['title', 'post', 'comments', 'author'] as const;
export const TITLE = 0;
export const POST = 1;
export const COMMENTS = 2;
export const AUTHOR = 3;

/** A passage as the index takes it. */
export interface PassageInput {
  id: number;
  kind: PassageKind;
  author: string | null;
  text: string;
}

export interface SegmentHeader {
  format: number;
  /** The store this was built from (a segment from another database is never used). */
  storeId: string;
  /** Index journal position the segment includes. */
  journalPosition: number;
  postIds: string[];
  postTitles: string[];
  passageCount: number;
  termCount: number;
  /** Byte offset of the postings from the start of the file. */
  postingsOffset: number;
  postingsBytes: number;
  /** crc32 of the tables, between the header and the postings (the header's own is in the prefix before it). */
  tablesCrc: number;
  /** The postings' checksums cover blocks of this many bytes (the last one shorter): see `blockCrcs`. */
  blockBytes: number;
  /**
   * The passages' text and author lengths summed, so a start need not add up every passage (~15 ms at full size,
   * run once, before the JIT has warmed up). Absent from files saved by earlier versions: added up then.
   */
  passageLengthTotals?: [number, number];
}

/** The loaded part of a segment: everything but the postings. */
export interface Segment {
  header: SegmentHeader;
  /** posts × 4 field lengths (title, post, comments, author), in terms. */
  postFieldLengths: Uint32Array;
  /** posts + 1: the post's passages are ordinals [start[i], start[i+1]). */
  postPassageStart: Uint32Array;
  passageIds: Uint32Array;
  passageKinds: Uint8Array;
  passageTextLengths: Uint32Array;
  passageAuthorLengths: Uint16Array;
  /** Sorted (code-unit order). */
  terms: string[];
  /** terms + 1 offsets into the postings; a term's passage postings come first, then its title postings. */
  termOffsets: Float64Array;
  termPassageBytes: Uint32Array;
  /** Number of passage postings (an entry per passage and field) and title postings of each term. */
  termPassageCount: Uint32Array;
  termTitleCount: Uint32Array;
  /** crc32 of each block of `header.blockBytes` bytes of the postings, in order. */
  blockCrcs: Uint32Array;
}

/** Growable byte buffer of unsigned varints. */
class VarintBuffer {
  bytes = new Uint8Array(8);
  length = 0;

  push(value: number): void {
    if (this.length + 10 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2 + 10);
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    while (value >= 0x80) {
      this.bytes[this.length++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.bytes[this.length++] = value;
  }

  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

/** Reads the varints `VarintBuffer` wrote. */
export class VarintReader {
  private at = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.at >= this.bytes.length;
  }

  next(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = this.bytes[this.at++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
  }
}

interface TermPostings {
  passages: VarintBuffer;
  passageCount: number;
  lastPassage: number;
  titles: VarintBuffer | null;
  titleCount: number;
  lastPost: number;
}

/**
 * Builds a segment from posts given in order, each followed by its passages.
 * Passage postings are (passage ordinal delta, tf × 2 + field) with field 0 =
 * text, 1 = author; title postings are (post ordinal delta, tf).
 */
export class SegmentBuilder {
  private readonly postIds: string[] = [];
  private readonly postTitles: string[] = [];
  private readonly fieldLengths: number[] = [];
  private readonly passageStart: number[] = [];
  private readonly passageIds: number[] = [];
  private readonly passageKinds: number[] = [];
  private readonly textLengths: number[] = [];
  private readonly authorLengths: number[] = [];
  private readonly postings = new Map<string, TermPostings>();
  private readonly term = termCache();
  private open = false;

  /** Start a post; its passages follow. A post without passages is not a document and is dropped. */
  addPost(id: string, title: string): void {
    this.closePost();
    this.postIds.push(id);
    this.postTitles.push(title);
    this.fieldLengths.push(0, 0, 0, 0);
    this.passageStart.push(this.passageIds.length);
    this.open = true;
  }

  addPassage(passage: PassageInput): void {
    if (!this.open) throw new Error('addPassage before addPost');
    const ordinal = this.passageIds.length;
    const post = this.postIds.length - 1;
    const text = termCounts(passage.text, this.term);
    const author = termCounts(passage.author ?? '', this.term);
    this.passageIds.push(passage.id);
    this.passageKinds.push(KIND_CODES[passage.kind]);
    this.textLengths.push(text.length);
    this.authorLengths.push(Math.min(author.length, 0xffff));
    this.fieldLengths[post * 4 + (passage.kind === 'comment' ? COMMENTS : POST)]! += text.length;
    this.fieldLengths[post * 4 + AUTHOR]! += author.length;
    // One entry per (passage, field), text first, so ordinals stay non-decreasing.
    for (const [field, counts] of [
      [0, text.counts],
      [1, author.counts],
    ] as const) {
      for (const [term, tf] of counts) {
        const p = this.termPostings(term);
        p.passages.push(ordinal - p.lastPassage);
        p.passages.push(tf * 2 + field);
        p.lastPassage = ordinal;
        p.passageCount++;
      }
    }
  }

  private termPostings(term: string): TermPostings {
    let p = this.postings.get(term);
    if (!p) {
      p = { passages: new VarintBuffer(), passageCount: 0, lastPassage: 0, titles: null, titleCount: 0, lastPost: 0 };
      this.postings.set(term, p);
    }
    return p;
  }

  private closePost(): void {
    if (!this.open) return;
    this.open = false;
    const post = this.postIds.length - 1;
    if (this.passageStart[post] === this.passageIds.length) {
      // No passages: not a document.
      this.postIds.pop();
      this.postTitles.pop();
      this.fieldLengths.length -= 4;
      this.passageStart.pop();
      return;
    }
    const title = termCounts(this.postTitles[post]!, this.term);
    this.fieldLengths[post * 4 + TITLE] = title.length;
    for (const [term, tf] of title.counts) {
      const p = this.termPostings(term);
      p.titles ??= new VarintBuffer();
      p.titles.push(post - p.lastPost);
      p.titles.push(tf);
      p.lastPost = post;
      p.titleCount++;
    }
  }

  /** The finished segment as byte chunks to write one after another. */
  finish(storeId: string, journalPosition: number, crc32: Crc32, blockBytes = POSTINGS_BLOCK_BYTES): Uint8Array[] {
    this.closePost();
    const terms = [...this.postings.keys()].sort();
    const termOffsets = new Float64Array(terms.length + 1);
    const termPassageBytes = new Uint32Array(terms.length);
    const termPassageCount = new Uint32Array(terms.length);
    const termTitleCount = new Uint32Array(terms.length);
    const postingChunks: Uint8Array[] = [];
    let offset = 0;
    terms.forEach((term, i) => {
      const p = this.postings.get(term)!;
      termOffsets[i] = offset;
      const passages = p.passages.view();
      termPassageBytes[i] = passages.length;
      termPassageCount[i] = p.passageCount;
      termTitleCount[i] = p.titleCount;
      postingChunks.push(passages);
      offset += passages.length;
      if (p.titles) {
        postingChunks.push(p.titles.view());
        offset += p.titles.length;
      }
    });
    termOffsets[terms.length] = offset;

    const tables: Uint8Array[] = [
      bytesOf(Uint32Array.from(this.fieldLengths)),
      bytesOf(Uint32Array.from([...this.passageStart, this.passageIds.length])),
      bytesOf(Uint32Array.from(this.passageIds)),
      bytesOf(Uint8Array.from(this.passageKinds)),
      bytesOf(Uint32Array.from(this.textLengths)),
      bytesOf(Uint16Array.from(this.authorLengths)),
      bytesOf(termOffsets),
      bytesOf(termPassageBytes),
      bytesOf(termPassageCount),
      bytesOf(termTitleCount),
      bytesOf(blockChecksums(postingChunks, blockBytes, crc32)),
      new TextEncoder().encode(terms.join('\n')),
    ].map(padded);
    if (this.passageIds.some((id) => id > 0xffffffff)) throw new Error('passage id beyond 32 bits');

    let tablesCrc = 0;
    for (const table of tables) tablesCrc = crc32(table, tablesCrc);
    const tableBytes = tables.reduce((n, t) => n + t.length, 0);
    const header: SegmentHeader = {
      format: SEGMENT_FORMAT_VERSION,
      storeId,
      journalPosition,
      postIds: this.postIds,
      postTitles: this.postTitles,
      passageCount: this.passageIds.length,
      termCount: terms.length,
      postingsOffset: 0,
      postingsBytes: offset,
      tablesCrc,
      blockBytes,
      passageLengthTotals: [sum(this.textLengths), sum(this.authorLengths)],
    };
    // The header's own length decides where the postings start: encode until stable.
    let encoded = encodeHeader(header, crc32);
    for (;;) {
      const postingsOffset = encoded.length + tableBytes;
      if (header.postingsOffset === postingsOffset) break;
      header.postingsOffset = postingsOffset;
      encoded = encodeHeader(header, crc32);
    }
    return [encoded, ...tables, ...postingChunks];
  }
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** crc32 of each `blockBytes` of the chunks taken as one stream (the last block shorter). */
export function blockChecksums(chunks: readonly Uint8Array[], blockBytes: number, crc32: Crc32): Uint32Array {
  const out: number[] = [];
  let crc = 0;
  let filled = 0;
  for (const chunk of chunks) {
    for (let at = 0; at < chunk.length; ) {
      const take = Math.min(blockBytes - filled, chunk.length - at);
      crc = crc32(chunk.subarray(at, at + take), crc);
      filled += take;
      at += take;
      if (filled === blockBytes) {
        out.push(crc);
        crc = 0;
        filled = 0;
      }
    }
  }
  if (filled > 0) out.push(crc);
  return Uint32Array.from(out);
}

/** The blocks (first and last, inclusive) that hold `length` bytes of the postings from `offset`. */
export function blocksSpanned(offset: number, length: number, blockBytes: number): [number, number] {
  return [Math.floor(offset / blockBytes), Math.floor((offset + Math.max(length, 1) - 1) / blockBytes)];
}

function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** Tables start at multiples of 8 bytes, so they can be viewed in place. */
function padded(bytes: Uint8Array): Uint8Array {
  const rest = bytes.length % 8;
  if (rest === 0) return bytes;
  const out = new Uint8Array(bytes.length + 8 - rest);
  out.set(bytes);
  return out;
}

/**
 * MAGIC, the header JSON's length (8 decimal digits) and crc32 (8 hex
 * digits), the JSON, padding to 8 bytes. The body's checksum is in the JSON;
 * the JSON's own in front of it, so no byte of the file goes unchecked.
 */
function encodeHeader(header: SegmentHeader, crc32: Crc32): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const crc = crc32(json, 0).toString(16).padStart(8, '0');
  const prefix = new TextEncoder().encode(`${MAGIC}${String(json.length).padStart(8, '0')}${crc}`);
  const out = new Uint8Array(prefix.length + json.length);
  out.set(prefix);
  out.set(json, prefix.length);
  return padded(out);
}

export class SegmentFormatError extends Error {}

/** Length of the header block, from its first HEADER_PREFIX_BYTES; throws when this is not a segment this version reads. */
export function headerLength(start: Uint8Array): number {
  const prefix = new TextDecoder().decode(start.subarray(0, HEADER_PREFIX_BYTES));
  if (!prefix.startsWith(MAGIC) || !/^\d{8}$/.test(prefix.slice(MAGIC.length, MAGIC.length + 8)))
    throw new SegmentFormatError('not an index segment');
  // Format 2 had no header checksum: its JSON follows the length.
  if (prefix[MAGIC.length + 8] === '{')
    throw new SegmentFormatError(`index format 2, this version reads ${SEGMENT_FORMAT_VERSION}`);
  if (!/^[0-9a-f]{8}$/.test(prefix.slice(MAGIC.length + 8))) throw new SegmentFormatError('not an index segment');
  const length = HEADER_PREFIX_BYTES + Number(prefix.slice(MAGIC.length, MAGIC.length + 8));
  return length + ((8 - (length % 8)) % 8);
}

/** The header from its block (as `headerLength` measured it), its checksum checked. */
export function parseHeader(block: Uint8Array, crc32: Crc32): SegmentHeader {
  const prefix = new TextDecoder().decode(block.subarray(0, HEADER_PREFIX_BYTES));
  const jsonLength = Number(prefix.slice(MAGIC.length, MAGIC.length + 8));
  const json = block.subarray(HEADER_PREFIX_BYTES, HEADER_PREFIX_BYTES + jsonLength);
  if (json.length !== jsonLength || crc32(json, 0) !== Number.parseInt(prefix.slice(MAGIC.length + 8), 16)) {
    throw new SegmentFormatError('index header is corrupt (checksum)');
  }
  const header = JSON.parse(new TextDecoder().decode(json)) as SegmentHeader;
  if (header.format !== SEGMENT_FORMAT_VERSION)
    throw new SegmentFormatError(`index format ${header.format}, this version reads ${SEGMENT_FORMAT_VERSION}`);
  return header;
}

/** View the tables (the bytes between the header block and the postings) as a segment. */
export function readTables(header: SegmentHeader, tables: Uint8Array): Segment {
  const buffer = tables.buffer;
  let at = tables.byteOffset;
  const posts = header.postIds.length;
  const take = <T>(
    make: (buffer: ArrayBufferLike, offset: number, length: number) => T,
    count: number,
    size: number,
  ): T => {
    const view = make(buffer, at, count);
    at += count * size + ((8 - ((count * size) % 8)) % 8);
    if (at > tables.byteOffset + tables.byteLength) throw new SegmentFormatError('index tables are truncated');
    return view;
  };
  const segment = {
    header,
    postFieldLengths: take((b, o, n) => new Uint32Array(b, o, n), posts * 4, 4),
    postPassageStart: take((b, o, n) => new Uint32Array(b, o, n), posts + 1, 4),
    passageIds: take((b, o, n) => new Uint32Array(b, o, n), header.passageCount, 4),
    passageKinds: take((b, o, n) => new Uint8Array(b, o, n), header.passageCount, 1),
    passageTextLengths: take((b, o, n) => new Uint32Array(b, o, n), header.passageCount, 4),
    passageAuthorLengths: take((b, o, n) => new Uint16Array(b, o, n), header.passageCount, 2),
    termOffsets: take((b, o, n) => new Float64Array(b, o, n), header.termCount + 1, 8),
    termPassageBytes: take((b, o, n) => new Uint32Array(b, o, n), header.termCount, 4),
    termPassageCount: take((b, o, n) => new Uint32Array(b, o, n), header.termCount, 4),
    termTitleCount: take((b, o, n) => new Uint32Array(b, o, n), header.termCount, 4),
    blockCrcs: take(
      (b, o, n) => new Uint32Array(b, o, n),
      Math.ceil(header.postingsBytes / (header.blockBytes || 1)),
      4,
    ),
    terms: [] as string[],
  };
  const rest = new Uint8Array(buffer, at, tables.byteOffset + tables.byteLength - at);
  const end = rest.indexOf(0);
  const text = new TextDecoder().decode(end === -1 ? rest : rest.subarray(0, end));
  segment.terms = header.termCount === 0 ? [] : text.split('\n');
  if (segment.terms.length !== header.termCount)
    throw new SegmentFormatError('index vocabulary does not match its header');
  return segment;
}
