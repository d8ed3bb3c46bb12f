// A full index rebuild runs in a child process: members are answered while it
// runs (from the index already loaded, or told it is being built), and the
// new file replaces the old one when it is saved. The build is made slow on
// purpose, so "while it runs" is long enough to ask.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveService, IndexNotReady } from '../../src/app/archive.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { CORRUPT_INDEX_FILE, INDEX_FILE } from '../../src/store/indexFile.js';
import { termOf } from '../../src/search/terms.js';
import { flipped, postingsBytesOf } from '../search/indexFileBytes.js';
import { rebuildInChild } from '../../src/store/indexBuilder.js';
import { openStore, type Store } from '../../src/store/store.js';
import { startHarness } from '../discord/harness.js';
import { BLOG_URL, SEEDS, tempDir } from '../helpers.js';

let dataDir: string;
let store: Store;
beforeAll(async () => {
  dataDir = join(tempDir(), 'data');
  store = openStore(dataDir);
  await ingestSources(store, [SEEDS], { now: () => '2026-11-23T08:00:00Z' });
});
afterAll(() => store.close());

const failures: unknown[] = [];
const damages: Error[] = [];
const slowService = () =>
  archiveService(store, BLOG_URL, {
    rebuild: (onProgress) => rebuildInChild({ dataDir, holdMs: 1_500 }, { onProgress }),
    onRebuildFailed: (error) => failures.push(error),
    onIndexDamaged: (error) => damages.push(error),
    inlineBelow: 0,
  });

async function whileBuilding(service: ReturnType<typeof slowService>): Promise<void> {
  for (let waited = 0; service.building() !== null; waited += 50) {
    if (waited > 60_000) throw new Error('the rebuild never finished');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('an index rebuild away from the event loop', () => {
  it('says the index is being built, keeps the event loop free, then answers from the new index', async () => {
    rmSync(join(dataDir, INDEX_FILE), { force: true });
    const service = slowService();
    expect(() => service.search('treadmill')).toThrow(IndexNotReady);
    expect(() => service.search('treadmill')).toThrow(/being built .*try again in a minute/);
    expect(service.building()).not.toBeNull();
    // The event loop turns while the child builds: timers fire on time.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    await whileBuilding(service);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(20);
    expect(failures).toEqual([]);
    expect(service.search('treadmill')[0]?.postTitle).toBe('The Probation Treadmill');
    service.invalidate();
  });

  it('a search meeting a damaged block of the saved index: the file set aside, "being built", then the same answers', async () => {
    store.index.rebuild();
    const clean = slowService();
    const before = clean.search('napo ballot').map((hit) => `${hit.postId} #${hit.passageId}`);
    expect(before.length).toBeGreaterThan(0);
    clean.invalidate();
    const file = join(dataDir, INDEX_FILE);
    const [start, end] = postingsBytesOf(file, termOf('ballot')!);
    const damaged = flipped(readFileSync(file), end - 1);
    writeFileSync(file, damaged);

    const service = slowService();
    expect(service.index().origin).toBe('loaded');
    expect(start).toBeLessThan(end);
    expect(() => service.search('napo ballot')).toThrow(IndexNotReady);
    expect(damages).toHaveLength(1);
    expect(readFileSync(join(dataDir, CORRUPT_INDEX_FILE))).toEqual(damaged);
    await whileBuilding(service);
    expect(failures).toEqual([]);
    expect(service.search('napo ballot').map((hit) => `${hit.postId} #${hit.passageId}`)).toEqual(before);
    expect(existsSync(file)).toBe(true);
    expect(damages).toHaveLength(1);
    service.invalidate();
  });

  it('answers members on Discord from the loaded index while a rebuild runs, and swaps the new one in', async () => {
    const service = slowService();
    expect(service.search('treadmill').length).toBeGreaterThan(0); // the saved index, loaded
    // A new post, then another process rebuilt (trimming the journal this index would catch up from) and its file
    // was lost: this process must rebuild.
    const madeUp = join(tempDir(), 'made-up.txt');
    writeFileSync(
      madeUp,
      'Thursday, 1 January 2026\nA made-up zebrafish post\n\nMade-up text about a zebrafish rota.\n',
    );
    await ingestSources(store, [madeUp], { now: () => '2026-11-23T08:00:00Z' });
    const other = openStore(dataDir);
    other.index.rebuild();
    other.close();
    rmSync(join(dataDir, INDEX_FILE), { force: true });
    expect(service.refresh()).toEqual({ changedPosts: 0 });
    expect(service.building()).not.toBeNull();

    const h = await startHarness({ ...service, store } as never);
    try {
      const page = await h.fake
        .slashCommand('search', [{ name: 'query', type: 3, value: 'treadmill' } as never])
        .final();
      expect(service.building()).not.toBeNull();
      expect(page.embeds[0]!.description).toMatch(/Treadmill/);
    } finally {
      await h.stop();
    }
    await whileBuilding(service);
    expect(failures).toEqual([]);
    expect(service.storage().indexBytes).toBeGreaterThan(0);
    expect(service.search('treadmill')[0]?.postTitle).toBe('The Probation Treadmill');
    expect(service.search('zebrafish')[0]?.postTitle).toBe('A made-up zebrafish post');
    service.invalidate();
  });
});
