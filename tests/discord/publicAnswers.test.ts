import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { InteractionCallback } from './fakeDiscord.js';
import { startHarness, type Harness, seedsArchive } from './harness.js';

const seeds = seedsArchive();

let h: Harness;
afterEach(() => h.stop());

const EPHEMERAL = 64;
const str = (name: string, value: string) => ({ name, type: 3, value }) as never;
const isPublic = (answer: InteractionCallback) => ((answer.data?.flags ?? 0) & EPHEMERAL) === 0;

describe('public answers', () => {
  const quote = () => [str('passage', 'probation treadmill')];

  it('/quote in a channel where the member cannot send messages is answered privately, saying why', async () => {
    h = await startHarness(seeds.archive);
    const readOnly =
      PermissionFlagsBits.ViewChannel |
      PermissionFlagsBits.ReadMessageHistory |
      PermissionFlagsBits.UseApplicationCommands;
    const answer = await h.fake.slashCommand('quote', quote(), { permissions: readOnly }).response();
    expect(answer.type).toBe(4);
    expect(answer.data?.flags).toBe(EPHEMERAL);
    expect(answer.data?.content).toBe("You can't post in this channel, so only you see this.");
    expect(answer.data?.embeds?.[0]?.title).toBe('The Probation Treadmill');
    expect(answer.data?.allowed_mentions).toEqual({ parse: [] });
    // Where the member may send messages, the same quote is posted for everyone.
    expect(isPublic(await h.fake.slashCommand('quote', quote()).response())).toBe(true);
  });

  it('/quote where the bot may not embed links is answered privately, saying why', async () => {
    h = await startHarness(seeds.archive);
    const withoutEmbeds = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
    const answer = await h.fake.slashCommand('quote', quote(), { appPermissions: withoutEmbeds }).response();
    expect(answer.data?.flags).toBe(EPHEMERAL);
    expect(answer.data?.content).toMatch(
      /^The bot isn't allowed to post here \(it needs Send Messages and Embed Links\)/,
    );
  });

  it('a deferred public command (/napo) is deferred privately there, and its answer says why', async () => {
    h = await startHarness(seeds.archive);
    const readOnly = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory;
    const handle = h.fake.slashCommand('napo', [], { permissions: readOnly });
    expect((await handle.response()).data?.flags).toBe(EPHEMERAL);
    const answer = await handle.final();
    expect(answer.flags! & EPHEMERAL).toBe(EPHEMERAL);
    expect(answer.content).toBe("You can't post in this channel, so only you see this.");
    expect(answer.embeds[0]!.description).toMatch(/Latest From Napo/);
  });
});
