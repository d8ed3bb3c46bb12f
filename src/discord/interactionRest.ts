// Discord's global limit (50 requests a second) binds the bot token; interaction responses and the interaction's
// own webhook (deferred answers edited in, follow-ups) are not bound to it, as Discord documents. @discordjs/rest
// exempts only the callback route: every edit of a deferred answer still waited its turn behind the global 50,
// which capped the bot at about 30 interactions a second whatever its CPU could do. Requests sent without the
// bot token (`auth: false`: exactly the interaction's callbacks and webhook) go through a second REST manager
// of the same options with no global limit; their per-route buckets are still honoured, and what the bot token
// sends is paced as before.
import { REST, type RESTOptions } from 'discord.js';

type Queued = Parameters<REST['queueRequest']>[0];

/** Returns the second manager, to be cleared with the client (its sweepers are timers, though unref'd). */
export function exemptInteractionsFromGlobalLimit(rest: REST, options: Partial<RESTOptions>): REST {
  const interactions = new REST({ ...options, globalRequestsPerSecond: Number.POSITIVE_INFINITY });
  // What the bot listens for on its REST manager (refused tokens, rate limits) is heard from both.
  interactions.on('response', (request, response) => rest.emit('response', request, response));
  interactions.on('rateLimited', (info) => rest.emit('rateLimited', info));
  interactions.on('invalidRequestWarning', (info) => rest.emit('invalidRequestWarning', info));
  const queue = rest.queueRequest.bind(rest);
  rest.queueRequest = (request: Queued) =>
    request.auth === false ? interactions.queueRequest(request) : queue(request);
  return interactions;
}
