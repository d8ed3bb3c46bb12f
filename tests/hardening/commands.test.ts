// Hostile and odd input typed by members, and Discord itself misbehaving:
// never a crash, never a ping, never a message over Discord's limits (the
// fake Discord refuses those with 50035, so an answer arriving is the proof).
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { openArchive, type OpenArchive } from '../../src/app/archive.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { faults } from '../discord/fakeDiscord.js';
import { startHarness, type Harness } from '../discord/harness.js';
import { BLOG_URL, SEEDS, tempDir } from '../helpers.js';

let archive: OpenArchive;
let h: Harness;
let minute = 0;

beforeAll(async () => {
  archive = openArchive(join(tempDir(), 'data'), BLOG_URL);
  await ingestSources(archive.store, [SEEDS], { now: () => '2026-11-23T08:00:00Z' });
  archive.index();
});
afterAll(() => archive.close());
beforeEach(async () => {
  // Each search a minute after the last, so the per-member cooldown stays out of the way unless tested.
  h = await startHarness(archive, { now: () => new Date(Date.UTC(2026, 10, 23, 9, minute++)) });
});
afterEach(() => h.stop());

const HOSTILE_QUERIES: [string, string][] = [
  ['whitespace only', '   '],
  ['6,000 characters', 'probation '.repeat(600)],
  ['only stop words', 'the and of to a in'],
  ['regex characters', '.*+?^${}()|[]\\ /(a+)+$/'],
  ['query syntax', 'probation AND NOT "treadmill" -pqip title:napo OR *'],
  ['emoji', '🚨📉 probation 🙃'],
  ['zero-width characters', 'pro\u200bba\u200ction\u200d tread\ufeffmill'],
  [
    'mentions and Markdown',
    '@everyone <@&123456789012345678> <@123456789012345678> **bold** `code` [x](javascript:alert(1))',
  ],
  ['right-to-left override', '\u202eelim daert noitaborp'],
];

describe('hostile queries', () => {
  it.each(HOSTILE_QUERIES)('/search with %s answers within limits and pings no one', async (_label, query) => {
    const handle = h.fake.slashCommand('search', [{ name: 'query', type: 3, value: query }]);
    const first = await handle.response();
    expect([4, 5]).toContain(first.type);
    const message = first.type === 5 ? await handle.final() : null;
    const all = JSON.stringify([first, message]);
    expect(all).not.toMatch(/@everyone|<@&\d|<@\d/);
    const sent = h.fake.requests.filter(
      (r) => r.path.includes(handle.token) || r.path.startsWith(`/interactions/${handle.id}/`),
    );
    expect(sent.every((r) => r.status < 400)).toBe(true);
    for (const r of sent) {
      const mentions = r.body as { allowed_mentions?: unknown; data?: { allowed_mentions?: unknown } } | null;
      const allowed = mentions?.allowed_mentions ?? mentions?.data?.allowed_mentions;
      if (allowed) expect(allowed).toEqual({ parse: [] });
    }
    expect(h.logLines.filter((l) => l['msg'] === 'interaction failed')).toEqual([]);
  });

  it.each(HOSTILE_QUERIES)('/quote autocomplete with %s offers valid choices or none', async (_label, query) => {
    const answer = await h.fake
      .autocomplete('quote', [{ name: 'passage', type: 3, value: query, focused: true } as never])
      .response();
    expect(answer.type).toBe(8);
    for (const c of answer.data?.choices ?? []) {
      expect(c.name.length).toBeGreaterThan(0);
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(String(c.value)).toMatch(/^p:\d+$/);
    }
  });

  it('echoes a query full of mentions back as inert text', async () => {
    const handle = h.fake.slashCommand('search', [
      { name: 'query', type: 3, value: '@everyone probation <@&123456789012345678>' },
    ]);
    const message = await handle.final();
    expect(message.embeds[0]!.title).toBe('Search: @\u200beveryone probation <\u200b@&123456789012345678>');
    expect(message.mention_everyone).toBe(false);
    expect(message.mention_roles).toEqual([]);
  });
});

