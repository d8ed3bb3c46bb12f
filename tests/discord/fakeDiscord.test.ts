// The fake Discord against the real discord.js Client: the client logs in, answers every kind of
// interaction, retries the way Discord asks it to and resumes after a dropped connection. The bot's
// end-to-end tests rely on all of this, so it is pinned here first.

import { once } from 'node:events';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  PermissionFlagsBits,
  REST,
  Routes,
  ShardClientUtil,
  type Interaction,
  type SendableChannels,
} from 'discord.js';
import { WebSocket } from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  faults,
  shardOfGuild,
  startFakeDiscord,
  type FakeDiscord,
  type FakeDiscordOptions,
  type RecordedRequest,
} from './fakeDiscord.js';

const TOKEN = 'fake-token';

let fake: FakeDiscord;
let client: Client;

async function loggedInClient(): Promise<Client> {
  const loggingIn = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: fake.restApi },
    allowedMentions: { parse: [] },
  });
  const ready = once(loggingIn, Events.ClientReady);
  await loggingIn.login(TOKEN);
  await ready;
  return loggingIn;
}

/** Runs `handler` on the next interaction the client receives; resolves with what it returned or threw. */
function answerNext<T>(handler: (interaction: Interaction) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    client.once(Events.InteractionCreate, (interaction) => {
      handler(interaction).then(resolve, reject);
    });
  });
}

function generalChannel(): SendableChannels {
  const channel = client.channels.cache.get(fake.guild.textChannel.id);
  if (!channel?.isSendable()) throw new Error('the guild text channel is not cached as sendable');
  return channel;
}

const channelPosts = (request: RecordedRequest): boolean =>
  request.method === 'POST' && request.path === `/channels/${fake.guild.textChannel.id}/messages`;

async function setUp(options: FakeDiscordOptions = {}): Promise<void> {
  fake = await startFakeDiscord({ token: TOKEN, ...options });
  client = await loggedInClient();
}

async function tearDown(): Promise<void> {
  await client.destroy();
  await fake.close();
}

