// Searches members are paging through. Button ids can hold only 100
// characters, so a search's query, filters and hits are kept under a short
// id: in the store (any process answers the buttons, a restart keeps them, a
// day forgets them), or in memory for tests. A button on a forgotten search
// says so instead of failing.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { SearchHit } from '../search/search.js';
import type { SearchOrder } from '../search/syntax.js';
import type { SessionRepository } from '../store/sessions.js';

export interface SearchFilters {
  author: string | null;
  from: number | null;
  to: number | null;
  in: 'posts' | 'comments' | 'all';
  /** The order option; absent: as the query says (order:…), else best first. Sessions from before it have none. */
  order?: SearchOrder;
}

export interface SearchSession {
  query: string;
  filters: SearchFilters;
  /** The member who searched: only they page through it (the message is theirs alone anyway). */
  userId: string;
  /** The member a shared hit is suggested for, pinged by the first share only. */
  mention: string | null;
  hits: SearchHit[];
  /** Hits shared to the channel, by index, each with its message's link once known: a hit is shared once. */
  shared?: Record<string, string | null>;
  /** Whether a share has pinged `mention` already. */
  mentionPinged?: boolean;
}

export interface SearchSessions {
  create(session: SearchSession): string;
  get(id: string): SearchSession | null;
  /** A session changed (a share recorded); it keeps its age. Nothing when it has been forgotten. */
  update(id: string, session: SearchSession): void;
}

export function searchSessions(capacity = 500): SearchSessions {
  const sessions = new Map<string, SearchSession>();
  return {
    create(session) {
      const id = randomBytes(6).toString('base64url');
      sessions.set(id, session);
      while (sessions.size > capacity) sessions.delete(sessions.keys().next().value!);
      return id;
    },
    get(id) {
      const session = sessions.get(id);
      if (!session) return null;
      // Recently used ones are kept longest.
      sessions.delete(id);
      sessions.set(id, session);
      return session;
    },
    update(id, session) {
      if (sessions.has(id)) sessions.set(id, session);
    },
  };
}

/** How long a search can be paged and shared. */
const SESSION_MS = 86_400_000;

/** Sessions kept in the store, shared by every process on the data directory. */
export function storedSessions(repository: SessionRepository, clock: Pick<Clock, 'now'>): SearchSessions {
  return {
    create(session) {
      const id = randomBytes(6).toString('base64url');
      repository.save(id, JSON.stringify(session), clock.now().toISOString());
      return id;
    },
    get(id) {
      const body = repository.load(id, new Date(clock.now().getTime() - SESSION_MS).toISOString());
      return body === null ? null : (JSON.parse(body) as SearchSession);
    },
    update(id, session) {
      repository.update(id, JSON.stringify(session));
    },
  };
}
