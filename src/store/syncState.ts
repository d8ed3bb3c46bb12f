// Each blog's sync record (cursors, where an interrupted sync stopped, its
// last outcome), kept as one JSON value in `meta` under the blog's address.
import { normalBlogUrl } from '../archive/links.js';
import type { Db } from './db.js';
import { metaRepository } from './meta.js';

export type FeedKind = 'posts' | 'comments';

/** The sync's record for one blog. */
export interface SyncState {
  /** The newest `updated` time of an entry seen by the last complete sync of each feed. */
  cursors: Record<FeedKind, string | null>;
  /** Where an interrupted sync stopped. */
  resume: { feed: FeedKind; startIndex: number; updatedMin: string | null; newest: string | null } | null;
  lastAttempt: string | null;
  /** When a sync last read both feeds to the end. */
  lastSuccess: string | null;
  lastError: string | null;
}

export interface SyncStateRepository {
  get(blogUrl: string): SyncState;
  save(blogUrl: string, state: SyncState): void;
}

export function emptySyncState(): SyncState {
  return {
    cursors: { posts: null, comments: null },
    resume: null,
    lastAttempt: null,
    lastSuccess: null,
    lastError: null,
  };
}

export function syncStateRepository(db: Db): SyncStateRepository {
  const meta = metaRepository(db);
  const key = (blogUrl: string) => `sync:${normalBlogUrl(blogUrl)}`;
  return {
    get(blogUrl) {
      const value = meta.get(key(blogUrl));
      if (!value) return emptySyncState();
      try {
        return { ...emptySyncState(), ...(JSON.parse(value) as Partial<SyncState>) };
      } catch {
        return emptySyncState();
      }
    },
    save(blogUrl, state) {
      meta.set(key(blogUrl), JSON.stringify(state));
    },
  };
}
