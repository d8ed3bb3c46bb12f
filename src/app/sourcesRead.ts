// Which sources have been read to the end: each file or directory ingested
// without a failure is recorded with what it held then (files, bytes, last
// change), by the CLI's ingest and by `npm start`'s. A source with no record
// (an ingest killed halfway) or holding something else now is read again on
// the next start; rows keep their ids, so reading again duplicates nothing.
import { resolve, sep } from 'node:path';
import type { IngestReport } from '../ingest/ingest.js';
import { sourceFingerprint } from '../ingest/sourceFiles.js';
import { StorageError } from '../store/storageErrors.js';
import type { Repositories } from '../store/store.js';

interface ReadRecord {
  fingerprint: string;
  at: string;
  posts: number;
  comments: number;
}

type MetaStore = Pick<Repositories, 'meta'>;

const recordKey = (source: string) => `source_read:${resolve(source)}`;

function readRecord(store: MetaStore, source: string): ReadRecord | null {
  const raw = store.meta.get(recordKey(source));
  return raw === null ? null : (JSON.parse(raw) as ReadRecord);
}

/** Sources not read to the end as they are now. A blog address is the sync's to finish: listed only for an empty archive. */
export function unreadSources(store: MetaStore, sources: readonly string[], archiveEmpty: boolean): string[] {
  return sources.filter((source) => {
    const now = sourceFingerprint(source);
    if (now === null) return archiveEmpty;
    return readRecord(store, source)?.fingerprint !== now;
  });
}

/** Record each file or directory source the report read to the end without a failure. */
export function recordSourcesRead(
  store: MetaStore,
  sources: readonly string[],
  report: IngestReport,
  at: string,
): void {
  for (const source of sources) {
    const fingerprint = sourceFingerprint(source);
    if (fingerprint === null) continue;
    const root = resolve(source);
    const reports = report.sources.filter((r) => {
      const path = resolve(r.source);
      return path === root || path.startsWith(`${root}${sep}`);
    });
    if (reports.length === 0 || reports.some((r) => r.errors.length > 0)) continue;
    // Read before as it is now: nothing to write (a store that cannot be written still ingests what it holds).
    if (readRecord(store, source)?.fingerprint === fingerprint) continue;
    const record: ReadRecord = {
      fingerprint,
      at,
      posts: reports.reduce((n, r) => n + r.posts, 0),
      comments: reports.reduce((n, r) => n + r.comments, 0),
    };
    try {
      store.meta.set(recordKey(source), JSON.stringify(record));
    } catch (error) {
      // Unrecorded, the source is only read again on the next start: no reason to fail an ingest that worked.
      if (!(error instanceof StorageError)) throw error;
    }
  }
}
