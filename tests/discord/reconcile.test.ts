// Slash commands reconciled on start, against the fake Discord (which answers
// command lists as Discord does, its defaults filled in): nothing is written
// when what is registered is what the bot defines; one bulk overwrite when it
// differs; to the server with DISCORD_GUILD_ID, globally otherwise.
import { REST } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import type { ArchiveCommand } from '../../src/discord/command.js';
import { deployCommands, reconcileCommands } from '../../src/discord/deploy.js';
import { startFakeDiscord, type FakeDiscord } from './fakeDiscord.js';

const TOKEN = 'fake-reconcile-token-for-tests-only';
let fake: FakeDiscord;
let rest: REST;

beforeEach(async () => {
  fake = await startFakeDiscord({ token: TOKEN });
  rest = new REST({ api: fake.restApi }).setToken(TOKEN);
});
afterEach(async () => {
  rest.clearHandlerSweeper();
  rest.clearHashSweeper();
  await fake.close();
});

const writes = (path: RegExp) => fake.requests.filter((r) => r.method !== 'GET' && path.test(r.path));
const reconcile = (list: readonly ArchiveCommand[], guildId?: string) =>
  reconcileCommands({ rest, applicationId: fake.applicationId, commands: list, ...(guildId && { guildId }) });
const GLOBAL = /^\/applications\/\d+\/commands$/;

/** The command list with /stats described differently: what an upgrade that rewords a command looks like. */
function reworded(): ArchiveCommand[] {
  return commands.map((c) =>
    c.name === 'stats' && c.data ? { ...c, data: { ...c.data, description: 'How big the archive is now' } } : c,
  );
}

describe('slash commands reconciled on start', () => {
  it('registers every command globally on a first start, in one bulk overwrite', async () => {
    const result = await reconcile(commands);
    expect(result).toMatchObject({ scope: 'global', changed: true });
    expect(writes(GLOBAL).map((r) => r.method)).toEqual(['PUT']);
    expect(
      fake
        .commands()
        .map((c) => c.name)
        .sort(),
    ).toEqual(commands.flatMap((c) => (c.data ? [c.name] : [])).sort());
  });

  it('writes nothing when the registered commands are the bot’s own, as Discord returns them', async () => {
    await deployCommands({ commands, token: TOKEN, api: fake.restApi });
    const before = fake.requests.length;
    const result = await reconcile(commands);
    expect(result.changed).toBe(false);
    expect(fake.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /applications/${fake.applicationId}/commands`,
    ]);
  });

  it('overwrites them all in one request when a command changed in an upgrade, and not again after', async () => {
    await deployCommands({ commands, token: TOKEN, api: fake.restApi });
    const upgraded = reworded();
    expect((await reconcile(upgraded)).changed).toBe(true);
    expect(writes(GLOBAL).map((r) => r.method)).toEqual(['PUT', 'PUT']);
    expect(fake.commands().find((c) => c.name === 'stats')?.description).toBe('How big the archive is now');
    expect((await reconcile(upgraded)).changed).toBe(false);
    expect(writes(GLOBAL)).toHaveLength(2);
  });

  it('registers a new command and removes one the bot no longer has', async () => {
    await deployCommands({ commands: commands.filter((c) => c.name !== 'napo'), token: TOKEN, api: fake.restApi });
    expect((await reconcile(commands)).changed).toBe(true);
    expect(fake.commands().some((c) => c.name === 'napo')).toBe(true);
    expect((await reconcile(commands.filter((c) => c.name !== 'help'))).changed).toBe(true);
    expect(fake.commands().some((c) => c.name === 'help')).toBe(false);
  });

  it('notices a changed option and a changed permission, not only names', async () => {
    await deployCommands({ commands, token: TOKEN, api: fake.restApi });
    const optional = commands.map((c) => {
      if (c.name !== 'search' || !c.data || !('options' in c.data)) return c;
      const options = (c.data.options ?? []).map((o) => (o.name === 'query' ? { ...o, required: false } : o));
      return { ...c, data: { ...c.data, options } } as ArchiveCommand;
    });
    expect((await reconcile(optional)).changed).toBe(true);
    await deployCommands({ commands, token: TOKEN, api: fake.restApi });
    const open = commands.map((c) =>
      c.name === 'config' && c.data
        ? ({ ...c, data: { ...c.data, default_member_permissions: null } } as ArchiveCommand)
        : c,
    );
    expect((await reconcile(open)).changed).toBe(true);
  });

  it('works on one server’s commands with DISCORD_GUILD_ID, leaving the global ones alone', async () => {
    const guildPath = new RegExp(`^/applications/\\d+/guilds/${fake.guild.id}/commands$`);
    expect(await reconcile(commands, fake.guild.id)).toMatchObject({ scope: 'guild', changed: true });
    expect((await reconcile(commands, fake.guild.id)).changed).toBe(false);
    expect(writes(guildPath).map((r) => r.method)).toEqual(['PUT']);
    expect(writes(GLOBAL)).toEqual([]);
    expect(fake.commands()).toEqual([]);
  });
});
