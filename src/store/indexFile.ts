// The saved search index next to the database: one file holding the base
// segment (tables loaded on start, postings read per query term). On start it
// is checked (format, store, the tables' checksum, journal) and caught up with
// what the store's journal says changed since it was built; a missing, corrupt
// or stale file is rebuilt from the store, never served. The postings' blocks
// are checked each the first time a query reads it: a corrupt one throws
// IndexCorrupt, and the caller drops the file and rebuilds. A new file replaces the old in
// one rename, so a crash mid-save leaves one whole file or the other; a disk
// that cannot take it (full, read-only) keeps the old file, and the rebuilt
// index is served from memory.
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { ArchiveIndex } from '../search/archiveIndex.js';
import {
  blocksSpanned,
  HEADER_PREFIX_BYTES,
  headerLength,
  parseHeader,
  readTables,
  SegmentBuilder,
  SegmentFormatError,
  type SegmentHeader,
} from '../search/segment.js';
import {
  indexablePassages,
  indexablePost,
  journalPosition,
  journalTrimmedTo,
  postsChangedSince,
  storeId,
  trimJournal,
} from './archive.js';
import type { Db } from './db.js';
import { describeStorageFault, isStorageFault, StorageError } from './storageErrors.js';

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
  /**
   * Why the index just rebuilt could not be saved (a full disk, a read-only
   * DATA_DIR): it is served from memory, and the next start tries again. Null
   * when nothing needed saving or the save worked.
   */
  unsaved: string | null;
  /** Closes the file the postings are read from. */
  close(): void;
  /**
   * Closes it, and when it is still the saved index (not one another process has saved since) moves it to
   * `search.index.corrupt`, kept for a look: the next load rebuilds. For an index found damaged (IndexCorrupt).
   */
  discard(): void;
}

/** How the index file is written; tests hand in a disk that fails. */
export interface IndexWriteOptions {
  /** Write (part of) a chunk at the file's current position, returning the bytes written; default `fs.writeSync`. */
  write?: (fd: number, chunk: Uint8Array) => number;
}

/** Load the saved index, caught up with the store; rebuild it when it cannot be used. */
export function loadIndex(db: Db, dataDir: string, options: IndexWriteOptions = {}): LoadedIndex {
  removeLeftovers(dataDir);
  const saved = loadSavedIndex(db, dataDir);
  if ('index' in saved) return saved;
  const { origin } = saved;
  const built = buildSegment(db);
  let opened: OpenedSegment;
  let unsaved: string | null = null;
  try {
    saveSegment(db, dataDir, built, options);
    opened = openSegment(join(dataDir, INDEX_FILE));
  } catch (error) {
    // A disk that cannot take the file does not stop searches: the build is served from memory.
    if (!(error instanceof StorageError)) throw error;
    unsaved = error.message;
    opened = segmentInMemory(built.chunks);
  }
  const index = new ArchiveIndex(opened.segment, opened.read);
  // Anything stored while the build ran.
  const caughtUp = catchUp(db, index) ?? 0;
  return { index, origin, caughtUp, unsaved, close: opened.close, discard: opened.discard };
}

/**
 * The saved index when it can be used as it is (caught up with the journal); else why not, and nothing is built:
 * the caller decides where a rebuild runs.
 */
