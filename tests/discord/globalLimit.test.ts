// Discord's global limit (50 requests a second per bot) binds requests made with the bot token; interaction
// responses and webhook edits are not bound to it (Discord's rate-limit documentation). discord.js paces every
// request against it alike, which capped the bot at about 30 interactions a second whatever its CPU could do.
// Here the limit is shrunk to 2 a second on both sides, so the difference shows with a handful of requests.
import { afterEach, describe, expect, it } from 'vitest';
import { seedsArchive, startHarness, type Harness } from './harness.js';

const seeds = seedsArchive();
const LIMIT = 2;

describe("Discord's global rate limit", () => {
  let h: Harness;
  afterEach(() => h.stop());

  const start = () =>
    startHarness(
      seeds.archive,
      {},
      { fake: { globalLimitPerSecond: LIMIT }, rest: { globalRequestsPerSecond: LIMIT } },
    );

  it('does not hold back answers to members: a dozen searches at once are answered without waiting on it', async () => {
    h = await start();
    const words = ['treadmill', 'probation', 'napo', 'workload', 'caseload', 'officer'];
    const searches = Array.from({ length: 12 }, (_, i) =>
      h.fake.slashCommand('search', [{ name: 'query', type: 3, value: words[i % 6] } as never]),
    );
    // Six members typing (one member's newer keystroke would replace their older one still waiting).
    const typed = Array.from({ length: 6 }, (_, i) =>
      h.fake.autocomplete(
        'quote',
        [{ name: 'passage', type: 3, value: words[i]!.slice(0, 3), focused: true } as never],
        { user: h.fake.addMember({ username: `fake-typist-${i}` }) },
      ),
    );
    // Each search is acknowledged, then its answer edited in through the interaction's webhook: 24 requests, which
    // paced at 2 a second would take 12 s.
    const finals = await Promise.all(searches.map((s) => s.final(10_000)));
    expect(finals.every((f) => f.embeds.length > 0 || f.content.length > 0)).toBe(true);
    expect((await Promise.all(typed.map((t) => t.response(10_000)))).map((r) => r.type)).toEqual(Array(6).fill(8));
    expect(h.fake.requests.filter((r) => r.status >= 400)).toEqual([]);
    expect(h.logLines.filter((l) => l['msg'] === 'rate limited by Discord')).toEqual([]);
  });

  it('still paces what the bot token sends, so Discord never has to refuse it', async () => {
    h = await start();
    const channel = h.fake.guild.textChannel.id;
    const sends = Array.from({ length: 5 }, (_, i) =>
      h.bot.client.rest.post(`/channels/${channel}/messages`, { body: { content: `fake notice ${i}` } }),
    );
    await Promise.all(sends);
    expect(h.fake.requests.filter((r) => r.path === `/channels/${channel}/messages`).map((r) => r.status)).toEqual(
      Array(5).fill(200),
    );
    // discord.js waited on its own, which it logs as a global limit.
    expect(h.logLines.some((l) => l['msg'] === 'rate limited by Discord' && l['global'] === true)).toBe(true);
  });
});