describe('fake Discord with the real discord.js client', () => {
  beforeEach(() => setUp());
  afterEach(() => tearDown());

  it('logs in, reaches ready and caches the guild and its text channel', async () => {
    expect(client.isReady()).toBe(true);
    expect(client.user?.id).toBe(fake.botUser.id);
    expect(client.application?.id).toBe(fake.applicationId);
    const guild = client.guilds.cache.get(fake.guild.id);
    expect(guild?.name).toBe(fake.guild.name);
    expect(guild?.members.me?.id).toBe(fake.botUser.id);
    expect(client.channels.cache.get(fake.guild.textChannel.id)?.isTextBased()).toBe(true);
    const identify = await fake.waitForGateway((e) => e.direction === 'received' && e.op === 2);
    expect(identify.d).toMatchObject({ token: TOKEN, intents: GatewayIntentBits.Guilds });
  });

  it('records an ephemeral reply as callback type 4 with flags 64, sent without a bot token', async () => {
    const handled = answerNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await interaction.reply({
        content: `pong ${interaction.options.getString('word', true)}`,
        flags: MessageFlags.Ephemeral,
      });
    });
    const ping = fake.slashCommand('ping', [{ name: 'word', type: 3, value: 'hello' }]);
    await handled;

    const response = await ping.response();
    expect(response.type).toBe(4);
    expect(response.data).toMatchObject({ content: 'pong hello', flags: 64 });
    const reply = await ping.final();
    expect(reply.flags).toBe(64);
    expect(fake.channelMessages()).toEqual([]);
    const callback = await fake.waitForRequest((r) => r.path === ping.callbackPath);
    expect(callback.headers.authorization).toBeUndefined();
  });

  it('delivers options as Discord sends them: subcommand, string, integer, boolean, user and channel', async () => {
    const handled = answerNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      const { options } = interaction;
      const seen = {
        subcommand: options.getSubcommand(),
        query: options.getString('query'),
        limit: options.getInteger('limit'),
        exact: options.getBoolean('exact'),
        author: options.getUser('author')?.username,
        channel: options.getChannel('in')?.id,
        canManage: interaction.memberPermissions?.has('ManageGuild'),
      };
      await interaction.reply({ content: 'ok' });
      return seen;
    });
    fake.slashCommand(
      'archive',
      [
        {
          name: 'search',
          type: 1,
          options: [
            { name: 'query', type: 3, value: 'supervision' },
            { name: 'limit', type: 4, value: 5 },
            { name: 'exact', type: 5, value: true },
            { name: 'author', type: 6, value: fake.users.moderator.id },
            { name: 'in', type: 7, value: fake.guild.textChannel.id },
          ],
        },
      ],
      { user: fake.users.moderator },
    );

    expect(await handled).toEqual({
      subcommand: 'search',
      query: 'supervision',
      limit: 5,
      exact: true,
      author: fake.users.moderator.username,
      channel: fake.guild.textChannel.id,
      canManage: true,
    });
  });

  it('records deferReply as type 5 and editReply as a PATCH of @original, which final() returns', async () => {
    const handled = answerNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      const deferred = await interaction.deferReply({ withResponse: true });
      const edited = await interaction.editReply({ content: 'found 3 posts' });
      return { placeholderId: deferred.resource?.message?.id, editedId: edited.id, editedContent: edited.content };
    });
    const search = fake.slashCommand('search', [{ name: 'query', type: 3, value: 'napo' }]);
    const { placeholderId, editedId, editedContent } = await handled;

    expect((await search.response()).type).toBe(5);
    const final = await search.final();
    expect(final.content).toBe('found 3 posts');
    expect(final.flags).toBe(0);
    expect(placeholderId).toBe(final.id);
    expect(editedId).toBe(final.id);
    expect(editedContent).toBe('found 3 posts');
    const patch = await fake.waitForRequest((r) => r.method === 'PATCH');
    expect(patch.path).toBe(`/webhooks/${fake.applicationId}/${search.token}/messages/@original`);
    expect(search.history.map((m) => m.content)).toEqual(['', 'found 3 posts']);
  });

  it('turns the first follow-up after a deferral into the reply, and later ones into new messages', async () => {
    const handled = answerNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await interaction.deferReply();
      await interaction.followUp('first');
      await interaction.followUp('second');
    });
    const digest = fake.slashCommand('digest');
    await handled;

    expect((await digest.final()).content).toBe('first');
    expect((await digest.followup(0)).content).toBe('second');
    expect(fake.channelMessages().map((m) => m.content)).toEqual(['second', 'first']);
  });

  it('records autocomplete answers as type 8 with the choices', async () => {
    const handled = answerNext(async (interaction) => {
      if (!interaction.isAutocomplete()) throw new Error('expected autocomplete');
      const typed = interaction.options.getFocused();
      await interaction.respond([{ name: `${typed}ation`, value: `${typed}ation` }]);
    });
    const complete = fake.autocomplete('quote', [{ name: 'post', type: 3, value: 'supervis', focused: true }]);
    await handled;

    expect(await complete.response()).toEqual({
      type: 8,
      data: { choices: [{ name: 'supervisation', value: 'supervisation' }] },
    });
    await expect(complete.final()).rejects.toThrow(/type 8/);
  });

  it('posts channel messages with the bot token and the client allowed_mentions, and a button updates its message', async () => {
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('page:2').setLabel('Next').setStyle(ButtonStyle.Primary),
    );
    const sent = await generalChannel().send({ content: 'page 1 @everyone', components: [row] });

    const post = await fake.waitForRequest(channelPosts);
    expect(post.headers.authorization).toBe(`Bot ${TOKEN}`);
    expect(post.body).toMatchObject({ content: 'page 1 @everyone', allowed_mentions: { parse: [] } });
    expect(fake.message(sent.id)?.mention_everyone).toBe(false);

    const handled = answerNext(async (interaction) => {
      if (!interaction.isButton()) throw new Error('expected a button');
      await interaction.update({ content: `showing ${interaction.customId}`, components: [] });
      return interaction.message.id;
    });
    const click = fake.button('page:2', sent.id);
    expect(await handled).toBe(sent.id);

    expect((await click.response()).type).toBe(7);
    expect((await click.final()).content).toBe('showing page:2');
    expect(fake.message(sent.id)).toMatchObject({ content: 'showing page:2', components: [] });
  });

  it('hands a message command its target message', async () => {
    const target = fake.seedMessage({ content: 'a comment worth quoting' });
    const handled = answerNext(async (interaction) => {
      if (!interaction.isMessageContextMenuCommand()) throw new Error('expected a message command');
      await interaction.reply({ content: 'quoted' });
      return interaction.targetMessage.content;
    });
    const quote = fake.messageContextMenu('Quote this', target);
    expect(await handled).toBe('a comment worth quoting');
    expect((await quote.final()).content).toBe('quoted');
  });

  it('waits for Retry-After on a 429 and then delivers the message once', async () => {
    fake.failNext({ method: 'POST', path: '/channels/*/messages' }, faults.rateLimited(1));
    await generalChannel().send('after the rate limit');

    const posts = fake.requests.filter(channelPosts);
    expect(posts.map((r) => r.status)).toEqual([429, 200]);
    const [limited, delivered] = posts;
    expect((delivered?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(900);
    expect(fake.channelMessages().map((m) => m.content)).toEqual(['after the rate limit']);
  });

  it('retries a 500 and delivers the message once', async () => {
    fake.failNext({ method: 'POST', path: '/channels/*/messages' }, faults.serverError(500));
    await generalChannel().send('after the outage');

    expect(fake.requests.filter(channelPosts).map((r) => r.status)).toEqual([500, 200]);
    expect(fake.channelMessages()).toHaveLength(1);
  });

  it('rejects a reply with DiscordAPIError 10062 when the interaction is gone, and keeps working after', async () => {
    fake.failNext({ method: 'POST', path: '/interactions/*/*/callback' }, faults.unknownInteraction());
    const failed = answerNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      return interaction.reply({ content: 'too late' }).then(
        () => undefined,
        (error: unknown) => error,
      );
    });
    fake.slashCommand('ping');
    const error = await failed;
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(10062);

    const next = answerNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await interaction.reply({ content: 'pong' });
    });
    const ping = fake.slashCommand('ping');
    await next;
    expect((await ping.final()).content).toBe('pong');
  });

  it('answers 10062 to a callback that comes after the acknowledgement deadline', async () => {
    await tearDown();
    await setUp({ ackDeadlineMs: 50 });
    const late = answerNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await new Promise((resolve) => setTimeout(resolve, 100));
      return interaction.reply({ content: 'too slow' }).then(
        () => undefined,
        (error: unknown) => error,
      );
    });
    fake.slashCommand('slow');
    expect(await late).toMatchObject({ code: 10062 });
  });

  it('fails a wait with what it was waiting for instead of hanging', async () => {
    const unanswered = fake.slashCommand('nobody-listens');
    await expect(unanswered.response(100)).rejects.toThrow(
      /timed out after 100 ms waiting for the callback of \/nobody-listens/,
    );
  });

  it('refuses what Discord refuses: an unknown channel, a request without a token, a 2001-character message', async () => {
    await expect(client.channels.fetch('1234567890123456789')).rejects.toMatchObject({ code: 10003, status: 404 });
    const anonymous = await fetch(`${fake.restApi}/v10/channels/${fake.guild.textChannel.id}/messages`, {
      method: 'POST',
    });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ message: '401: Unauthorized', code: 0 });
    await expect(generalChannel().send('x'.repeat(2001))).rejects.toMatchObject({ code: 50035 });
    expect(fake.channelMessages()).toEqual([]);
  });

  it('reads payload_json and the files of a multipart upload', async () => {
    await generalChannel().send({
      content: 'the archive',
      files: [{ attachment: Buffer.from('post text'), name: 'post.txt' }],
    });

    const post = await fake.waitForRequest(channelPosts);
    expect(post.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(post.body).toMatchObject({ content: 'the archive' });
    expect(post.files.map((f) => [f.filename, f.data.toString()])).toEqual([['post.txt', 'post text']]);
    expect(fake.channelMessages()[0]?.attachments.map((a) => a.filename)).toEqual(['post.txt']);
  });

  it('resumes after a dropped connection, replays what it missed, and still answers interactions', async () => {
    const resumed = once(client, Events.ShardResume);
    fake.dropConnection();
    // Sent while the socket is down: Discord keeps it for the session and replays it on RESUME.
    const missedAnswered = answerNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await interaction.reply({ content: 'caught up' });
    });
    const missed = fake.slashCommand('ping');
    await resumed;

    const resume = await fake.waitForGateway((e) => e.direction === 'received' && e.op === 6);
    expect(resume.d).toMatchObject({ token: TOKEN, seq: 2 });
    await fake.waitForGateway((e) => e.direction === 'sent' && e.t === 'RESUMED');
    await missedAnswered;
    expect((await missed.final()).content).toBe('caught up');

    const next = answerNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await interaction.reply({ content: 'still here' });
    });
    const after = fake.slashCommand('ping');
    await next;
    expect((await after.final()).content).toBe('still here');
    expect(fake.gateway.filter((e) => e.direction === 'received' && e.op === 2)).toHaveLength(1);
  });

  it('resumes when Discord asks for a reconnect (op 7) or invalidates the session as resumable (op 9)', async () => {
    const afterInvalidation = once(client, Events.ShardResume);
    fake.invalidateSession(true);
    await afterInvalidation;
    const afterReconnect = once(client, Events.ShardResume);
    fake.requestReconnect();
    await afterReconnect;

    expect(
      fake.gateway
        .filter((e) => e.direction === 'received')
        .map((e) => e.op)
        .filter((op) => op !== 1),
    ).toEqual([2, 6, 6]);
  });

  it('stores application commands from PUT, keeps their ids on redeploy, and validates them like Discord', async () => {
    const rest = new REST({ api: fake.restApi }).setToken(TOKEN);
    const definitions = [
      {
        name: 'search',
        description: 'Search the archive',
        options: [{ name: 'query', description: 'Words', type: 3, required: true }],
      },
      { name: 'Quote', type: 3 },
    ];
    const saved = (await rest.put(Routes.applicationCommands(fake.applicationId), { body: definitions })) as {
      id: string;
      name: string;
    }[];
    expect(saved.map((c) => c.name)).toEqual(['search', 'Quote']);
    const again = (await rest.put(Routes.applicationCommands(fake.applicationId), { body: definitions })) as {
      id: string;
    }[];
    expect(again.map((c) => c.id)).toEqual(saved.map((c) => c.id));
    expect(await rest.get(Routes.applicationCommands(fake.applicationId))).toEqual(again);

    await rest.put(Routes.applicationGuildCommands(fake.applicationId, fake.guild.id), { body: [definitions[0]] });
    expect(fake.commands(fake.guild.id).map((c) => c.guild_id)).toEqual([fake.guild.id]);
    await expect(
      rest.put(Routes.applicationCommands(fake.applicationId), { body: [{ name: 'Search', description: '' }] }),
    ).rejects.toMatchObject({ code: 50035, message: expect.stringContaining('APPLICATION_COMMAND_INVALID_NAME') });

    const handled = answerNext(async (interaction) =>
      interaction.isChatInputCommand() ? interaction.commandId : undefined,
    );
    fake.slashCommand('search', [{ name: 'query', type: 3, value: 'x' }]);
    expect(await handled).toBe(fake.commands(fake.guild.id)[0]?.id);
  });
});

