// The Discord client as the bot runs it: only the Guilds intent (slash
// commands need no message content), no one pinged unless a message says so
// (`allowedMentions: { parse: [] }` as the client default), every interaction
// handed to the router, and the connection's ups and downs logged.
import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, Partials, type ClientOptions } from 'discord.js';
import type { Logger } from 'pino';
import type { ArchiveCommand, CommandContext } from './command.js';
import { createRouter } from './router.js';

export interface BotOptions {
  token: string;
  commands: readonly ArchiveCommand[];
  context: CommandContext;
  log: Logger;
  /** Tests point REST (and through it the gateway) at a fake Discord on 127.0.0.1. */
  rest?: ClientOptions['rest'];
  /**
   * Discord has said something retrying cannot fix (the token revoked, intents not allowed). The bot
   * must stop rather than hammer the API: 10,000 refused requests in 10 minutes get its address banned.
   */
  onFatal?: (message: string) => void;
}

/** Gateway close codes after which reconnecting cannot succeed. */
const FATAL_CLOSE_CODES: Record<number, string> = {
  4004: 'the token is not valid any more (revoked or reset)',
  4010: 'the shard setup is invalid',
  4011: 'the bot is in too many servers for one connection: it needs sharding',
  4012: 'this discord.js speaks an API version Discord no longer accepts',
  4013: 'the intents asked for are invalid',
  4014: 'the intents asked for are not enabled for this bot in the Developer Portal',
};

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
  let fatal = false;
  const stopForGood = (message: string) => {
    if (fatal) return;
    fatal = true;
    log.fatal({ reason: message }, 'Discord refuses the bot: stopping');
    options.onFatal?.(`Discord refuses the bot: ${message}. Fix it (see .env.example), then start again.`);
  };
  client.on(Events.ShardDisconnect, (event, shard) => {
    log.warn({ shard, code: event.code }, 'gateway disconnected');
    const reason = FATAL_CLOSE_CODES[event.code];
    if (reason) stopForGood(`${reason} (gateway close ${event.code})`);
  });
  client.rest.on('response', (_request, response) => {
    if (response.status === 401)
      stopForGood('the token was refused (401 Unauthorized): it was probably revoked or reset');
  });
  client.on(Events.ShardReconnecting, (shard) => log.info({ shard }, 'gateway reconnecting'));
  client.on(Events.ShardResume, (shard, replayed) => log.info({ shard, replayed }, 'gateway resumed'));
  client.rest.on('rateLimited', (info) =>
    log.warn({ route: info.route, retryAfterMs: info.retryAfter, global: info.global }, 'rate limited by Discord'),
  );

  const ready = once(client, Events.ClientReady);
  try {
    await client.login(options.token);
  } catch (error) {
    await client.destroy();
    // discord.js says "An invalid token was provided." and the like: say what to do about it.
    throw new BotLoginError(
      `Discord refused the login (${error instanceof Error ? error.message : String(error)}): check DISCORD_TOKEN in .env`,
    );
  }
  await ready;
  log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'connected to Discord');
  return {
    client: client as Client<true>,
    stop: () => client.destroy(),
  };
}

/** A refused login said in one line (null); anything else is a bug and thrown on. */
export function loginRefused(error: unknown): null {
  if (!(error instanceof BotLoginError)) throw error;
  process.stderr.write(`${error.message}\n`);
  return null;
}
