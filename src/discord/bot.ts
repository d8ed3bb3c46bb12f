// The Discord client as the bot runs it: only the Guilds intent (slash
// commands need no message content), no one pinged unless a message says so
// (`allowedMentions: { parse: [] }` as the client default), every interaction
// handed to the router, and the connection's ups and downs logged.
import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, Partials, type ClientOptions } from 'discord.js';
import type { Logger } from 'pino';
import type { ArchiveCommand, CommandContext } from '../../commands/types.js';
import { createRouter } from './router.js';

export interface BotOptions {
  token: string;
  commands: readonly ArchiveCommand[];
  context: CommandContext;
  log: Logger;
  /** Tests point REST (and through it the gateway) at a fake Discord on 127.0.0.1. */
  rest?: ClientOptions['rest'];
}

export interface RunningBot {
  client: Client<true>;
  stop(): Promise<void>;
}

export class BotLoginError extends Error {}

export async function startBot(options: BotOptions): Promise<RunningBot> {
  const { log } = options;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // Interactions in DMs arrive on channels the client has not cached.
    partials: [Partials.Channel],
    allowedMentions: { parse: [] },
    rest: options.rest,
  });
  const route = createRouter(options.commands, options.context, log);
  client.on(Events.InteractionCreate, (interaction) => {
    void route(interaction);
  });
  client.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
  client.on(Events.Warn, (message) => log.warn({ discord: message }, 'discord warning'));
  client.on(Events.ShardDisconnect, (event, shard) => log.warn({ shard, code: event.code }, 'gateway disconnected'));
  client.on(Events.ShardReconnecting, (shard) => log.info({ shard }, 'gateway reconnecting'));
  client.on(Events.ShardResume, (shard, replayed) => log.info({ shard, replayed }, 'gateway resumed'));
  client.rest.on('rateLimited', (info) => log.warn({ route: info.route, retryAfterMs: info.retryAfter, global: info.global }, 'rate limited by Discord'));

  const ready = once(client, Events.ClientReady);
  try {
    await client.login(options.token);
  } catch (error) {
    await client.destroy();
    // discord.js says "An invalid token was provided." and the like: say what to do about it.
    throw new BotLoginError(`Discord refused the login (${error instanceof Error ? error.message : String(error)}): check DISCORD_TOKEN in .env`);
  }
  await ready;
  log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'connected to Discord');
  return {
    client: client as Client<true>,
    stop: () => client.destroy(),
  };
}
