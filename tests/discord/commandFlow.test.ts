// The common flow the router runs for every command, seen from Discord: the
// declared acknowledgement and privacy, and a command's own check (/config's
// "can the bot post there") before anything is changed.
import { join } from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { openArchive, type OpenArchive } from '../../src/app/archive.js';
import { campaignViews } from '../../src/app/campaign.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { BLOG_URL, refusingUrl, SEEDS, tempDir } from '../helpers.js';
import { startHarness, type Harness } from './harness.js';
import { TEST_NETWORK } from '../sources/testNetwork.js';

let archive: OpenArchive;
let h: Harness;

beforeAll(async () => {
  archive = openArchive(join(tempDir(), 'data'), BLOG_URL);
  await ingestSources(archive.store, [SEEDS], { now: () => '2026-11-23T08:00:00Z' });
  archive.index();
});
afterAll(() => archive.close());
beforeEach(async () => {
  h = await startHarness(archive);
});
afterEach(() => h.stop());

describe('answering as each command declares', () => {
  it.each([
    ['stats', 4, 0],
    ['help', 4, 64],
    ['napo', 5, 0],
    ['search', 5, 64],
  ])('/%s: first answer of type %i, flags %i', async (name, type, flags) => {
    const options = name === 'search' ? [{ name: 'query', type: 3, value: 'treadmill' }] : [];
    const first = await h.fake.slashCommand(name, options as never).response();
    expect(first.type).toBe(type);
    expect(first.data?.flags ?? 0).toBe(flags);
  });
});

describe('/config checks the chosen channel before changing anything', () => {
  const digestIn = (channel: string) => [
    { name: 'digest', type: 1, options: [{ name: 'channel', type: 7, value: channel }] },
  ];

  it('refuses a channel the bot cannot post in, privately, and keeps the settings as they were', async () => {
    const closed = h.fake.addChannel({ name: 'closed', botDenied: PermissionFlagsBits.SendMessages });
    const refused = await h.fake
      .slashCommand('config', digestIn(closed.id) as never, { user: h.fake.users.moderator })
      .response();
    expect(refused.data?.flags).toBe(64);
    expect(refused.data?.content).toBe(
      `The bot cannot post in <#${closed.id}>: give it View Channel, Send Messages, Embed Links and Read Message History there, or pick another channel.`,
    );
    expect(archive.store.settings.get(h.fake.guild.id).digest.channel).not.toBe(closed.id);

    const open = h.fake.addChannel({ name: 'open' });
    const accepted = await h.fake
      .slashCommand('config', digestIn(open.id) as never, { user: h.fake.users.moderator })
      .response();
    expect(accepted.data?.flags).toBe(64);
    expect(accepted.data?.embeds?.[0]?.title).toBe('Digest updated');
    expect(archive.store.settings.get(h.fake.guild.id).digest.channel).toBe(open.id);
  });
});

describe('/config digest weekly:', () => {
  const weekly = (day: string) => [{ name: 'digest', type: 1, options: [{ name: 'weekly', type: 3, value: day }] }];

  it('sets the weekly round-up to a day, says where and when in /config show, and turns it off', async () => {
    const set = await h.fake
      .slashCommand('config', weekly('friday') as never, { user: h.fake.users.moderator })
      .response();
    expect(set.data?.flags).toBe(64);
    const field = set.data?.embeds?.[0]?.fields?.find((f) => f.name === 'Weekly round-up');
    expect(field?.value).toMatch(/on Fridays at 08:00 Europe\/London$/);
    expect(archive.store.settings.get(h.fake.guild.id).digest.weekly).toBe('friday');

    await h.fake.slashCommand('config', weekly('off') as never, { user: h.fake.users.moderator }).response();
    expect(archive.store.settings.get(h.fake.guild.id).digest.weekly).toBeNull();
    // The digest's own settings are left as they were.
    expect(archive.store.settings.get(h.fake.guild.id).digest.time).toBe('08:00');
  });

  it('is registered with the seven days and off as its only choices', () => {
    type Option = { name: string; options?: Option[]; choices?: { value: string }[] };
    const data = commands.find((c) => c.name === 'config')?.data as { options?: Option[] } | undefined;
    const digest = data?.options?.find((o) => o.name === 'digest') as Option;
    const option = digest.options?.find((o) => o.name === 'weekly');
    expect(option?.choices?.map((c) => c.value)).toEqual([
      'monday',
      'tuesday',
      'wednesday',
      'thursday',
      'friday',
      'saturday',
      'sunday',
      'off',
    ]);
  });
});

describe('a failure on a public command is told to the member alone', () => {
  it('/petition with the site unreachable and nothing stored: no public trace, a private line in plain words', async () => {
    const handle = h.fake.slashCommand('petition');
    const first = await handle.response();
    expect(first.type).toBe(5); // acknowledged publicly while the site is asked
    const told = await handle.followup(0);
    expect(told.flags).toBe(64);
    expect(told.content).toBe(
      'The petition site cannot be reached just now, and no figures are stored yet: try again in a few minutes.',
    );
    expect(told.content).not.toMatch(/127\.0\.0\.1|ECONN|ENOTFOUND/);
    await h.fake.waitForRequest((r) => r.method === 'DELETE' && r.path.endsWith('/messages/@original'));
    expect(handle.original()).toBeUndefined();
  });
});

describe('/napo with its feed down', () => {
  it("says the feed could not be read, showing the blog's own Napo posts instead (not as if no feed were set)", async () => {
    await h.stop();
    const campaign = campaignViews(
      archive.store,
      {
        petition: { network: TEST_NETWORK, id: 900001, changeOrgUrl: null },
        napo: { network: TEST_NETWORK, feedUrl: `${await refusingUrl()}/feed`, blogUrl: BLOG_URL },
      },
      () => new Date('2026-11-23T09:00:00Z'),
    );
    h = await startHarness(archive, { campaign });
    const message = await h.fake.slashCommand('napo').final();
    expect(message.embeds[0]!.description).toMatch(/Latest From Napo/);
    expect(message.embeds[0]!.footer?.text).toMatch(/^The Napo feed could not be read just now/);
    expect(JSON.stringify(message)).not.toMatch(/127\.0\.0\.1|ECONN/);
  });
});
