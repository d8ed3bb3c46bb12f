// What the bot says about itself in the terminal: /stats and /help, from the
// same view models Discord renders as embeds.
import type { ArchiveService } from '../app/archive.js';
import type { HelpEntry } from '../discord/command.js';
import { lastSyncText } from '../discord/wording.js';
import { statsText } from './render.js';

/** /stats in the console: what the CLI prints, and when the archive last synced. */
export function statsAnswerText(stats: ReturnType<ArchiveService['stats']>): string {
  return `${statsText(stats)}; last sync ${lastSyncText(stats.lastSync)}`;
}

/** /help in the console: each command it answers, how to type it, and what it does. */
export function helpText(entries: readonly HelpEntry[]): string {
  return entries
    .filter((e) => e.consoleUsage !== null)
    .map((e) => `${e.consoleUsage}\n    ${e.description}`)
    .join('\n');
}
