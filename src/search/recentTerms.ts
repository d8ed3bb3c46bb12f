// Recently asked terms, kept decoded: autocomplete asks for the same words keystroke after keystroke, and common
// words recur across queries. Bounded by the postings entries held; the index empties it on any change.

export interface RecentTerms<T> {
  /** The entry under `key`, made (and kept, the least recently used dropped) when missing. */
  get(key: string, make: () => T): T;
  clear(): void;
}

export function recentTerms<T>(budget: number, sizeOf: (entry: T) => number): RecentTerms<T> {
  // A Map iterates in insertion order: re-inserting on a hit keeps the oldest first.
  const entries = new Map<string, T>();
  let held = 0;
  return {
    get(key, make) {
      const hit = entries.get(key);
      if (hit !== undefined) {
        entries.delete(key);
        entries.set(key, hit);
        return hit;
      }
      const made = make();
      entries.set(key, made);
      held += sizeOf(made);
      for (const [oldest, entry] of entries) {
        if (held <= budget) break;
        entries.delete(oldest);
        held -= sizeOf(entry);
      }
      return made;
    },
    clear() {
      entries.clear();
      held = 0;
    },
  };
}
