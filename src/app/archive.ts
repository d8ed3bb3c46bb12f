// The archive as the CLI, the console and the bot use it: the store's
// repositories, the index loaded (or rebuilt) once, and the queries on top.
import type { PassageKind } from '../archive/model.js';
import { onThisDay, type OnThisDay } from '../digest/onThisDay.js';
import { quoteOf, searchArchive, type Quote, type SearchHit } from '../search/search.js';
import type { ArchiveStats } from '../store/archive.js';
import type { LoadedIndex } from '../store/indexFile.js';
import { StorageError } from '../store/storageErrors.js';
import type { OpenOptions } from '../store/db.js';
import { openStore, type Repositories, type Store } from '../store/store.js';

export interface ArchiveService {
  /**
   * What could not be done on open and is worth telling the operator: the
   * store could not be repaired (a full disk, a read-only file), so some
   * posts' passages lag behind their comments until it can.
   */
  warnings: string[];
  /** The index, loaded on first use (rebuilt from the store when missing or stale). */
  index(): LoadedIndex;
  /** `wholeWords`: the words of a chat message (Find in archive), not a typed query. */
  search(
    query: string,
    options?: { limit?: number; kinds?: readonly PassageKind[]; wholeWords?: boolean },
  ): SearchHit[];
  /** Quick hits for autocomplete as a member types (the last word is a prefix). */
  suggest(query: string, options?: { limit?: number }): SearchHit[];
  /** A passage whole, as /quote posts it; null when no passage has that id (any more). */
  quote(passageId: number): Quote | null;
  /** Bring the loaded index up to date with what was stored since it was built or last refreshed. */
  refresh(): { changedPosts: number };
  onThisDay(date: string): OnThisDay;
  stats(): ArchiveStats & { indexBytes: number | null; lastSync: string | null };
  /** What the archive takes on disk, for the operator (and admins in /config show). */
  storage(): { databaseBytes: number; indexBytes: number | null };
  /** Forget the loaded index (after an ingest changed the store). */
  invalidate(): void;
}

/** The archive service and the store it runs on, for whoever opened it (and closes it). */
export interface OpenArchive extends ArchiveService {
  store: Store;
  close(): void;
}

/** What the archive service reads. */
export type ArchiveStore = Pick<Repositories, 'archive' | 'index' | 'syncs' | 'retention'>;

export function archiveService(store: ArchiveStore, blogUrl: string): ArchiveService {
  const warnings: string[] = [];
  try {
    store.archive.ensurePassagesCurrent();
  } catch (error) {
    // The store as it is still answers; the re-cut is tried again on the next open.
    if (!(error instanceof StorageError)) throw error;
    warnings.push(`passages of posts an interrupted ingest left could not be re-cut: ${error.message}`);
  }
  let loaded: LoadedIndex | null = null;
  const index = (): LoadedIndex => (loaded ??= store.index.load());
  const details = (ids: readonly number[]) => store.archive.passageDetails(ids);
  const forget = () => {
    loaded?.close();
    loaded = null;
  };
  return {
    warnings,
    index,
    search: (query, options = {}) => searchArchive(index().index, details, query, { blogUrl, ...options }),
    suggest: (query, options = {}) =>
      searchArchive(index().index, details, query, {
        blogUrl,
        limit: options.limit ?? 25,
        quick: true,
        excerptLength: 100,
      }),
    quote: (passageId) => {
      const detail = details([passageId]).get(passageId);
      return detail ? quoteOf(detail, blogUrl, store.archive.commentPieces(passageId)) : null;
    },
    refresh: () => {
      if (!loaded) return { changedPosts: index().caughtUp };
      const changedPosts = store.index.catchUp(loaded.index);
      if (changedPosts !== null) return { changedPosts };
      forget();
      return { changedPosts: index().caughtUp };
    },
    onThisDay: (date) =>
      onThisDay(date, (day) => store.archive.postsOnDay(day), store.archive.daysWithPosts(), blogUrl),
    stats: () => ({
      ...store.archive.stats(),
      indexBytes: store.index.fileBytes(),
      lastSync: store.syncs.get(blogUrl).lastSuccess,
    }),
    storage: () => ({ databaseBytes: store.retention.bytes(), indexBytes: store.index.fileBytes() }),
    invalidate: forget,
  };
}

/** Open the store under `dataDir` and the archive on it. */
export function openArchive(dataDir: string, blogUrl: string, options: OpenOptions = {}): OpenArchive {
  const store = openStore(dataDir, options);
  try {
    const service = archiveService(store, blogUrl);
    return {
      ...service,
      store,
      close: () => {
        service.invalidate();
        store.close();
      },
    };
  } catch (error) {
    store.close();
    throw error;
  }
}
