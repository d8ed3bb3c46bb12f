// Whether the bot's connection to Discord is up, in words for the health
// check: every shard of the client's gateway connection ready, or which is not.
import { type Client, Status } from 'discord.js';

const STATUS_WORDS: Record<number, string> = {
  [Status.Ready]: 'ready',
  [Status.Connecting]: 'connecting',
  [Status.Reconnecting]: 'reconnecting',
  [Status.Idle]: 'idle',
  [Status.Nearly]: 'nearly ready',
  [Status.Disconnected]: 'disconnected',
  [Status.WaitingForGuilds]: 'waiting for its servers',
  [Status.Identifying]: 'identifying',
  [Status.Resuming]: 'resuming',
};

/** Null when the gateway is ready; else why not, in one line. */
export function gatewayProblem(client: Client): string | null {
  const waiting = [...client.ws.shards.values()].filter((shard) => shard.status !== Status.Ready);
  if (client.isReady() && waiting.length === 0) return null;
  if (waiting.length === 0) return 'Discord gateway not ready';
  const which = waiting.map((shard) => `shard ${shard.id} ${STATUS_WORDS[shard.status] ?? `status ${shard.status}`}`);
  return `Discord gateway not ready: ${which.join(', ')}`;
}
