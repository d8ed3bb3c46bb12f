// /config petition from Discord: the petition links found in new posts are
// listed to the server's admins (a post hidden in that server not named), with
// suggestions for `add:`; adding one makes it a petition members can pick.
// Real discord.js against the fake Discord; the offers are made up.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { connectionOf } from '../../src/store/store.js';
import { recordPetitionLink } from '../../src/store/petitionLinks.js';
import { type Harness, seedsArchive, startHarness } from './harness.js';

const seeds = seedsArchive();
const EPHEMERAL = 64;
let h: Harness;
afterEach(async () => h.stop());
afterAll(() => seeds.archive.close());

const sub = (name: string, options: unknown[]) => [{ name, type: 1, options }] as never;

describe('/config petition', () => {
  it('lists the petition links found in new posts to admins, inert, suggests them for add:, and adds one', async () => {
    h = await startHarness(seeds.archive);
    const guild = h.fake.guilds[0]!.id;
    const moderator = { user: h.fake.users.moderator };
    const db = connectionOf(seeds.archive.store);
    recordPetitionLink(
      db,
      700123,
      { id: 'fake-post-1', title: 'Fake **post** @everyone about a petition' },
      '2026-11-20T09:00:00Z',
    );
    const treadmill = seeds.archive.search('probation treadmill', { limit: 1, kinds: ['paragraph'] })[0]!;
    recordPetitionLink(db, 700124, { id: treadmill.postId, title: treadmill.postTitle }, '2026-11-21T09:00:00Z');

    const listed = await h.fake.slashCommand('config', sub('petition', []), moderator).response();
    expect(listed.data?.flags).toBe(EPHEMERAL);
    const text = listed.data!.embeds![0]!.description!;
    expect(text).toMatch(/None is followed until you add it/);
    expect(text).toContain(`• 700124: petition.parliament.uk/petitions/700124 · found in "${treadmill.postTitle}"`);
    expect(text).toContain('700123');
    expect(text).not.toContain('**post**');
    expect(text).not.toMatch(/(^|[^\u200b])@everyone/);
    expect(text).toContain('Followed: 900001');
    expect(listed.data?.allowed_mentions).toEqual({ parse: [] });

    // Hidden in this server: the post it was found in goes unnamed, in the list and in the suggestions.
    seeds.archive
      .forServer(guild)
      .hideHere(treadmill.postId, { reason: null, by: 'test', now: '2026-11-23T09:00:00Z' });
    const again = (await h.fake.slashCommand('config', sub('petition', []), moderator).response()).data!.embeds![0]!
      .description!;
    expect(again).toContain(
      '• 700124: petition.parliament.uk/petitions/700124 · found in a post hidden in this server',
    );
    expect(again).not.toContain(treadmill.postTitle);
    const choices = (
      await h.fake
        .autocomplete('config', sub('petition', [{ name: 'add', type: 3, value: '7001', focused: true }]), moderator)
        .response()
    ).data!.choices!;
    expect(choices).toEqual([
      { name: 'Petition 700124 (from a hidden post)', value: '700124' },
      { name: 'Petition 700123 (from "Fake **post** @everyone about a petition")', value: '700123' },
    ]);

    const added = await h.fake
      .slashCommand('config', sub('petition', [{ name: 'add', type: 3, value: '700123' }]), moderator)
      .response();
    expect(added.data!.embeds![0]!.description).toMatch(/^Petition 700123 is followed now/);
    expect(added.data!.embeds![0]!.description).toContain('Followed: 900001, 700123');
    const petitions = (
      await h.fake
        .autocomplete('petition', [{ name: 'petition', type: 3, value: '7001', focused: true } as never])
        .response()
    ).data!.choices!;
    expect(petitions).toEqual([{ name: 'Petition (700123)', value: '700123' }]);
    // Offered no more once added.
    const after = (await h.fake.slashCommand('config', sub('petition', []), moderator).response()).data!.embeds![0]!
      .description!;
    expect(after).not.toContain('700123:');
  });
});
