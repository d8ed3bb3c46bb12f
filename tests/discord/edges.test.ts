import { Writable } from 'node:stream';
import { Client } from 'discord.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commands } from '../../commands/index.js';
import { BotLoginError, startBot } from '../../src/discord/bot.js';
import { channelPoster } from '../../src/discord/poster.js';
import { createLogger } from '../../src/log.js';
import { BLOG_URL } from '../helpers.js';
import { faults, startFakeDiscord, type FakeDiscord } from './fakeDiscord.js';
import { harnessContext, startHarness, TOKEN, type Harness, seedsArchive } from './harness.js';

const seeds = seedsArchive();

const query = (value: string) => ({ name: 'query', type: 3, value }) as never;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('refusals that are not about the bot token', () => {
  let h: Harness;
  afterEach(() => h.stop());

  it('keeps running when an expired interaction token gets 401/50027 on its webhook edit, and answers the next one', async () => {
    h = await startHarness(seeds.archive);
    h.fake.failNext({ method: 'PATCH', path: '/webhooks/*/*/messages/@original' }, faults.invalidWebhookToken());
    const late = h.fake.slashCommand('search', [query('treadmill')]);
    const refused = await h.fake.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(late.token));
    expect(refused.status).toBe(401);
    // No Authorization header: the interaction's own token was refused, not the bot's.
    expect(refused.headers['authorization']).toBeUndefined();
    await vi.waitFor(() =>
      expect(h.logLines.some((l) => l['msg'] === 'interaction token expired before the answer was sent (50027)')).toBe(
        true,
      ),
    );
    expect(h.fatal).toEqual([]);
    // Telling the member would use the same dead token: nothing more is sent on it.
    expect(h.fake.requests.filter((r) => r.path.startsWith('/webhooks/') && r.path.includes(late.token))).toHaveLength(
      1,
    );
    expect(h.logLines.some((l) => l['msg'] === 'interaction failed')).toBe(false);

    const next = await h.fake.slashCommand('search', [query('treadmill')]).final();
    expect(next.embeds[0]!.title).toBe('Search: treadmill');
    expect(h.bot.client.isReady()).toBe(true);
  });

  it('stops when a request that carried the bot token gets 401', async () => {
    h = await startHarness(seeds.archive);
    h.fake.failNext({ method: 'POST', path: '/channels/*/messages' }, faults.unauthorized());
    const poster = channelPoster(h.bot.client, BLOG_URL);
    await expect(
      poster.send(h.fake.guild.textChannel.id, { type: 'notice', text: 'hello' }, { nonce: '1', marker: 'm' }),
    ).rejects.toThrow();
    const refused = h.fake.requests.find((r) => r.method === 'POST' && r.path.startsWith('/channels/'))!;
    expect(refused.headers['authorization']).toBe(`Bot ${TOKEN}`);
    expect(h.fatal).toEqual([
      'Discord refuses the bot: the token was refused (401 Unauthorized): it was probably revoked or reset. Fix it (see .env.example), then start again.',
    ]);
  });

  it('says in the log how close the bot is to Discord’s 10,000 refused requests in 10 minutes', async () => {
    h = await startHarness(seeds.archive);
    // Warned every 100 refusals: the count is shared by every client in the process, so it is driven up here.
    const channel = h.fake.addChannel({ name: 'closed', botDenied: 1n << 11n });
    const poster = channelPoster(h.bot.client, BLOG_URL);
    for (let i = 0; i < 100; i++) {
      await poster
        .send(channel.id, { type: 'notice', text: 'x' }, { nonce: String(i), marker: `m${i}` })
        .catch(() => {});
      if (h.logLines.some((l) => typeof l['invalidRequests'] === 'number')) break;
    }
    const warning = h.logLines.find((l) => typeof l['invalidRequests'] === 'number')!;
    expect(warning).toMatchObject({ level: 40, limit: 10_000 });
    expect(warning['invalidRequests']).toBe(100);
    expect(warning['windowEndsInMs']).toBeGreaterThan(0);
    expect(warning['windowEndsInMs']).toBeLessThanOrEqual(600_000);
    expect(String(warning['msg'])).toMatch(
      /^100 of Discord's 10000 refused requests allowed in 10 minutes \(window ends in \d+ s\)$/,
    );
    expect(h.fatal).toEqual([]);
  });
});

describe('a start that fails between login and ready', () => {
  let fake: FakeDiscord;
  afterEach(async () => {
    vi.restoreAllMocks();
    await fake.close();
  });

  const start = (readyTimeoutMs: number) => {
    const context = harnessContext(
      seeds.archive,
      createLogger('silent', new Writable({ write: (_c, _e, done) => done() })),
    );
    return startBot({
      token: TOKEN,
      commands,
      context,
      log: context.log,
      rest: { api: fake.restApi },
      readyTimeoutMs,
    });
  };

  it('destroys the client when Discord never says ready in time, so no connection stays open', async () => {
    fake = await startFakeDiscord({ token: TOKEN });
    fake.withholdReady();
    const started = start(500);
    await fake.waitForGateway((e) => e.direction === 'received' && e.op === 2);
    expect(fake.openGatewaySockets()).toBe(1);
    await expect(started).rejects.toThrow(BotLoginError);
    await expect(started).rejects.toThrow(/did not finish connecting the bot within 1 s/);
    expect(fake.openGatewaySockets()).toBe(0);
    // And it stays closed: the destroyed client does not reconnect on its own.
    await sleep(1500);
    expect(fake.openGatewaySockets()).toBe(0);
    expect(fake.gateway.filter((e) => e.direction === 'sent' && e.op === 10)).toHaveLength(1);
  });

  it('destroys the client when it reports an error before ready, and the error goes up', async () => {
    fake = await startFakeDiscord({ token: TOKEN });
    fake.withholdReady();
    let client: Client | undefined;
    const login = Client.prototype.login;
    vi.spyOn(Client.prototype, 'login').mockImplementation(function (this: Client, token?: string) {
      client = this;
      return login.call(this, token);
    });
    const started = start(60_000);
    await fake.waitForGateway((e) => e.direction === 'received' && e.op === 2);
    client!.emit('error', new Error('a listener failed before ready'));
    await expect(started).rejects.toThrow('a listener failed before ready');
    expect(fake.openGatewaySockets()).toBe(0);
    expect(client!.token).toBeNull();
  });
});
