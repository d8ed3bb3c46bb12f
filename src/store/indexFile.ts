// The saved search index next to the database: loaded on start when it matches
// the store's generation and the index format, rebuilt from the store otherwise.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  addToIndex, createIndex, deserializeIndex, serializeIndex, type IndexDocument, type PassageIndex,
} from '../search/index.js';
import { generation, indexablePassages } from './archive.js';
import type { Db } from './db.js';

export const INDEX_FILE = 'passages.index.json';

export interface LoadedIndex {
  index: PassageIndex;
  /** Why the index was (re)built, or 'loaded' when the saved one was current. */
  origin: 'loaded' | 'missing' | 'stale' | 'unreadable' | 'other-version';
}

export function loadIndex(db: Db, dataDir: string): LoadedIndex {
  const file = join(dataDir, INDEX_FILE);
  const current = generation(db);
  let origin: LoadedIndex['origin'] = 'missing';
  if (existsSync(file)) {
    try {
      const saved = deserializeIndex(readFileSync(file, 'utf8'));
      if (saved && saved.generation === current) return { index: saved.index, origin: 'loaded' };
      origin = saved ? 'stale' : 'other-version';
    } catch {
      origin = 'unreadable';
    }
  }
  return { index: rebuildIndex(db, dataDir), origin };
}

/** Build the index from every stored passage and save it. */
export function rebuildIndex(db: Db, dataDir: string): PassageIndex {
  const built = generation(db);
  const index = createIndex();
  addToIndex(index, toDocuments(indexablePassages(db)));
  saveIndex(index, built, dataDir);
  return index;
}

function* toDocuments(passages: ReturnType<typeof indexablePassages>): Generator<IndexDocument> {
  for (const p of passages) yield { id: p.id, p: p.postId, k: p.kind, title: p.title, text: p.text, author: p.author };
}

function saveIndex(index: PassageIndex, built: number, dataDir: string): void {
  const file = join(dataDir, INDEX_FILE);
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, serializeIndex(index, built));
  renameSync(partial, file);
}
