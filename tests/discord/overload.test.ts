// More members than the bot can serve, against the fake Discord: the seeds' archive with a search made
// artificially slow (150 ms of CPU each, as a big archive's worst queries cost), and admission control with
// small limits so a flood of twenty is enough to overload it.
import type { ArchiveService } from '../../src/app/archive.js';
import { MessageFlags } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { admission, type Admission, Overloaded } from '../../src/discord/admission.js';
import { seedsArchive, startHarness, type Harness } from './harness.js';

const seeds = seedsArchive();
const SEARCH_MS = 150;
const BUSY = /^Lots of members are asking at once just now: please try again in a few seconds\.$/;

function burn(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

const query = (value: string) => ({ name: 'query', type: 3, value }) as never;
const typing = (value: string) => ({ name: 'passage', type: 3, value, focused: true }) as never;

describe('more members than the bot can serve', () => {
  let h: Harness;
  let admit: Admission;
  afterEach(() => h.stop());

  const start = async (during?: () => void, limits: Parameters<typeof admission>[1] = {}) => {
    admit = admission(() => performance.now(), { maxWaiting: 5, perMember: 2, startWithinMs: 600, ...limits });
    const archive = seeds.archive;
    let first = true;
    const suggested: string[] = [];
    const slow: ArchiveService = {
      ...archive,
      search: (...args) => {
        if (first) during?.();
        first = false;
        burn(SEARCH_MS);
        return archive.search(...args);
      },
      suggest: (q, options) => {
        suggested.push(q);
        return archive.suggest(q, options);
      },
      // In a server the bot answers from the server's view of the archive: this one.
      forServer: () => slow,
    };
    h = await startHarness(archive, { archive: slow }, { admission: admit });
    return suggested;
  };

  it('acknowledges every member on time, answers some, and tells the rest privately that it is busy', async () => {
    await start();
    const members = Array.from({ length: 20 }, (_, i) => h.fake.addMember({ username: `fake-flood-${i}` }));
    const asked = members.map((user) => h.fake.slashCommand('search', [query('treadmill')], { user }));
    const acks = await Promise.all(asked.map((a) => a.response(10_000)));
    // Every one deferred (privately, as /search is), none refused as too late by Discord (10062).
    expect(acks.map((a) => a.type)).toEqual(Array(20).fill(5));
    expect(h.fake.requests.filter((r) => r.status >= 400)).toEqual([]);

    const finals = await Promise.all(asked.map((a) => a.final(10_000)));
    const busy = finals.filter((f) => BUSY.test(f.content));
    const answered = finals.filter((f) => !BUSY.test(f.content));
    expect(busy.length).toBeGreaterThan(0);
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.every((f) => f.embeds.length > 0)).toBe(true);
    expect(busy.every((f) => (f.flags ?? 0) & MessageFlags.Ephemeral)).toBe(true);
    // Counted, and the queue never held more than its bound.
    const counts = admit.counts();
    expect(Object.values(counts.busy).reduce((a, b) => a + b, 0)).toBe(busy.length);
    expect(counts.ran).toBe(answered.length);
    expect(counts.maxWaiting).toBeLessThanOrEqual(5);
    // The operator hears of it once, not once per member.
    expect(h.logLines.filter((l) => String(l['msg']).startsWith('overloaded:'))).toHaveLength(1);
  });

  it('does not count a search it turned away as busy against the member’s pace', async () => {
    await start();
    // The queue turns the member's first two searches away (as a full queue would), then serves as usual.
    let turnAway = 2;
    const served = admit.command.bind(admit);
    admit.command = (member, arrivedAt, work) =>
      turnAway-- > 0 ? Promise.reject(new Overloaded('full')) : served(member, arrivedAt, work);
    const user = h.fake.addMember({ username: 'fake-impatient' });
    const ask = () => h.fake.slashCommand('search', [query('treadmill')], { user }).final(10_000);
    for (let i = 0; i < 2; i++) expect((await ask()).content).toMatch(BUSY);
    // /search allows 6 uses in 30 s (the clock stands still here): the two turned away do not count.
    for (let i = 0; i < 6; i++) {
      const answer = await ask();
      expect(answer.content ?? '').not.toMatch(/going a little fast/);
      expect(answer.embeds.length).toBeGreaterThan(0);
    }
    expect((await ask()).content).toMatch(/going a little fast/);
  });

  it('computes only the latest of a member’s keystrokes that arrived while it was busy', async () => {
    let keystrokes: ReturnType<Harness['fake']['autocomplete']>[] = [];
    const suggested = await start(() => {
      // Typed while the first search holds the bot: they arrive together once it is done.
      keystrokes = ['tre', 'trea', 'tread'].map((v) => h.fake.autocomplete('quote', [typing(v)]));
    });
    const search = h.fake.slashCommand('search', [query('probation')]);
    await search.final(10_000);
    const last = await keystrokes[2]!.response(5_000);
    expect(last.type).toBe(8);
    expect(suggested).toEqual(['tread']);
    expect(admit.counts().dropped.superseded).toBe(2);
    // The stale ones get no answer at all: Discord shows the member the answer to what they typed last.
    expect(h.fake.requests.filter((r) => r.path === keystrokes[0]!.callbackPath)).toEqual([]);
  });
});
