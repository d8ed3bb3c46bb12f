import { PermissionFlagsBits, type APIMessage } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { ArchiveCommand } from '../../src/discord/command.js';
import { startBot } from '../../src/discord/bot.js';
import { problemMessage } from '../../src/discord/messages.js';
import { createLogger } from '../../src/log.js';
import { startFakeDiscord, type InteractionCallback, type InteractionHandle } from './fakeDiscord.js';
import { harnessContext, startHarness, TOKEN, type Harness, seedsArchive } from './harness.js';

const seeds = seedsArchive();

let h: Harness;
afterEach(() => h.stop());

const EPHEMERAL = 64;
const str = (name: string, value: string) => ({ name, type: 3, value }) as never;
const user = (name: string, id: string) => ({ name, type: 6, value: id }) as never;

type Row = { components: { type: number; custom_id: string; label?: string }[] };
const controls = (message: APIMessage) => ((message.components ?? []) as unknown as Row[]).flatMap((r) => r.components);
const nextButton = (message: APIMessage) => controls(message).find((c) => c.label === 'Next ▶')!;
const shareMenu = (message: APIMessage) => controls(message).find((c) => c.type === 3)!;

/** The channel's view of an answer: public, or seen by the member alone. */
const isPublic = (answer: InteractionCallback) => ((answer.data?.flags ?? 0) & EPHEMERAL) === 0;

/** A member's search page (the fixed clock keeps every use inside the cooldown windows). */
async function searchPage(extra: never[] = []): Promise<APIMessage> {
  return h.fake.slashCommand('search', [str('query', 'probation'), ...extra]).final();
}

/** Callbacks that posted a message for everyone in the channel. */
const publicPosts = () =>
  h.fake.requests.filter((r) => {
    const body = r.body as InteractionCallback | undefined;
    return r.path.endsWith('/callback') && body?.type === 4 && isPublic(body);
  });

