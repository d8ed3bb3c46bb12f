// The Discord client as the bot runs it: only the Guilds intent (slash
// commands need no message content), no one pinged unless a message says so
// (`allowedMentions: { parse: [] }` as the client default), every interaction
// handed to the router, and the connection's ups and downs logged. Only what
// says the bot token itself is refused stops the bot; a start that fails
// half-way leaves nothing connected.
import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, Partials, type ClientOptions } from 'discord.js';
import type { Logger } from 'pino';
import type { Admission } from './admission.js';
import type { ArchiveCommand, CommandContext } from './command.js';
import { exemptInteractionsFromGlobalLimit } from './interactionRest.js';
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
  /** How long login may take until Discord says the bot is ready; past it the start fails. Default 2 minutes. */
  readyTimeoutMs?: number;
  /** Slow work's queue (admission.ts); default: one at a time, with the default limits. */
  admission?: Admission;
}

const READY_TIMEOUT_MS = 120_000;
/** Discord bans an address for a while after 10,000 refused requests (401, 403, 429) in 10 minutes. */
const INVALID_REQUEST_LIMIT = 10_000;
/** Every this many refused requests in Discord's window, the log says how close the bot is to that limit. */
const INVALID_REQUEST_WARNING_EVERY = 100;

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
  const rest = { invalidRequestWarningInterval: INVALID_REQUEST_WARNING_EVERY, ...options.rest };
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // Interactions in DMs arrive on channels the client has not cached.
    partials: [Partials.Channel],
    allowedMentions: { parse: [] },
    rest,
  });
  const interactionRest = exemptInteractionsFromGlobalLimit(client.rest, client.options.rest ?? rest);
  const route = createRouter(options.commands, options.context, log, options.admission);
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
  client.rest.on('response', (request, response) => {
    if (response.status !== 401) return;
    // Interaction callbacks and webhook edits carry the interaction's own token, which Discord retires after
    // 15 minutes (50027 Invalid Webhook Token): the bot token is fine, and the bot goes on.
    if (carriesBotToken(request.options.headers))
      stopForGood('the token was refused (401 Unauthorized): it was probably revoked or reset');
    else
      log.warn({ route: request.route }, 'Discord refused an interaction token (401), not the bot token: carrying on');
  });
  client.rest.on('invalidRequestWarning', ({ count, remainingTime }) =>
    log.warn(
      { invalidRequests: count, limit: INVALID_REQUEST_LIMIT, windowEndsInMs: remainingTime },
      `${count} of Discord's ${INVALID_REQUEST_LIMIT} refused requests allowed in 10 minutes (window ends in ${Math.ceil(remainingTime / 1000)} s)`,
    ),
  );
  client.on(Events.ShardReconnecting, (shard) => log.info({ shard }, 'gateway reconnecting'));
  client.on(Events.ShardResume, (shard, replayed) => log.info({ shard, replayed }, 'gateway resumed'));
  client.rest.on('rateLimited', (info) =>
    log.warn({ route: info.route, retryAfterMs: info.retryAfter, global: info.global }, 'rate limited by Discord'),
  );

  await connect(client, options.token, options.readyTimeoutMs ?? READY_TIMEOUT_MS);
  log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'connected to Discord');
  return {
    client: client as Client<true>,
    stop: async () => {
      await client.destroy();
      interactionRest.clearHashSweeper();
      interactionRest.clearHandlerSweeper();
    },
  };
}

/**
 * Logs in and waits for ready. Whatever stops that half-way (a refused login, an `error` on the client, no READY
 * in time) destroys the client before the error goes up: a failed start leaves no connection open behind it.
 */
async function connect(client: Client, token: string, timeoutMs: number): Promise<void> {
  const giveUp = new AbortController();
  // Rejects on the client's `error` event too (events.once does), which is one of the ways a start fails.
  const ready = once(client, Events.ClientReady, { signal: giveUp.signal });
  ready.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new BotLoginError(
            `Discord did not finish connecting the bot within ${Math.round(timeoutMs / 1000)} s: check the network and Discord's status, then start again`,
          ),
        ),
      timeoutMs,
    );
  });
  const loggedIn = client.login(token).catch((error: unknown) => {
    // discord.js says "An invalid token was provided." and the like: say what to do about it.
    throw new BotLoginError(
      `Discord refused the login (${error instanceof Error ? error.message : String(error)}): check DISCORD_TOKEN in .env`,
    );
  });
  try {
    // An `error` while login is still going on counts as much as a refused login.
    await Promise.race([Promise.all([loggedIn, ready]), late]);
  } catch (error) {
    await destroyUnready(client);
    throw error;
  } finally {
    clearTimeout(timer);
    giveUp.abort();
  }
}

/** How long a failed start waits for the client to close before the error goes up anyway. */
const DESTROY_WAIT_MS = 5_000;

/**
 * `client.destroy()` for a client that is not ready. @discordjs/ws (1.2, and upstream unchanged) aborts a
 * shard's pending wait for HELLO or READY when the shard is destroyed, and that abort schedules a reconnect
 * 500 ms later while destroy() itself never resolves: the half-started connection would come back, logged in,
 * with nothing behind it. The pending waits are forgotten first (they end anyway when the connection closes).
 * That reaches into the library's private parts; should they change shape, nothing is touched, and the wait
 * for destroy() is bounded so a failed start still fails.
 */
async function destroyUnready(client: Client): Promise<void> {
  type Shard = { timeoutAbortControllers?: unknown };
  const internals = client.ws as unknown as { _ws?: { strategy?: { shards?: Map<number, Shard> } } };
  const shards = internals._ws?.strategy?.shards;
  if (shards instanceof Map) {
    for (const shard of shards.values()) {
      if (shard.timeoutAbortControllers instanceof Map) shard.timeoutAbortControllers.clear();
    }
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.destroy(),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, DESTROY_WAIT_MS);
    }),
  ]);
  clearTimeout(timer);
}

/** Whether a request went out with `Authorization: Bot …` (interaction callbacks and webhooks go without). */
function carriesBotToken(headers: unknown): boolean {
  // @discordjs/rest passes a plain object; any other form fetch accepts is read the same way.
  const authorization = new Headers(headers as ConstructorParameters<typeof Headers>[0]).get('authorization');
  return authorization?.startsWith('Bot ') ?? false;
}

/** A refused login said in one line (null); anything else is a bug and thrown on. */
export function loginRefused(error: unknown): null {
  if (!(error instanceof BotLoginError)) throw error;
  process.stderr.write(`${error.message}\n`);
  return null;
}
