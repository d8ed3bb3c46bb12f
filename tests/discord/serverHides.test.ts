// A server's own takedowns, from Discord: its admins hide a comment the bot quoted there (/config hide, with
// suggestions of what was shown there, or "Hide from this server" on the bot's message). From the next answer on
// it is gone in that server (search, suggestions, quotes), its quote there is retracted once, the other server
// still sees it, /config show lists it, and /config unhide brings it back. Plain members cannot. Real discord.js
// against the fake Discord, two servers.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createRetractions } from '../../src/app/retractions.js';
import { channelPoster } from '../../src/discord/poster.js';
import { BLOG_URL, memoryLog } from '../helpers.js';
import { type Harness, seedsArchive, startHarness } from './harness.js';

const seeds = seedsArchive();
const EPHEMERAL = 64;
let h: Harness;
afterEach(async () => h.stop());
afterAll(() => seeds.archive.close());

const sub = (name: string, options: unknown[]) => [{ name, type: 1, options }] as never;

async function quoteChoices(typed: string, guildId: string) {
  const response = await h.fake
    .autocomplete('quote', [{ name: 'passage', type: 3, value: typed, focused: true } as never], { guildId })
    .response();
  return (response.data?.choices ?? []) as { name: string; value: string }[];
}

async function configChoices(subcommand: 'hide' | 'unhide', typed: string) {
  const response = await h.fake
    .autocomplete('config', sub(subcommand, [{ name: 'item', type: 3, value: typed, focused: true }]), {
      user: h.fake.users.moderator,
    })
    .response();
  return (response.data?.choices ?? []) as { name: string; value: string }[];
}

const retractionPass = () =>
  createRetractions({
    store: seeds.archive.store,
    archive: seeds.archive,
    poster: channelPoster(h.bot.client, BLOG_URL),
    clock: { now: () => new Date('2026-11-23T10:00:00Z') },
    log: memoryLog().log,
  }).tick();

