// The archive as the CLI, the console and the bot use it: the store opened
// under DATA_DIR, the index loaded (or rebuilt) once, and the queries on top.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { PassageKind } from './archive/model.js';
import { onThisDay, type OnThisDay } from './digest/onThisDay.js';
import { quoteOf, searchArchive, type Quote, type SearchHit } from './search/search.js';
import {
  archiveStats,
  commentPieces,
  daysWithPosts,
  ensurePassagesCurrent,
  passageDetails,
  postsOnDay,
  type ArchiveStats,
} from './store/archive.js';
import { openDatabase, type Db } from './store/db.js';
import { catchUp, INDEX_FILE, loadIndex, type LoadedIndex } from './store/indexFile.js';
import { StorageError } from './store/storageErrors.js';

export interface ArchiveService {
  db: Db;
  dataDir: string;
  /**
   * What could not be done on open and is worth telling the operator: the
   * store could not be repaired (a full disk, a read-only file), so some
   * posts' passages lag behind their comments until it can.
   */
  warnings: string[];
  /** The index, loaded on first use (rebuilt from the store when missing or stale). */
  index(): LoadedIndex;
  search(query: string, options?: { limit?: number; kinds?: readonly PassageKind[] }): SearchHit[];
  /** Quick hits for autocomplete as a member types (the last word is a prefix). */
  suggest(query: string, options?: { limit?: number }): SearchHit[];
  /** A passage whole, as /quote posts it; null when no passage has that id (any more). */
  quote(passageId: number): Quote | null;
  /** Bring the loaded index up to date with what was stored since it was built or last refreshed. */
  refresh(): { changedPosts: number };
  onThisDay(date: string): OnThisDay;
  stats(): ArchiveStats & { indexBytes: number | null };
  /** Forget the loaded index (after an ingest changed the store). */
  invalidate(): void;
  close(): void;
}

export function openArchive(dataDir: string, blogUrl: string): ArchiveService {
  const db = openDatabase(dataDir);
  const warnings: string[] = [];
  try {
    ensurePassagesCurrent(db);
  } catch (error) {
    // The store as it is still answers; the re-cut is tried again on the next open.
    if (!(error instanceof StorageError)) throw error;
    warnings.push(`passages of posts an interrupted ingest left could not be re-cut: ${error.message}`);
  }
  let loaded: LoadedIndex | null = null;
  const index = (): LoadedIndex => (loaded ??= loadIndex(db, dataDir));
  const searchIndex = () => index().index;
  const forget = () => {
    loaded?.close();
    loaded = null;
  };
  return {
    db,
    dataDir,
    warnings,
    index,
    search: (query, options = {}) =>
      searchArchive(searchIndex(), (ids) => passageDetails(db, ids), query, { blogUrl, ...options }),
    suggest: (query, options = {}) =>
      searchArchive(searchIndex(), (ids) => passageDetails(db, ids), query, {
        blogUrl,
        limit: options.limit ?? 25,
        quick: true,
        excerptLength: 100,
      }),
    quote: (passageId) => {
      const detail = passageDetails(db, [passageId]).get(passageId);
      return detail ? quoteOf(detail, blogUrl, commentPieces(db, passageId)) : null;
    },
    refresh: () => {
      if (!loaded) return { changedPosts: index().caughtUp };
      const changedPosts = catchUp(db, loaded.index);
      if (changedPosts !== null) return { changedPosts };
      forget();
      return { changedPosts: index().caughtUp };
    },
    onThisDay: (date) => onThisDay(date, (day) => postsOnDay(db, day), daysWithPosts(db), blogUrl),
    stats: () => {
      let indexBytes: number | null = null;
      try {
        indexBytes = statSync(join(dataDir, INDEX_FILE)).size;
      } catch {
        indexBytes = null;
      }
      return { ...archiveStats(db), indexBytes };
    },
    invalidate: forget,
    close: () => {
      forget();
      db.close();
    },
  };
}