describe('Share', () => {
  it('posts a hit once per search: sharing it again answers privately with a link to the first post', async () => {
    h = await startHarness(seeds.archive);
    const page = await searchPage();
    const menu = shareMenu(page);
    const first = h.fake.stringSelect(menu.custom_id, ['0'], page);
    expect(isPublic(await first.response())).toBe(true);
    const posted = await first.final();

    const again = await h.fake.stringSelect(menu.custom_id, ['0'], page).response();
    expect(again.type).toBe(4);
    expect(again.data?.flags).toBe(EPHEMERAL);
    expect(again.data?.content).toBe(
      `You already shared this hit from this search: https://discord.com/channels/${h.fake.guild.id}/${posted.channel_id}/${posted.id}`,
    );
    expect(publicPosts()).toHaveLength(1);
    // Another hit of the same search can still be shared.
    expect(isPublic(await h.fake.stringSelect(menu.custom_id, ['1'], page).response())).toBe(true);
    expect(publicPosts()).toHaveLength(2);
  });

  it('pings the suggested member on the first share of a search only; later shares name them without a ping', async () => {
    h = await startHarness(seeds.archive);
    const target = h.fake.users.moderator;
    const page = await searchPage([user('mention', target.id)]);
    const menu = shareMenu(page);
    const shares: InteractionHandle[] = [];
    for (const hit of ['0', '1', '2']) {
      const handle = h.fake.stringSelect(menu.custom_id, [hit], page);
      await handle.response();
      shares.push(handle);
    }
    const sent = publicPosts().map((r) => (r.body as InteractionCallback).data!);
    expect(sent).toHaveLength(3);
    expect(sent.map((d) => d.allowed_mentions)).toEqual([
      { parse: [], users: [target.id] },
      { parse: [] },
      { parse: [] },
    ]);
    expect(sent.every((d) => d.content?.startsWith(`Suggested for <@${target.id}>`))).toBe(true);
    // As Discord resolved them: the member was notified by one message of the three.
    const messages = await Promise.all(shares.map((s) => s.final()));
    expect(messages.map((m) => m.mentions.map((u) => u.id))).toEqual([[target.id], [], []]);

    // The page no longer promises a ping once it has been used.
    const paged = await h.fake.button(nextButton(page).custom_id, page).final();
    expect(paged.embeds[0]!.footer?.text).not.toMatch(/pings the member you named/);
  });

  it('is given privately, with the reason, in a channel where the member may not post, and stays unshared', async () => {
    h = await startHarness(seeds.archive);
    const page = await searchPage();
    const menu = shareMenu(page);
    const readOnly = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory;
    const refused = await h.fake.stringSelect(menu.custom_id, ['0'], page, { permissions: readOnly }).response();
    expect(refused.data?.flags).toBe(EPHEMERAL);
    expect(refused.data?.content).toMatch(/^You can't post in this channel, so only you see this\.\n/);
    expect(refused.data?.embeds?.[0]?.title).toBeTruthy();
    expect(publicPosts()).toHaveLength(0);
    // Nothing was posted, so the hit is still there to share where the member may post.
    expect(isPublic(await h.fake.stringSelect(menu.custom_id, ['0'], page).response())).toBe(true);
  });
});

describe('buttons', () => {
  it('have a pace like commands: pressing Next too fast is told to wait', async () => {
    h = await startHarness(seeds.archive);
    const page = await searchPage();
    const next = nextButton(page);
    const answers: InteractionCallback[] = [];
    for (let i = 0; i < 11; i++) answers.push(await h.fake.button(next.custom_id, page).response());
    // Ten presses in ten seconds page as asked; the eleventh (the clock stands still) is refused.
    expect(answers.slice(0, 10).every((a) => a.type === 7)).toBe(true);
    expect(answers[10]!.type).toBe(4);
    expect(answers[10]!.data).toMatchObject({
      flags: EPHEMERAL,
      content: 'You are going a little fast: try that button again in 10 s.',
    });
  });

  it('of a command that declares no pace at all still have the general one', async () => {
    const fake = await startFakeDiscord({ token: TOKEN });
    const log = createLogger('silent');
    const context = harnessContext(seeds.archive, log);
    const plain: ArchiveCommand = {
      name: 'plain',
      description: 'A made-up command with a button and no cooldowns.',
      run: () => null,
      view: { discord: () => problemMessage('plain') },
      buttons: { again: (interaction) => interaction.update({ content: 'pressed again' }).then(() => undefined) },
    };
    const bot = await startBot({ token: TOKEN, commands: [plain], context, log, rest: { api: fake.restApi } });
    try {
      const message = fake.seedMessage({ content: 'a message with a button', author: fake.botUser });
      const answers: InteractionCallback[] = [];
      for (let i = 0; i < 11; i++) answers.push(await fake.button('again:1', message).response());
      expect(answers.slice(0, 10).every((a) => a.type === 7)).toBe(true);
      expect(answers[10]!.data?.content).toBe('You are going a little fast: try that button again in 10 s.');
    } finally {
      await bot.stop();
      await fake.close();
    }
  });

  it('of a search answer only the member who searched: another member is told to run their own', async () => {
    h = await startHarness(seeds.archive);
    const page = await searchPage();
    const other = { user: h.fake.users.moderator };
    const paging = await h.fake.button(nextButton(page).custom_id, page, other).response();
    const sharing = await h.fake.stringSelect(shareMenu(page).custom_id, ['0'], page, other).response();
    for (const refused of [paging, sharing]) {
      expect(refused.type).toBe(4);
      expect(refused.data).toMatchObject({
        flags: EPHEMERAL,
        content: 'This search belongs to someone else; run your own /search.',
      });
    }
    expect(publicPosts()).toHaveLength(0);
    // The member who searched still can.
    expect((await h.fake.button(nextButton(page).custom_id, page).response()).type).toBe(7);
  });
});