describe('fake Discord threads and forums', () => {
  beforeEach(() => setUp());
  afterEach(() => tearDown());

  const apiError = (error: unknown) =>
    error instanceof DiscordAPIError ? { status: error.status, code: error.code } : { status: 0, code: String(error) };

  it("starts a thread on a message (its id the message's, once), takes messages in it, and refuses them once archived until reopened", async () => {
    const message = (await client.rest.post(Routes.channelMessages(fake.guild.textChannel.id), {
      body: { content: 'fake announcement' },
    })) as { id: string };
    const thread = (await client.rest.post(Routes.threads(fake.guild.textChannel.id, message.id), {
      body: { name: 'Fake thread', auto_archive_duration: 10080 },
    })) as { id: string; type: number; parent_id: string };
    expect(thread).toMatchObject({
      id: message.id,
      type: ChannelType.PublicThread,
      parent_id: fake.guild.textChannel.id,
    });
    const again = await client.rest
      .post(Routes.threads(fake.guild.textChannel.id, message.id), { body: { name: 'Twice' } })
      .catch(apiError);
    expect(again).toEqual({ status: 400, code: 160004 });

    await client.rest.post(Routes.channelMessages(thread.id), { body: { content: 'in the thread' } });
    expect(fake.channelMessages(thread.id).map((m) => m.content)).toEqual(['in the thread']);

    fake.archiveThread(thread.id, { quietly: true });
    const refused = await client.rest
      .post(Routes.channelMessages(thread.id), { body: { content: 'too late' } })
      .catch(apiError);
    expect(refused).toEqual({ status: 400, code: 50083 });
    await client.rest.patch(Routes.channel(thread.id), { body: { archived: false } });
    expect(fake.thread(thread.id)?.thread_metadata?.archived).toBe(false);
    await client.rest.post(Routes.channelMessages(thread.id), { body: { content: 'reopened' } });
    expect(fake.channelMessages(thread.id).map((m) => m.content)).toEqual(['reopened', 'in the thread']);
  });

  it('makes a forum post with its first message (the same id), refuses plain messages there, and lists active posts', async () => {
    const forum = fake.addForum({ name: 'fake-forum' });
    const refused = await client.rest
      .post(Routes.channelMessages(forum.id), { body: { content: 'not a post' } })
      .catch(apiError);
    expect(refused).toMatchObject({ status: 400 });
    const post = (await client.rest.post(Routes.threads(forum.id), {
      body: { name: 'Fake post', message: { content: 'first words', allowed_mentions: { parse: [] } } },
    })) as { id: string; parent_id: string; message: { id: string; content: string } };
    expect(post.parent_id).toBe(forum.id);
    expect(post.message).toMatchObject({ id: post.id, content: 'first words' });
    expect(fake.threadsIn(forum.id).map((t) => t.id)).toEqual([post.id]);
    const active = (await client.rest.get(Routes.guildActiveThreads(fake.guild.id))) as { threads: { id: string }[] };
    expect(active.threads.map((t) => t.id)).toEqual([post.id]);
    fake.archiveThread(post.id);
    const after = (await client.rest.get(Routes.guildActiveThreads(fake.guild.id))) as { threads: unknown[] };
    expect(after.threads).toEqual([]);
  });

  it('answers 403 50013 without Create Public Threads, Send Messages in Threads, or Send Messages in a forum', async () => {
    const closed = fake.addChannel({ name: 'no-threads', botDenied: PermissionFlagsBits.CreatePublicThreads });
    const message = (await client.rest.post(Routes.channelMessages(closed.id), { body: { content: 'x' } })) as {
      id: string;
    };
    expect(
      await client.rest.post(Routes.threads(closed.id, message.id), { body: { name: 'No' } }).catch(apiError),
    ).toEqual({ status: 403, code: 50013 });

    const quiet = fake.addChannel({ name: 'no-thread-talk', botDenied: PermissionFlagsBits.SendMessagesInThreads });
    const m2 = (await client.rest.post(Routes.channelMessages(quiet.id), { body: { content: 'y' } })) as { id: string };
    const thread = (await client.rest.post(Routes.threads(quiet.id, m2.id), { body: { name: 'Mute' } })) as {
      id: string;
    };
    expect(
      await client.rest.post(Routes.channelMessages(thread.id), { body: { content: 'z' } }).catch(apiError),
    ).toEqual({ status: 403, code: 50013 });

    const forum = fake.addForum({ name: 'read-only-forum', botDenied: PermissionFlagsBits.SendMessages });
    expect(
      await client.rest
        .post(Routes.threads(forum.id), { body: { name: 'No', message: { content: 'no' } } })
        .catch(apiError),
    ).toEqual({ status: 403, code: 50013 });
  });
});