describe('one member cannot tie up the bot', () => {
  it('answers a seventh /search within 30 seconds with a short wait, privately, and others are not held up', async () => {
    const fixed = await startHarness(archive, { now: () => new Date('2026-11-23T10:00:00Z') });
    try {
      for (let i = 0; i < 6; i++)
        expect(
          (await fixed.fake.slashCommand('search', [{ name: 'query', type: 3, value: `treadmill ${i}` }]).response())
            .type,
        ).toBe(5);
      const seventh = await fixed.fake
        .slashCommand('search', [{ name: 'query', type: 3, value: 'treadmill again' }])
        .response();
      expect(seventh.type).toBe(4);
      expect(seventh.data?.flags).toBe(64);
      expect(seventh.data?.content).toBe('You are going a little fast: try /search again in 30 s.');
      const other = await fixed.fake
        .slashCommand('search', [{ name: 'query', type: 3, value: 'treadmill' }], { user: fixed.fake.users.moderator })
        .response();
      expect(other.type).toBe(5);
    } finally {
      await fixed.stop();
    }
  });
});

describe('Discord misbehaving', () => {
  it('rides out a storm of 429s and delivers the answer once', async () => {
    h.fake.failNext({ method: 'PATCH', path: '/webhooks/*/*/messages/@original' }, faults.rateLimited(0.2), 5);
    const handle = h.fake.slashCommand('search', [{ name: 'query', type: 3, value: 'treadmill' }]);
    const message = await handle.final(15_000);
    expect(message.embeds[0]!.description).toMatch(/Treadmill/);
    const edits = h.fake.requests.filter((r) => r.method === 'PATCH' && r.path.includes(handle.token));
    expect(edits.map((e) => e.status)).toEqual([429, 429, 429, 429, 429, 200]);
  }, 20_000);

  it('after a burst of 5xx that outlasts the retries, tells the member it failed and keeps working', async () => {
    h.fake.failNext({ method: 'PATCH', path: '/webhooks/*/*/messages/@original' }, faults.serverError(503), 10);
    const handle = h.fake.slashCommand('search', [{ name: 'query', type: 3, value: 'treadmill' }]);
    const sorry = await h.fake.waitForRequest(
      (r) => r.method === 'POST' && r.path.startsWith('/webhooks/') && r.path.includes(handle.token),
      15_000,
    );
    expect(h.logLines.some((l) => l['msg'] === 'interaction failed')).toBe(true);
    expect(sorry.status).toBe(200);
    expect(sorry.body as { content: string; flags: number }).toMatchObject({
      content: expect.stringMatching(/^Sorry, something went wrong on our side/),
      flags: 64,
    });
    expect((await h.fake.slashCommand('help').response()).type).toBe(4);
  }, 20_000);

  it('identifies afresh when Discord invalidates the session, and keeps answering', async () => {
    h.fake.invalidateSession(false);
    // discord.js waits out its identify throttle (about 5 s) before identifying again.
    await h.fake.waitForGateway(
      (e) =>
        e.direction === 'received' &&
        e.op === 2 &&
        h.fake.gateway.filter((g) => g.direction === 'received' && g.op === 2).length === 2,
      15_000,
    );
    expect((await h.fake.slashCommand('help').response(10_000)).type).toBe(4);
    expect(h.fatal).toEqual([]);
  }, 20_000);

  it('stops with a clear message, instead of reconnecting, when Discord revokes the token', async () => {
    h.fake.dropConnection({ closeCode: 4004 });
    await vi.waitFor(() => expect(h.fatal).not.toEqual([]));
    expect(h.fatal).toEqual([
      'Discord refuses the bot: the token is not valid any more (revoked or reset) (gateway close 4004). Fix it (see .env.example), then start again.',
    ]);
    expect(h.fake.gateway.filter((e) => e.direction === 'received' && (e.op === 2 || e.op === 6)).length).toBe(1);
  });

  it('keeps running when a webhook route answers 401: that refuses the interaction’s token, not the bot’s', async () => {
    h.fake.failNext({ method: 'PATCH', path: '/webhooks/*/*/messages/@original' }, faults.unauthorized());
    const handle = h.fake.slashCommand('search', [{ name: 'query', type: 3, value: 'treadmill' }]);
    await h.fake.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(handle.token) && r.status === 401);
    await vi.waitFor(() =>
      expect(
        h.logLines.some(
          (l) => l['msg'] === 'Discord refused an interaction token (401), not the bot token: carrying on',
        ),
      ).toBe(true),
    );
    expect(h.fatal).toEqual([]);
    expect((await h.fake.slashCommand('help').response()).type).toBe(4);
  });
});
