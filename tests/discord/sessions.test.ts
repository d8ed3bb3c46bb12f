// Searches kept in the store: paging works in another process and after a
// restart, and a day forgets them.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive, type OpenArchive } from '../../src/app/archive.js';
import { hide, targetOf, unhide } from '../../src/app/takedowns.js';
import { type SearchSessions, searchSessions, storedSessions } from '../../src/discord/sessions.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { openStore } from '../../src/store/store.js';
import { BLOG_URL, SEEDS, tempDir } from '../helpers.js';
import { startHarness } from './harness.js';

let archive: OpenArchive;
let dataDir: string;
beforeAll(async () => {
  dataDir = join(tempDir(), 'data');
  archive = openArchive(dataDir, BLOG_URL);
  await ingestSources(archive.store, [SEEDS], { now: () => '2026-11-23T08:00:00Z' });
  archive.index();
});
afterAll(() => archive.close());

let now = Date.parse('2026-11-23T09:00:00Z');
const clock = { now: () => new Date(now) };

describe('search sessions in the store', () => {
  it('are found by another process, and forgotten after a day', () => {
    const session = {
      query: 'made-up',
      filters: { author: null, from: null, to: null, in: 'all' as const },
      userId: '1',
      mention: null,
      hits: [],
    };
    const id = storedSessions(archive.store.sessions, clock).create(session);
    const other = openStore(dataDir);
    expect(storedSessions(other.sessions, clock).get(id)).toEqual(session);
    now += 25 * 3_600_000;
    expect(storedSessions(other.sessions, clock).get(id)).toBeNull();
    now -= 25 * 3_600_000;
    other.close();
  });

  it('keep a recorded share, for every process, and keep their age: a day after the search they are forgotten', () => {
    const sessions = storedSessions(archive.store.sessions, clock);
    const session = {
      query: 'made-up',
      filters: { author: null, from: null, to: null, in: 'all' as const },
      userId: '1',
      mention: '2',
      hits: [],
    };
    const id = sessions.create(session);
    const start = now;
    now += 23 * 3_600_000;
    const shared = { ...session, shared: { '0': 'https://discord.com/channels/3/4/5' }, mentionPinged: true };
    sessions.update(id, shared);
    const other = openStore(dataDir);
    expect(storedSessions(other.sessions, clock).get(id)).toEqual(shared);
    now += 2 * 3_600_000;
    expect(storedSessions(other.sessions, clock).get(id)).toBeNull();
    now = start;
    other.close();
  });

  it('let a member page through a search after the bot restarted', async () => {
    const sessions = storedSessions(archive.store.sessions, clock);
    const before = await startHarness(archive, { sessions });
    const message = await before.fake
      .slashCommand('search', [{ name: 'query', type: 3, value: 'probation' } as never])
      .final();
    const next = ((message.components ?? []) as { components: { custom_id: string; label?: string }[] }[])
      .flatMap((row) => row.components)
      .find((c) => c.label === 'Next ▶')!;
    await before.stop();

    const after = await startHarness(archive, { sessions: storedSessions(archive.store.sessions, clock) });
    const fakeMessage = after.fake.seedMessage({ content: 'placeholder for the old page' });
    // The same member as before the restart (each fake Discord makes up its own users).
    const paged = await after.fake.button(next.custom_id, fakeMessage, { user: before.fake.users.member }).final();
    expect(paged.embeds[0]!.footer?.text).toMatch(/^Hits 6–10 of/);
    await after.stop();
  });

  it('leave out of the next page what was taken down after the search, and share from the same list', async () => {
    const kept = searchSessions();
    let id = '';
    const sessions: SearchSessions = { ...kept, create: (session) => (id = kept.create(session)) };
    const harness = await startHarness(archive, { sessions });
    const message = await harness.fake
      .slashCommand('search', [{ name: 'query', type: 3, value: 'probation' } as never])
      .final();
    const before = kept.get(id)!.hits;
    const onPageTwo = before[5]!;
    const target = onPageTwo.commentId ?? onPageTwo.postId;
    hide(archive.store, targetOf(archive.store, target), { reason: null, by: 'test', now: '2026-11-23T09:00:00Z' });
    try {
      const controls = (
        (message.components ?? []) as { components: { custom_id: string; label?: string; type: number }[] }[]
      ).flatMap((row) => row.components);
      // A page already on screen before the hide: sharing the hidden hit is refused, and says why.
      const menu = controls.find((c) => c.type === 3)!;
      const refused = await harness.fake.stringSelect(menu.custom_id, ['5'], message).response();
      expect(refused.data?.content).toBe('That passage is no longer in the archive: run /search again.');
      const next = controls.find((c) => c.label === 'Next ▶')!;
      const paged = await harness.fake
        .button(next.custom_id, harness.fake.seedMessage({ content: 'old page' }))
        .final();
      expect(paged.embeds[0]!.footer?.text).toMatch(new RegExp(`^Hits 6–10 of ${before.length - 1}\\b`));
      expect(paged.embeds[0]!.description).not.toContain(onPageTwo.excerpt.slice(0, 40));
      const after = kept.get(id)!.hits;
      expect(after.map((h) => h.passageId)).toEqual(
        before.filter((h) => h.passageId !== onPageTwo.passageId).map((h) => h.passageId),
      );
    } finally {
      unhide(archive.store, { id: target }, { by: 'test', now: '2026-11-23T09:01:00Z' });
      await harness.stop();
    }
  });
});