describe('fake Discord with shards', () => {
  let sharded: FakeDiscord;
  const clients: Client[] = [];

  /** A client for shard `id` of `count`, logged in and ready (discord.js waits for the GUILD_CREATE of its guilds). */
  async function shardClient(id: number, count: number): Promise<Client> {
    const shardClient = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: { api: sharded.restApi },
      shards: [id],
      shardCount: count,
    });
    clients.push(shardClient);
    const ready = once(shardClient, Events.ClientReady);
    await shardClient.login(TOKEN);
    await ready;
    return shardClient;
  }

  /** IDENTIFY over a bare socket: READY's data, or the close code the fake answered with. */
  async function identifyWith(shard: unknown): Promise<{ ready: Record<string, unknown> } | { closed: number }> {
    const socket = new WebSocket(sharded.gatewayUrl);
    return new Promise((resolve, reject) => {
      socket.on('error', reject);
      socket.on('close', (code) => resolve({ closed: code }));
      socket.on('message', (raw) => {
        const payload = JSON.parse(raw.toString()) as { op: number; t?: string; d: Record<string, unknown> };
        if (payload.op === 10)
          socket.send(JSON.stringify({ op: 2, d: { token: TOKEN, intents: 1, properties: {}, shard } }));
        if (payload.t === 'READY') {
          resolve({ ready: payload.d });
          socket.close(1000);
        }
      });
    });
  }

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    await sharded.close();
  });

  it('puts guild i on shard i % count, as Discord computes it, for 2 to 6 shards', async () => {
    sharded = await startFakeDiscord({ token: TOKEN, guilds: 6 });
    expect(sharded.guilds[0]).toBe(sharded.guild);
    expect(new Set(sharded.guilds.map((g) => g.id)).size).toBe(6);
    for (const count of [2, 3, 4, 5, 6]) {
      const shards = sharded.guilds.map((g) => ShardClientUtil.shardIdForGuildId(g.id, count));
      expect(shards).toEqual([0, 1, 2, 3, 4, 5].map((i) => i % count));
      expect(sharded.guilds.map((g) => shardOfGuild(g.id, count))).toEqual(shards);
    }
  });

  it('answers GET /gateway/bot with the recommended shard count', async () => {
    sharded = await startFakeDiscord({ token: TOKEN, recommendedShards: 3 });
    const rest = new REST({ api: sharded.restApi }).setToken(TOKEN);
    expect(await rest.get(Routes.gatewayBot())).toMatchObject({ url: sharded.gatewayUrl, shards: 3 });
  });

  it('gives each shard only its own guilds: in READY, then one GUILD_CREATE each', async () => {
    sharded = await startFakeDiscord({ token: TOKEN, guilds: 4 });
    const [zero, one] = [await shardClient(0, 2), await shardClient(1, 2)];
    const [g0, g1, g2, g3] = sharded.guilds.map((g) => g.id);
    expect([...zero.guilds.cache.keys()].sort()).toEqual([g0, g2].sort());
    expect([...one.guilds.cache.keys()].sort()).toEqual([g1, g3].sort());
    expect(zero.channels.cache.has(sharded.guilds[0]!.textChannel.id)).toBe(true);
    expect(zero.channels.cache.has(sharded.guilds[1]!.textChannel.id)).toBe(false);

    const sent = (shard: number, t: string) =>
      sharded.gateway.filter((e) => e.direction === 'sent' && e.t === t && e.shard?.[0] === shard);
    const readyGuilds = (shard: number) =>
      (sent(shard, 'READY')[0]!.d as { guilds: { id: string }[]; shard: number[] }).guilds.map((g) => g.id);
    expect(readyGuilds(0).sort()).toEqual([g0, g2].sort());
    expect(readyGuilds(1).sort()).toEqual([g1, g3].sort());
    expect((sent(1, 'READY')[0]!.d as { shard: number[] }).shard).toEqual([1, 2]);
    expect(sent(0, 'GUILD_CREATE').map((e) => (e.d as { id: string }).id)).toEqual(readyGuilds(0));
    expect(sent(1, 'GUILD_CREATE').map((e) => (e.d as { id: string }).id)).toEqual(readyGuilds(1));
  });

  it("delivers a guild's interactions and events on its own shard's session only, and DM interactions on shard 0", async () => {
    sharded = await startFakeDiscord({ token: TOKEN, guilds: 2 });
    const shards = [await shardClient(0, 2), await shardClient(1, 2)];
    const seen: string[] = [];
    shards.forEach((c, shard) =>
      c.on(Events.InteractionCreate, (interaction) => {
        seen.push(`${shard}:${interaction.guildId ?? 'dm'}`);
        if (interaction.isChatInputCommand()) void interaction.reply({ content: `shard ${shard}` });
      }),
    );
    const [first, second] = sharded.guilds;
    const inSecond = sharded.slashCommand('ping', [], { guildId: second!.id });
    expect((await inSecond.final()).content).toBe('shard 1');
    expect(inSecond.payload.channel_id).toBe(second!.textChannel.id);
    const inFirst = sharded.slashCommand('ping', [], { guildId: first!.id });
    expect((await inFirst.final()).content).toBe('shard 0');
    const fromDm = sharded.slashCommand('ping', [], { guildId: null });
    expect((await fromDm.final()).content).toBe('shard 0');
    expect(seen).toEqual([`1:${second!.id}`, `0:${first!.id}`, '0:dm']);

    const created = sharded.addChannel({ name: 'digests', guildId: second!.id });
    await sharded.waitForGateway((e) => e.t === 'CHANNEL_CREATE');
    expect(sharded.gateway.filter((e) => e.t === 'CHANNEL_CREATE').map((e) => e.shard)).toEqual([[1, 2]]);
    expect(created.guild_id).toBe(second!.id);
  });

  it('closes an IDENTIFY whose shard is invalid with 4010, and one with too many guilds for one shard with 4011', async () => {
    sharded = await startFakeDiscord({ token: TOKEN, guilds: 3, maxGuildsPerShard: 2 });
    expect(await identifyWith([2, 2])).toEqual({ closed: 4010 });
    expect(await identifyWith([0, 0])).toEqual({ closed: 4010 });
    expect(await identifyWith([-1, 2])).toEqual({ closed: 4010 });
    expect(await identifyWith(['0', 2])).toEqual({ closed: 4010 });
    // Not sharded, three guilds on one connection: Discord asks for sharding.
    expect(await identifyWith([0, 1])).toEqual({ closed: 4011 });
    expect(await identifyWith(undefined)).toEqual({ closed: 4011 });
    const ready = await identifyWith([1, 2]);
    expect(ready).toMatchObject({
      ready: { shard: [1, 2], guilds: [{ id: sharded.guilds[1]!.id, unavailable: true }] },
    });
  });
});
