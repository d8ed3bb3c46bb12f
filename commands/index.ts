// The one list of commands, shared by the console and (next) the Discord bot.
import { onthisday } from './onthisday.js';
import { search } from './search.js';
import { stats } from './stats.js';
import type { ArchiveCommand } from './types.js';

const help: ArchiveCommand = {
  name: 'help',
  usage: '/help',
  description: 'This list.',
  run: () => commands.map((c) => `${c.usage.padEnd(26)} ${c.description}`).join('\n'),
};

export const commands: readonly ArchiveCommand[] = [search, onthisday, stats, help];

export type { ArchiveCommand, CommandContext } from './types.js';
