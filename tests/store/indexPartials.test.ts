// Partial index files on a data directory several processes (or containers) share.
import { existsSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../src/app/archive.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { INDEX_FILE } from '../../src/store/indexFile.js';
import { BLOG_URL, seedPath, tempDir } from '../helpers.js';

describe('partial index files left on a shared data directory', () => {
  it("removes a dead process's and an hour-old one, never another container's save in progress", async () => {
    const dataDir = tempDir();
    const archive = openArchive(dataDir, BLOG_URL);
    await ingestSources(archive.store, [seedPath('001')], { now: () => '2026-11-23T08:00:00Z' });
    const partial = (name: string, ageMs = 0) => {
      const path = join(dataDir, `${INDEX_FILE}~${name}.tmp`);
      writeFileSync(path, 'made-up partial');
      const at = (Date.now() - ageMs) / 1000;
      utimesSync(path, at, at);
      return path;
    };
    // Another container may have the very same pid as this process: its save is its own.
    const otherContainer = partial(`other-container~${process.pid}~0a0b0c0d`);
    const otherContainerLongAgo = partial('other-container~7~1a2b3c4d', 2 * 3_600_000);
    const deadHere = partial(`${hostname()}~999999~2b3c4d5e`);
    archive.store.index.rebuild();
    expect(existsSync(otherContainer)).toBe(true);
    expect(existsSync(otherContainerLongAgo)).toBe(false);
    expect(existsSync(deadHere)).toBe(false);
    archive.close();
  });
});