describe("a server's own takedown", () => {
  it('hides a comment quoted there in that server only, retracts its quote there once, and unhide restores it', async () => {
    h = await startHarness(seeds.archive, {}, { fake: { guilds: 2 } });
    const [here, there] = h.fake.guilds;
    const hit = seeds.archive.search('probation treadmill', { limit: 10, kinds: ['comment'] })[0]!;
    // Words typed that suggest this passage (checked before anything is hidden).
    const words = [12, 9, 6, 4]
      .map((n) =>
        hit.excerpt
          .replace(/[^\p{L}\p{N}\s]/gu, ' ')
          .split(/\s+/)
          .filter(Boolean)
          .slice(0, n)
          .join(' '),
      )
      .find((typed) => seeds.archive.suggest(typed, { limit: 25 }).some((s) => s.passageId === hit.passageId));
    expect(words).toBeDefined();
    expect((await quoteChoices(words!, here!.id)).map((c) => c.value)).toContain(`p:${hit.passageId}`);

    // Quoted publicly in the first server: recorded as shown there.
    const quoted = await h.fake
      .slashCommand('quote', [{ name: 'passage', type: 3, value: `p:${hit.passageId}` } as never])
      .final();

    // A plain member cannot take anything down.
    const refused = await h.fake
      .slashCommand('config', sub('hide', [{ name: 'item', type: 3, value: hit.commentId }]))
      .response();
    expect(refused.data?.flags).toBe(EPHEMERAL);
    expect(refused.data?.content).toMatch(/Manage Server/);

    // The admin's suggestions start with what the bot showed here.
    const suggested = await configChoices('hide', '');
    expect(suggested[0]).toEqual({
      name: expect.stringMatching(/^comment by .+ on ".+/),
      value: hit.commentId,
    });
    expect(suggested[0]!.name.length).toBeLessThanOrEqual(100);

    const hidden = await h.fake
      .slashCommand(
        'config',
        sub('hide', [
          { name: 'item', type: 3, value: suggested[0]!.value },
          { name: 'reason', type: 3, value: 'asked by its author' },
        ]),
        { user: h.fake.users.moderator },
      )
      .response();
    expect(hidden.data?.flags).toBe(EPHEMERAL);
    expect(hidden.data?.embeds?.[0]?.title).toBe('Hidden in this server');
    expect(hidden.data?.embeds?.[0]?.description).toMatch(/^comment by .+ no longer appears here/);

    // Gone here at once; the other server still finds and quotes it.
    expect((await quoteChoices(words!, here!.id)).map((c) => c.value)).not.toContain(`p:${hit.passageId}`);
    expect((await quoteChoices(words!, there!.id)).map((c) => c.value)).toContain(`p:${hit.passageId}`);
    const refusedHere = await h.fake
      .slashCommand('quote', [{ name: 'passage', type: 3, value: `p:${hit.passageId}` } as never])
      .response();
    expect(refusedHere.data?.content).toMatch(/^Nothing in the archive matches/);
    const stillThere = await h.fake
      .slashCommand('quote', [{ name: 'passage', type: 3, value: `p:${hit.passageId}` } as never], {
        guildId: there!.id,
      })
      .final();
    expect(stillThere.embeds[0]!.description).not.toMatch(/removed/);
    // Everyone else's archive (the console, the CLI) is unchanged.
    expect(seeds.archive.quote(hit.passageId)).not.toBeNull();

    // The quote posted here is retracted, once; the one in the other server is left alone.
    expect(await retractionPass()).toMatchObject({ edited: 1, failed: 0 });
    expect(h.fake.message(quoted.id)!.embeds[0]!.description).toMatch(/has been removed from the On Probation archive/);
    expect(h.fake.message(stillThere.id)!.embeds[0]!.description).not.toMatch(/removed/);
    expect(await retractionPass()).toMatchObject({ edited: 0 });

    // Listed for the admins, with how to undo it.
    const shown = await h.fake.slashCommand('config', sub('show', []), { user: h.fake.users.moderator }).response();
    const listed = shown.data?.embeds?.[0]?.fields?.find((f) => f.name === 'Taken out of the archive');
    expect(listed?.value).toMatch(/in this server: \/config unhide/);

    // Unhide: suggested from what this server hid, then back here.
    const hiddenHere = await configChoices('unhide', '');
    expect(hiddenHere.map((c) => c.value)).toEqual([hit.commentId]);
    const restored = await h.fake
      .slashCommand('config', sub('unhide', [{ name: 'item', type: 3, value: hiddenHere[0]!.value }]), {
        user: h.fake.users.moderator,
      })
      .response();
    expect(restored.data?.embeds?.[0]?.title).toBe('Shown again in this server');
    expect((await quoteChoices(words!, here!.id)).map((c) => c.value)).toContain(`p:${hit.passageId}`);
  });

  it('"Hide from this server" on the bot\'s quote hides what it shows; on any other message it says why not', async () => {
    h = await startHarness(seeds.archive);
    const hit = seeds.archive.search('mass supervision', { limit: 10, kinds: ['comment'] })[0]!;
    const quoted = await h.fake
      .slashCommand('quote', [{ name: 'passage', type: 3, value: `p:${hit.passageId}` } as never])
      .final();

    const someone = h.fake.seedMessage({ content: 'a member talking about probation' });
    const notOurs = await h.fake
      .messageContextMenu('Hide from this server', someone.id, { user: h.fake.users.moderator })
      .response();
    expect(notOurs.data?.flags).toBe(EPHEMERAL);
    expect(notOurs.data?.content).toMatch(/shows nothing from the archive/);

    const done = await h.fake
      .messageContextMenu('Hide from this server', quoted.id, { user: h.fake.users.moderator })
      .response();
    expect(done.data?.flags).toBe(EPHEMERAL);
    expect(done.data?.embeds?.[0]?.title).toBe('Hidden in this server');
    const refused = await h.fake
      .slashCommand('quote', [{ name: 'passage', type: 3, value: `p:${hit.passageId}` } as never])
      .response();
    expect(refused.data?.content).toMatch(/^Nothing in the archive matches/);

    // The same again: already hidden, said so; then undone so the archive is as it was.
    const again = await h.fake
      .messageContextMenu('Hide from this server', quoted.id, { user: h.fake.users.moderator })
      .response();
    expect(again.data?.embeds?.[0]?.title).toBe('Already hidden in this server');
    seeds.archive.forServer(h.fake.guild.id).unhideHere(hit.commentId!, { by: 'test', now: '2026-11-23T11:00:00Z' });
  });

  it('on a message showing several passages offers them in a menu, and hides only those picked', async () => {
    h = await startHarness(seeds.archive);
    const [one, two] = seeds.archive
      .search('probation', { limit: 20, kinds: ['comment'] })
      .filter((hit, i, all) => all.findIndex((x) => x.postId === hit.postId) === i);
    // A digest-like message of the bot's, recorded as showing two comments.
    const digest = h.fake.seedMessage({ content: 'on this day', author: h.fake.botUser });
    seeds.archive.store.posted.record(
      {
        guildId: h.fake.guild.id,
        channelId: digest.channel_id,
        messageId: digest.id,
        what: 'digest',
        key: '2026-11-23',
        shows: [one!, two!].map((hit) => ({ postId: hit.postId, commentId: hit.commentId, author: hit.author })),
      },
      '2026-11-23T08:00:00.000Z',
    );
    const menu = await h.fake
      .messageContextMenu('Hide from this server', digest.id, { user: h.fake.users.moderator })
      .final();
    expect(menu.embeds[0]!.title).toBe('Hide which, in this server?');
    const select = (menu.components![0] as { components: { custom_id: string; options: { value: string }[] }[] })
      .components[0]!;
    expect(select.options.map((o) => o.value).sort()).toEqual([one!.commentId, two!.commentId].sort());
    // Nothing is hidden until the admin picks.
    expect(seeds.archive.forServer(h.fake.guild.id).quote(one!.passageId)).not.toBeNull();

    // A plain member cannot use the menu.
    const refused = await h.fake.stringSelect(select.custom_id, [one!.commentId!], menu).response();
    expect(refused.data?.content).toMatch(/Manage Server/);

    const picked = await h.fake
      .stringSelect(select.custom_id, [one!.commentId!], menu, { user: h.fake.users.moderator })
      .response();
    expect(picked.data?.embeds?.[0]?.title).toBe('Hidden in this server');
    expect(picked.data?.components).toEqual([]);
    const here = seeds.archive.forServer(h.fake.guild.id);
    expect(here.quote(one!.passageId)).toBeNull();
    expect(here.quote(two!.passageId)).not.toBeNull();
    here.unhideHere(one!.commentId!, { by: 'test', now: '2026-11-23T11:00:00Z' });
  });
});
