// Another process holding the database's write lock (an ingest, a sync, the
// retention job) never freezes the bot: members who only read are answered
// meanwhile, a write waits for the lock with the event loop free, and a lock
// held too long is said in plain words instead of "something went wrong".
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive, type OpenArchive } from '../../src/app/archive.js';
import { storedSessions } from '../../src/discord/sessions.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { DATABASE_FILE } from '../../src/store/db.js';
import { BLOG_URL, SEEDS, tempDir } from '../helpers.js';
import { startHarness } from './harness.js';

let archive: OpenArchive;
let dataDir: string;
beforeAll(async () => {
  dataDir = join(tempDir(), 'data');
  archive = openArchive(dataDir, BLOG_URL, { busyTimeoutMs: 50 });
  await ingestSources(archive.store, [SEEDS], { now: () => '2026-11-23T08:00:00Z' });
  archive.index();
});
afterAll(() => archive.close());

const clock = { now: () => new Date('2026-11-23T09:00:00Z') };
const query = (value: string) => ({ name: 'query', type: 3, value }) as never;

/** Another process's connection, holding the write lock from now until `release()`. */
function lockHolder() {
  const other = new Database(join(dataDir, DATABASE_FILE));
  other.exec('BEGIN IMMEDIATE');
  return {
    release() {
      other.exec('COMMIT');
      other.close();
    },
  };
}

describe('when another process holds the write lock', () => {
  it('answers a member who only reads at once, and a search (which stores its pages) once the lock is free', async () => {
    const h = await startHarness(archive, { sessions: storedSessions(archive.store.sessions, clock) });
    const lock = lockHolder();
    let released = false;
    try {
      const search = h.fake.slashCommand('search', [query('treadmill')]);
      // /stats only reads: WAL readers never wait for a writer.
      const stats = await h.fake.slashCommand('stats').final();
      expect(released).toBe(false);
      expect(stats.embeds[0]!.description).toMatch(/^\d+ posts and \d+ comments/);
      // The search waits, retrying between timers rather than inside SQLite, and gets its page when the lock goes.
      await new Promise((resolve) => setTimeout(resolve, 300));
      lock.release();
      released = true;
      const page = await search.final();
      expect(page.embeds[0]!.title).toMatch(/^Search: treadmill/);
      expect(page.embeds[0]!.description).toMatch(/Treadmill/);
    } finally {
      if (!released) lock.release();
      await h.stop();
    }
  });

  it('tells the member in plain words, privately, when the lock is held longer than a member can wait', async () => {
    const h = await startHarness(archive, { sessions: storedSessions(archive.store.sessions, clock) });
    const lock = lockHolder();
    try {
      const answer = await h.fake.slashCommand('search', [query('treadmill')]).final();
      expect(answer.content).toMatch(/busy.*try again in a moment/i);
      expect(answer.content).not.toMatch(/went wrong/);
      expect(answer.embeds ?? []).toEqual([]);
    } finally {
      lock.release();
      await h.stop();
    }
  });
});
