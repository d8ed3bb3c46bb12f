// The one list of commands, shared by the bot, the registration script and the console.
import { config } from './config.js';
import { digest } from './digest.js';
import { findInArchive } from './findInArchive.js';
import { helpCommand } from './help.js';
import { hideFromServer } from './hideFromServer.js';
import { napo } from './napo.js';
import { onthisday } from './onthisday.js';
import { petition } from './petition.js';
import { quote } from './quote.js';
import { search } from './search.js';
import { stats } from './stats.js';
import { thread } from './thread.js';
import { watch } from './watch.js';
import type { ArchiveCommand } from '../src/discord/command.js';

export const commands: readonly ArchiveCommand[] = [
  search,
  quote,
  thread,
  watch,
  onthisday,
  petition,
  napo,
  stats,
  findInArchive,
  config,
  hideFromServer,
  digest,
  helpCommand(() => commands),
];

export type { ArchiveCommand, CommandContext } from '../src/discord/command.js';
