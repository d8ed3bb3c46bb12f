// Console mode: the bot's commands typed (or piped) in a terminal, answered as text.
import { createInterface } from 'node:readline';
import { UserProblem } from '../app/userProblem.js';
import type { ArchiveCommand, CommandContext } from '../discord/command.js';

/** Answer one typed line; null for a blank line. */
export async function answerLine(
  line: string,
  commands: readonly ArchiveCommand[],
  context: CommandContext,
): Promise<string | null> {
  const trimmed = line.trim();
  if (!trimmed) return null;
  const match = /^\/?(\S+)\s*(.*)$/s.exec(trimmed);
  const command = commands.find((c) => c.console && c.name === match?.[1]?.toLowerCase());
  if (!command?.console) return `Unknown command "${trimmed.split(/\s/)[0]}". Type /help for the list.`;
  try {
    return await command.console.run(match?.[2] ?? '', context);
  } catch (error) {
    if (error instanceof UserProblem) return error.message;
    context.log.error({ err: error, line: trimmed }, 'console command failed');
    return `Sorry, that failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Read commands from stdin until it ends (piped) or the user types /quit. */
export async function runConsole(
  commands: readonly ArchiveCommand[],
  context: CommandContext,
  input = process.stdin,
  output = process.stdout,
): Promise<void> {
  const interactive = Boolean((input as { isTTY?: boolean }).isTTY);
  const rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
  if (interactive) {
    output.write('Console mode (no DISCORD_TOKEN set). Type /help for commands, /quit to leave.\n');
    rl.setPrompt('> ');
    rl.prompt();
  }
  for await (const line of rl) {
    if (/^\/?(quit|exit)$/i.test(line.trim())) break;
    const answer = await answerLine(line, commands, context);
    if (answer !== null) output.write(`${answer}\n\n`);
    if (interactive) rl.prompt();
  }
  rl.close();
}
