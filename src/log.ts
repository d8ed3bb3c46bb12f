// The operator's log: structured lines on stderr (pino). Secrets never reach
// it: the bot token is redacted by name, and the interaction tokens Discord
// puts in webhook and callback addresses are cut out of any error's URL.
import { pino, stdSerializers, type Logger } from 'pino';

const INTERACTION_TOKEN = /\/(webhooks|interactions)\/(\d+)\/[\w.-]{20,}/g;

export function hideTokens(text: string): string {
  return text.replace(INTERACTION_TOKEN, '/$1/$2/[token]');
}

function safeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const serialized = stdSerializers.err(error) as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(serialized)) {
    // A failed request's body can hold what a member typed; its headers, the bot token.
    if (key === 'requestBody' || key === 'headers') continue;
    out[key] = typeof value === 'string' ? hideTokens(value) : value;
  }
  return out;
}

export function createLogger(level: string, destination: NodeJS.WritableStream | number = 2): Logger {
  return pino(
    {
      level,
      redact: {
        paths: ['DISCORD_TOKEN', '*.DISCORD_TOKEN', 'token', '*.token', 'authorization', '*.authorization'],
        censor: '[redacted]',
      },
      serializers: { err: safeError, error: safeError },
    },
    typeof destination === 'number' ? pino.destination(destination) : destination,
  );
}
