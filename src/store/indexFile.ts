// The saved search index next to the database: one file holding the base
// segment (tables loaded on start, postings read per query term). On start it
// is checked (format, store, checksum, journal) and caught up with what the
// store's journal says changed since it was built; a missing, corrupt or stale
// file is rebuilt from the store, never served.
import { closeSync, existsSync, fstatSync, fsyncSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { ArchiveIndex } from '../search/archiveIndex.js';
import { headerLength, parseHeader, readTables, SegmentBuilder, SegmentFormatError, type SegmentHeader } from '../search/segment.js';
import {
  indexablePassages, indexablePost, journalPosition, journalTrimmedTo, postsChangedSince, storeId, trimJournal,
} from './archive.js';
import type { Db } from './db.js';

export const INDEX_FILE = 'search.index';
/** What earlier versions saved; removed when found. */
const OLD_INDEX_FILES = ['passages.index.json'];

/** Catching up with more changed posts than this share of the archive costs more than a rebuild. */
const CATCH_UP_SHARE = 0.1;
/** Changed passages held in memory before the base is rebuilt. */
const MAX_CHANGED_PASSAGES = 5_000;

export interface LoadedIndex {
  index: ArchiveIndex;
  /** Why the index was (re)built, or 'loaded' when the saved one was usable. */
  origin: 'loaded' | 'missing' | 'stale' | 'unreadable' | 'other-version';
  /** Posts brought up to date from the journal after loading. */
  caughtUp: number;
  /** Closes the file the postings are read from. */
  close(): void;
}

/** Load the saved index, caught up with the store; rebuild it when it cannot be used. */
export function loadIndex(db: Db, dataDir: string): LoadedIndex {
  for (const old of OLD_INDEX_FILES) rmSync(join(dataDir, old), { force: true });
  const file = join(dataDir, INDEX_FILE);
  let origin: LoadedIndex['origin'] = 'missing';
  if (existsSync(file)) {
    let opened: OpenedSegment | null = null;
    try {
      opened = openSegment(file);
      const { header } = opened.segment;
      const position = journalPosition(db);
      const usable = header.storeId === storeId(db) && header.journalPosition <= position && header.journalPosition >= journalTrimmedTo(db);
      const changed = usable ? postsChangedSince(db, header.journalPosition) : null;
      if (changed && changed.postIds.length <= Math.max(50, header.postIds.length * CATCH_UP_SHARE)) {
        const index = new ArchiveIndex(opened.segment, opened.read);
        applyChanges(db, index, changed);
        if (index.changedPassages <= MAX_CHANGED_PASSAGES) {
          return { index, origin: 'loaded', caughtUp: changed.postIds.length, close: opened.close };
        }
      }
      origin = 'stale';
    } catch (error) {
      origin = error instanceof SegmentFormatError && /format/.test(error.message) ? 'other-version' : 'unreadable';
    }
    opened?.close();
  }
  rebuildIndex(db, dataDir);
  const opened = openSegment(file);
  const index = new ArchiveIndex(opened.segment, opened.read);
  // Anything stored while the build ran.
  const caughtUp = catchUp(db, index) ?? 0;
  return { index, origin, caughtUp, close: opened.close };
}

/**
 * Apply what the store journal recorded since the index's position. Returns
 * the posts brought up to date, or null when the index should be loaded
 * afresh instead: another process rebuilt it (and trimmed the journal it would
 * catch up from), or it holds so many changes in memory that a rebuild is due.
 */
export function catchUp(db: Db, index: ArchiveIndex): number | null {
  if (index.position < journalTrimmedTo(db)) return null;
  const changed = postsChangedSince(db, index.position);
  applyChanges(db, index, changed);
  return index.changedPassages > MAX_CHANGED_PASSAGES ? null : changed.postIds.length;
}

function applyChanges(db: Db, index: ArchiveIndex, changed: { upTo: number; postIds: string[] }): void {
  for (const postId of changed.postIds) index.replacePost(postId, indexablePost(db, postId));
  index.position = changed.upTo;
}

/** Build the base segment from every stored passage and save it; returns the bytes written. */
export function rebuildIndex(db: Db, dataDir: string, onProgress?: (passages: number) => void): { bytes: number; header: SegmentHeader } {
  const builder = new SegmentBuilder();
  let position = 0;
  // One read transaction: the passages and the journal position agree.
  db.transaction(() => {
    position = journalPosition(db);
    let post: string | null = null;
    let n = 0;
    for (const p of indexablePassages(db)) {
      if (p.postId !== post) {
        builder.addPost(p.postId, p.title);
        post = p.postId;
      }
      builder.addPassage(p);
      if (++n % 10_000 === 0) onProgress?.(n);
    }
  })();
  const chunks = builder.finish(storeId(db), position, crc32);
  const file = join(dataDir, INDEX_FILE);
  const partial = `${file}.${process.pid}.tmp`;
  const fd = openSync(partial, 'w');
  let bytes = 0;
  try {
    for (const chunk of chunks) bytes += writeSync(fd, chunk);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, file);
  trimJournal(db, position);
  const header = parseHeader(chunks[0]!);
  return { bytes, header };
}

/** zlib's crc32, except that an empty chunk leaves the running value alone (Node 20's returns 0). */
function crc32(data: Uint8Array, previous = 0): number {
  return data.length === 0 ? previous : zlibCrc32(data, previous);
}

interface OpenedSegment {
  segment: ReturnType<typeof readTables>;
  read: (offset: number, length: number) => Uint8Array;
  close(): void;
}

/** Open a saved segment: header and tables read and checked (size, checksum); postings left on disk. */
function openSegment(file: string): OpenedSegment {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const start = readExactly(fd, 0, Math.min(14, size));
    const headerBlock = readExactly(fd, 0, headerLength(start));
    const header = parseHeader(headerBlock);
    if (header.postingsOffset + header.postingsBytes !== size) throw new SegmentFormatError('index file has the wrong size (truncated?)');
    const tables = readExactly(fd, headerBlock.length, header.postingsOffset - headerBlock.length);
    let crc = crc32(tables);
    const chunk = new Uint8Array(4 << 20);
    for (let at = header.postingsOffset; at < size; ) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, size - at), at);
      if (n <= 0) throw new SegmentFormatError('index file ended early');
      crc = crc32(chunk.subarray(0, n), crc);
      at += n;
    }
    if (crc !== header.crc) throw new SegmentFormatError('index file is corrupt (checksum)');
    const segment = readTables(header, tables);
    return {
      segment,
      read: (offset, length) => readExactly(fd, header.postingsOffset + offset, length),
      close: () => closeSync(fd),
    };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

function readExactly(fd: number, position: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let done = 0; done < length; ) {
    const n = readSync(fd, out, done, length - done, position + done);
    if (n <= 0) throw new SegmentFormatError('index file ended early');
    done += n;
  }
  return out;
}
