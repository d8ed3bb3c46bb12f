// What the bot says about itself in the terminal: /stats and /help, from the
// same view models Discord renders as embeds.
import type { HelpEntry } from '../discord/command.js';
import { SEARCH_SYNTAX_HELP } from '../search/syntax.js';
import { type StatsView, statsLines } from '../discord/wording.js';

/** /stats in the console: what members read on Discord (the CLI's `stats` has the operator's detail). */
export function statsAnswerText(stats: StatsView): string {
  const [line, sync] = statsLines(stats);
  return `${line} Last sync with the blog: ${sync}`;
}

/** /help in the console: each command it answers, how to type it, and what it does. */
export function helpText(entries: readonly HelpEntry[]): string {
  const commands = entries
    .filter((e) => e.consoleUsage !== null)
    .map((e) => `${e.consoleUsage}\n    ${e.description}`)
    .join('\n');
  return `${commands}\n\n${SEARCH_SYNTAX_HELP}`;
}
