// A takedown seen from Discord: the bot running, the operator hides a post from another process (as `cli hide`
// does, through its own connection); the next keystroke's suggestions and a /quote of a passage already picked
// leave it out, and unhide brings it back.
import { afterEach, describe, expect, it } from 'vitest';
import { hide, targetOf, unhide } from '../../src/app/takedowns.js';
import { openStore } from '../../src/store/store.js';
import { type Harness, seedsArchive, startHarness } from './harness.js';

const seeds = seedsArchive();
const EPHEMERAL = 64;
let h: Harness;
afterEach(async () => h.stop());

const suggestions = async (typed: string) =>
  ((await h.fake.autocomplete('quote', [{ name: 'passage', type: 3, value: typed, focused: true } as never]).response())
    .data?.choices ?? []) as { name: string; value: string }[];

describe('a takedown while the bot runs', () => {
  it('is left out of the next suggestions and of a /quote already picked; unhide brings it back', async () => {
    h = await startHarness(seeds.archive);
    const before = await suggestions('treadmil');
    const picked = before.find((c) => c.name.startsWith('The Probation Treadmill'))!;
    expect(picked).toBeDefined();
    const postId = seeds.archive.search('probation treadmill', { limit: 1 })[0]!.postId;

    const operator = openStore(seeds.archive.store.dataDir);
    try {
      hide(operator, targetOf(operator, postId), { reason: 'asked', by: 'test', now: '2026-11-23T09:00:00Z' });
      expect((await suggestions('treadmil')).map((c) => c.value)).not.toContain(picked.value);
      const refused = await h.fake
        .slashCommand('quote', [{ name: 'passage', type: 3, value: picked.value } as never])
        .response();
      expect(refused.data?.flags).toBe(EPHEMERAL);
      expect(refused.data?.content).toMatch(/^Nothing in the archive matches/);

      unhide(operator, { id: postId }, { by: 'test', now: '2026-11-23T09:01:00Z' });
      expect((await suggestions('treadmil')).map((c) => c.value)).toContain(picked.value);
    } finally {
      operator.close();
    }
  });
});
