// Searches members are paging through. Button ids can hold only 100
// characters, so a search's query, filters and hits stay here under a short
// id; the oldest are forgotten first, and a button on a forgotten search says
// so instead of failing.
import { randomBytes } from 'node:crypto';
import type { SearchHit } from '../search/search.js';

export interface SearchFilters {
  author: string | null;
  from: number | null;
  to: number | null;
  in: 'posts' | 'comments' | 'all';
}

export interface SearchSession {
  query: string;
  filters: SearchFilters;
  /** The member who searched: only they page through it (the message is theirs alone anyway). */
  userId: string;
  /** The member a shared hit is suggested for, pinged when it is shared. */
  mention: string | null;
  hits: SearchHit[];
}

export interface SearchSessions {
  create(session: SearchSession): string;
  get(id: string): SearchSession | null;
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
  };
}
