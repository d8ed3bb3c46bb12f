// The log as the operator reads it: lines a person can read on a terminal,
// JSON lines everywhere else (a file, a pipe, a container's log), and the
// token kept out of both.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';

const TOKEN = 'Bot-token-that-must-never-be-logged';

/** Where the log goes: a terminal (isTTY, as process.stderr on one) or not. */
function sink(terminal: boolean): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  if (terminal) Object.assign(stream, { isTTY: true });
  return { stream, text: () => text };
}

function writeSome(stream: Writable) {
  const log = createLogger('info', stream);
  log.info({ DISCORD_TOKEN: TOKEN, guilds: 3 }, 'connected to Discord');
  log.warn({ err: new Error(`refused at /webhooks/123/${'x'.repeat(30)}/messages`) }, 'could not answer');
  log.flush();
}

describe('the log', () => {
  it('is readable on a terminal: time, level, message, fields on their own lines; no token', () => {
    const { stream, text } = sink(true);
    writeSome(stream);
    const plain = text().replace(/\x1b\[[0-9;]*m/g, '');
    expect(plain).toMatch(
      /^\[\d\d:\d\d:\d\d\] INFO: connected to Discord\n {4}DISCORD_TOKEN: "\[redacted\]"\n {4}guilds: 3\n/,
    );
    expect(plain).toMatch(/\] WARN: could not answer\n/);
    expect(plain).toContain('/webhooks/123/[token]/messages');
    expect(plain).not.toContain(TOKEN);
    expect(plain).not.toMatch(/^\{/m);
  });

  it('is one JSON object a line anywhere else, with the same redaction', () => {
    const { stream, text } = sink(false);
    writeSome(stream);
    const lines = text().trim().split('\n');
    expect(lines).toHaveLength(2);
    const [first, second] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toMatchObject({ level: 30, msg: 'connected to Discord', DISCORD_TOKEN: '[redacted]', guilds: 3 });
    expect(JSON.stringify(second)).toContain('/webhooks/123/[token]/messages');
    expect(text()).not.toContain(TOKEN);
  });
});