export function loadSavedIndex(
  db: Db,
  dataDir: string,
): LoadedIndex | { origin: Exclude<LoadedIndex['origin'], 'loaded'> } {
  const file = join(dataDir, INDEX_FILE);
  if (!existsSync(file)) return { origin: 'missing' };
  let opened: OpenedSegment | null = null;
  let origin: Exclude<LoadedIndex['origin'], 'loaded'> = 'stale';
  try {
    opened = openSegment(file);
    const { header } = opened.segment;
    const position = journalPosition(db);
    const usable =
      header.storeId === storeId(db) &&
      header.journalPosition <= position &&
      header.journalPosition >= journalTrimmedTo(db);
    const changed = usable ? postsChangedSince(db, header.journalPosition) : null;
    if (changed && changed.postIds.length <= Math.max(50, header.postIds.length * CATCH_UP_SHARE)) {
      const index = new ArchiveIndex(opened.segment, opened.read);
      applyChanges(db, index, changed);
      if (index.changedPassages <= MAX_CHANGED_PASSAGES) {
        const caughtUp = changed.postIds.length;
        return { index, origin: 'loaded', caughtUp, unsaved: null, close: opened.close, discard: opened.discard };
      }
    }
  } catch (error) {
    origin = error instanceof SegmentFormatError && /format/.test(error.message) ? 'other-version' : 'unreadable';
  }
  opened?.close();
  return { origin };
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

/**
 * Build the base segment from every stored passage and save it; returns the
 * bytes written. A save that fails (StorageError) leaves the file saved before
 * as it was, and nothing of its own.
 */
export function rebuildIndex(
  db: Db,
  dataDir: string,
  options: IndexWriteOptions & { onProgress?: (passages: number) => void } = {},
): { bytes: number; header: SegmentHeader } {
  removeLeftovers(dataDir);
  const built = buildSegment(db, options.onProgress);
  const bytes = saveSegment(db, dataDir, built, options);
  return { bytes, header: parseHeader(built.chunks[0]!, crc32) };
}

interface BuiltSegment {
  chunks: Uint8Array[];
  /** The journal position the build read up to. */
  position: number;
}

function buildSegment(db: Db, onProgress?: (passages: number) => void): BuiltSegment {
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
  return { chunks: builder.finish(storeId(db), position, crc32), position };
}

/**
 * A save in progress (or one a crash cut short): `search.index~<host>~<pid>~<token>.tmp`. Processes on
 * one data directory may share a pid (containers each have a pid 1), so the name says whose save it is.
 */
const PARTIAL = new RegExp(`^${INDEX_FILE.replace('.', '\\.')}~(.+)~(\\d+)~([0-9a-f]+)\\.tmp$`);
const THIS_SAVER = `${hostname().replace(/~/g, '-')}~${process.pid}~${randomBytes(4).toString('hex')}`;
/** A partial file this old is a crash's, whoever holds its pid now: a save takes seconds. */
const ABANDONED_MS = 3_600_000;

/**
 * Write the segment beside the old file and rename it over, so the file is
 * always one whole save or another: a crash mid-write leaves a partial file
 * that is never read (and is removed on the next start), a failed write
 * removes its own. Then forget the journal the new file covers.
 */
function saveSegment(db: Db, dataDir: string, built: BuiltSegment, options: IndexWriteOptions): number {
  const file = join(dataDir, INDEX_FILE);
  const partial = `${file}~${THIS_SAVER}.tmp`;
  const write = options.write ?? ((fd: number, chunk: Uint8Array) => writeSync(fd, chunk));
  let fd: number | null = null;
  let bytes = 0;
  try {
    fd = openSync(partial, 'w');
    for (const chunk of built.chunks) {
      // A write may take part of a chunk (a disk filling up does that before it fails).
      for (let done = 0; done < chunk.length; ) done += write(fd, chunk.subarray(done));
      bytes += chunk.length;
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(partial, file);
  } catch (error) {
    if (fd !== null) closeQuietly(fd);
    removeQuietly(partial);
    const fault = describeStorageFault(error, file);
    if (!fault) throw error;
    throw new StorageError(
      `the search index could not be saved (any saved before is left as it was): ${fault.message}`,
      fault.reason,
      { cause: error },
    );
  }
  syncDirectory(dataDir);
  try {
    trimJournal(db, built.position);
  } catch (error) {
    // A store that cannot be written (read-only, full) keeps its journal a while longer: harmless.
    if (!isStorageFault(error)) throw error;
  }
  return bytes;
}

/** Remove partial files of saves that will never finish (their process is gone, or it was long ago). */
function removeLeftovers(dataDir: string): void {
  let names: string[];
  try {
    names = readdirSync(dataDir);
  } catch {
    return;
  }
  for (const name of names) {
    const saver = PARTIAL.exec(name);
    if (!saver) {
      if (OLD_INDEX_FILES.includes(name) || /^search\.index\.\d+\.tmp$/.test(name)) removeQuietly(join(dataDir, name));
      continue;
    }
    const [, host, pid] = saver;
    const path = join(dataDir, name);
    const mine = name.endsWith(`~${THIS_SAVER}.tmp`);
    // Another host's (another container's) process cannot be asked whether it lives: only age tells.
    const deadHere = host === THIS_SAVER.split('~')[0] && !processAlive(Number(pid));
    if (mine || deadHere || olderThan(path, ABANDONED_MS)) removeQuietly(path);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed process nobody has reaped yet (a container without an init) still answers; Linux says it is a zombie.
  try {
    return !/^\d+ \(.*\) [ZX]/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

function olderThan(path: string, ms: number): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > ms;
  } catch {
    return false;
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // A read-only DATA_DIR keeps it; the index is still read or rebuilt as usual.
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already failing: the first error is the one to report.
  }
}

/** Make the rename itself durable (a power cut after it keeps the new file); not every system can, and that is no error. */
function syncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows and some file systems refuse to sync a directory.
  } finally {
    if (fd !== null) closeQuietly(fd);
  }
}

/** A segment just built, served from memory when it could not be saved. */
function segmentInMemory(chunks: readonly Uint8Array[]): OpenedSegment {
  const header = parseHeader(chunks[0]!, crc32);
  // One buffer from offset 0, so the tables' typed arrays are aligned as in a file read.
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  const segment = readTables(header, bytes.subarray(chunks[0]!.length, header.postingsOffset));
  return {
    segment,
    read: (offset, length) => bytes.subarray(header.postingsOffset + offset, header.postingsOffset + offset + length),
    close: () => {},
    discard: () => {},
  };
}

/** zlib's crc32, except that an empty chunk leaves the running value alone (Node 20's returns 0). */
function crc32(data: Uint8Array, previous = 0): number {
  return data.length === 0 ? previous : zlibCrc32(data, previous);
}

interface OpenedSegment {
  segment: ReturnType<typeof readTables>;
  read: (offset: number, length: number) => Uint8Array;
  close(): void;
  discard(): void;
}

/** Where a damaged index file is moved (the last one only), for the operator to look at. */
export const CORRUPT_INDEX_FILE = `${INDEX_FILE}.corrupt`;

/**
 * A block of the saved index's postings does not match its checksum: the file is damaged (a disk fault, an edit)
 * and must not be served. The index that read it is dropped and rebuilt (see the archive service).
 */
export class IndexCorrupt extends SegmentFormatError {}

/**
 * Open a saved segment: header and tables read and checked (size, checksums); postings left on disk, each block
 * checked against its checksum the first time it is read (a start reads the tables, not the whole file: at full
 * size 7 of 41 MB, some 60 ms less from the page cache and far more from a cold disk).
 */
function openSegment(file: string): OpenedSegment {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const start = readExactly(fd, 0, Math.min(HEADER_PREFIX_BYTES, size));
    const headerBlock = readExactly(fd, 0, headerLength(start));
    const header = parseHeader(headerBlock, crc32);
    if (header.postingsOffset + header.postingsBytes !== size)
      throw new SegmentFormatError('index file has the wrong size (truncated?)');
    const tables = readExactly(fd, headerBlock.length, header.postingsOffset - headerBlock.length);
    if (crc32(tables) !== header.tablesCrc) throw new SegmentFormatError('index file is corrupt (checksum)');
    const segment = readTables(header, tables);
    const discard = () => {
      try {
        const opened = fstatSync(fd);
        const saved = statSync(file);
        if (opened.ino === saved.ino && opened.dev === saved.dev)
          renameSync(file, join(dirname(file), CORRUPT_INDEX_FILE));
      } catch {
        // Gone already, or the directory is read-only: the next load finds it damaged again and rebuilds in memory.
      } finally {
        closeQuietly(fd);
      }
    };
    return { segment, read: checkedReader(fd, header, segment.blockCrcs), close: () => closeSync(fd), discard };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Reads postings, checking every block a read touches the first time it is touched. */
function checkedReader(
  fd: number,
  header: SegmentHeader,
  blockCrcs: Uint32Array,
): (offset: number, length: number) => Uint8Array {
  const checked = new Uint8Array(blockCrcs.length);
  const { blockBytes, postingsOffset, postingsBytes } = header;
  return (offset, length) => {
    const [first, last] = blocksSpanned(offset, length, blockBytes);
    if (offset < 0 || offset + length > postingsBytes) throw new SegmentFormatError('a read beyond the postings');
    for (let block = first; block <= last && length > 0; block++) {
      if (checked[block]) continue;
      const from = block * blockBytes;
      const bytes = readExactly(fd, postingsOffset + from, Math.min(blockBytes, postingsBytes - from));
      if (crc32(bytes) !== blockCrcs[block]) throw new IndexCorrupt(`index file is corrupt (postings block ${block})`);
      checked[block] = 1;
    }
    return readExactly(fd, postingsOffset + offset, length);
  };
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

export interface IndexRepository {
  /** The saved index, caught up with the journal; rebuilt when missing, stale or unreadable. */
  load(): LoadedIndex;
  /** The saved index only when usable as it is; null when it would need a rebuild (done elsewhere: `rebuildInChild`). */
  loadSaved(): LoadedIndex | null;
  /** Bring a loaded index up to date; null when it should be loaded afresh instead (see `catchUp`). */
  catchUp(index: ArchiveIndex): number | null;
  rebuild(options?: IndexWriteOptions & { onProgress?: (passages: number) => void }): {
    bytes: number;
    header: SegmentHeader;
  };
  /** Size of the saved index file; null when there is none. */
  fileBytes(): number | null;
}

/** The search index saved beside the database in `dataDir`. */
export function indexRepository(db: Db, dataDir: string): IndexRepository {
  return {
    load: () => loadIndex(db, dataDir),
    loadSaved: () => {
      const saved = loadSavedIndex(db, dataDir);
      return 'index' in saved ? saved : null;
    },
    catchUp: (index) => catchUp(db, index),
    rebuild: (options) => rebuildIndex(db, dataDir, options),
    fileBytes: () => {
      try {
        return statSync(join(dataDir, INDEX_FILE)).size;
      } catch {
        return null;
      }
    },
  };
}
