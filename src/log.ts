// The operator's log on stderr (pino): JSON lines for the machines that
// collect it, and readable lines (pino-pretty) when a person watches it on a
// terminal. Secrets never reach it either way: the bot token is redacted by
// name, and the interaction tokens Discord puts in webhook and callback
// addresses are cut out of any error's URL, before the line is formatted.
import { createRequire } from 'node:module';
import { pino, stdSerializers, type Logger } from 'pino';
import type Pretty from 'pino-pretty';

/** pino-pretty (~15 ms to load) only for a person at a terminal: a service's log (a pipe, journald) never needs it. */
const loadPretty = (): typeof Pretty => createRequire(import.meta.url)('pino-pretty') as typeof Pretty;

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

/**
 * A logger at `level` writing to `destination` (default stderr): pretty when that is a terminal (a stream with `isTTY`),
 * JSON lines otherwise (a file, a pipe, journald, a container's log).
 */
export function createLogger(level: string, destination: NodeJS.WritableStream | number = 2): Logger {
  const stream = destination === 2 ? process.stderr : destination;
  const onTerminal = typeof stream !== 'number' && (stream as { isTTY?: boolean }).isTTY === true;
  return pino(
    {
      level,
      redact: {
        paths: ['DISCORD_TOKEN', '*.DISCORD_TOKEN', 'token', '*.token', 'authorization', '*.authorization'],
        censor: '[redacted]',
      },
      serializers: { err: safeError, error: safeError },
    },
    onTerminal
      ? loadPretty()({
          destination: stream,
          sync: true,
          colorize: true,
          translateTime: 'SYS:HH:MM:ss',
          ignore: 'pid,hostname',
        })
      : typeof destination === 'number'
        ? pino.destination(destination)
        : destination,
  );
}
