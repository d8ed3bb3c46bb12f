// Console mode: the bot's commands typed (or piped) in a terminal, run by the
// same flow as on Discord (options parsed once, the use case run) and answered
// with each command's terminal rendering of its view model.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { UserProblem } from '../app/userProblem.js';
import { definedOptions, type ArchiveCommand, type Caller, type CommandContext } from '../discord/command.js';
import type { MessageFile } from '../discord/messages.js';
import { lineOptions } from './options.js';

/** Whoever types at the console: no member, no server. */
const CONSOLE: Caller = { userId: 'console', guildId: null };

/** Answer one typed line; null for a blank line. */
export async function answerLine(
  line: string,
  commands: readonly ArchiveCommand[],
  context: CommandContext,
  filesDir: string | null = null,
): Promise<string | null> {
  const trimmed = line.trim();
  if (!trimmed) return null;
  const [, name = '', args = ''] = /^\/?(\S+)\s*(.*)$/s.exec(trimmed) ?? [];
  const command = commands.find((c) => c.name === name.toLowerCase());
  if (!command) return `Unknown command "${trimmed.split(/\s/)[0]}". Type /help for the list.`;
  if (!command.view.text) return `/${command.name} works on Discord only. Type /help for what the console answers.`;
  try {
    // Read even for a command without options: words it cannot take are refused, not ignored.
    const options = lineOptions(command.name, args, definedOptions(command));
    const request = command.parse?.(options);
    const result = await command.run(request, context, CONSOLE);
    const text = command.view.text(result);
    const files = filesDir === null ? [] : (command.view.files?.(result) ?? []);
    return [text, ...files.map((file) => saved(file, filesDir!, context))].join('\n');
  } catch (error) {
    if (error instanceof UserProblem) return error.message;
    context.log.error({ err: error, line: trimmed }, 'console command failed');
    return `Sorry, that failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** A file that goes with an answer (a chart), written under `dir` (made when missing): the line that says where. */
function saved(file: MessageFile, dir: string, context: CommandContext): string {
  const path = resolve(dir, basename(file.name));
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, file.attachment);
    return `${file.description}\nChart: ${path}`;
  } catch (error) {
    context.log.warn({ err: error, path }, 'console: a file of the answer could not be written');
    return `(the chart could not be written to ${path}: ${error instanceof Error ? error.message : String(error)})`;
  }
}

/**
 * Read commands from stdin until it ends (piped), the user types /quit, or `signal` says the bot is stopping (SIGTERM
 * with the input still open, as in a container run with -i): then the input is let go, so the process can end.
 */
export async function runConsole(
  commands: readonly ArchiveCommand[],
  context: CommandContext,
  input = process.stdin,
  output = process.stdout,
  signal?: AbortSignal,
  /** Where files that go with answers (charts) are written: DATA_DIR/charts. */
  filesDir: string | null = null,
): Promise<void> {
  const interactive = Boolean((input as { isTTY?: boolean }).isTTY);
  const rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
  signal?.addEventListener('abort', () => rl.close(), { once: true });
  // Whatever read the answers went away (`npm start | head -1`: EPIPE): no one is left to answer, so stop reading
  // and let the bot stop in order, as at the input's end, rather than crash on the stream's error.
  const readerGone = () => rl.close();
  output.on('error', readerGone);
  try {
    if (interactive) {
      output.write('Console mode (no DISCORD_TOKEN set). Type /help for commands, /quit to leave.\n');
      rl.setPrompt('> ');
      rl.prompt();
    }
    for await (const line of rl) {
      if (/^\/?(quit|exit)$/i.test(line.trim())) break;
      const answer = await answerLine(line, commands, context, filesDir);
      if (answer !== null) output.write(`${answer}\n\n`);
      if (interactive) rl.prompt();
    }
  } finally {
    rl.close();
    output.off('error', readerGone);
  }
}
